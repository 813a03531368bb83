"""The front-desk form in a real browser (Debian's chromium through Playwright): filled,
previewed and downloaded with the mouse, then again with the keyboard only; axe-core finds
no violation on any state of the page (empty, previewed, with errors, right to left).
Screenshots land in the test's tmp folder (``SERVE_SCREENSHOTS`` names another) to be
looked at."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from browser import axe_violations, chromium
from pypdf import PdfReader
from servers import running


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("SERVE_SCREENSHOTS") or tmp_path_factory.mktemp("shots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with running(tmp_path_factory.mktemp("serve"), "--rate", "0") as server:
        yield server


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


@pytest.fixture
def page(browser):
    context = browser.new_context(accept_downloads=True, viewport={"width": 1000, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def test_fill_preview_and_download_a_pdf(server, page, shots, tmp_path):
    page.goto(server.url + "/")
    assert page.title() == "Print a patient handout"
    assert axe_violations(page) == []
    page.screenshot(path=shots / "form.png", full_page=True)

    page.select_option("#lang", "es")
    page.check("#level-easy")
    page.select_option("#paper", "a4")
    page.get_by_role("button", name="Preview").click()
    count = page.locator("#page-count")
    count.wait_for()
    pages = int(count.inner_text().split()[0])
    preview = page.get_by_role("img", name="Page 1 of the handout: Baclofeno")
    assert preview.evaluate("img => img.naturalWidth") > 500  # a page, decoded, not a broken image
    assert page.locator("#lang").input_value() == "es" and page.is_checked("#level-easy")  # choices kept
    assert axe_violations(page) == []
    page.screenshot(path=shots / "preview.png", full_page=True)

    with page.expect_download() as download:
        page.get_by_role("button", name="Download PDF").click()
    assert download.value.suggested_filename == "baclofen-es-easy.pdf"
    saved = tmp_path / "downloaded.pdf"
    download.value.save_as(saved)
    reader = PdfReader(saved)
    assert len(reader.pages) == pages
    assert round(float(reader.pages[0].mediabox.width)) == 595  # A4
    assert "Baclofeno" in reader.pages[0].extract_text()


def test_keyboard_only(server, page, shots):
    """Tab reaches every control in reading order with a visible focus ring; arrows and
    Space choose; Enter on the preview button previews."""
    page.goto(server.url + "/")
    order = []
    for _ in range(20):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const e = document.activeElement; const s = getComputedStyle(e);"
            " return [e.id || e.textContent.trim(), s.outlineStyle, s.outlineWidth]; }"
        )
        order.append(focused[0])
        assert focused[1] != "none" and focused[2] != "0px", f"no visible focus on {focused[0]}"
        if focused[0] == "Open PDF to print":
            break
    controls = [c for c in order if not c.startswith(("English", "español", "العربية"))]
    assert controls == [
        "medicine", "lang", "level-standard", "paper", "layout", "require_reviewed",
        "Preview", "Download PDF", "Open PDF to print",
    ]  # fmt: skip

    page.focus("#lang")
    page.keyboard.press("End")  # the last language in the list
    last = page.locator("#lang option").last.get_attribute("value")
    assert page.locator("#lang").input_value() == last
    page.focus("#level-standard")
    page.keyboard.press("ArrowDown")  # radio group: the next level, chosen
    assert page.is_checked("#level-detailed")
    page.focus("#require_reviewed")
    page.keyboard.press("Space")
    page.keyboard.press("Space")  # ticked, then unticked again
    assert not page.is_checked("#require_reviewed")
    page.focus("text=Preview")
    page.keyboard.press("Enter")
    page.locator("#page-count").wait_for()
    assert page.locator("img.page").count() == 1
    page.screenshot(path=shots / "keyboard-preview.png", full_page=True)


def test_errors_next_to_their_field_and_announced(server, page, shots):
    page.goto(server.url + "/")
    page.check("#require_reviewed")
    page.get_by_role("button", name="Preview").click()
    error = page.locator("#require_reviewed-error")
    error.wait_for()
    assert error.inner_text().startswith("Baclofen in English is a draft")
    assert page.locator("#require_reviewed").get_attribute("aria-describedby") == "require_reviewed-error"
    assert page.get_by_role("alert").get_by_role("link").first.get_attribute("href") == "#require_reviewed"
    assert page.title().startswith("There is a problem")
    assert axe_violations(page) == []
    page.screenshot(path=shots / "error.png", full_page=True)


def test_a_right_to_left_interface(server, page, shots):
    page.goto(server.url + "/?ui=ar")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    label = page.locator("label[for=medicine]")
    select = page.locator("#medicine")
    assert label.bounding_box()["x"] + label.bounding_box()["width"] > select.bounding_box()["x"] + 100
    page.select_option("#lang", "ar")
    page.get_by_role("button", name="معاينة").click()
    page.locator("#page-count").wait_for()
    option = page.locator("#lang option[value=ar]")
    assert (option.inner_text(), option.get_attribute("dir")) == ("العربية", "rtl")
    assert axe_violations(page) == []
    page.screenshot(path=shots / "rtl.png", full_page=True)


def test_the_preview_is_the_pdf_page_one(server, page):
    """The preview and the download come from one request's fields: same page count."""
    page.goto(server.url + "/")
    page.select_option("#lang", "hi")
    page.check("#level-detailed")
    page.get_by_role("button", name="Preview").click()
    pages = int(page.locator("#page-count").inner_text().split()[0])
    with page.expect_download() as download:
        page.get_by_role("button", name="Download PDF").click()
    reader = PdfReader(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert len(reader.pages) == pages
