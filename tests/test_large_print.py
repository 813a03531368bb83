"""Large print read back from the PDF as a reader gets it: every glyph at 18 pt or
more (header, footer and page numbers too), headings larger, no italic face anywhere,
lines 1.4 or more apart, the text complete and in order, and the later pages' one-line
header and footer, in every script we print (Latin, Arabic, Devanagari, CJK)."""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import replace

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from pages import read_lines
from pypdf import PdfReader
from reading import SAME_LINE, body_chars, chars, fold, missing_or_reordered, outside_page_margins, overprinted, render

from handouts import l10n
from handouts.build import Request, prepare
from handouts.pdf.styles import LARGE_PRINT
from handouts.scripts import script_for

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


def glyph_sizes(data: bytes) -> list[Counter[float]]:
    """Per page, how many glyphs pdfium finds at each font size (in points, as drawn:
    the text matrix and any form's matrix applied), header, footer, page number, QR
    caption and DRAFT notice included."""
    out = []
    for page in pdfium.PdfDocument(data):
        textpage = page.get_textpage()
        text = textpage.get_text_range()
        out.append(
            Counter(round(pdfium_c.FPDFText_GetFontSize(textpage.raw, i), 1) for i, ch in enumerate(text) if ch.strip())
        )
    return out


@pytest.mark.parametrize("lang", LANGS)
def test_every_glyph_is_18_pt_or_more_and_headings_larger(printed, lang):
    """ACB asks 18 pt for all text: every glyph on every page, chrome included."""
    _, rendered = printed[lang]
    pages = glyph_sizes(rendered.data)
    sizes = sum(pages, Counter())
    assert min(sizes) >= 18, sorted(sizes.items())
    assert {LARGE_PRINT.title, LARGE_PRINT.heading, LARGE_PRINT.subhead, LARGE_PRINT.body} <= set(sizes)
    assert all(page[LARGE_PRINT.chrome] for page in pages)  # each page's chrome, at 18 pt


def test_the_size_check_finds_a_small_glyph(library):
    """The check above can fail: normal print has 10 pt chrome and 11 pt body text."""
    handout = replace(prepare(library, Request("baclofen", "en")), draft=False)
    assert min(sum(glyph_sizes(render(handout).data), Counter())) < 18


@pytest.mark.parametrize("lang", LANGS)
def test_later_pages_have_one_line_above_and_one_below(printed, lang):
    """Page 1 holds the whole brand block and footer (phone, address, revision); every
    later page one line above the body, the clinic's name, and one below, "Page X of
    Y", so its body is taller than page 1's."""
    handout, rendered = printed[lang]
    rtl = script_for(lang).rtl
    assert rendered.pages > 2 and rendered.later is not None
    first, later = rendered.body, rendered.later
    assert later[3] - later[1] > first[3] - first[1] + 2 * LARGE_PRINT.leading  # two lines more, at least
    for number, page in enumerate(chars(rendered.data)):
        left, bottom, right, top = rendered.area(number)
        drawn = [c for c in page if c.text.strip() and c.upright]
        above = [c for c in drawn if (c.bottom + c.top) / 2 > top]
        below = [c for c in drawn if (c.bottom + c.top) / 2 < bottom]
        head, foot = fold("".join(c.text for c in above), rtl), fold("".join(c.text for c in below), rtl)
        label = handout.strings.page.format(page=l10n.number(number + 1, lang), pages=l10n.number(rendered.pages, lang))
        assert fold(handout.brand.name, rtl) in head
        assert not Counter(fold(label, rtl)) - Counter(foot)  # its characters: pdfium may order them otherwise
        if number == 0:
            assert fold(handout.brand.phone, rtl) in head
            assert fold(handout.brand.address, rtl) in foot
            continue
        assert sorted(fold(label, rtl)) == sorted(foot)  # the page label alone
        assert max(c.baseline for c in above) - min(c.baseline for c in above) < SAME_LINE  # one line
        assert max(c.baseline for c in below) - min(c.baseline for c in below) < SAME_LINE


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
