"""Layout extremes in every script family we ship, on Letter and A4: a 300-character
word and URL, a paragraph longer than a page, 500 bullets, an empty section, a warning
box of five pages and more, a warning label and a heading longer than a page, and a
brand whose header and footer texts are as long as brand files allow.

Each PDF is read back the way a reader's software reads it (tests/reading.py): it
renders without a LayoutError, every character lies inside the page margins and every
body character inside the body area, no text is drawn over other text, and the body
text is exactly the text written, in order (only line breaks, break marks and the
"(continued)" heads of a warning box's later parts added).
"""

from __future__ import annotations

import datetime
import shutil
from dataclasses import replace

import pypdfium2 as pdfium
import pytest
from reading import (
    body_chars,
    chars,
    fold,
    missing_or_reordered,
    outside_body,
    outside_page_margins,
    overprinted,
    render,
)
from reportlab.pdfbase import pdfmetrics

from handouts import build, schema
from handouts.content import Library, load_brand
from handouts.errors import ContentError
from handouts.limits import MAX_HEADING_CHARS
from handouts.model import Brand, BulletList, Callout, Handout, Paragraph, Section, Span, Strings, Subhead
from handouts.pdf import PAPER, RenderCache
from handouts.pdf.subsets import SharedSubsetsTTFont
from handouts.scripts import script_for
from handouts.wordbreak import MARK

# One sentence per shipped script family, and a long "word" in it: a letter repeated,
# a conjunct with a vowel sign for Devanagari, so a break inside one would show.
SENTENCES = {
    "en": ("Take one tablet with water every morning.", "a"),
    "es": ("Tome una pastilla con agua cada mañana, ¿vale?", "ñ"),
    "vi": ("Uống một viên thuốc với nước mỗi buổi sáng.", "ễ"),
    "ru": ("Принимайте одну таблетку с водой каждое утро.", "ж"),
    "zh-Hans": ("每天早上用水服用一片药。", "药"),
    "ko": ("매일 아침 물과 함께 한 알을 드세요.", "약"),
    "ar": ("خذ قرصا واحدا مع الماء كل صباح.", "ب"),
    "hi": ("हर सुबह पानी के साथ एक गोली लें।", "क्षि"),
}
URL = "https://example.org/" + "/".join(f"section-{i}/page_{i}.html?q={i}" for i in range(12))


def handout(lang: str, sections: list[Section], paper: str, brand: Brand | None = None) -> Handout:
    sentence, _ = SENTENCES[lang]
    return Handout(
        medicine="x",
        title=sentence.split()[0] if lang != "zh-Hans" else sentence[:4],
        summary=sentence,
        lang=lang,
        level="standard",
        draft=False,
        revised=datetime.date(2026, 1, 2),
        version="abc12345",
        sections=tuple(sections),
        brand=brand or Brand("Clinic", "#1F4E79", "#A4161A", phone="555-0100", address="1 River Road"),
        strings=Strings("{page} / {pages}", "{date}", "v{version}", "DRAFT", "draft", "{label} (continued)"),
        paper=paper,
    )


def para(text: str) -> Paragraph:
    return Paragraph((Span(text),))


