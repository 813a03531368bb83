"""The drawn icons as a reader sees them: each rendered (pdfium) and read pixel by pixel.
Ink inside its square and none outside, in the colour asked for, holes that show the
paper or box under them, and seven shapes a reader can tell apart."""

from __future__ import annotations

import io
import itertools
from collections import Counter

import pypdfium2 as pdfium
import pytest
from PIL import Image
from reading import SAME_LINE, Char, body_chars, render
from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas
from test_clean_pages import LANGS
from test_layout import SENTENCES, handout, para

from handouts.build import Request, prepare
from handouts.content import Library
from handouts.model import Block, Brand, BulletList, Callout, Paragraph, Section, plain
from handouts.pdf import PAPER, RenderedPdf, icons
from handouts.pdf.icons import ICONS, TIMES_OF_DAY, Icon, IconName, draw_icon
from handouts.pdf.story import shows_number

SIZE = 40  # points; rendered at SCALE pixels per point
SCALE = 2
STEP = 60  # one icon per STEP points across the page, SIZE + 20 apart
INK = colors.HexColor("#1F4E79")
TINT = colors.HexColor("#F6DEDE")  # a warning box's background


def _render(names: tuple[IconName, ...], background: colors.Color | None = None) -> Image.Image:
    """One row of icons, the n-th in the square (10 + n * STEP, 10) of side SIZE."""
    out = io.BytesIO()
    canv = Canvas(out, pagesize=(len(names) * STEP + 20, SIZE + 20))
    if background is not None:
        canv.setFillColor(background)
        canv.rect(0, 0, len(names) * STEP + 20, SIZE + 20, stroke=0, fill=1)
    for n, name in enumerate(names):
        draw_icon(canv, name, 10 + n * STEP, 10, SIZE, INK)
    canv.save()
    page = pdfium.PdfDocument(out.getvalue())[0]
    return page.render(scale=SCALE).to_pil().convert("RGB")


def _inked(pixel: tuple[int, int, int], paper: tuple[int, int, int]) -> bool:
    return sum(abs(a - b) for a, b in zip(pixel, paper, strict=True)) > 60


def _ink(image: Image.Image, paper: tuple[int, int, int] = (255, 255, 255)) -> set[tuple[int, int]]:
    px = image.load()
    assert px is not None
    w, h = image.size
    return {(x, y) for x in range(w) for y in range(h) if _inked(px[x, y], paper)}


def _square(n: int) -> tuple[int, int, int, int]:
    """The pixel box (left, top, right, bottom) of the n-th icon's square, y down."""
    left, top = (10 + n * STEP) * SCALE, 10 * SCALE
    return left, top, left + SIZE * SCALE, top + SIZE * SCALE


def _shape(ink: set[tuple[int, int]], n: int) -> frozenset[tuple[int, int]]:
    """The n-th icon's ink, relative to its square."""
    left, top, right, bottom = _square(n)
    return frozenset((x - left, y - top) for x, y in ink if left <= x < right and top <= y < bottom)


@pytest.fixture(scope="module")
def row() -> Image.Image:
    return _render(ICONS)


def test_every_icon_inks_its_square_and_nothing_outside(row: Image.Image) -> None:
    ink = _ink(row)
    area = (SIZE * SCALE) ** 2
    inside = set()
    for n, name in enumerate(ICONS):
        shape = _shape(ink, n)
        assert 0.12 * area < len(shape) < 0.75 * area, f"{name}: {len(shape)} of {area} pixels inked"
        left, top, right, bottom = _square(n)
        inside |= {(x, y) for x, y in ink if left - 1 <= x <= right and top - 1 <= y <= bottom}  # 1 px of edge blur
    assert ink - inside == set()


def test_every_icon_reaches_most_of_its_square(row: Image.Image) -> None:
    """An icon fills its square (no tiny drawing in a corner): its ink spans at least
    70 % of the side across and down."""
    ink = _ink(row)
    for n, name in enumerate(ICONS):
        shape = _shape(ink, n)
        xs, ys = [x for x, _ in shape], [y for _, y in shape]
        assert max(xs) - min(xs) > 0.7 * SIZE * SCALE, name
        assert max(ys) - min(ys) > 0.7 * SIZE * SCALE, name


