"""Direction (issue 12, part 2): a complete bidi algorithm, checked against Unicode's own
conformance data and against where our PDFs draw each glyph in Arabic, Hebrew and Persian.

tests/data/rtl is a content folder with made-up leaflets in those languages (a Latin name
in brackets before a dose; Persian words written with ZWNJ) and their interface strings.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from reading import chars, render

from handouts import bidi, shaping
from handouts.build import Request, prepare
from handouts.content import Library
from handouts.scripts import script_for

DATA = Path(__file__).parent / "data"
CONFORMANCE = DATA / "unicode" / "BidiCharacterTest-excerpt.txt"
RTL = Library.with_content(DATA / "rtl")


def build(library: Library, request: Request):
    return render(prepare(library, request))


def _cases() -> list[tuple[str, bool, list[str], list[int]]]:
    out = []
    for line in CONFORMANCE.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        code_points, direction, _, levels, order = line.split(";")
        text = "".join(chr(int(cp, 16)) for cp in code_points.split())
        out.append((text, direction == "1", levels.split(), [int(i) for i in order.split()]))
    return out


def test_levels_and_order_match_unicodes_bidi_character_test():
    """Every case of the excerpt (2,038 lines of BidiCharacterTest.txt, most with bracket
    pairs): the resolved level of each character, and the visual order of rule L2. The
    pure-Python algorithm used before got about one case in seven wrong."""
    failures = []
    cases = _cases()
    for text, rtl, expected, order in cases:
        got = bidi.levels(text, rtl)
        kept = [i for i, level in enumerate(expected) if level != "x"]  # removed by rule X9
        if [got[i] for i in kept] != [int(expected[i]) for i in kept]:
            failures.append(f"levels {text!r} rtl={rtl}: {got} != {expected}")
            continue
        visual = [kept[k] for k in bidi.visual_order([got[i] for i in kept])]
        if visual != order:
            failures.append(f"order {text!r} rtl={rtl}: {visual} != {order}")
    assert len(cases) > 2000
    assert failures == [], f"{len(failures)} of {len(cases)} fail, e.g.\n" + "\n".join(failures[:5])


def _line_of(data: bytes, marker: str) -> str:
    """The characters of the line holding ``marker``, left to right as drawn (pdfium's
    boxes), spaces left out."""
    page = chars(data)[0]
    anchor = next(c for c in page if c.text == marker)
    line = [c for c in page if c.text.strip() and abs(c.baseline - anchor.baseline) < 1]
    return "".join(c.text for c in sorted(line, key=lambda c: c.left))


@pytest.mark.parametrize(
    "lang, drawn",
    [
        # read right to left: تناول الدواء (Hostilol) 5 مغم كل صباح.
        ("ar", ".حابصلكمغم5)Hostilol)ءاودلالوانت"),
        ("he", ".רקובלכג״מ5)Hostilol)הפורתהתאוחק"),
    ],
)
def test_a_dose_after_a_bracketed_name_stays_with_its_unit(lang, drawn):
    """Rule N0 (bracket pairs): the brackets take the paragraph's direction and enclose
    only the name; the dose follows them, its unit beside it. Without N0 the dose was
    drawn inside the brackets: "…(5 (Hostilol مغم"."""
    pdf = build(RTL, Request("brackets", lang))
    assert _line_of(pdf.data, "H") == drawn


def test_persian_takes_its_script_and_direction_from_cldr():
    profile = script_for("fa")
    assert profile.rtl and profile.shape and profile.fonts[0] == "NotoSansArabic"


def test_a_persian_leaflet_with_zwnj_words_reads_right_to_left():
    pdf = build(RTL, Request("zwnjamine", "fa"))
    line = _line_of(pdf.data, "2")
    # هر روز 20 میلی‌گرم با آب می‌خورید. drawn right to left, the number left to right
    logical = "هر روز 20 میلی\u200cگرم با آب می\u200cخورید."
    words = logical.replace("\u200c", "").split()
    expected = "".join(w if w == "20" else w[::-1] for w in reversed(words))
    assert line.replace("\u200c", "") == "." + expected.replace(".", "")


@pytest.mark.parametrize("mark", ["\u200c", "\u200d", "\u200b", "\u2060", "\ufeff", "\u00ad"])
def test_invisible_format_characters_inside_arabic_and_hebrew_never_crash(mark):
    """ZWNJ, ZWJ, ZWSP, word joiner, BOM and soft hyphen: the old algorithm dropped them
    from its level list (rule X9) and the layout failed with an IndexError."""
    for word, lang, face in (
        ("می" + mark + "خورید", "fa", "NotoSansArabic"),
        ("של" + mark + "ום", "he", "NotoSansHebrew"),
    ):
        lines = shaping.layout([(word + " (a) " + word, False)], script_for(lang), 12, 400)
        glyphs = [g for line in lines for run in line.runs for g in run.glyphs]
        assert glyphs and all(g.gid != 0 for g in glyphs)  # no .notdef box
        (alone,) = shaping.layout([(word, False)], script_for(lang), 12, 400)
        assert [run.face for run in alone.runs] == [face + "-Regular"]  # the mark never splits the word


def test_zwnj_breaks_the_join_and_nothing_else():
    """می‌خورید: the ZWNJ ends the first word part (final form of ی) and starts the
    second (initial form of خ), in one run of the Arabic font; without it they join."""

    def gids(text: str) -> list[int]:
        (line,) = shaping.layout([(text, False)], script_for("fa"), 12, 400)
        (run,) = line.runs
        assert run.face == "NotoSansArabic-Regular"
        return [g.gid for g in run.glyphs if g.advance]

    with_zwnj, joined = gids("می\u200cخورید"), gids("میخورید")
    assert len(with_zwnj) == len(joined)
    assert with_zwnj != joined


_ISOLATES = str.maketrans("", "", "\u2066\u2067\u2068\u2069")


def _lines(data: bytes) -> list[str]:
    """Every line of page 1, top to bottom, as ``_line_of`` reads it, isolate marks left out."""
    by_baseline: dict[int, list] = {}
    for c in chars(data)[0]:
        if c.text.strip():
            by_baseline.setdefault(round(c.baseline), []).append(c)
    return [
        "".join(c.text for c in sorted(by_baseline[y], key=lambda c: c.left)).translate(_ISOLATES)
        for y in sorted(by_baseline, reverse=True)
    ]


@pytest.mark.parametrize(
    "lang, address, hours",
    [
        ("ar", "دليفغنيربس،زرألاعراش12", "18:00–8:00ةعمجلا–نينثالا"),  # 12 شارع الأرز، سبرينغفيلد
        ("he", "דליפגנירפס,12זראהבוחר", "18:00–8:00׳ו–׳ב"),  # רחוב הארז 12, ספרינגפילד
    ],
)
def test_brand_texts_on_a_right_to_left_page_keep_their_own_direction(lang, address, hours):
    """The phone number "(555) 013-2468" and the web address are never reordered (they
    printed as "013-2468 (555)"); the Latin footer note reads left to right with its full
    stop at its end; the address and opening hours are in the reader's language, the house
    number beside its street."""
    pdf = build(RTL, Request("brackets", lang, brand=DATA / "rtl" / "brands" / "clinic" / "brand.yaml"))
    lines = _lines(pdf.data)
    assert lines[0] == "CedarStreetClinic"
    assert lines[1] == "cedar-clinic.example.org·(555)013-2468"
    footer = next(line for line in lines if line.startswith("CedarStreetClinic,"))
    assert footer == f"CedarStreetClinic,atestbrand(seethebrandingguide).·{hours}·{address}"


def test_an_arabic_and_a_hebrew_word_in_an_english_sentence_read_right_to_left():
    """reportlab drew them in memory order (reversed on paper) and unjoined."""
    pdf = build(RTL, Request("mixed", "en"))
    line = next(line for line in _lines(pdf.data) if line.startswith("InArabic"))
    # دواء and תרופה, each drawn right to left inside the left-to-right sentence
    assert line == "InArabicthewordformedicineisءاودandinHebrewitisהפורת,writtenrighttoleft."
