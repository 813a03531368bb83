"""Our flowables: shaped paragraphs (``ShapedText``) and reportlab paragraphs whose
parsing and line breaking are shared between handouts (``SharedParagraph``), both kept
in the writer's ``RenderCache``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.ttfonts import ShapeData, ShapedStr
from reportlab.platypus import Flowable, Paragraph
from reportlab.platypus.paragraph import cleanBlockQuotedText

from .. import shaping
from .cache import Shared
from .styles import Pairs

if TYPE_CHECKING:
    from .writer import Writer


class ShapedText(Flowable):
    """A paragraph laid out by ``shaping.layout``: HarfBuzz glyphs, lines in visual
    order, aligned by the style (right for RTL), the bullet on the reading side."""

    def __init__(self, spans: Pairs, style: ParagraphStyle, writer: Writer, bullet: str | None, italic: bool):
        super().__init__()
        self.spans, self.style, self.writer, self.bullet, self.italic = spans, style, writer, bullet, italic
        self.script = writer.script
        self.spaceBefore, self.spaceAfter = style.spaceBefore, style.spaceAfter
        self.keepWithNext = getattr(style, "keepWithNext", False)
        self.lines: tuple[shaping.Line, ...] | None = None

    def wrap(self, availWidth, availHeight):
        start, end = self.style.leftIndent, self.style.rightIndent  # start: the bullet side
        self.width = availWidth
        if self.lines is None:
            self.lines = self.writer.cache.shaped_lines(
                self.spans, self.script, self.style.fontSize, availWidth - start - end, self.italic
            )
        self.height = len(self.lines) * self.style.leading
        return availWidth, self.height

    def split(self, availWidth, availHeight):
        self.wrap(availWidth, availHeight)
        fit = int(availHeight // self.style.leading)
        if fit <= 0 or fit >= len(self.lines):
            return []
        head, tail = (ShapedText(self.spans, self.style, self.writer, b, self.italic) for b in (self.bullet, None))
        head.lines, tail.lines = self.lines[:fit], self.lines[fit:]
        head.spaceAfter = tail.spaceBefore = 0
        return [head, tail]

    def draw(self):
        canv, st, rtl = self.canv, self.style, self.script.rtl
        engine = self.writer.cache.engine
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
                face = engine.register(run.face)
                text = ShapedStr(
                    "".join(chr(engine.codes.code(face, g)) for g in run.glyphs),
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
        self.canv.setFont(self.writer.cache.engine.register(st.bulletFontName), st.fontSize)
        if self.script.rtl:
            self.canv.drawRightString(self.width - st.bulletIndent, y, self.bullet)
        else:
            self.canv.drawString(st.bulletIndent, y, self.bullet)


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
