"""A real browser for the tests: Debian's chromium (``/usr/bin/chromium``) driven by
Playwright, which never downloads a browser of its own here, and axe-core (bundled in
axe-playwright-python) for accessibility.

When chromium or Playwright is missing the browser tests skip and say why; with
``HANDOUTS_REQUIRE_TOOLS=1`` (``.ci/run`` sets it) they fail instead, so CI cannot pass
by skipping them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("HANDOUTS_CHROMIUM", "/usr/bin/chromium"))
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REQUIRE_TOOLS = os.environ.get("HANDOUTS_REQUIRE_TOOLS") == "1"


def unavailable(reason: str) -> None:
    """Skip with ``reason``, or fail when the tools are required."""
    if REQUIRE_TOOLS:
        pytest.fail(f"{reason}, and HANDOUTS_REQUIRE_TOOLS=1 requires it")
    pytest.skip(reason)


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless chromium browser, or a skip saying what is missing."""
    if not (CHROMIUM.exists() or shutil.which(str(CHROMIUM))):
        unavailable(f"no chromium at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright is not installed (pip install -c constraints.txt '.[test]')")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def axe_violations(page: Any) -> list[str]:
    """axe-core's violations on the page as it is now (every rule axe runs by default:
    WCAG 2.0/2.1 A and AA and best practices), one line each."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes: {v['nodes'][0]['target']})"
        for v in results.response["violations"]
    ]
