"""The HTML companion in a real browser: Debian's Chromium driven by Playwright, checked
with axe-core at WCAG 2.1 AA in every shipped language, normal and large print; nothing
fetched from anywhere; large print measured as the browser sets it. Screenshots of the
Arabic and Chinese pages are written to the test's folder (docs/accessibility.md says
what they showed)."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import chromium

from handouts.build import Request, prepare
from handouts.html import render as render_html

LANGS = ("en", "es", "vi", "ru", "zh-Hans", "ko", "ar", "hi")
PT = 4 / 3  # CSS px per point
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]  # WCAG 2.1 AA: the rules axe runs here


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


def _open(browser, library, tmp_path: Path, lang: str, large_print: bool = False):
    """The page of baclofen in ``lang`` loaded from a file, and every URL it asked for."""
    path = tmp_path / f"baclofen-{lang}{'-large' if large_print else ''}.html"
    path.write_bytes(render_html(prepare(library, Request("baclofen", lang, large_print=large_print))).data)
    page = browser.new_page(viewport={"width": 900, "height": 1200})
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(path.as_uri())
    return page, asked, path


@pytest.mark.parametrize("large_print", [False, True], ids=["normal", "large-print"])
@pytest.mark.parametrize("lang", LANGS)
def test_axe_finds_no_wcag_2_1_aa_violation(browser, library, tmp_path, lang, large_print):
    from axe_playwright_python.sync_playwright import Axe

    page, asked, path = _open(browser, library, tmp_path, lang, large_print)
    try:
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA}})
        assert results.violations_count == 0, results.generate_report()
        passed = {rule["id"] for rule in results.response["passes"]}
        assert {"color-contrast", "html-has-lang", "html-lang-valid", "list", "listitem"} <= passed
        assert asked == [path.as_uri()]  # the page itself, nothing else
    finally:
        page.close()


@pytest.mark.parametrize("lang", ["ar", "zh-Hans"])
def test_screenshot(browser, library, tmp_path, lang):
    """A picture to look at (kept in the test's tmp folder); here the browser must at
    least lay the right-to-left page out from the right."""
    page, _, _ = _open(browser, library, tmp_path, lang)
    try:
        page.screenshot(path=str(tmp_path / f"{lang}.png"))
        gaps = page.eval_on_selector(  # from the title's text to the left and right edges of <main>
            "h1",
            """h1 => { const range = document.createRange(); range.selectNodeContents(h1);
                const text = range.getBoundingClientRect(), main = h1.parentElement.getBoundingClientRect();
                return [text.left - main.left, main.right - text.right]; }""",
        )
        assert (gaps[1] < 1 < gaps[0]) if lang == "ar" else (gaps[0] < 1 < gaps[1])
    finally:
        page.close()


def _styles(page, selector: str) -> list[dict]:
    return page.eval_on_selector_all(
        selector,
        """els => els.map(e => { const s = getComputedStyle(e);
            return {size: parseFloat(s.fontSize), line: parseFloat(s.lineHeight), style: s.fontStyle,
                    align: s.textAlign}; })""",
    )


@pytest.mark.parametrize("lang", ["en", "ar", "zh-Hans", "hi"])
def test_large_print_as_the_browser_sets_it(browser, library, tmp_path, lang):
    """Every text at 18 pt or more, headings larger than the body, lines at least 1.4
    apart, nothing in italics, text aligned to the start of the line."""
    page, _, _ = _open(browser, library, tmp_path, lang, large_print=True)
    try:
        texts = _styles(page, "body p, body li, body h1, body h2, body h3, body h4")
        assert min(t["size"] for t in texts) >= 18 * PT - 0.01
        body = _styles(page, "main > section > p")
        assert all(t["line"] >= 1.4 * t["size"] for t in texts)
        assert {t["style"] for t in texts} == {"normal"}
        assert {t["align"] for t in body} == {"start"}
        heading = _styles(page, "h2")[0]["size"]
        assert _styles(page, "h1")[0]["size"] > heading > body[0]["size"]
        normal, _, _ = _open(browser, library, tmp_path, lang)
        try:
            assert body[0]["size"] >= 1.5 * _styles(normal, "main > section > p")[0]["size"]
        finally:
            normal.close()
    finally:
        page.close()
