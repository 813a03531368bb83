"""The HTML companion without a browser: its structure, its text against the PDF's, its
colours, and how ``build`` and ``batch`` write it (tests/test_html_browser.py runs it in
Chromium with axe-core)."""

from __future__ import annotations

import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
import tagcheck
from reading import _same_rtl, fold, printed, render

from handouts.build import Request, prepare
from handouts.cli import main
from handouts.colors import contrast
from handouts.html import CONTRAST
from handouts.html import render as render_html
from handouts.model import BulletList, Callout, Subhead
from handouts.pdf import BULLET
from handouts.pdf.schedule import table_days
from handouts.scripts import script_for

LANGS = ("en", "es", "vi", "ru", "zh-Hans", "ko", "ar", "hi")
STDOUT = "or give -o - to write to standard output"


class Page(HTMLParser):
    """What a page holds, as a reader's software sees the markup: elements in order with
    their attributes, the text of <main> as printed (a table's caption, which names it
    for a screen reader and is not shown, kept apart in ``captions``), and every URL it
    names."""

    def __init__(self, data: bytes):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.main = ""
        self.captions: list[str] = []
        self._open: list[str] = []
        self.feed(data.decode("utf-8"))

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "caption":
            self.captions.append("")
        if tag not in ("img", "meta", "br"):
            self._open.append(tag)

    def handle_endtag(self, tag):
        while self._open and self._open.pop() != tag:
            pass

    def handle_data(self, data):
        if "caption" in self._open:
            self.captions[-1] += data
        elif "main" in self._open:
            self.main += data + " "

    def count(self, tag: str) -> int:
        return sum(1 for name, _ in self.tags if name == tag)


@pytest.fixture(scope="module")
def pages(library):
    """(handout, its HTML, its PDF) per shipped language, standard level."""
    out = {}
    for lang in LANGS:
        handout = prepare(library, Request("baclofen", lang))
        out[lang] = (handout, render_html(handout).data, render(handout))
    return out


@pytest.mark.parametrize("lang", LANGS)
def test_the_page_has_the_structure_of_the_handout(pages, lang):
    handout, data, _ = pages[lang]
    page = Page(data)
    html = dict(page.tags[0][1]) if page.tags[0][0] == "html" else {}
    assert html == {"lang": lang, "dir": "rtl" if script_for(lang).rtl else "ltr"}
    assert page.count("main") == 1 and page.count("h1") == 1
    assert page.count("h2") == len(handout.sections) + (handout.key_points is not None)  # the key points box has one
    blocks = [b for s in handout.sections for b in s.blocks]
    inner = [b for c in blocks if isinstance(c, Callout) for b in c.blocks]
    assert page.count("h3") == sum(isinstance(b, (Subhead, Callout)) for b in blocks)
    points = len(handout.key_points.items) if handout.key_points else 0  # the key points box's list
    assert page.count("li") == points + sum(len(b.items) for b in blocks + inner if isinstance(b, BulletList))
    boxes = [attrs for tag, attrs in page.tags if tag == "section" and attrs.get("class") == "warning"]
    assert len(boxes) == sum(isinstance(b, Callout) for b in blocks)
    ids = {attrs.get("id") for _, attrs in page.tags}
    assert all(box["aria-labelledby"] in ids for box in boxes)  # each box is named by its heading


@pytest.mark.parametrize("lang", LANGS)
def test_the_page_reads_as_the_pdf(pages, lang):
    """Title, summary and every section: the text of <main> is the PDF's body text as
    extracted (tests/reading.py), character for character after white space and the
    PDF's bullets are taken out; right-to-left text as ``reading`` can prove it. Read
    without the diagonal DRAFT mark, which pdfium reads among the body's lines."""
    handout = replace(pages[lang][0], draft=False)
    data, pdf = render_html(handout).data, render(handout)
    rtl = script_for(lang).rtl
    text = Page(data).main
    got = printed(handout, pdf).replace(BULLET, "")
    got = "".join(ch for ch in got if ch not in "\u2066\u2067\u2068\u2069")  # the PDF's invisible bidi isolates
    want = fold(text, rtl)
    assert want == got or (rtl and _same_rtl(fold(text, False, keep_space=True), want, got))


