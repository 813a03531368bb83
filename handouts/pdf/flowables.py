"""Our flowables: shaped paragraphs (``ShapedText``) and reportlab paragraphs whose
parsing and line breaking are shared between handouts (``SharedParagraph``), both kept
in the writer's ``RenderCache``."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from typing import TYPE_CHECKING, Any

from reportlab import rl_config
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph
from reportlab.platypus import paragraph as rl_paragraph
from reportlab.platypus.paragraph import cleanBlockQuotedText

from .. import shaping
from . import tagging
from .cache import Shared
from .styles import Pairs

if TYPE_CHECKING:
    from .writer import Writer


class ShapedText(Flowable):
    """A paragraph laid out by ``shaping.layout``: HarfBuzz glyphs, lines in visual
    order, aligned by the style (right for RTL), the bullet on the reading side.

    Tagged, the lines drawn on a page are a Span whose /ActualText is their logical
    text (the glyphs alone give a screen reader a right-to-left line backwards, or a
    Devanagari vowel sign before its consonant); a list item's bullet is its Lbl."""

    tags_itself = True

    def __init__(self, spans: Pairs, style: ParagraphStyle, writer: Writer, bullet: str | None, italic: bool):
        super().__init__()
        self.spans, self.style, self.writer, self.bullet, self.italic = spans, style, writer, bullet, italic
        self.script = writer.script
        self.spaceBefore, self.spaceAfter = style.spaceBefore, style.spaceAfter
        self.lines: tuple[shaping.Line, ...] | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        self.height = len(self._lines_at(availWidth)) * self.style.leading
        return availWidth, self.height

    def _lines_at(self, width: float) -> tuple[shaping.Line, ...]:
        """The lines, laid out at ``width`` on the first call (a split part has its own)."""
        if self.lines is None:
            start, end = self.style.leftIndent, self.style.rightIndent  # start: the bullet side
            self.lines = self.writer.cache.shaped_lines(
                self.spans, self.script, self.style.fontSize, width - start - end, self.italic
            )
        return self.lines

    def split_lines(self, fit: int) -> tuple[ShapedText, ShapedText]:
        """The first ``fit`` lines (with the bullet) and the rest, as laid out already
        (``wrap`` came first): where ``flow`` ends a page inside this paragraph."""
        lines = self._lines_at(self.width)
        head, tail = (ShapedText(self.spans, self.style, self.writer, b, self.italic) for b in (self.bullet, None))
        head.lines, tail.lines = lines[:fit], lines[fit:]
        head.spaceAfter = tail.spaceBefore = 0
        return head, tail

    def draw(self) -> None:
        tagger = tagging.of(self.canv)
        element = tagger.current if tagger is not None else None
        lines = self._lines_at(self.width)
        if tagger is None or element is None:
            self._draw(lines)
            return
        item = element.role == "LI"
        if self.bullet and item:
            with tagger.mark(self.canv, element.part("Lbl")):
                self.canv.setFillColor(self.style.textColor)
                self._bullet(self.bullet, self.height - self.style.fontSize)
        text = "".join(line.text for line in lines).strip()
        span = (element.part("LBody") if item else element).add("Span", actual_text=text)
        with tagger.mark(self.canv, span) if lines else nullcontext():
            self._draw(lines, bullet=not item)

    def _draw(self, lines: tuple[shaping.Line, ...], bullet: bool = True) -> None:
        canv, st, rtl = self.canv, self.style, self.script.rtl
        ink = self.writer.cache.ink
        start, end = st.leftIndent, st.rightIndent  # in RTL the start (bullet) side is the right
        canv.setFillColor(st.textColor)
        y = self.height - st.fontSize
        if self.bullet and bullet:
            self._bullet(self.bullet, y)
        for line in lines:
            room = self.width - start - end - line.width
            shift = room if st.alignment == TA_RIGHT else room / 2 if st.alignment == TA_CENTER else 0
            x = (end if rtl else start) + shift
            for run in line.runs:
                ink.draw(canv, run, st.fontSize, x, y)
                x += run.advance * st.fontSize / shaping.UNITS
            y -= st.leading

    def _bullet(self, bullet: str, y: float) -> None:
        st = self.style
        self.canv.setFont(self.writer.cache.engine.register(st.bulletFontName), st.fontSize)
        if self.script.rtl:
            self.canv.drawRightString(self.width - st.bulletIndent, y, bullet)
        else:
            self.canv.drawString(st.bulletIndent, y, bullet)


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


