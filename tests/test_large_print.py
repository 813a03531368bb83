"""Large print read back from the PDF as a reader gets it: every body text at 18 pt or
more, headings larger, no italic face anywhere, lines 1.4 or more apart, and the text
complete and in order, in every script we print (Latin, Arabic, Devanagari, CJK)."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from conftest import text_runs
from pages import read_lines
from pypdf import PdfReader
from reading import body_chars, missing_or_reordered, outside_page_margins, overprinted, render

from handouts.build import Request, prepare
from handouts.pdf.styles import LARGE_PRINT

LANGS = ("en", "ru", "ar", "hi", "zh-Hans", "ko")


@pytest.fixture(scope="module")
def printed(library):
    """(handout, PDF) per language in large print, standard level, without the diagonal
    DRAFT mark (which pdfium reads among the body's lines)."""
    out = {}
    for lang in LANGS:
        handout = replace(prepare(library, Request("baclofen", lang, large_print=True)), draft=False)
        out[lang] = (handout, render(handout))
    return out


@pytest.mark.parametrize("lang", LANGS)
def test_every_text_is_18_pt_or_more_and_headings_larger(printed, lang):
    handout, rendered = printed[lang]
    reader = PdfReader(io.BytesIO(rendered.data))
    left, bottom, right, top = rendered.body
    sizes, chrome = [], []
    for page in range(len(reader.pages)):
        for _, size, _, y in text_runs(reader, page):
            (sizes if bottom - 3 <= y <= top + 3 else chrome).append(round(size, 2))
    assert min(sizes) >= 18
    assert {LARGE_PRINT.title, LARGE_PRINT.heading, LARGE_PRINT.subhead, LARGE_PRINT.body} <= set(sizes)
    assert min(chrome) >= LARGE_PRINT.chrome  # header and footer: 14 pt (docs/accessibility.md says why)


@pytest.mark.parametrize("lang", LANGS)
def test_no_italic_face_is_used(printed, lang):
    _, rendered = printed[lang]
    reader = PdfReader(io.BytesIO(rendered.data))
    faces = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
        if "/BaseFont" in font.get_object()
    }
    assert faces and not [face for face in faces if "italic" in face.lower()]


@pytest.mark.parametrize("lang", LANGS)
def test_lines_are_at_least_1_4_apart(printed, lang):
    """Baselines of two lines of one block on one page, against the block's font size."""
    handout, rendered = printed[lang]
    units, lines = read_lines(handout, rendered)
    size = {"title": LARGE_PRINT.title, "heading": LARGE_PRINT.heading, "subhead": LARGE_PRINT.subhead}
    gaps = [
        (a.baseline - b.baseline) / size.get(units[a.unit].kind, LARGE_PRINT.body)
        for a, b in zip(lines, lines[1:], strict=False)
        if a.unit is not None and a.unit == b.unit and a.page == b.page
    ]
    assert len(gaps) > 20 and min(gaps) >= 1.4 - 0.01
    assert LARGE_PRINT.leading / LARGE_PRINT.body == 1.5


@pytest.mark.parametrize("lang", LANGS)
def test_text_is_complete_and_inside_the_page(printed, lang):
    handout, rendered = printed[lang]
    assert missing_or_reordered(handout, rendered) == ""
    assert not outside_page_margins(rendered.data, handout.paper)
    assert not overprinted(rendered.data)
    assert body_chars(rendered)


def test_large_print_lines_hold_a_readable_number_of_characters(printed):
    """At 18 pt across the page a Latin line holds about 55 characters, within the 50-70
    of print guidance (and nowhere near the 100 of a 10 pt line)."""
    handout, rendered = printed["en"]
    _, lines = read_lines(handout, rendered)
    longest = max(len(line.text) for line in lines)  # without spaces (``fold``)
    assert 45 <= longest <= 70


@pytest.mark.parametrize("lang", LANGS)
def test_large_print_is_tagged_like_normal_print(library, tmp_path, lang):
    """The same structure tree, artifacts and PDF/UA-1 checks as every PDF (test_tagged),
    on the large-print draft as shipped (DRAFT mark and notice included)."""
    from test_tagged import check_all, pdfua_findings

    handout = prepare(library, Request("baclofen", lang, large_print=True))
    data = render(handout).data
    check_all(handout, data, tmp_path)
    assert pdfua_findings(data, tmp_path) == ""