@pytest.mark.parametrize("lang", LANGS)
def test_the_page_loads_nothing_and_runs_nothing(pages, lang):
    _, data, _ = pages[lang]
    page = Page(data)
    assert page.count("script") == 0 and page.count("link") == 0 and page.count("iframe") == 0
    sources = [attrs["src"] for tag, attrs in page.tags if tag == "img"]
    assert sources and all(src.startswith("data:image/png;base64,") for src in sources)
    assert not re.search(rb"url\(|@import|https?://", data.split(b"<body")[0])  # no stylesheet fetches anything
    csp = next(attrs["content"] for tag, attrs in page.tags if attrs.get("http-equiv") == "Content-Security-Policy")
    assert csp.startswith("default-src 'none';")


def test_brand_colours_reach_4_5_to_1_and_are_darkened_where_they_do_not(pages):
    handout, _, _ = pages["en"]
    assert all(contrast(fg, bg) >= CONTRAST for _, fg, bg in render_html(handout).palette.pairs())
    pale = replace(handout, brand=replace(handout.brand, primary="#7FA7D9", accent="#F08080"))  # ~2.4:1 and ~2.3:1
    rendered = render_html(pale)
    colours = rendered.palette
    assert all(contrast(fg, bg) >= CONTRAST for _, fg, bg in colours.pairs())
    assert colours.heading != "#7FA7D9" and colours.label != "#F08080"
    assert [line.split()[0] for line in colours.adjusted] == ["heading", "label", "notice"]
    assert f"color: {colours.heading}".encode() in rendered.data


def test_brand_text_in_another_language_is_marked(pages):
    """The sample brand's name is English: on an Arabic page it carries lang="en"."""
    _, data, _ = pages["ar"]
    assert b'<span lang="en" dir="auto">Sample Community Clinic</span>' in data
    _, data, _ = pages["en"]
    assert b'lang="en" dir="auto"' not in data


def test_large_print_page_sets_18_pt_and_no_italics(library):
    handout = prepare(library, Request("baclofen", "en", large_print=True))
    data = render_html(handout).data
    assert b'<body class="level-standard large-print">' in data
    assert b":root { font-size: 150%; }" in data  # 16 px x 1.5 = 24 px = 18 pt (measured in a browser)
    assert b"font-style: italic" not in data


def test_build_writes_html_by_format_or_name(runner, tmp_path):
    by_name = runner.invoke(main, ["build", "baclofen", "--lang", "ar", "-o", str(tmp_path / "a.html")])
    flag = ["--format", "html", "-o", str(tmp_path / "b.htm")]
    by_flag = runner.invoke(main, ["build", "baclofen", "--lang", "ar", *flag])
    assert by_name.exit_code == 0 and by_flag.exit_code == 0, by_name.output + by_flag.output
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.htm").read_bytes()
    assert (tmp_path / "a.html").read_bytes().startswith(b"<!DOCTYPE html>")
    assert "a.html: " in by_name.stdout and "pages" not in by_name.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.html", "b.htm"]  # no temporary file left


def test_build_default_names_say_the_format_and_large_print(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(main, ["build", "baclofen", "--format", "html", "--large-print"]).exit_code == 0
    assert runner.invoke(main, ["build", "baclofen", "--large-print"]).exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "baclofen-en-standard-large.html",
        "baclofen-en-standard-large.pdf",
    ]


@pytest.mark.parametrize(
    ("args", "message", "hint"),
    [
        (
            ["-o", "x.html", "--format", "pdf"],
            "'x.html' names HTML but --format is pdf",
            "name it x.pdf, or drop --format",
        ),
        (["-o", "x.txt"], "'x.txt' does not end in .pdf or .html", f"name it x.pdf, {STDOUT}"),
        (
            ["-o", "x", "--format", "html"],
            "'x' does not end in .pdf or .html",
            f"name it x.html, {STDOUT}",
        ),
    ],
)
def test_build_refuses_a_name_that_promises_another_format(runner, tmp_path, monkeypatch, args, message, hint):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["build", "baclofen", *args])
    assert result.exit_code == 2
    assert result.stderr == f"--output: error: {message}\n  hint: {hint}\n"
    assert list(tmp_path.iterdir()) == []


