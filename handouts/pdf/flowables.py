"""Our flowables: shaped paragraphs (``ShapedText``) and reportlab paragraphs whose
parsing and line breaking are shared between handouts (``SharedParagraph``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING

from cachetools import LRUCache
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapeData, ShapedStr
from reportlab.platypus import Flowable, Paragraph
from reportlab.platypus.paragraph import cleanBlockQuotedText

from .. import fonts, shaping
from ..scripts import Script
from .glyphs import glyph_code
from .styles import Pairs
from .subsets import SharedSubsetsTTFont

if TYPE_CHECKING:
    from .writer import Writer

# Paragraphs kept per process for the next handout that prints them (``_SHARED``,
# ``_SHAPED``), least recently used dropped first. Each kind is bounded by the characters
# it holds, counting ENTRY_CHARS more per paragraph for what any entry costs. Laid out,
# a character takes 25-35 bytes (tracemalloc), so each kind stays under ~35 MB however
# long or varied the batch. All 48 variants of baclofen (8 languages x 3 levels x 2
# papers) take 0.22 M characters of paragraphs and 0.39 M of shaped lines.
KEPT_CHARS = 1_000_000
ENTRY_CHARS = 100


def weight(pairs: Pairs) -> int:
    return ENTRY_CHARS + sum(len(text) for text, _ in pairs)


_SHAPED: LRUCache[tuple, tuple[tuple[shaping.Line, ...], int]] = LRUCache(KEPT_CHARS, getsizeof=itemgetter(1))


def _shaped_lines(spans: Pairs, script: Script, size: float, width: float, italic: bool) -> tuple[shaping.Line, ...]:
    """``shaping.layout``, shared between the handouts of a process (``_SHAPED``)."""
    key = (spans, script, size, width, italic)
    kept = _SHAPED.get(key)
    if kept is None:
        kept = (tuple(shaping.layout(spans, script, size, width, italic)), weight(spans))
        if kept[1] <= KEPT_CHARS:
            _SHAPED[key] = kept
    return kept[0]


class ShapedText(Flowable):
    """A paragraph laid out by ``shaping.layout``: HarfBuzz glyphs, lines in visual
    order, aligned by the style (right for RTL), the bullet on the reading side."""

    def __init__(self, spans, style: ParagraphStyle, script: Script, bullet: str | None = None, italic: bool = False):
        super().__init__()
        self.spans, self.style, self.script, self.bullet, self.italic = spans, style, script, bullet, italic
        self.spaceBefore, self.spaceAfter = style.spaceBefore, style.spaceAfter
        self.keepWithNext = getattr(style, "keepWithNext", False)
        self.lines: tuple[shaping.Line, ...] | None = None

    def wrap(self, availWidth, availHeight):
        start, end = self.style.leftIndent, self.style.rightIndent  # start: the bullet side
        self.width = availWidth
        if self.lines is None:
            self.lines = _shaped_lines(
                self.spans, self.script, self.style.fontSize, availWidth - start - end, self.italic
            )
        self.height = len(self.lines) * self.style.leading
        return availWidth, self.height

    def split(self, availWidth, availHeight):
        self.wrap(availWidth, availHeight)
        fit = int(availHeight // self.style.leading)
        if fit <= 0 or fit >= len(self.lines):
            return []
        head, tail = (ShapedText(self.spans, self.style, self.script, b, self.italic) for b in (self.bullet, None))
        head.lines, tail.lines = self.lines[:fit], self.lines[fit:]
        head.spaceAfter = tail.spaceBefore = 0
        return [head, tail]

    def draw(self):
        canv, st, rtl = self.canv, self.style, self.script.rtl
        start, end = st.leftIndent, st.rightIndent  # in RTL the start (bullet) side is the right
        canv.setFillColor(st.textColor)
        y = self.height - st.fontSize
        if self.bullet:
            self._bullet(y)
        for line in self.lines:
            room = self.width - start - end - line.width
            shift = {TA_RIGHT: room, TA_CENTER: room / 2}.get(st.alignment, 0)
            x = (end if rtl else start) + shift
            for run in line.runs:
                face = fonts.register(run.face)
                text = ShapedStr(
                    "".join(chr(glyph_code(face, g)) for g in run.glyphs),
                    [ShapeData(i, g.advance, 0, g.dx, g.dy, g.width) for i, g in enumerate(run.glyphs)],
                )
                tx = canv.beginText(x, y)
                tx.setFont(face, st.fontSize)
                tx.textOut(text)
                canv.drawText(tx)
                x += run.advance * st.fontSize / shaping.UNITS
            y -= st.leading

    def _bullet(self, y: float) -> None:
        st = self.style
        self.canv.setFont(fonts.register(st.bulletFontName), st.fontSize)
        if self.script.rtl:
            self.canv.drawRightString(self.width - st.bulletIndent, y, self.bullet)
        else:
            self.canv.drawString(st.bulletIndent, y, self.bullet)


@dataclass(slots=True)
class Shared:
    """One paragraph (text, style, bullet, script) as reportlab parsed it, and its
    layout at each width it was wrapped at: (the paragraph's state after wrap, size).

    Kept per process and shared by every handout that prints the same paragraph in the
    same style. A pharmacy batch prints the same text for every store, so each paragraph
    is parsed and broken into lines once per worker rather than once per PDF. Nothing
    here is changed once stored; reportlab's split and draw read it and make new lists."""

    pairs: Pairs
    text: str  # the markup, as parsed
    frags: list
    weight: int  # characters, for KEPT_CHARS
    laid: dict[float, tuple[dict[str, object], tuple[float, float]]] = field(default_factory=dict)


# What reportlab's wrap sets on a Paragraph (checked against reportlab 5.1), plus the
# text and frags a broken long word replaces.
_WRAP_STATE = (
    "text",
    "frags",
    "blPara",
    "width",
    "height",
    "_wrapWidths",
    "_width_max",
    "_splitLongWordCount",
    "_hyphenations",
)
_SHARED: LRUCache[tuple, Shared] = LRUCache(KEPT_CHARS, getsizeof=attrgetter("weight"))


def forget_shared() -> None:
    """Drop everything kept for later handouts: paragraphs (``_SHARED``, ``_SHAPED``)
    and font subsets (``subsets``). For a test that changes how text is shaped or laid
    out, a benchmark of a one-off build, or to give the memory back."""
    _SHARED.clear()
    _SHAPED.clear()
    for name in pdfmetrics.getRegisteredFontNames():
        font = pdfmetrics.getFont(name)
        if isinstance(font, SharedSubsetsTTFont):
            font.packed.clear()


class SharedParagraph(Paragraph):
    """reportlab's Paragraph, laid out through its ``Shared`` entry, and with a word
    wider than its line first broken at the width reportlab lays it out at
    (``Writer.broken``). reportlab's own splitLongWords, still on as a backstop, cuts
    between any two code points and prints no sign that the word goes on; a layout it
    had to cut is not shared. Parts split off a laid-out paragraph are plain reportlab
    paragraphs (``shared`` None)."""

    shared: Shared | None = None
    writer: Writer | None = None

    def wrap(self, availWidth, availHeight):
        shared = self.shared
        if shared is None:
            return super().wrap(availWidth, availHeight)
        laid = shared.laid.get(availWidth)
        if laid is not None:
            self.__dict__.update(laid[0])
            return laid[1]
        width = availWidth - self.style.leftIndent - self.style.rightIndent
        broken = self.writer.broken(shared.pairs, self.style, width)
        if broken is shared.pairs:
            self.text, self.frags = shared.text, shared.frags
        else:
            self._setup(
                self.writer._markup(broken, self.style), self.style, self.bulletText, None, cleanBlockQuotedText
            )
        size = super().wrap(availWidth, availHeight)
        if not (self._splitLongWordCount or self._hyphenations):
            shared.laid[availWidth] = ({k: self.__dict__[k] for k in _WRAP_STATE}, size)
        return size
