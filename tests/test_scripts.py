"""Every bundled script as a reader gets it: all characters in the PDF, no .notdef box,
fonts embedded and subset, right-to-left order by glyph position, CJK line breaks,
and a golden render per script.

Golden PNGs live in tests/data/golden/; after an intended visual change, regenerate
them with ``UPDATE_GOLDEN=1 python -m pytest tests/test_scripts.py`` and look at them.
"""

from __future__ import annotations

import datetime
import io
import itertools
import os
import unicodedata
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from fontTools.ttLib import TTFont
from PIL import Image, ImageChops
from pypdf import PdfReader
from pypdf.generic import ContentStream
from reading import CACHE, render

from handouts import build, fonts, shaping
from handouts.model import Brand, BulletList, Callout, Handout, Paragraph, Section, Span, Strings, Subhead
from handouts.pdf import MARGIN, RenderCache
from handouts.scripts import script_for

GOLDEN = Path(__file__).parent / "data" / "golden"

# Short sample text per language: a dose ("5 mg"), a Latin drug name, punctuation.
SAMPLES = {
    "en": ("Baclofen", "Take 5 mg of baclofen three times a day. Do not stop suddenly: it can cause seizures."),
    "vi": ("Baclofen", "Uống 5 mg baclofen ba lần mỗi ngày. Đừng ngừng thuốc đột ngột, vì có thể gây co giật."),
    "ru": ("Баклофен", "Принимайте 5 mg баклофена (baclofen) три раза в день. Не прекращайте приём внезапно!"),
    "el": (
        "Βακλοφαίνη",
        "Παίρνετε 5 mg baclofen τρεις φορές την ημέρα. Μη σταματήσετε απότομα· μπορεί να προκαλέσει σπασμούς.",
    ),
    "ar": ("باكلوفين", "خذ 5 mg من baclofen، ثلاث مرات يوميا. لا تتوقف عن تناوله فجأة (قد يسبب نوبات)."),
    "he": ("בקלופן", "קחו 5 mg של baclofen שלוש פעמים ביום. אל תפסיקו בפתאומיות (זה עלול לגרום לפרכוסים)."),
    "hi": ("बैक्लोफ़ेन", "baclofen की 5 mg खुराक दिन में तीन बार लें। अचानक बंद न करें, इससे दौरे (seizures) पड़ सकते हैं।"),
    "zh-Hans": ("巴氯芬", "每天服用三次，每次 5 mg（baclofen）。不要突然停药，否则可能引起癫痫发作。"),
    "zh-Hant": ("巴氯芬", "每天服用三次，每次 5 mg（baclofen）。不要突然停藥，否則可能引起癲癇發作。"),
    "ja": (
        "バクロフェン",
        "1日3回、5 mg（baclofen）を飲んでください。急にやめないでください。けいれんが起こることがあります。",
    ),
    "ko": ("바클로펜", "baclofen 5 mg을 하루 세 번 드세요. 갑자기 끊지 마세요. 발작이 생길 수 있습니다."),
}
RTL = {"ar", "he"}
GOLDEN_LANGS = ["en", "ru", "el", "ar", "he", "hi", "zh-Hans", "ja", "ko"]


def make_handout(lang: str, body: str | None = None, paper: str = "letter", level: str = "standard") -> Handout:
    title, text = SAMPLES[lang]
    body = body or text
    blocks = (
        Paragraph((Span(body), Span(" <b>&amp; 5 mg", bold=True))),
        Subhead(title),
        BulletList(((Span(body),), (Span("5 mg"),))),
        Callout(title, (Paragraph((Span(body),)),)),
    )
    return Handout(
        medicine="baclofen",
        title=title,
        summary=text,
        lang=lang,
        level=level,
        draft=False,
        revised=datetime.date(2026, 1, 2),
        version="abc123",
        sections=(Section("how", title, blocks),),
        brand=Brand("Clinic", "#1F4E79", "#A4161A", phone="555-0100", address="1 River Road"),
        strings=Strings("{page} / {pages}", "{date}", "v{version}", "DRAFT", "draft", "{label} (continued)"),
        paper=paper,
    )