def test_build_html_to_standard_output(runner):
    result = runner.invoke(main, ["build", "baclofen", "--format", "html", "-o", "-"])
    assert result.exit_code == 0
    assert result.stdout_bytes.startswith(b"<!DOCTYPE html>") and b"</html>" in result.stdout_bytes


def test_batch_writes_html_and_large_print_from_manifest_columns(runner, tmp_path):
    manifest = tmp_path / "m.csv"
    manifest.write_text(
        "medicine,lang,format,large_print\nbaclofen,en,html,\nbaclofen,en,pdf,yes\nbaclofen,ar,html,true\n"
    )
    out = tmp_path / "out"
    result = runner.invoke(main, ["batch", str(manifest), "--out", str(out), "-j", "1", "-q", "--combined",
                                  str(tmp_path / "all.pdf")])  # fmt: skip
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in out.iterdir() if not p.name.startswith((".", "batch-report")))
    assert written == ["baclofen-ar-standard-large.html", "baclofen-en-standard-large.pdf", "baclofen-en-standard.html"]
    assert b'class="level-standard large-print"' in (out / "baclofen-ar-standard-large.html").read_bytes()
    assert "all.pdf (" in result.stdout  # the combined file holds the PDF jobs only
    again = runner.invoke(main, ["batch", str(manifest), "--out", str(out), "-j", "1", "-q"])
    assert "0 built, 3 up to date" in again.stdout


