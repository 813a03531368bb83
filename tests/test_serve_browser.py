"""The front-desk form in a real browser (Debian's chromium through Playwright): filled,
previewed and downloaded with the mouse, then again with the keyboard only; a patient's
name and plan typed into fields and read back from the PDF; large print and the web page;
axe-core finds no violation on any state of the page (empty, previewed, with errors, the
patient's fields open, right to left, a renderer killed while it made the handout).
Screenshots land in the test's tmp folder (``SERVE_SCREENSHOTS`` names another) to be
looked at."""

from __future__ import annotations

import asyncio
import html
import io
import os
import signal
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import psutil
import pytest
from browser import axe_violations, chromium
from conftest import text_runs
from pypdf import PdfReader
from servers import running

from handouts.pdf.styles import LARGE_PRINT
from handouts.serve import ui


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
        page.get_by_role("button", name="Download", exact=True).click()
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
        if focused[0] == "Open to print":
            break
    controls = [c for c in order if not c.startswith(("English", "español", "العربية"))]
    assert controls == [
        "medicine", "lang", "level-standard", "paper", "layout", "large_print", "require_reviewed",
        "For one patient: name and dose plan (optional)", "format-pdf",
        "Preview", "Download", "Open to print",
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
    page.focus("summary")
    page.keyboard.press("Enter")  # the patient's fields open
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "p_name"
    page.keyboard.type("Alex Morgan")
    for name, typed in (("p_prescriber", "Dr. Sam Rivera"), ("p_prescription", "RX-1")):
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") == name
        page.keyboard.type(typed)
    page.focus("#step1_dose")
    page.keyboard.type("5")
    page.focus("#step1_times-bedtime")
    page.keyboard.press("Space")
    assert page.is_checked("#step1_times-bedtime")
    page.focus("text=Preview")
    page.keyboard.press("Enter")
    page.locator("#page-count").wait_for()
    assert page.locator("img.page").count() == 1
    assert page.locator("#p_name").input_value() == "Alex Morgan"  # kept for the download
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
        page.get_by_role("button", name="Download", exact=True).click()
    reader = PdfReader(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert len(reader.pages) == pages


def fill_plan(page, *doses: tuple[str, str]) -> None:
    """The patient's fields, as a person types them: a made-up patient, and (dose, days)
    per step row."""
    page.get_by_text("For one patient: name and dose plan (optional)").click()
    page.fill("#p_name", "Alex Morgan")
    page.fill("#p_prescriber", "Dr. Sam Rivera")
    page.fill("#p_prescription", "RX-2026-004213")
    page.fill("#p_dispensed", "2026-12-01")
    for n, (dose, days) in enumerate(doses, 1):
        page.fill(f"#step{n}_dose", dose)
        page.fill(f"#step{n}_days", days)


def download(page, tmp_path: Path, name: str = "Download") -> tuple[str, bytes]:
    with page.expect_download() as download:
        page.get_by_role("button", name=name, exact=True).click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    return download.value.suggested_filename, saved.read_bytes()


def test_a_patient_plan_typed_into_fields_is_on_the_pdf(server, page, shots, tmp_path):
    page.goto(server.url + "/")
    fill_plan(page, ("5", "3"), ("10", "3"), ("15", ""))
    page.uncheck("#step3_times-noon")
    assert axe_violations(page) == []  # the patient's fields open
    page.screenshot(path=shots / "patient.png", full_page=True)
    name, data = download(page, tmp_path)
    assert name == "baclofen-en-standard.pdf"  # what it is, never whom it is for
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "For: Alex Morgan" in text
    card = text[text.index("Your dose schedule") :]  # the pill card, after the handout's own text
    assert all(dose in card for dose in ("5 mg", "10 mg", "15 mg"))
    assert "Alex" not in server.access_log()


def test_a_bad_plan_is_shown_next_to_its_field(server, page, shots):
    page.goto(server.url + "/")
    fill_plan(page, ("5", "3"), ("40", ""))  # 40 mg three times a day: over baclofen's 80 mg a day
    page.get_by_role("button", name="Preview").click()
    error = page.locator("#step2_dose-error")
    error.wait_for()
    assert error.inner_text() == (
        "The total a day of this step is above the medicine's max_daily_dose (80 mg). "
        "Check the dose and the times of day with the prescriber."
    )  # no content file's place: the front desk does not edit content
    assert page.locator("#step2_dose").get_attribute("aria-describedby") == "step2_dose-error"
    assert page.locator("#step2_dose").input_value() == "40"  # kept, to be corrected
    summary = page.get_by_role("alert").get_by_role("link").first
    assert summary.get_attribute("href") == "#step2_dose" and summary.inner_text().startswith("Step 2, Dose each time")
    assert "40" not in error.inner_text()  # the library never quotes a plan's values
    assert axe_violations(page) == []
    page.screenshot(path=shots / "plan-error.png", full_page=True)


TIMES = ("morning", "noon", "evening", "bedtime")


def rows_on(page) -> list[tuple[str, str, tuple[str, ...], str]]:
    """Each step row as the browser shows it: dose, unit, the times ticked, days."""
    return [
        (
            page.input_value(f"#step{n}_dose"),
            page.input_value(f"#step{n}_unit"),
            tuple(t for t in TIMES if page.is_checked(f"#step{n}_times-{t}")),
            page.input_value(f"#step{n}_days"),
        )
        for n in range(1, page.locator("fieldset.step").count() + 1)
    ]


def test_a_plan_shown_again_keeps_every_row(server, page, shots, tmp_path):
    """A six-step taper typed with its own times per row, the prescription number left
    out: the page comes back (422) with the six rows as typed, in order, and a seventh,
    empty row to add a step (no JavaScript); the seventh typed, the PDF's pill card has
    all seven steps."""
    page.goto(server.url + "/")
    typed = [("30", "mg", ("morning", "evening"), "2"), ("25", "mg", ("morning", "noon", "evening"), "2")]
    typed += [("20", "mg", ("noon", "bedtime"), "2"), ("15", "mcg", ("morning",), "3")]
    typed += [("2,5", "mg", ("evening", "bedtime"), "3"), ("7.5", "mg", TIMES, "3")]
    fill_plan(page, *((dose, days) for dose, _, _, days in typed))
    page.fill("#p_prescription", "")
    page.check("#p_kind-taper")
    for n, (_, unit, times, _) in enumerate(typed, 1):
        page.select_option(f"#step{n}_unit", unit)
        for time in TIMES:
            page.set_checked(f"#step{n}_times-{time}", time in times)
    page.get_by_role("button", name="Preview").click()
    page.locator("#p_prescription-error").wait_for()
    assert rows_on(page) == [*typed, ("", "mg", ("morning", "noon", "evening"), "")]
    assert page.is_checked("#p_kind-taper") and page.locator("#p_name").input_value() == "Alex Morgan"
    assert axe_violations(page) == []
    page.screenshot(path=shots / "plan-shown-again.png", full_page=True)

    page.fill("#p_prescription", "RX-2026-004213")
    page.select_option("#step4_unit", "mg")
    page.fill("#step7_dose", "5")
    page.fill("#step7_days", "2")
    _, data = download(page, tmp_path)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    card = text[text.index("Your dose schedule") :]
    assert all(f"{dose} mg" in card for dose in ("30", "25", "20", "15", "2.5", "7.5", "5"))
    assert "Alex" not in server.access_log()


def test_large_print_sets_the_body_at_18_pt(server, page, tmp_path):
    page.goto(server.url + "/")
    sizes = {}
    for large in (False, True):
        page.set_checked("#large_print", large)
        name, data = download(page, tmp_path)
        reader = PdfReader(io.BytesIO(data))
        runs = [(size, len(text)) for n in range(len(reader.pages)) for text, size, _, _ in text_runs(reader, n)]
        by_chars = Counter[float]()
        for size, count in runs:
            by_chars[round(size, 1)] += count
        sizes[large] = (name, by_chars.most_common(1)[0][0], min(size for size, _ in runs))
    assert sizes[True][0] == "baclofen-en-standard-large.pdf"
    assert sizes[True][1] >= LARGE_PRINT.body == 18  # the body: most of the characters
    assert sizes[True][2] >= LARGE_PRINT.chrome  # nothing smaller than the header and footer
    assert sizes[False][1] < 18  # the same form without the box: normal print


def test_the_web_page_choice_opens_the_html_handout(server, page):
    page.goto(server.url + "/")
    page.select_option("#lang", "ar")
    page.check("#format-html")
    with page.context.expect_page() as opened:
        page.get_by_role("button", name="Open to print").click()
    handout = opened.value
    handout.wait_for_load_state()
    assert handout.evaluate("document.contentType") == "text/html"
    assert handout.locator("html").get_attribute("lang") == "ar"
    assert handout.locator("h1").first.inner_text().strip() == "باكلوفين"
    assert handout.evaluate("getComputedStyle(document.body).fontFamily") != "Times New Roman"  # its style applied
    assert handout.locator("form").count() == 0  # the handout, not the form


def test_a_plan_as_a_web_page(server, page, tmp_path):
    """HTML with a plan: the web page with the patient's name and schedule."""
    page.goto(server.url + "/")
    fill_plan(page, ("5", ""))
    page.check("#format-html")
    name, data = download(page, tmp_path)
    assert name == "baclofen-en-standard.html" and "Alex Morgan" in data.decode()
    assert 'class="pill-card"' in data.decode()


def test_the_patient_fields_right_to_left(server, page, shots):
    page.goto(server.url + "/?ui=ar")
    page.get_by_text("لمريض واحد: الاسم وخطة الجرعات (اختياري)").click()
    label = page.locator("label[for=step1_dose]")
    field = page.locator("#step1_dose")
    assert label.bounding_box()["x"] + label.bounding_box()["width"] > field.bounding_box()["x"] + 50
    assert axe_violations(page) == []
    page.screenshot(path=shots / "rtl-patient.png", full_page=True)


def test_a_renderer_killed_mid_request_gives_the_form_again(server, page, shots):
    """As tests/test_serve_faults.py kills a renderer under the API, here under the form:
    sixteen form posts (download and preview, a patient's plan) wait for the one renderer,
    killed when the first answer is back, once with English pages and once with Arabic.
    The post it was making gets the form again, not the API's JSON: 503 with Retry-After,
    a plain sentence in the page's language, the choices kept, no traceback, no patient's
    name in the access log; axe finds nothing on it. The posts still waiting are made by
    the new renderer, and the form serves again. (Sixteen, not eight: the kill must find
    the renderer still busy however long this process takes to send it.)"""
    with httpx.Client(base_url=server.url) as client:
        token = client.get("/").cookies["handouts_csrf"]
    choices = {"csrf": token, "medicine": "baclofen", "lang": "hi", "level": "detailed", "paper": "a4"}
    choices |= {"large_print": "yes", "p_name": "Alex Morgan", "p_prescriber": "Dr. Sam Rivera"}
    choices |= {"p_prescription": "RX-2026-004213", "p_dispensed": "2026-12-01", "step1_dose": "5"}
    choices |= {"step1_times": ["morning", "noon", "evening"]}

    async def burst(lang: str, renderer: psutil.Process) -> list[httpx.Response]:
        cookies = {"handouts_csrf": token}
        async with httpx.AsyncClient(base_url=server.url, timeout=120, cookies=cookies) as client:
            pending = [
                asyncio.create_task(client.post(f"/?ui={lang}", data=choices | {"ui": lang, "action": action}))
                for action in ("download", "preview") * 8
            ]
            await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
            renderer.send_signal(signal.SIGKILL)
            return [await task for task in pending]

    killed = []
    for lang in ("en", "ar"):
        [renderer] = server.renderers()
        killed.append(renderer.pid)
        with ThreadPoolExecutor(1) as thread:  # Playwright's own event loop runs in this one
            answers = thread.submit(asyncio.run, burst(lang, renderer)).result()
        codes = [a.status_code for a in answers]
        assert set(codes) == {200, 503}, codes
        for answer in (a for a in answers if a.status_code == 503):
            assert answer.headers["content-type"] == "text/html; charset=utf-8" and answer.headers["retry-after"] == "1"
            said = html.escape(ui.words(lang)["not_made"])
            assert f"<li>{said}</li>" in answer.text
            assert not answer.text.lstrip().startswith("{") and '"errors"' not in answer.text
            assert "Traceback" not in answer.text and "renderer" not in answer.text

            page.goto(server.url + f"/?ui={lang}")  # this server's address, so the page's stylesheet loads
            page.set_content(answer.text)
            assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
            assert page.get_by_role("alert").inner_text().endswith(ui.words(lang)["not_made"])
            assert page.locator("#lang").input_value() == "hi" and page.is_checked("#level-detailed")
            assert page.locator("#paper").input_value() == "a4" and page.is_checked("#large_print")
            assert page.locator("#p_name").input_value() == "Alex Morgan"  # pressing again keeps the plan
            assert axe_violations(page) == []
            page.screenshot(path=shots / f"renderer-stopped-{lang}.png", full_page=True)
    assert "Alex" not in server.access_log() and "RX-2026" not in server.access_log()

    page.goto(server.url + "/")
    page.get_by_role("button", name="Preview").click()
    page.locator("#page-count").wait_for()  # the form is served again, by a new renderer
    [replacement] = server.renderers()
    assert replacement.pid not in killed
