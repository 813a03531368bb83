"""The HTML companion without a browser: its structure, its text against the PDF's, its
colours, and how ``build`` and ``batch`` write it (tests/test_html_browser.py runs it in
Chromium with axe-core)."""

from __future__ import annotations

import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
from reading import _same_rtl, fold, printed, render

from handouts.build import Request, prepare
from handouts.cli import main
from handouts.colors import contrast
from handouts.html import CONTRAST
from handouts.html import render as render_html
from handouts.model import BulletList, Callout, Subhead
from handouts.pdf import BULLET
from handouts.scripts import script_for

LANGS = ("en", "es", "vi", "ru", "zh-Hans", "ko", "ar", "hi")
STDOUT = "or give -o - to write to standard output"


class Page(HTMLParser):
    """What a page holds, as a reader's software sees the markup: elements in order with
    their attributes, the text of <main>, and every URL it names."""

    def __init__(self, data: bytes):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.main = ""
        self._open: list[str] = []
        self.feed(data.decode("utf-8"))

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in ("img", "meta", "br"):
            self._open.append(tag)

    def handle_endtag(self, tag):
        while self._open and self._open.pop() != tag:
            pass

    def handle_data(self, data):
        if "main" in self._open:
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
    assert sorted(p.name for p in folder.iterdir()) == ["handout.css.j2", "handout.html.j2"]


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