def test_icons_are_distinct_shapes(row: Image.Image) -> None:
    """Any two icons differ in at least a fifth of the pixels either inks (Jaccard
    distance), so no two read as the same picture; sunrise and sunset included."""
    ink = _ink(row)
    shapes = {name: _shape(ink, n) for n, name in enumerate(ICONS)}
    for a, b in itertools.combinations(ICONS, 2):
        distance = 1 - len(shapes[a] & shapes[b]) / len(shapes[a] | shapes[b])
        assert distance > 0.2, f"{a} and {b} differ in only {distance:.0%} of their pixels"


def test_icons_take_the_colour_given(row: Image.Image) -> None:
    px = row.load()
    assert px is not None
    for n, name in enumerate(ICONS):
        left, top, right, bottom = _square(n)
        colours = [px[x, y] for x in range(left, right) for y in range(top, bottom)]
        solid = max(set(colours) - {(255, 255, 255)}, key=colours.count)
        expected = tuple(round(c * 255) for c in INK.rgb())
        assert all(abs(a - b) <= 2 for a, b in zip(solid, expected, strict=True)), (name, solid)


@pytest.mark.parametrize(("name", "hole"), [("warning", (0.5, 0.55)), ("pharmacy", (0.5, 0.5))])
def test_holes_show_the_box_under_the_icon(name: IconName, hole: tuple[float, float]) -> None:
    """The exclamation mark and the cross are holes, not white paint: on a warning box's
    tint they show the tint."""
    image = _render((name,), background=TINT)
    px = image.load()
    assert px is not None
    left, top, _, _ = _square(0)
    x, y = left + round(hole[0] * SIZE * SCALE), top + round((1 - hole[1]) * SIZE * SCALE)
    tint = tuple(round(c * 255) for c in TINT.rgb())
    assert all(abs(a - b) <= 2 for a, b in zip(px[x, y], tint, strict=True))
    assert len(_shape(_ink(image, paper=tint), 0)) > 0.12 * (SIZE * SCALE) ** 2  # and the icon is there


def test_drawing_an_icon_leaves_the_canvas_as_it_was() -> None:
    """Text drawn after an icon keeps its own colour and position (saveState/restoreState)."""
    out = io.BytesIO()
    canv = Canvas(out, pagesize=(100, 60))
    canv.setFillColor(colors.black)
    draw_icon(canv, "noon", 10, 10, SIZE, colors.red)
    canv.rect(60, 10, 30, 30, stroke=0, fill=1)
    canv.save()
    image = pdfium.PdfDocument(out.getvalue())[0].render(scale=1).to_pil().convert("RGB")
    assert image.getpixel((75, 25)) == (0, 0, 0)


def test_icon_flowable_is_its_square() -> None:
    icon = Icon("bedtime", 18, INK)
    assert icon.wrap(500, 500) == (18, 18)
    assert set(TIMES_OF_DAY) < set(ICONS)


# In a handout: a warning sign before a box's label, a phone before a line that shows
# the brand's emergency number, a pharmacy sign before the heading of the online
# pharmacy section; each on the side a line starts (the right in Arabic), none elsewhere.


def _lines(rendered: RenderedPdf) -> list[list[Char]]:
    """The body's lines of text on page 1, top to bottom."""
    lines: list[list[Char]] = []
    for c in sorted((c for c in body_chars(rendered) if c.page == 0 and c.text.strip()), key=lambda c: -c.baseline):
        if lines and abs(lines[-1][0].baseline - c.baseline) < SAME_LINE:
            lines[-1].append(c)
        else:
            lines.append([c])
    return lines


def _dark(image: Image.Image, x0: float, x1: float, y0: float, y1: float, page_h: float) -> int:
    """Dark pixels (text or icon ink, not a box's tint) in the page area x0..x1, y0..y1
    (points, y up)."""
    px = image.load()
    assert px is not None
    cols = range(round(x0 * SCALE), round(x1 * SCALE))
    rows = range(round((page_h - y1) * SCALE), round((page_h - y0) * SCALE))
    return sum(1 for x in cols for y in rows if sum(px[x, y]) / 3 < 160)


