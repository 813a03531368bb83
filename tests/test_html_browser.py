"""The HTML companion in a real browser: Debian's Chromium driven by Playwright, checked
with axe-core at WCAG 2.1 AA in every shipped language, normal and large print; nothing
fetched from anywhere; large print measured as the browser sets it. Screenshots of the
Arabic and Chinese pages are written to the test's folder (docs/accessibility.md says
what they showed)."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import axe_violations, chromium

from handouts.build import Request, prepare
from handouts.html import render as render_html
from handouts.pdf.schedule import table_days

LANGS = ("en", "es", "vi", "ru", "zh-Hans", "ko", "ar", "hi")
PT = 4 / 3  # CSS px per point
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]  # WCAG 2.1 AA: the rules axe runs here
TITRATION = Path(__file__).resolve().parent.parent / "examples" / "patient-titration.yaml"
TAPER = TITRATION.with_name("patient-taper.yaml")
# every table cell has a header (axe marks this WCAG 2.0 A rule experimental: it runs only when asked)
TABLE_RULES = {"td-has-header", "td-headers-attr", "th-has-data-cells"}


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


def _open(browser, library, tmp_path: Path, lang: str, large_print: bool = False, plan: Path | None = None, width=900):
    """The page of baclofen in ``lang`` (with a patient's ``plan``: the easy level, as a
    pharmacy prints it) loaded from a file, and every URL it asked for."""
    path = tmp_path / f"baclofen-{lang}{'-large' if large_print else ''}{'-plan' if plan else ''}.html"
    request = Request("baclofen", lang, "easy" if plan else "standard", large_print=large_print, patient=plan)
    path.write_bytes(render_html(prepare(library, request)).data)
    page = browser.new_page(viewport={"width": width, "height": 1200})
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


# --- a patient's schedule ---------------------------------------------------------------


@pytest.mark.parametrize("large_print", [False, True], ids=["normal", "large-print"])
@pytest.mark.parametrize("lang", LANGS)
def test_axe_finds_no_violation_with_a_patient_plan(browser, library, tmp_path, lang, large_print):
    """WCAG 2.1 AA with the pill card and the calendars, every data cell with its headers;
    then every axe rule, best practices too (one name per landmark: the tables' regions)."""
    from axe_playwright_python.sync_playwright import Axe

    page, asked, path = _open(browser, library, tmp_path, lang, large_print, plan=TAPER if lang == "ar" else TITRATION)
    try:
        options = {"runOnly": {"type": "tag", "values": WCAG_AA}, "rules": {"td-has-header": {"enabled": True}}}
        results = Axe().run(page, options=options)
        assert results.violations_count == 0, results.generate_report()
        assert TABLE_RULES <= {rule["id"] for rule in results.response["passes"]}
        assert axe_violations(page) == []
        assert asked == [path.as_uri()]
    finally:
        page.close()


def _contrast(page) -> float:
    """The lowest contrast of a schedule cell's text on the background it is drawn on
    (axe leaves the header cells "to review": it cannot tell their background)."""
    from handouts.colors import contrast

    pairs = page.eval_on_selector_all(
        ".schedule th, .schedule td",
        """cells => cells.filter(c => c.textContent.trim()).map(c => {
            const hex = s => '#' + s.match(/\\d+/g).slice(0, 3).map(n => (+n).toString(16).padStart(2, '0')).join('');
            let e = c, bg = getComputedStyle(e).backgroundColor;
            while (bg === 'rgba(0, 0, 0, 0)' && e.parentElement) {
                e = e.parentElement; bg = getComputedStyle(e).backgroundColor; }
            return [hex(getComputedStyle(c).color), hex(bg)]; })""",
    )
    assert len(pairs) > 30
    return min(contrast(fg, bg) for fg, bg in pairs)


@pytest.mark.parametrize("lang", ["ar", "zh-Hans"])
def test_schedule_screenshot(browser, library, tmp_path, lang):
    """A picture of the schedule to look at (the test's tmp folder). Arabic is mirrored
    by dir="rtl": the days column of the pill card stands right of the morning column,
    and a week's first day right of its second; elsewhere the other way round."""
    page, _, _ = _open(browser, library, tmp_path, lang, plan=TITRATION)
    try:
        page.eval_on_selector(".schedule", "e => e.scrollIntoView()")
        page.screenshot(path=str(tmp_path / f"{lang}-schedule.png"))
        lefts = page.eval_on_selector_all(
            ".pill-card thead th, .calendar thead th", "els => els.map(e => e.getBoundingClientRect().left)"
        )
        days, morning, first, second = lefts[0], lefts[1], lefts[5], lefts[6]
        assert (days > morning and first > second) if lang == "ar" else (days < morning and first < second)
        assert _contrast(page) >= 4.5
    finally:
        page.close()


def _printed(page, paper: str = "Letter") -> list[str]:
    """The page as Chromium prints it (its print CSS), the text of each printed page."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(page.pdf(format=paper, prefer_css_page_size=True))
    return ["".join(p.get_textpage().get_text_range().split()) for p in pdf]


@pytest.mark.parametrize("lang", ["en", "ru", "zh-Hans"])
def test_the_schedule_prints_on_a_page_of_its_own(browser, library, tmp_path, lang):
    """Printed, the handout ends with one page that holds the whole schedule (from its
    heading to the last day of the calendar) and nothing before it."""
    page, _, _ = _open(browser, library, tmp_path, lang, plan=TITRATION)
    try:
        handout = prepare(library, Request("baclofen", lang, "easy", patient=TITRATION))
        schedule = handout.schedule
        pages = _printed(page)
        first = "".join(schedule.title.split())
        last = "".join(schedule.calendars[-1].days[-1].label.split())
        assert first in pages[-1] and pages[-1].startswith(first) and last in pages[-1]
        assert not any(first in text for text in pages[:-1])
        assert "".join(schedule.for_line.split()) in pages[0]  # "For: NAME" on page 1 as well
    finally:
        page.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_large_print_schedule_as_the_browser_sets_it(browser, library, tmp_path, lang):
    """Every cell at 18 pt or more, no italics, the contrast kept."""
    page, _, _ = _open(browser, library, tmp_path, lang, large_print=True, plan=TITRATION)
    try:
        cells = _styles(page, ".schedule th, .schedule td, .schedule p, .schedule h2, .schedule h3")
        assert len(cells) > 40
        assert min(c["size"] for c in cells) >= 18 * PT - 0.01
        assert {c["style"] for c in cells} == {"normal"}
        assert _contrast(page) >= 4.5
    finally:
        page.close()


def test_narrow_screen_scrolls_the_tables_not_the_page(browser, library, tmp_path):
    """At 320 CSS px (WCAG 2.1 reflow) the page does not scroll sideways: a table too
    wide scrolls inside its region, which the keyboard can reach (tabindex) and which
    its caption names."""
    page, _, _ = _open(browser, library, tmp_path, "en", plan=TITRATION, width=320)
    try:
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        regions = page.eval_on_selector_all(
            ".schedule .table",
            "els => els.map(e => [e.scrollWidth > e.clientWidth, e.tabIndex, e.getAttribute('role'),"
            " document.getElementById(e.getAttribute('aria-labelledby')).tagName])",
        )
        assert [r[0] for r in regions] == [True, True, True]  # the pill card and both weeks are wider than 320 px
        assert all(r[1:] == [0, "region", "CAPTION"] for r in regions)
    finally:
        page.close()


@pytest.mark.parametrize("name", ["morning", "noon", "evening", "bedtime"])
def test_the_icons_are_the_pdfs_drawings(browser, name):
    """The page's SVG of a time of day covers the same pixels as the PDF's drawing:
    both drawn 96 px square, black on white, the dark pixels of each compared."""
    import io

    import pypdfium2 as pdfium
    from PIL import Image
    from reportlab.lib.colors import black
    from reportlab.pdfgen.canvas import Canvas

    from handouts.pdf.icons import draw_icon
    from handouts.pdf.svg import svg

    size = 96
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(size, size))
    draw_icon(canvas, name, 0, 0, size, black)
    canvas.save()
    drawn = pdfium.PdfDocument(out.getvalue())[0].render(scale=1).to_pil().convert("L")
    page = browser.new_page(viewport={"width": size, "height": size})
    try:
        sized = svg(name).replace("<svg ", f"<svg width={size} height={size} ")
        page.set_content(f'<body style="margin:0;color:#000">{sized}')
        picture = page.screenshot(clip={"x": 0, "y": 0, "width": size, "height": size})
        shown = Image.open(io.BytesIO(picture)).convert("L")
    finally:
        page.close()
    dark = [{i for i, v in enumerate(image.tobytes()) if v < 128} for image in (drawn, shown)]
    assert len(dark[0]) > size * size / 10
    overlap = len(dark[0] & dark[1]) / len(dark[0] | dark[1])
    assert overlap > 0.9, overlap


@pytest.mark.parametrize("lang", LANGS)
def test_large_print_tables_fit_the_printed_page(browser, library, tmp_path, lang):
    """On paper nothing scrolls: as print lays it out at the width between the margins of
    Letter and A4 (18 mm each side), every schedule table of a large-print page is no
    wider than that (a dose may break between number and unit, as in the PDF); a week
    the PDF prints as two tables (4 + 3 days: ar, hi, zh-Hans) is two tables here too."""
    for paper, width_pt in (("letter", 612.0), ("a4", 595.3)):
        inner = round((width_pt - 2 * 18 / 25.4 * 72) * PT)  # CSS px between the margins
        request = Request("baclofen", lang, "easy", paper=paper, large_print=True, patient=TAPER)
        handout = prepare(library, request)
        assert handout.schedule is not None
        calendars = zip(handout.schedule.calendars, table_days(handout), strict=True)
        tables = 1 + sum(len(calendar.weeks(per_table)) for calendar, per_table in calendars)  # the pill card too
        path = tmp_path / f"{paper}.html"
        path.write_bytes(render_html(handout).data)
        page = browser.new_page(viewport={"width": inner, "height": 1000})
        try:
            page.emulate_media(media="print")
            page.goto(path.as_uri())
            widths = page.eval_on_selector_all(".schedule table", "ts => ts.map(t => t.getBoundingClientRect().width)")
            assert len(widths) == tables and max(widths) <= inner + 0.5, (paper, widths, inner)
        finally:
            page.close()


# Each word of every schedule cell (a run between white space, as tests/cells.py reads the
# PDF's cells: a weekday, a date, a dose's number or unit, "12月10日"), and the lines the
# browser laid it on: a word whose boxes (Range.getClientRects) stand on two lines is
# broken. A cell whose text is wider than the cell overflows.
_BROKEN_WORDS = """() => {
  const broken = [], overflow = [];
  let words = 0;
  for (const cell of document.querySelectorAll(".schedule table th, .schedule table td")) {
    if (cell.scrollWidth > cell.clientWidth + 1) overflow.push(cell.textContent.trim());
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const word of node.data.matchAll(/\\S+/g)) {
        words++;
        const range = document.createRange();
        range.setStart(node, word.index);
        range.setEnd(node, word.index + word[0].length);
        const boxes = [...range.getClientRects()].filter(r => r.width > 0.5);
        const tops = boxes.map(r => r.top), line = Math.min(...boxes.map(r => r.height));
        if (boxes.length && Math.max(...tops) - Math.min(...tops) > line / 2) broken.push(word[0]);
      }
    }
  }
  return {broken, overflow, words};
}"""


@pytest.mark.parametrize("large_print", [False, True], ids=["normal", "large-print"])
@pytest.mark.parametrize("lang", ["en", "vi", "ar", "hi", "zh-Hans", "ko"])
def test_no_schedule_word_is_broken_across_lines(browser, library, tmp_path, lang, large_print):
    """As in the PDF (tests/test_calendar.py), no word of the pill card or a calendar is
    cut over two lines, on a phone's screen (360 CSS px: the tables scroll sideways
    instead) and printed on A4 (the print CSS at the width between its margins), for
    both example plans. Before each word was kept on one line, Chinese broke 113 words
    on the phone ("1月10 / 日", "早 / 上") and Korean 7 ("2일~ / 12월", large print)."""
    a4 = round((595.3 - 2 * 18 / 25.4 * 72) * PT)
    for plan in (TITRATION, TAPER):
        request = Request("baclofen", lang, "easy", paper="a4", large_print=large_print, patient=plan)
        path = tmp_path / f"{plan.stem}.html"
        path.write_bytes(render_html(prepare(library, request)).data)
        for media, width in (("screen", 360), ("print", a4)):
            page = browser.new_page(viewport={"width": width, "height": 900})
            try:
                page.emulate_media(media=media)
                page.goto(path.as_uri())
                found = page.evaluate(_BROKEN_WORDS)
                assert found["words"] > 60
                assert (found["broken"], found["overflow"]) == ([], []), (plan.stem, media)
            finally:
                page.close()


_SPLIT_LABELS = """() => {
  const split = [];
  let labels = 0;
  for (const label of document.querySelectorAll(".schedule .calendar .weekday, .schedule .calendar .date")) {
    labels++;
    const range = document.createRange();
    range.selectNodeContents(label);
    const boxes = [...range.getClientRects()].filter(r => r.width > 0.5);
    const tops = boxes.map(r => r.top), line = Math.min(...boxes.map(r => r.height));
    if (boxes.length && Math.max(...tops) - Math.min(...tops) > line / 2) split.push(label.textContent);
  }
  return {split, labels, page: document.documentElement.scrollWidth};
}"""


@pytest.mark.parametrize("large_print", [False, True], ids=["normal", "large-print"])
@pytest.mark.parametrize("lang", ["en", "vi", "ar", "hi", "zh-Hans", "ko"])
def test_on_a_phone_a_days_weekday_and_date_each_stay_on_one_line(browser, library, tmp_path, lang, large_print):
    """As in the PDF (tests/test_calendar.py), a calendar day's weekday is one line and its
    date another, on a phone's screen too: Vietnamese "Thứ 2" (Monday) cut after "Thứ"
    left a "2" that reads as a date, and "18 thg 1" took two lines. The calendar scrolls
    sideways in its region; the page does not."""
    for plan in (TITRATION, TAPER):
        request = Request("baclofen", lang, "easy", paper="a4", large_print=large_print, patient=plan)
        path = tmp_path / f"{plan.stem}.html"
        path.write_bytes(render_html(prepare(library, request)).data)
        page = browser.new_page(viewport={"width": 360, "height": 900})
        try:
            page.goto(path.as_uri())
            found = page.evaluate(_SPLIT_LABELS)
            assert found["labels"] >= 14
            assert found["split"] == [], plan.stem
            assert found["page"] <= 360
        finally:
            page.close()
