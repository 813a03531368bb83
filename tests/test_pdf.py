"""What a reader of the PDF gets: every word, the right paper, embedded fonts, metadata,
bookmarks, the draft mark, readable type sizes, and identical bytes for identical input."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import content_words, make_pdf, pdf_text, text_runs, words

from handouts.schema import LEVELS

PAPER_POINTS = {"letter": (612, 792), "a4": (595.28, 841.89)}


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("level", LEVELS)
def test_every_word_of_the_level_is_in_the_pdf(library, tmp_path, level, paper):
    handout, reader, _ = make_pdf(library, tmp_path, medicine="baclofen", level=level, paper=paper)
    missing = content_words(handout) - words(pdf_text(reader))
    assert not missing, f"words missing from the PDF: {dict(missing)}"
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(PAPER_POINTS[paper], abs=0.01)


def test_levels_really_differ(library, tmp_path):
    easy = make_pdf(library, tmp_path, medicine="baclofen", level="easy")[0]
    detailed = make_pdf(library, tmp_path, medicine="baclofen", level="detailed")[0]
    assert easy.sections[0].title == "What is baclofen?"
    assert easy.sections != detailed.sections


def test_fonts_are_embedded_and_subset(library, tmp_path):
    _, reader, _ = make_pdf(library, tmp_path, medicine="baclofen")
    seen = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            seen.add(font["/BaseFont"])
            assert "/FontFile2" in font["/FontDescriptor"], f"{font['/BaseFont']} is not embedded"
            assert font["/BaseFont"][7:8] == "+", f"{font['/BaseFont']} is not a subset"
    assert {name.split("+")[1] for name in seen} == {"NotoSans-Regular", "NotoSans-Bold", "NotoSans-Italic"}


def test_metadata(library, tmp_path):
    handout, reader, _ = make_pdf(library, tmp_path, medicine="baclofen", level="easy")
    meta = reader.metadata
    assert meta.title == "Baclofen"
    assert meta.author == "Sample Community Clinic"
    assert meta.subject == handout.summary
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_bookmarks_point_at_each_section_heading(library, tmp_path):
    handout, reader, _ = make_pdf(library, tmp_path, medicine="baclofen")
    outline = reader.outline
    assert [item.title for item in outline] == [s.title for s in handout.sections]
    pages = [reader.get_destination_page_number(item) for item in outline]
    assert pages == sorted(pages) and pages[-1] > 0
    for item, page in zip(outline, pages, strict=True):
        heading_runs = [r for r in text_runs(reader, page) if r[0] == item.title]
        assert heading_runs, f"'{item.title}' is not on page {page + 1}"
        assert abs(heading_runs[0][3] - float(item["/Top"])) < 30  # the view opens at the heading


def test_draft_mark_on_every_page_and_page_x_of_y(library, tmp_path):
    _, reader, _ = make_pdf(library, tmp_path, medicine="baclofen")
    total = len(reader.pages)
    assert total >= 2
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert "DRAFT" in text.split()
        assert "not yet reviewed by a pharmacist" in text
        assert f"Page {number} of {total}" in text
        assert "Revised November 21, 2026" in text  # CLDR long date (Babel)


def test_draft_mark_is_see_through(library, tmp_path):
    """The mark must not hide the text under it: drawn opaque, its letters cover several
    per cent of every page in saturated red; see-through, they are a pale pink."""
    import pypdfium2

    _, _, data = make_pdf(library, tmp_path, medicine="baclofen")
    for page in pypdfium2.PdfDocument(data):
        image = page.render(scale=0.5).to_pil().convert("RGB")
        raw = image.tobytes()
        pixels = list(zip(raw[0::3], raw[1::3], raw[2::3], strict=True))
        pink = sum(1 for r, g, b in pixels if r > 230 and 150 < g < 245 and abs(g - b) < 25)
        red = sum(1 for r, g, b in pixels if r > 140 and g < 90 and b < 90)
        assert pink > 0.01 * len(pixels), "no see-through mark on the page"
        assert red < 0.01 * len(pixels), f"{red} saturated red pixels: the mark hides the text"


def test_reviewed_content_has_no_draft_mark(test_library, tmp_path):
    _, reader, _ = make_pdf(test_library, tmp_path, medicine="testamine", require_reviewed=True)
    text = pdf_text(reader)
    assert "DRAFT" not in text and "not yet reviewed" not in text
    assert "Revised January 15, 2026" in text


def test_footer_carries_content_version(library, tmp_path):
    handout, reader, _ = make_pdf(library, tmp_path, medicine="baclofen", level="detailed")
    assert len(handout.version) == 8
    assert f"Content version {handout.version}" in pdf_text(reader)
    other = make_pdf(library, tmp_path, medicine="baclofen", level="easy")[0]
    assert other.version != handout.version


@pytest.mark.parametrize("level, minimum", [("easy", 13), ("standard", 10), ("detailed", 10)])
def test_type_sizes(library, tmp_path, level, minimum):
    """Nothing under 10 pt (FDA Medication Guide minimum); content at easy is >= 13 pt.
    Header and footer lines may stay at 10 pt."""
    handout, reader, _ = make_pdf(library, tmp_path, medicine="baclofen", level=level)
    chrome = " ".join(
        [
            handout.brand.name,
            handout.brand.phone,
            handout.brand.website,
            handout.brand.address,
            handout.brand.footer_note,
            handout.strings.draft_notice,
            "Revised",
            "Content version",
            "Page",
        ]
    )
    for index in range(len(reader.pages)):
        for text, size, _, _ in text_runs(reader, index):
            assert size >= 10 - 1e-6, f"'{text}' is {size} pt"
            if size < minimum - 1e-6:
                assert text.split()[0] in chrome, f"'{text}' is {size} pt at {level}"


def test_warning_box_label_is_present_and_bold(library, tmp_path):
    _, reader, _ = make_pdf(library, tmp_path, medicine="baclofen")
    page = next(i for i, p in enumerate(reader.pages) if "Signs of withdrawal" in p.extract_text())
    fonts = {}
    reader.pages[page].extract_text(
        visitor_text=lambda t, cm, tm, f, s: fonts.setdefault(t.strip(), f and f.get("/BaseFont"))
    )
    assert "Bold" in fonts["Do not stop suddenly"]


def test_same_input_same_bytes(library, tmp_path):
    first = make_pdf(library, tmp_path, medicine="baclofen")[2]
    second = make_pdf(library, tmp_path, medicine="baclofen")[2]
    assert first == second


def test_same_bytes_across_processes(tmp_path):
    outputs = []
    for name in ("one.pdf", "two.pdf"):
        subprocess.run(
            [sys.executable, "-m", "handouts", "build", "baclofen", "--level", "easy", "-o", str(tmp_path / name)],
            check=True,
            capture_output=True,
            cwd=tmp_path,
        )
        outputs.append((tmp_path / name).read_bytes())
    assert outputs[0] == outputs[1]


def test_long_brand_texts_wrap_and_never_overlap(tmp_path):
    """A long organisation name, address and footer note wrap; the body frame moves out of
    their way and nothing is cut off or drawn over the page label."""
    import shutil

    from handouts.content import Library

    brand_dir = tmp_path / "brands" / "long"
    shutil.copytree(Library().roots[0] / "brands" / "default", brand_dir)
    note = " ".join(["Open weekdays from eight until six, closed on public holidays."] * 4)
    name = "The Very Long Named Riverside and Lakeside Community Health and Wellbeing Cooperative Clinic"
    text = (brand_dir / "brand.yaml").read_text()
    text = text.replace("name: Sample Community Clinic", f"name: {name}")
    text = text.replace(
        "footer_note: Sample brand. Replace it with your own (see README, Branding).", f"footer_note: {note}"
    )
    (brand_dir / "brand.yaml").write_text(text)
    _, reader, _ = make_pdf(Library(), tmp_path, medicine="baclofen", brand=brand_dir / "brand.yaml")
    first = reader.pages[0].extract_text()
    assert not (words(name + " " + note) - words(first))
    runs = text_runs(reader, 0)
    label = next(r for r in runs if r[0].startswith("Page 1 of"))
    label_left = label[2]
    from reportlab.pdfbase.pdfmetrics import stringWidth

    for text_, size, x, y in runs:
        if text_ != label[0] and abs(y - label[3]) < size:
            assert x + stringWidth(text_, "NotoSans", size) < label_left, f"'{text_}' runs into the page label"


@pytest.mark.parametrize("lang", ["en", "es", "ru", "vi", "zh-Hans", "ko", "ar", "hi"])
def test_a_dose_never_breaks_between_number_and_unit(library, lang):
    """Facts print with a no-break space ("5 mg" never ends one line with "5" and starts
    the next with "mg"); reportlab, ICU and our layout all keep U+00A0 together."""
    from handouts import l10n
    from handouts.l10n import UNITS

    for unit in UNITS:
        for value, upto in ((5, None), (1, 2), (2.5, None)):
            text = l10n.quantity(value, unit, lang, upto)
            assert " " not in text and any(ch.isdigit() for ch in text), (unit, text)