def long_word(lang: str) -> str:
    unit = SENTENCES[lang][1]
    return unit * (300 // len(unit))


def sentences(lang: str, n: int) -> str:
    """The language's sentence repeated to about ``n`` times 40 characters (a Chinese
    sentence is a third as long as an English one)."""
    sentence = SENTENCES[lang][0]
    return " ".join([sentence] * -(-n * 40 // len(sentence)))


def case_long_word(lang: str) -> list[Section]:
    """In a paragraph, a heading, a subhead, a bullet and a (narrower) warning box."""
    s, word = SENTENCES[lang][0], long_word(lang)
    mixed = Paragraph((Span(s + " "), Span(word[:150], bold=True), Span(word[150:] + " " + s)))
    blocks = (para(f"{s} {word} {s}"), mixed, Subhead(word), BulletList(((Span(word),),)), Callout(word, (para(word),)))
    return [Section("s", word, blocks)]


def case_long_url(lang: str) -> list[Section]:
    s = SENTENCES[lang][0]
    return [Section("s", s, (para(f"{s} {URL} {s}"), BulletList(((Span(URL),),)), Callout(s, (para(URL),))))]


def case_long_paragraph(lang: str) -> list[Section]:
    return [Section("s", SENTENCES[lang][0], (para(sentences(lang, 120)),))]


def case_500_bullets(lang: str) -> list[Section]:
    s = SENTENCES[lang][0]
    return [Section("s", s, (BulletList(tuple((Span(f"{i} {s}"),) for i in range(500))),))]


def case_empty_section(lang: str) -> list[Section]:
    s = SENTENCES[lang][0]
    return [Section("empty", s, ()), Section("s", s, (para(s),)), Section("last", s, ())]


def case_long_warning(lang: str) -> list[Section]:
    """Paragraphs, bullets and subheads, and one paragraph of several pages on its own."""
    s = SENTENCES[lang][0]
    inner = []
    for i in range(12):
        inner += [Subhead(f"{i} {s}"), para(sentences(lang, 12)), BulletList(((Span(s),), (Span(f"{i} {s}"),)))]
    inner.append(para(sentences(lang, 200)))
    return [Section("s", s, (para(s), Callout(s, tuple(inner)), para(s)))]


def case_long_label(lang: str) -> list[Section]:
    s = SENTENCES[lang][0]
    return [Section("s", s, (Callout(sentences(lang, 150), (para(s), para(sentences(lang, 40)))), para(s)))]


def longest_heading(lang: str) -> str:
    """A heading as long as content may make one (limits.MAX_HEADING_CHARS)."""
    return sentences(lang, MAX_HEADING_CHARS // 20)[:MAX_HEADING_CHARS].rstrip()


def case_longest_heading(lang: str) -> list[Section]:
    s, heading = SENTENCES[lang][0], longest_heading(lang)
    return [Section("a", heading, (para(s),)), Section("b", s, (Subhead(heading), para(s)))]


def over_long_heading(lang: str) -> list[Section]:
    """Headings of several pages: resolve refuses them in content (test_errors), so only
    a model built by hand has them (test_pdfua_heading shows why they are refused)."""
    s = SENTENCES[lang][0]
    return [Section("a", sentences(lang, 80), (para(s),)), Section("b", s, (Subhead(sentences(lang, 80)), para(s)))]


CASES = {
    "long word": case_long_word,
    "long url": case_long_url,
    "long paragraph": case_long_paragraph,
    "500 bullets": case_500_bullets,
    "empty section": case_empty_section,
    "long warning": case_long_warning,
    "long label": case_long_label,
    "longest heading": case_longest_heading,
}
MIN_PAGES = {"long paragraph": 2, "500 bullets": 10, "long warning": 5, "long label": 2}


def longest(model: type, field: str) -> int:
    """The most characters a content file may put in ``field`` (schema.short)."""
    info = model.model_fields[field]
    found = list(info.metadata)  # Short(n)
    for arg in getattr(info.annotation, "__args__", ()):  # Short(n) | None
        found += getattr(arg, "__metadata__", ())
    return next(m.max_length for m in found if getattr(m, "max_length", None))


def longest_brand(lang: str, spaced: bool = True) -> Brand:
    """Every header and footer text of a brand as long as brand.yaml allows, in the
    language's script (CJK characters are the widest), as sentences or as one word."""
    s = SENTENCES[lang][0] if spaced else long_word(lang)

    def fill(field: str) -> str:
        most = longest(schema.BrandFile, field)
        return (s * most)[:most]

    return Brand(
        fill("name"),
        "#1F4E79",
        "#A4161A",
        phone=fill("phone"),
        website=fill("website"),
        address=fill("address"),
        footer_note=fill("footer_note"),
    )


def check(h: Handout) -> int:
    """Render and read back; return the page count."""
    rendered = render(h)
    assert not outside_page_margins(rendered.data, h.paper, h.level)[:5]
    assert not outside_body(rendered, [c for c in body_chars(rendered) if c.text.strip()])[:5]
    assert not overprinted(rendered.data)[:5]
    assert missing_or_reordered(h, rendered) == ""
    return rendered.pages


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("lang", SENTENCES)
@pytest.mark.parametrize("case", CASES)
def test_extreme_content(case, lang, paper):
    h = handout(lang, CASES[case](lang), paper)
    if case == "long word":  # in the title and the summary too
        h = replace(h, title=long_word(lang), summary=f"{h.summary} {long_word(lang)}")
    pages = check(h)
    assert pages >= MIN_PAGES.get(case, 1), f"the case is meant to take {MIN_PAGES[case]} pages or more"


@pytest.mark.parametrize("large_print", [False, True], ids=["normal", "large-print"])
@pytest.mark.parametrize("spaced", [True, False], ids=["sentences", "one word"])
@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("lang", SENTENCES)
def test_longest_brand_texts(lang, paper, spaced, large_print):
    """Large print sets the header and footer at 18 pt on page 1, or, for brand texts
    this long, at the level's size (``chrome.layout_chrome``); later pages repeat only
    the clinic's name, which may wrap."""
    s = SENTENCES[lang][0]
    brand = longest_brand(lang, spaced)
    h = replace(handout(lang, [Section("s", s, (para(sentences(lang, 30)),))], paper, brand), large_print=large_print)
    check(h)
    rendered = render(h)
    for page in range(rendered.pages):
        _, bottom, _, top = rendered.area(page)
        assert top - bottom > PAPER[paper][1] / 3, "the header and footer must leave a third of the page to the body"
    rtl = script_for(lang).rtl
    for number, page in enumerate(pdfium.PdfDocument(rendered.data)):
        text = fold(page.get_textpage().get_text_range().replace(MARK, ""), rtl)  # brand texts have no MARK
        values = (brand.name, brand.phone, brand.website, brand.address, brand.footer_note)
        for value in values[:1] if number and large_print else values:
            assert fold(value, rtl) in text


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("mark", ["DRAFT", "ЧЕРНОВИК", "草稿", "مسودة", "BORRADOR PRELIMINAR SIN REVISAR"[:30]])
def test_draft_mark_stays_inside_the_margins(mark, paper):
    lang = {"ЧЕРНОВИК": "ru", "草稿": "zh-Hans", "مسودة": "ar"}.get(mark, "en")
    h = handout(lang, case_long_paragraph(lang), paper)
    rendered = render(replace(h, draft=True, strings=replace(h.strings, draft_mark=mark)))
    assert not outside_page_margins(rendered.data, paper)[:5]


def test_broken_word_shows_a_mark_at_each_break():
    """The pieces of a broken word end with the mark, on lines of their own; the word
    itself is printed whole, in order (test_extreme_content checks that for every script)."""
    h = handout("en", case_long_word("en"), "letter")
    text = "".join(c.text for c in body_chars(render(h)))
    lines = text.replace("\r", "").split("\n")
    broken = [line for line in lines if line.endswith(MARK)]
    assert len(broken) >= 5 and all(set(line[:-1]) == {"a"} for line in broken[:3])


@pytest.mark.parametrize("lang", ["ar", "hi", "zh-Hans", "ko"])
def test_break_marks_of_shaped_scripts_end_their_lines(lang):
    """Where the text is laid out by shaping.py, each break mark is drawn at the end of
    its line: the right end, or the left end in Arabic. (Chinese breaks between any two
    characters, so its long word here is Latin; the Devanagari one varies from line to
    line, as pdfium leaves out a line that repeats the one above.)"""
    word = {
        "zh-Hans": "药" + "a" * 300,
        "hi": "".join(chr(0x0915 + i % 37) + "\u093f" for i in range(150)),
    }.get(lang, long_word(lang))
    h = handout(lang, [Section("s", "x", (para(f"{word} {word}"),))], "letter")
    lines: dict[int, list] = {}
    for c in chars(render(h).data)[0]:
        if c.text.strip():
            lines.setdefault(round(c.baseline), []).append(c)
    marked = [line for line in lines.values() if any(c.text == MARK for c in line)]
    assert len(marked) >= 4
    for line in marked:
        ends = min(line, key=lambda c: c.left) if lang == "ar" else max(line, key=lambda c: c.right)
        assert ends.text == MARK and [c.text for c in line].count(MARK) == 1


def test_a_continued_warning_box_says_so_on_every_later_page():
    rendered = render(handout("en", case_long_warning("en"), "letter"))
    label = SENTENCES["en"][0]
    pages = [p.get_textpage().get_text_range() for p in pdfium.PdfDocument(rendered.data)]
    first = next(i for i, text in enumerate(pages) if label in text)
    continued = [i for i, text in enumerate(pages) if f"{label} (continued)" in text]
    assert len(continued) >= 4 and continued == list(range(continued[0], continued[0] + len(continued)))
    assert continued[0] == first + 1 or first + 1 in continued


def test_brand_texts_longer_than_the_page_allows_are_refused(tmp_path):
    brand_dir = tmp_path / "brands" / "long"
    shutil.copytree(Library().roots[0] / "brands" / "default", brand_dir)
    path = brand_dir / "brand.yaml"
    name = "Clinic " * 40
    path.write_text(path.read_text().replace("name: Sample Community Clinic", f"name: {name.strip()}"))
    with pytest.raises(ContentError) as caught:
        load_brand(Library(), path)
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.line == 3 and diagnostic.key == "name"
    assert diagnostic.message == f"too long: {len(name.strip())} characters, at most 120 fit"
    assert "printed on every page" in diagnostic.hint


def test_sharing_between_handouts_changes_no_byte():
    """A process shares work between the handouts it renders (a batch prints the same
    text for every store): laid-out paragraphs (its ``RenderCache``) and compressed font
    subsets (pdf/subsets.py). Whatever was rendered before, each PDF must be byte-identical
    to one rendered with nothing shared and reportlab's own subsetting: every extreme
    case, with two brands whose colours differ, in one order and then in reverse. The
    long-word case lays one paragraph out at two widths (body and warning box), each
    with broken words."""
    other = Brand("Pharmacy", "#0B6E4F", "#8E3B46", phone="555-0199")
    handouts = [
        handout(lang, case(lang), "letter", brand)
        for lang in ("en", "ru", "ar", "zh-Hans")
        for case in CASES.values()
        for brand in (None, other)
    ]
    cache = RenderCache()
    for h in handouts:
        build.render(h, cache)  # registers every face these use
    fresh = []
    with pytest.MonkeyPatch.context() as mp:
        for name in pdfmetrics.getRegisteredFontNames():
            if isinstance(pdfmetrics.getFont(name), SharedSubsetsTTFont):
                mp.delattr(pdfmetrics.getFont(name).face, "addSubsetObjects")  # back to reportlab's method
        for h in handouts:
            fresh.append(build.render(h, RenderCache()).data)
    for h, expected in [*zip(handouts, fresh, strict=True), *reversed(list(zip(handouts, fresh, strict=True)))]:
        assert build.render(h, cache).data == expected, (h.lang, h.sections[0].blocks[0], h.brand.name)

    def laid_out() -> tuple[int, int]:
        return len(cache.paragraphs), len(cache.shaped)

    before = laid_out()
    for h in handouts:
        build.render(h, cache)
    assert laid_out() == before, "a second pass must find every paragraph already laid out"


def test_shared_paragraphs_are_bounded():
    """What is kept between handouts is capped by the characters it holds (oldest
    dropped first), so a worker's memory does not grow with a long or varied batch; a
    paragraph longer than the whole cap is not kept at all. A capped run gives the same
    bytes."""
    h = handout("en", case_long_warning("en"), "letter")
    roomy = RenderCache()
    expected = build.render(h, roomy).data
    cap = 1000
    capped = RenderCache(kept_chars=cap)
    assert build.render(h, capped).data == expected
    kept = capped.paragraphs
    assert roomy.paragraphs.currsize > 10 * cap and 0 < kept.currsize <= cap
    longest = max(sentences("en", 200), sentences("en", 12), key=len)
    assert all(len(key[0][0][0]) < len(longest) for key in kept), "the paragraph of 8,000 characters is not kept"