def all_text(handout: Handout) -> str:
    parts = [handout.title, handout.summary]
    for section in handout.sections:
        parts.append(section.title)
        for block in section.blocks:
            if isinstance(block, Paragraph):
                parts.append("".join(s.text for s in block.spans))
            elif isinstance(block, Subhead):
                parts.append(block.text)
            elif isinstance(block, BulletList):
                parts += ["".join(s.text for s in item) for item in block.items]
            else:
                parts.append(block.label)
                parts += ["".join(s.text for s in b.spans) for b in block.blocks]
    return "".join(parts)


MIRROR_PAIRS = {a: a + b for a, b in ("()", "<>", "[]", "{}", "«»")} | {
    b: a + b for a, b in ("()", "<>", "[]", "{}", "«»")
}


def chars(text: str, rtl: bool = False) -> Counter:
    """NFC characters without white space (line breaks add or drop spaces) and without
    U+200B, which stands for a glyph that carries no character of its own. In RTL text
    a mirrored pair counts as one kind: pdfium mirrors "<" to ">" when it extracts
    right-to-left text, although the PDF says "<"."""
    kept = (ch for ch in unicodedata.normalize("NFC", text) if not ch.isspace() and ch != "\u200b")
    return Counter(MIRROR_PAIRS.get(ch, ch) if rtl else ch for ch in kept)


@pytest.fixture(scope="module")
def pdfs() -> dict[str, bytes]:
    return {lang: render(make_handout(lang)).data for lang in SAMPLES}


@pytest.mark.parametrize("lang", SAMPLES)
def test_every_character_is_in_the_pdf(pdfs, lang):
    """Compared as multisets: extraction order is the viewer's business (pdfium reorders
    RTL text itself, and reverses a lam-alef ligature's two letters), while a dropped
    or substituted character is what would hurt a reader."""
    doc = pdfium.PdfDocument(pdfs[lang])
    extracted = "".join(page.get_textpage().get_text_range() for page in doc)
    missing = chars(all_text(make_handout(lang)), lang in RTL) - chars(extracted, lang in RTL)
    assert not missing, f"characters missing from the PDF: {dict(missing)}"


def notdef_glyphs(data: bytes) -> list[str]:
    """Every text-showing byte that draws no real glyph: glyph 0 (.notdef) of the
    embedded font program, or code 0, which reportlab's TTFont.splitString uses for a
    character the font lacks (in its subsets code 0 is U+0000, an empty glyph: the
    character silently vanishes). Returns the font resource names."""
    reader = PdfReader(io.BytesIO(data))
    found = []
    for page in reader.pages:
        programs: dict[str, dict[int, str]] = {}
        for key, ref in page["/Resources"]["/Font"].items():
            font = ref.get_object()
            if "/FontFile2" not in font.get("/FontDescriptor", {}):
                continue  # not embedded: test_fonts_embedded_subset_and_no_standard_14 refuses it
            tt = TTFont(io.BytesIO(font["/FontDescriptor"]["/FontFile2"].get_data()))
            programs[key] = next(t.cmap for t in tt["cmap"].tables if t.cmap)
        current = None
        for operands, op in ContentStream(page.get_contents(), reader).operations:
            if op == b"Tf":
                current = operands[0]
            elif op in (b"Tj", b"TJ") and current in programs:
                for s in operands[0] if op == b"TJ" else operands:
                    codes = s if isinstance(s, bytes) else getattr(s, "original_bytes", b"")
                    found += [current for c in codes if c == 0 or programs[current].get(c, ".notdef") == ".notdef"]
    return found


@pytest.mark.parametrize("lang", SAMPLES)
def test_no_notdef_glyph(pdfs, lang):
    assert notdef_glyphs(pdfs[lang]) == []