class SharedParagraph(Paragraph):
    """reportlab's Paragraph, laid out through its ``Shared`` entry, and with a word
    wider than its line first broken at the width reportlab lays it out at
    (``Writer.broken``). reportlab's own splitLongWords, still on as a backstop, cuts
    between any two code points and prints no sign that the word goes on; a layout it
    had to cut is not shared. Parts split off a laid-out paragraph are plain reportlab
    paragraphs (``shared`` None)."""

    shared: Shared | None = None
    writer: Writer | None = None  # set with shared
    _splitLongWordCount: int  # set by reportlab's wrap (see _WRAP_STATE)
    blPara: Any
    _hyphenations: int

    if TYPE_CHECKING:  # reportlab 5.1's parser entry, which types-reportlab does not declare

        def _setup(
            self,
            text: str,
            style: ParagraphStyle,
            bulletText: str | None,
            frags: list[Any] | None,
            cleaner: Callable[[str], str],
        ) -> None: ...

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        shared, writer = self.shared, self.writer
        if shared is None or writer is None:
            return super().wrap(availWidth, availHeight)
        laid = shared.laid.get(availWidth)
        if laid is not None:
            self.__dict__.update(laid[0])
            return laid[1]
        width = availWidth - self.style.leftIndent - self.style.rightIndent
        broken = writer.broken(shared.pairs, self.style, width)
        if broken is shared.pairs:
            self.text, self.frags = shared.text, shared.frags
        else:
            self._setup(writer._markup(broken, self.style), self.style, self.bulletText, None, cleanBlockQuotedText)
        size = super().wrap(availWidth, availHeight)
        if not (self._splitLongWordCount or self._hyphenations):
            shared.laid[availWidth] = ({k: self.__dict__[k] for k in _WRAP_STATE}, size)
        return size

    def draw(self) -> None:
        """As a list item (``Tagger.place`` hands it an LI), the bullet is the item's
        Lbl and the text its LBody; otherwise the tagger marks the whole paragraph."""
        tagger = tagging.of(self.canv)
        element = tagger.current if tagger is not None else None
        if tagger is None or element is None or element.role != "LI":
            super().draw()
            return
        bullet = self.bulletText
        if bullet and self.blPara.lines:
            with tagger.mark(self.canv, element.part("Lbl")):
                self._bullet(bullet)
        self.bulletText = None  # drawn above, marked as the label
        try:
            with tagger.mark(self.canv, element.part("LBody")):
                super().draw()
        finally:
            self.bulletText = bullet

    def _bullet(self, bullet: str) -> None:
        """The bullet where reportlab 5.1's drawPara draws it (same call, same place):
        on the first line's baseline, in its own text object (within the q/Q of
        ``drawOn``; the text's own drawing sets its colour and font again)."""
        para = self.blPara
        first = para if para.kind == 0 else para.lines[0]
        top = first.fontSize if rl_config.paraFontSizeHeightOffset else getattr(first, "ascent", first.fontSize)
        offsets = getattr(self, "_offsets", [0])
        draw_bullet = rl_paragraph._drawBullet  # type: ignore[attr-defined]  # reportlab 5.1's, not in the stubs
        draw_bullet(self.canv, self.style.firstLineIndent + offsets[0], self.height - top, bullet, self.style, False)