def test_batch_refuses_a_bad_format_or_large_print_cell(runner, tmp_path):
    manifest = tmp_path / "m.csv"
    manifest.write_text("medicine,format,large_print\nbaclofen,htm,\nbaclofen,pdf,maybe\nbaclofen,html,\n")
    manifest_yaml = tmp_path / "m.yaml"
    manifest_yaml.write_text("jobs:\n  - medicine: baclofen\n    format: html\n    output: x.pdf\n")
    result = runner.invoke(main, ["batch", str(manifest), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert f"{manifest}:2:2: error: unknown format 'htm'" in result.stderr
    assert f"{manifest}:3:3: error: large_print 'maybe' is neither yes nor no" in result.stderr
    result = runner.invoke(main, ["batch", str(manifest_yaml), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "error: output 'x.pdf' must be a visible file name ending in .html" in result.stderr


def test_the_templates_ship_in_the_package():
    import handouts.html

    folder = Path(handouts.html.__file__).parent / "templates"
    assert sorted(p.name for p in folder.iterdir()) == ["handout.css.j2", "handout.html.j2", "schedule.html.j2"]


def test_a_matrix_lists_formats_and_large_print(library, tmp_path):
    from handouts.manifest import load_manifest

    manifest = tmp_path / "m.yaml"
    manifest.write_text("matrix:\n  medicine: [baclofen]\n  format: [pdf, html]\n  large_print: [false, true]\n")
    jobs = load_manifest(manifest, library)
    assert [(job.output, job.format, job.large_print) for job in jobs] == [
        ("baclofen-en-standard.pdf", "pdf", False),
        ("baclofen-en-standard-large.pdf", "pdf", True),
        ("baclofen-en-standard.html", "html", False),
        ("baclofen-en-standard-large.html", "html", True),
    ]
    assert [job.request().large_print for job in jobs] == [False, True, False, True]


# --- a patient's schedule (build --patient): the same as on the PDF's last page ----------

TITRATION = Path(__file__).resolve().parent.parent / "examples" / "patient-titration.yaml"
TAPER = TITRATION.with_name("patient-taper.yaml")
ROLES = {"section": "/Sect", "h2": "/H2", "h3": "/H3", "p": "/P", "table": "/Table", "tr": "/TR"}


class Schedule(HTMLParser):
    """The schedule section of a page as (depth, role, text) in the PDF's terms (a cell
    is "cell": the PDF's empty corner cell is a TH, the page's a td), the attributes of
    every element in it, and the text of each table's caption."""

    def __init__(self, data: bytes):
        super().__init__(convert_charrefs=True)
        self.elements: list[list] = []  # [depth, role, text or None]
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.captions: list[str] = []
        self._stack: list[tuple[str, list | None]] = []  # open elements inside the section
        self.feed(data.decode("utf-8"))

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if not self._stack and not (tag == "section" and attrs.get("id") == "schedule"):
            return
        self.tags.append((tag, attrs))
        role = "cell" if tag in ("th", "td") else ROLES.get(tag)
        element = None
        if role is not None:
            depth = sum(1 for _, e in self._stack if e is not None) + 1
            element = [depth, role, None]
            self.elements.append(element)
        if tag == "caption":
            self.captions.append("")
        self._stack.append((tag, element))

    def handle_startendtag(self, tag, attrs):
        if self._stack:
            self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        while self._stack and self._stack.pop()[0] != tag:
            pass

    def handle_data(self, data):
        if not self._stack or not data.strip():
            return
        if any(tag == "caption" for tag, _ in self._stack):
            self.captions[-1] += data
            return
        element = next(e for _, e in reversed(self._stack) if e is not None)
        element[2] = (element[2] or "") + data


def _tree_of(handout) -> list[list]:
    """tagcheck's model of the PDF's schedule, a cell's role as "cell"."""
    tree = tagcheck.schedule_tree(handout.schedule, table_days(handout))
    return [[d, "cell" if role in ("/TH", "/TD") else role, text] for d, role, text in tree]


@pytest.fixture(scope="module")
def personal(library):
    """lang -> (handout, its HTML, its PDF) of the titration example, easy level, not a draft
    (pdfium reads the diagonal DRAFT mark among the body's lines)."""
    out = {}
    for lang in LANGS:
        handout = replace(prepare(library, Request("baclofen", lang, "easy", patient=TITRATION)), draft=False)
        out[lang] = (handout, render_html(handout).data, render(handout))
    return out


@pytest.mark.parametrize("lang", [lang for lang in LANGS if not script_for(lang).rtl])
def test_the_personal_page_reads_as_the_pdf(personal, lang):
    """All of <main>, schedule included, is the PDF's text as extracted, as for a plain
    handout. Arabic is left to the next test: pdfium and pypdf read the pill card's
    header row in two lines there (the days heading is centred beside the icons and
    their words), which says nothing about either file."""
    handout, data, pdf = personal[lang]
    got = printed(handout, pdf).replace(BULLET, "")
    assert fold(Page(data).main, False) == "".join(ch for ch in got if ch not in "\u2066\u2067\u2068\u2069")


@pytest.mark.parametrize("lang", LANGS)
def test_the_schedule_is_the_tagged_pdfs(personal, lang):
    """What a screen reader gets: the page's schedule section, element by element (the
    heading, "For: NAME", the prescription line, each table's rows and cells in reading
    order, the calendar headings), holds the text of the PDF's structure elements, which
    tagcheck reads from the PDF (ActualText for shaped scripts) and compares with the
    same list. Cells in reading order in Arabic too: dir="rtl" mirrors them, the data is
    not reversed."""
    handout, data, pdf = personal[lang]
    assert tagcheck.check(handout, pdf.data) == []
    got = [[d, role, tagcheck.norm(text) if text else None] for d, role, text in Schedule(data).elements]
    want = [[d, role, tagcheck.norm(text) if text else None] for d, role, text in _tree_of(handout)]
    assert got == want


def test_a_taper_plan_shows_its_last_dose_and_bedtime(library):
    handout = prepare(library, Request("baclofen", "ar", "easy", patient=TAPER))
    page = Schedule(render_html(handout).data)
    texts = [tagcheck.norm(text or "") for _, _, text in page.elements]
    assert tagcheck.norm(handout.schedule.stop) in texts
    assert [e[1:] for e in page.elements[:5]] == [
        ["/Sect", None],
        ["/H2", handout.schedule.title],
        ["/P", handout.schedule.for_line],
        ["/P", handout.schedule.details],
        ["/Table", None],
    ]
    assert [[d, r, tagcheck.norm(t) if t else None] for d, r, t in page.elements] == [
        [d, r, tagcheck.norm(t) if t else None] for d, r, t in _tree_of(handout)
    ]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_schedule_tables_have_captions_and_scoped_headers(personal, lang):
    """Each table is named by a caption (the pill card by the schedule's title, a week by
    its first and last day) and its header cells say what they head: the header row
    th scope=col, the first column th scope=row, doses td; the icons and tick boxes are
    hidden from screen readers; a time with no dose is an empty, shaded cell."""
    handout, data, _ = personal[lang]
    schedule = handout.schedule
    page = Schedule(data)
    (calendar,) = schedule.calendars
    weeks = calendar.weeks(*table_days(handout))
    assert len(weeks) == 2  # normal print: a week to a table
    names = page.captions[1:]
    assert page.captions[0] == schedule.title and len(names) == len(weeks)
    for name, week in zip(names, weeks, strict=True):
        assert week[0].label in name and week[-1].label in name
    if lang == "en":
        assert names == ["Dec 2 to Dec 8", "Dec 9 to Dec 15"]
    rows: list[list[tuple[str, dict]]] = []
    for tag, attrs in page.tags:
        if tag == "tr":
            rows.append([])
        elif tag in ("th", "td"):
            rows[-1].append((tag, attrs))
    tables = [rows[:5], rows[5:9], rows[9:13]]  # the pill card (head + 4 steps), two weeks (head + 3 times)
    assert sum(map(len, tables)) == len(rows)
    for table in tables:
        head, *body = table
        assert [t for t, a in head[1:]] == ["th"] * (len(head) - 1)
        assert all(a.get("scope") == "col" for _, a in head[1:])
        assert all(tag == "th" and attrs.get("scope") == "row" for (tag, attrs), *_ in body)
        assert all(tag == "td" for row in body for tag, _ in row[1:])
    assert head[0] == ("td", {})  # a week's empty corner is no header
    shaded = [a for row in tables[0][1:] for t, a in row[1:] if a.get("class") == "none"]
    assert len(shaded) == 4  # bedtime, on each of the four steps
    hidden = [a for t, a in page.tags if t in ("svg", "span") and a.get("class") in ("icon", "tick")]
    assert hidden and all(a.get("aria-hidden") == "true" for a in hidden)
    assert sum(1 for a in hidden if a["class"] == "tick") == sum(1 for d in calendar.days for x in d.doses if x)


def test_for_line_follows_the_summary(personal):
    handout, data, _ = personal["en"]
    page = Page(data)
    paragraphs = [(attrs.get("class"), i) for i, (tag, attrs) in enumerate(page.tags) if tag == "p"]
    classes = [c for c, _ in paragraphs]
    assert classes[classes.index("summary") + 1] == "for"
    assert fold(handout.schedule.for_line, False) in fold(page.main, False)
    assert page.main.count("Alex Morgan") == 2  # page 1 and the schedule, as in the PDF
    title = data.split(b"<title>")[1].split(b"</title>")[0]
    assert b"Morgan" not in title and b"Morgan" not in data.split(b"<body")[0]  # not in the tab or the head


def test_schedule_prints_on_a_page_of_its_own(personal):
    """Print CSS: the schedule starts a printed page (the browser test prints it)."""
    _, data, _ = personal["en"]
    css = data.split(b"@media print")[1]
    assert b".schedule { break-before: page; }" in css


def test_a_personal_page_escapes_the_plan_and_still_loads_nothing(personal):
    """A plan's texts are escaped like every other text; the icons are inline SVG that
    names nothing outside the page."""
    handout, _, _ = personal["en"]
    schedule = replace(handout.schedule, for_line='For: <script>alert(1)</script> "A&B"')
    data = render_html(replace(handout, schedule=schedule)).data
    page = Page(data)
    assert page.count("script") == 0 and b"&lt;script&gt;alert(1)&lt;/script&gt; &#34;A&amp;B&#34;" in data
    assert page.count("svg") == 4 + 3 * 2  # the pill card's four times, three a week in two weeks
    assert not re.search(rb"url\(|@import|https?://|xlink:href|<image", data.split(b'id="schedule"')[1])