def test_notdef_detector_catches_a_missing_glyph():
    """The detector is only worth something if it fails: draw a Chinese character with
    the Latin font straight through reportlab, bypassing our coverage check."""
    from reportlab.pdfgen.canvas import Canvas

    buf = io.BytesIO()
    canvas = Canvas(buf)
    canvas.setFont(CACHE.engine.register(fonts.LATIN.regular), 12)
    canvas.drawString(72, 700, "5 mg \u836f")
    canvas.save()
    assert len(notdef_glyphs(buf.getvalue())) == 1


def test_uncovered_characters_are_refused_not_drawn():
    assert fonts.uncovered("5 mg \U0001f48a") == [(5, "\U0001f48a")]
    with pytest.raises(ValueError, match="U\\+1F48A"):
        shaping.layout([("خذ \U0001f48a", False)], script_for("ar"), 11, 300)


@pytest.mark.parametrize("lang", SAMPLES)
def test_fonts_embedded_subset_and_no_standard_14(pdfs, lang):
    reader = PdfReader(io.BytesIO(pdfs[lang]))
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            assert font["/Subtype"] == "/TrueType", f"{font['/BaseFont']} is not an embedded TrueType font"
            assert "/FontFile2" in font["/FontDescriptor"], f"{font['/BaseFont']} is not embedded"
            assert font["/BaseFont"][7:8] == "+", f"{font['/BaseFont']} is not a subset"


def test_fallback_fonts_are_used_per_character(pdfs):
    """Arabic text with a Latin drug name uses the Arabic face and the Latin one."""
    reader = PdfReader(io.BytesIO(pdfs["ar"]))
    names = {f.get_object()["/BaseFont"].split("+")[1] for f in reader.pages[0]["/Resources"]["/Font"].values()}
    assert {"NotoSansArabic-Regular", "NotoSans-Regular"} <= names


def char_boxes(data: bytes) -> list[tuple[str, float, float, float]]:
    """(character, left, right, vertical middle) of every character on page 1."""
    page = pdfium.PdfDocument(data)[0]
    tp = page.get_textpage()
    out = []
    for i in range(tp.count_chars()):
        ch = tp.get_text_range(i, 1)
        if ch.strip():
            left, bottom, right, top = tp.get_charbox(i)
            out.append((ch, left, right, (bottom + top) / 2))
    return out


def lines_of(boxes, tolerance: float = 5.0) -> list[list[tuple[str, float, float, float]]]:
    """Characters grouped into visual lines, top to bottom, each sorted left to right."""
    lines: list[list] = []
    for box in sorted(boxes, key=lambda b: -b[3]):
        if lines and abs(lines[-1][0][3] - box[3]) < tolerance:
            lines[-1].append(box)
        else:
            lines.append([box])
    return [sorted(line, key=lambda b: b[1]) for line in lines]


def find_line(lines, needle: str):
    return next(line for line in lines if needle in "".join(b[0] for b in line))


@pytest.mark.parametrize("lang", sorted(RTL))
def test_rtl_order_by_glyph_position(lang):
    """Positions, not extracted order: the first word is rightmost, "5 mg" and
    "baclofen" read left to right inside the line and sit where the sentence puts them,
    lines run top to bottom in reading order, and the bullet is right of its item."""
    first_word, marker = {"ar": ("خذ", "من"), "he": ("קחו", "של")}[lang]
    long = " ".join([SAMPLES[lang][1]] * 6)
    boxes = char_boxes(render(make_handout(lang, body=long)).data)
    lines = lines_of(boxes)
    body = [line for line in lines if "baclofen" in "".join(b[0] for b in line)]
    first = body[0]
    x = {b[0]: b[1] for b in first}  # first occurrence per character is enough here
    assert first[-1][0] == first_word[0], "the first word must be rightmost on the line"
    latin = [b for b in first if b[0] in "baclofen"][:8]
    assert "".join(b[0] for b in latin) == "baclofen", "a Latin word reads left to right"
    assert x["5"] < x[first_word[0]] and x["m"] < x["5"], "'5 mg' follows the first word, read right to left"
    assert x["b"] < x[marker[0]], "baclofen comes after the word before it"
    # the last sentence of the paragraph is on a lower line than the first one
    last_line = max(i for i, line in enumerate(lines) if "baclofen" in "".join(b[0] for b in line))
    assert last_line > lines.index(first)
    bullet = [line for line in lines if any(b[0] == "•" for b in line)]
    assert bullet and all(line[-1][0] == "•" for line in bullet), "the bullet is right of its item"