@pytest.mark.parametrize("lang", ["en", "ar", "zh-Hans"])
def test_icons_stand_before_the_lines_they_mark(lang: str) -> None:
    sentence = SENTENCES[lang][0]
    words = sentence.split() if lang != "zh-Hans" else [sentence[:3]]
    box = Callout(words[0], (para(f"{sentence} 911"),))
    section = Section("buy", words[-1], (box, para(sentence)), template="online_pharmacy_safety")
    brand = Brand("Clinic", "#1F4E79", "#A4161A", emergency_number="911")
    rendered = render(handout(lang, [section], "letter", brand))
    page_w, page_h = PAPER["letter"]
    image = pdfium.PdfDocument(rendered.data)[0].render(scale=SCALE).to_pil().convert("RGB")
    lines = _lines(rendered)
    marked = ["title", "summary", "heading", "label", "phone", "plain"]
    assert len(lines) == len(marked)
    rtl = lang == "ar"
    edge_left, edge_right = rendered.body[0] + 3, rendered.body[2] - 3  # inside a box's border
    for name, line in zip(marked, lines, strict=True):
        left, right = min(c.left for c in line), max(c.right for c in line)
        y0, y1 = min(c.bottom for c in line) - 2, max(c.top for c in line) + 2
        start = (
            _dark(image, right + 1, edge_right, y0, y1, page_h)
            if rtl
            else _dark(image, edge_left, left - 1, y0, y1, page_h)
        )
        end = (
            _dark(image, edge_left, left - 1, y0, y1, page_h)
            if rtl
            else _dark(image, right + 1, edge_right, y0, y1, page_h)
        )
        assert end == 0, f"{name}: ink after the end of the line"
        if name in ("heading", "label", "phone"):
            assert start > 40, f"{name}: no icon before the line"
            assert (right - left if rtl else left - edge_left) > 0
        else:
            assert start == 0, f"{name}: ink before the line"


def test_a_number_shows_only_as_a_number_of_its_own() -> None:
    assert shows_number("Call 911 now.", "911")
    assert shows_number("اتصل بالرقم 911 فورًا", "911")
    assert shows_number("请马上拨打911。", "911")
    assert not shows_number("Call 19110.", "911")
    assert not shows_number("Call 9110 or 1911.", "911")
    assert shows_number("Call 9110 or 911.", "911")


@pytest.mark.parametrize("lang", LANGS)
def test_shipped_handouts_draw_an_icon_for_each_warning_emergency_line_and_pharmacy_section(
    lang: str, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn: list[str] = []
    real = icons.draw_icon
    monkeypatch.setattr(icons, "draw_icon", lambda canv, name, *a: drawn.append(name) or real(canv, name, *a))
    h = prepare(library, Request(medicine="baclofen", lang=lang, level="easy"))
    render(h)
    number = h.brand.emergency_number
    assert number
    boxes = [b for s in h.sections for b in s.blocks if isinstance(b, Callout)]
    texts = [t for s in h.sections for b in s.blocks for t in _texts(b)]
    assert h.key_points is not None  # the key points box: its "Call 911" item gets a phone too
    texts += [plain(item) for item in h.key_points.items]
    assert Counter(drawn) == {
        "warning": len(boxes),
        "phone": sum(shows_number(t, number) for t in texts),
        "pharmacy": 1,
    }
    assert all(b.blocks for b in boxes) and any(shows_number(t, number) for t in texts)


def _texts(block: Block) -> list[str]:
    """Paragraphs and items, in boxes too (not labels or subheads): where a phone may go."""
    if isinstance(block, Paragraph):
        return [plain(block.spans)]
    if isinstance(block, BulletList):
        return [plain(item) for item in block.items]
    if isinstance(block, Callout):
        return [t for inner in block.blocks for t in _texts(inner)]
    return []