# Line_Break classes (UAX #14) that must not start a line: CL, CP, EX, IS, NS, and CJ
# (small kana, the prolonged sound mark), which strict CJK breaking treats as NS; plus
# the closing quotation marks. OP and the opening quotation marks must not end one.
CLOSING = set(
    ")]},.:;!?‼‽⁇⁈⁉”’、。〉》」』】〕〗〙〛〞〟，．：；！？）］｝｠｡｣､･ﾞﾟ々〜〻〼゛゜ゝゞ゠・ヽヾ"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶーㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿｧｨｩｪｫｬｭｮｯｰ"
)
OPENING = set("([{‚„“‘〈《「『【〔〖〘〚〝（［｛｟｢")

# Text that tempts a line break next to every kind of mark, with a bold span ending right
# before a closing mark (a font change there is what reportlab's kinsoku missed) and a
# Latin dose and drug name inside.
KINSOKU = {
    "zh-Hans": (
        "每天服用三次，每次 5 mg（baclofen）。",
        "不要突然停药",
        "，否则可能引起「癫痫发作」、幻觉！如有疑问？请问医生；见《说明书》【重要】：按时服药……",
    ),
    "zh-Hant": (
        "每天服用三次，每次 5 mg（baclofen）。",
        "不要突然停藥",
        "，否則可能引起「癲癇發作」、幻覺！如有疑問？請問醫生；見《說明書》【重要】：按時服藥……",
    ),
    "ja": (
        "1日3回、5 mg（baclofen）を飲んでください。",
        "急にやめないでください",
        "。けいれん（発作）が起こることがあります！「ちょっと」・『コーヒー』ゃゅょっ、ァィゥェォ〜ー。",
    ),
    "ko": (
        "baclofen 5 mg을 하루 세 번 드세요. ",
        "갑자기 끊지 마세요",
        ", 발작(경련)이 생길 수 있습니다! 「주의」: 궁금한 점은 의사에게 물어보세요; 정말요?",
    ),
}


def kinsoku_handout(lang: str, level: str, paper: str) -> Handout:
    """Every kind of paragraph (title, summary, heading, subhead, paragraph with bold
    spans, bullets, a warning box and its label) carrying the text of ``KINSOKU``. The
    box's label repeats when the box continues on the next page, so it leaves out the
    Latin words that the test counts."""
    before, bold, after = KINSOKU[lang]
    plain = before + bold + after
    spans = tuple(s for _ in range(5) for s in (Span(before), Span(bold, bold=True), Span(after)))
    blocks = (
        Paragraph(spans),
        Subhead(plain * 2),
        BulletList(((Span(plain * 3),), spans[:6])),
        Callout((bold + after) * 2, (Paragraph(spans[:9]),)),
    )
    return replace(
        make_handout("en", level=level, paper=paper),
        lang=lang,
        title=plain,
        summary=plain * 2,
        sections=(Section("how", plain * 2, blocks),),
    )


def page_lines(data: bytes) -> list[str]:
    """The text of every visual line on every page (white space left out). Characters are
    grouped by the middle of their loose box (font ascent to descent), which is the same
    for a comma and an ideograph on one line, unlike their tight glyph boxes."""
    out = []
    for page in pdfium.PdfDocument(data):
        tp = page.get_textpage()
        boxes = []
        for i in range(tp.count_chars()):
            ch = tp.get_text_range(i, 1)
            if ch.strip() and ch != "•":
                left, bottom, right, top = tp.get_charbox(i, loose=True)
                boxes.append((ch, left, right, (bottom + top) / 2))
        out += ["".join(b[0] for b in line) for line in lines_of(boxes, tolerance=3.0)]
    return out


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("level", ["easy", "standard", "detailed"])
@pytest.mark.parametrize("lang", sorted(KINSOKU))
def test_cjk_kinsoku(lang, level, paper):
    """No line starts with a closing mark or ends with an opening one, in any kind of
    paragraph; "baclofen" and "5 mg" are never split across lines. Levels and papers
    change the type size and line length, so breaks fall at many different places."""
    handout = kinsoku_handout(lang, level, paper)
    lines = page_lines(render(handout).data)
    assert len(lines) > 30
    assert not [line for line in lines if line[0] in CLOSING], "a line starts with a closing mark"
    assert not [line for line in lines if line[-1] in OPENING], "a line ends with an opening mark"
    source = all_text(handout)
    printed = "\n".join(lines)
    assert printed.count("baclofen") == source.count("baclofen"), "a Latin word was broken across lines"
    assert printed.count("5mg") == source.count("5 mg"), "'5 mg' was broken across lines"


def test_korean_breaks_between_words_only():
    """Korean keeps its words whole (CSS word-break: keep-all): wherever a line ends
    between two Hangul syllables, the source has a space between them."""
    handout = kinsoku_handout("ko", "standard", "letter")
    source = all_text(handout)
    glued = set(itertools.pairwise(source))
    lines = page_lines(render(handout).data)
    hangul = [(a[-1], b[0]) for a, b in itertools.pairwise(lines) if "가" <= a[-1] <= "힣" and "가" <= b[0] <= "힣"]
    assert hangul, "the text has lines ending in Hangul"
    assert not [pair for pair in hangul if pair in glued and f"{pair[0]} {pair[1]}" not in source]


@pytest.mark.parametrize("lang", ["zh-Hans", "ar", "hi"])
def test_a_word_longer_than_a_line_wraps_inside_the_margins(lang):
    """A word too wide for any line (a long web address) is cut between characters
    rather than run off the page: every character is printed, none outside the frame."""
    word = "www.example.org/" + "baclofen" * 20
    data = render(make_handout(lang, body=f"{SAMPLES[lang][1]} {word} {SAMPLES[lang][1]}")).data
    page = pdfium.PdfDocument(data)[0]
    tp = page.get_textpage()
    boxes = [tp.get_charbox(i, loose=True) for i in range(tp.count_chars()) if tp.get_text_range(i, 1).strip()]
    assert all(MARGIN - 0.5 <= left and right <= page.get_width() - MARGIN + 0.5 for left, _, right, _ in boxes)
    assert tp.get_text_range().count("baclofen") >= 3 * 20  # paragraph, bullet and box


def page_png(data: bytes) -> Image.Image:
    page = pdfium.PdfDocument(data)[0]
    return page.render(scale=0.6, grayscale=True).to_pil().convert("L")


def differs(image: Image.Image, golden: Image.Image) -> float:
    """Fraction of pixels whose grey level differs by more than 64 (anti-aliasing and
    rasteriser versions move edges by a little; a wrong glyph moves many pixels)."""
    if image.size != golden.size:
        return 1.0
    diff = ImageChops.difference(image, golden).point(lambda v: 255 if v > 64 else 0)
    return diff.histogram()[255] / (image.size[0] * image.size[1])


TOLERANCE = 0.002


@pytest.mark.parametrize("lang", GOLDEN_LANGS)
def test_golden_render(pdfs, lang):
    path = GOLDEN / f"{lang}.png"
    image = page_png(pdfs[lang])
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.mkdir(parents=True, exist_ok=True)
        image.save(path, optimize=True)
    assert differs(image, Image.open(path)) < TOLERANCE


def test_golden_catches_unshaped_arabic(monkeypatch):
    """Arabic drawn without joining forms (a shaping regression) must fail the
    comparison: turn off HarfBuzz's contextual Arabic features."""
    original = shaping.hb.shape
    off = {f: False for f in ("init", "medi", "fina", "isol", "rlig", "calt", "liga")}
    monkeypatch.setattr(shaping.hb, "shape", lambda font, buf, features: original(font, buf, {**features, **off}))
    shaping.shape.cache_clear()
    try:
        image = page_png(build.render(make_handout("ar"), RenderCache()).data)  # nothing shaped before
    finally:
        shaping.shape.cache_clear()
    assert differs(image, Image.open(GOLDEN / "ar.png")) > TOLERANCE


# --- every script a language code implies (issue 12, part 3) ------------------------------


@pytest.mark.parametrize(
    "lang, code, direction, first_font",
    [
        ("fa", "Arab", "rtl", "NotoSansArabic"),  # Persian
        ("ur", "Arab", "rtl", "NotoSansArabic"),  # Urdu
        ("yi", "Hebr", "rtl", "NotoSansHebrew"),  # Yiddish
        ("mr", "Deva", "ltr", "NotoSansDevanagari"),  # Marathi
        ("ne", "Deva", "ltr", "NotoSansDevanagari"),  # Nepali
        ("zh-Hans-CN", "Hans", "ltr", "NotoSansSC"),
        ("zh-TW", "Hant", "ltr", "NotoSansTC"),
        ("pa-Arab", "Arab", "rtl", "NotoSansArabic"),  # an explicit script subtag wins
        ("sr", "Cyrl", "ltr", "NotoSans"),
    ],
)
def test_script_and_direction_come_from_cldr_for_any_code(lang, code, direction, first_font):
    """Codes missing from the old table got Latin layout: Persian left to right and
    unjoined, Marathi unshaped, Yiddish not right to left, zh-Hans-CN hyphenated."""
    from handouts.scripts import script_code

    profile = script_for(lang)
    assert (script_code(lang), profile.direction, profile.fonts[0]) == (code, direction, first_font)
    assert profile.shape == (code not in ("Latn", "Cyrl", "Grek"))


def test_a_language_whose_script_has_no_font_is_refused(tmp_path):
    """Thai has no bundled font: refused when the file is read, with the line of 'lang'."""
    from click.testing import CliRunner

    from handouts.cli import main

    medicine = tmp_path / "medicines" / "demo" / "th.yaml"
    medicine.parent.mkdir(parents=True)
    medicine.write_text(
        "medicine: demo\nname: Demo\nlang: th\nstatus: reviewed\nrevised: 2026-01-02\nsummary: A demo.\n"
        "sections:\n  about:\n    title: About\n    body:\n      - p: A demo.\n"
    )
    result = CliRunner().invoke(
        main, ["--content", str(tmp_path), "build", "demo", "--lang", "th", "-o", str(tmp_path / "x.pdf")]
    )
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{medicine}:3:7: error: 'th' is written in the Thai script, which no bundled font covers (at lang)",
        "  hint: printable scripts: Latin, Cyrillic, Greek, Arabic, Hebrew, Devanagari, Chinese (Hans, Hant), "
        "Japanese, Korean; write the code as BCP 47, e.g. fa, zh-Hant",
    ]
    assert not (tmp_path / "x.pdf").exists()


def test_bullets_use_the_language_font_when_no_bundled_font_has_the_bullet(library, monkeypatch):
    """Was an AttributeError on None (mypy: fonts.family_for may find no family), should
    a font set without U+2022 be bundled: the bullet then takes the language's own font."""
    from handouts.pdf import styles

    real = fonts.family_for
    monkeypatch.setattr(fonts, "family_for", lambda ch, chain: None if ch == styles.BULLET else real(ch, chain))
    handout = build.prepare(library, build.Request("baclofen", "ru"))
    script = script_for(handout.lang)
    made = styles.make_styles(handout, script, lambda face: face)
    assert made.bullet.bulletFontName == fonts.FAMILIES[script.fonts[0]].regular
