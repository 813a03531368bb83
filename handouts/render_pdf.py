"""Handout -> PDF bytes with reportlab. The only module that knows reportlab.

Layout choices follow health-literacy print guidance: sans-serif, ragged right, body
never under 10 pt (12+ at the easy level), generous leading, bullets, warnings in a
labelled box, high contrast. Page decorations (brand header, footer with "Page X of Y",
draft mark) are drawn once the page count is known, by a deferred canvas.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import accumulate, groupby, repeat
from operator import attrgetter, itemgetter
from pathlib import Path
from xml.sax.saxutils import escape

from cachetools import LRUCache
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import ShapeData, ShapedStr
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus.paragraph import cleanBlockQuotedText

from . import __version__, fonts, l10n, shaping, wordbreak
from .colors import tint
from .content import CALLOUT_TINT, file_cache
from .model import Block, BulletList, Callout, Handout, Inline, Span, Subhead
from .model import Paragraph as ParagraphBlock
from .scripts import Script, script_for
from .subsets import SharedSubsetsTTFont

PAPER = {"letter": LETTER, "a4": A4}
MARGIN = 18 * mm
TEXT_COLOR = colors.HexColor("#111111")
MUTED = colors.HexColor("#333333")
BULLET = "•"
Pairs = Sequence[tuple[str, bool]]  # (text, bold) runs of one paragraph


@dataclass(frozen=True)
class Typography:
    """Sizes in points for one reading level."""

    body: float
    leading: float
    heading: float
    title: float
    chrome: float = 10.0  # header and footer text: never under the 10 pt minimum


TYPOGRAPHY = {
    "easy": Typography(body=13, leading=19, heading=18, title=26),
    "standard": Typography(body=11, leading=16, heading=15, title=24),
    "detailed": Typography(body=10, leading=14.5, heading=13.5, title=22),
}


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    bullet: ParagraphStyle
    subhead: ParagraphStyle
    heading: ParagraphStyle
    title: ParagraphStyle
    summary: ParagraphStyle
    label: ParagraphStyle
    chrome: ParagraphStyle
    notice: ParagraphStyle
    org: ParagraphStyle
    callout_bg: colors.Color


def _styles(handout: Handout, script: Script) -> Styles:
    """Styles whose fontName is the face of the language's own family; per-character
    fallback happens in ``_Writer``. Right-to-left languages are right-aligned."""
    family = fonts.FAMILIES[script.fonts[0]]
    regular, bold, italic = (fonts.register(f) for f in (family.regular, family.bold, family.face(italic=True)))
    t = TYPOGRAPHY[handout.level]
    primary = colors.HexColor(handout.brand.primary)
    accent = colors.HexColor(handout.brand.accent)
    body = ParagraphStyle(
        "body",
        fontName=regular,
        fontSize=t.body,
        leading=t.leading,
        textColor=TEXT_COLOR,
        alignment=TA_RIGHT if script.rtl else TA_LEFT,
        spaceAfter=t.body * 0.5,
        splitLongWords=True,
        bulletFontName=fonts.register(fonts.family_for(BULLET, script.fonts).regular),
        bulletFontSize=t.body,
    )
    family = fonts.Family(family.name, regular, bold, italic)
    return Styles(
        body=body,
        bullet=ParagraphStyle(
            "bullet", parent=body, leftIndent=t.body * 1.6, bulletIndent=t.body * 0.4, spaceAfter=t.body * 0.3
        ),
        subhead=ParagraphStyle(
            "subhead",
            parent=body,
            fontName=family.bold,
            spaceBefore=t.body * 0.4,
            spaceAfter=t.body * 0.3,
            keepWithNext=True,
        ),
        heading=ParagraphStyle(
            "heading",
            parent=body,
            fontName=family.bold,
            fontSize=t.heading,
            leading=t.heading * 1.25,
            textColor=primary,
            spaceBefore=t.heading * 0.9,
            spaceAfter=t.heading * 0.35,
            keepWithNext=True,
        ),
        title=ParagraphStyle(
            "title",
            parent=body,
            fontName=family.bold,
            fontSize=t.title,
            leading=t.title * 1.2,
            textColor=primary,
            spaceAfter=t.body * 0.4,
        ),
        summary=ParagraphStyle(
            "summary",
            parent=body,
            fontName=family.italic,
            fontSize=t.body + 1,
            leading=t.leading + 1,
            spaceAfter=t.body * 0.6,
        ),
        label=ParagraphStyle(
            "label",
            parent=body,
            fontName=family.bold,
            fontSize=t.body + 2,
            leading=(t.body + 2) * 1.3,
            textColor=accent,
            spaceAfter=0,
        ),
        chrome=ParagraphStyle(
            "chrome",
            parent=body,
            spaceAfter=0,
            fontName=family.regular,
            fontSize=t.chrome,
            leading=t.chrome * 1.3,
            textColor=MUTED,
            splitLongWords=True,
        ),
        notice=ParagraphStyle(
            "notice",
            parent=body,
            spaceAfter=0,
            fontName=family.bold,
            fontSize=t.chrome,
            leading=t.chrome * 1.3,
            textColor=accent,
            splitLongWords=True,
        ),
        org=ParagraphStyle(
            "org", parent=body, fontName=family.bold, fontSize=14, leading=17, textColor=primary, spaceAfter=0
        ),
        callout_bg=colors.HexColor(tint(handout.brand.accent, CALLOUT_TINT)),
    )


_PUA_START = 0xF0000  # Supplementary Private Use Area-A: no bundled font maps it
_glyph_codes: dict[tuple[str, int, str], int] = {}
_code_text: dict[int, str] = {}


def _code(face: str, glyph: shaping.Glyph) -> int:
    """The character code reportlab should use for a shaped glyph. reportlab maps text to
    glyphs through the font's cmap, but a conjunct or a final form has no code point of
    its own, so we give it a private one. Its ToUnicode entry is the text the glyph
    stands for, so copying from the PDF gives the Arabic or Hindi the author wrote."""
    font = pdfmetrics.getFont(face).face
    if len(glyph.text) == 1 and font.charToGlyph.get(ord(glyph.text)) == glyph.gid:
        return ord(glyph.text)
    key = (face, glyph.gid, glyph.text)
    if key not in _glyph_codes:
        code = _PUA_START + len(_code_text)
        _glyph_codes[key] = code
        _code_text[code] = glyph.text
        font.charToGlyph[code] = glyph.gid
        font.charWidths[code] = glyph.width
    return _glyph_codes[key]


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode CMap, but a private code maps to the text of its glyph
    (several characters for a ligature; a glyph standing for none maps to U+200B ZERO
    WIDTH SPACE, since an empty mapping makes viewers misread the rest of the CMap)."""
    lines = ttfonts._rl_to_unicode_cmap(fontname, [0] * len(subset)).split("\n")
    start = lines.index(f"{len(subset)} beginbfchar") + 1
    for i, cp in enumerate(subset):
        text = _code_text.get(cp, chr(cp)) or "\u200b"
        lines[start + i] = f"<{i:02X}> <{text.encode('utf-16-be').hex().upper()}>"
    return "\n".join(lines)


if not hasattr(ttfonts, "_rl_to_unicode_cmap"):
    ttfonts._rl_to_unicode_cmap = ttfonts.makeToUnicodeCMap
    ttfonts.makeToUnicodeCMap = _to_unicode_cmap


# Paragraphs kept per process for the next handout that prints them (``_SHARED``,
# ``_SHAPED``), least recently used dropped first. Each kind is bounded by the characters
# it holds, counting ENTRY_CHARS more per paragraph for what any entry costs. Laid out,
# a character takes 25-35 bytes (tracemalloc), so each kind stays under ~35 MB however
# long or varied the batch. All 48 variants of baclofen (8 languages x 3 levels x 2
# papers) take 0.22 M characters of paragraphs and 0.39 M of shaped lines.
KEPT_CHARS = 1_000_000
ENTRY_CHARS = 100


def _weight(pairs: Pairs) -> int:
    return ENTRY_CHARS + sum(len(text) for text, _ in pairs)


_SHAPED: LRUCache[tuple, tuple[tuple[shaping.Line, ...], int]] = LRUCache(KEPT_CHARS, getsizeof=itemgetter(1))


def _shaped_lines(spans: Pairs, script: Script, size: float, width: float, italic: bool) -> tuple[shaping.Line, ...]:
    """``shaping.layout``, shared between the handouts of a process (``_SHAPED``)."""
    key = (spans, script, size, width, italic)
    kept = _SHAPED.get(key)
    if kept is None:
        kept = (tuple(shaping.layout(spans, script, size, width, italic)), _weight(spans))
        if kept[1] <= KEPT_CHARS:
            _SHAPED[key] = kept
    return kept[0]


class _ShapedText(Flowable):
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
        head, tail = (_ShapedText(self.spans, self.style, self.script, b, self.italic) for b in (self.bullet, None))
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
                    "".join(chr(_code(face, g)) for g in run.glyphs),
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
class _Shared:
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
_SHARED: LRUCache[tuple, _Shared] = LRUCache(KEPT_CHARS, getsizeof=attrgetter("weight"))


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


class _Paragraph(Paragraph):
    """reportlab's Paragraph, laid out through its ``_Shared`` entry, and with a word
    wider than its line first broken at the width reportlab lays it out at
    (``_Writer.broken``). reportlab's own splitLongWords, still on as a backstop, cuts
    between any two code points and prints no sign that the word goes on; a layout it
    had to cut is not shared. Parts split off a laid-out paragraph are plain reportlab
    paragraphs (``shared`` None)."""

    shared: _Shared | None = None
    writer: _Writer | None = None

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


_BOLD_STYLES = {"subhead", "heading", "title", "label", "notice", "org"}


_widest_known: dict[int, tuple[int, float]] = {}


def _widest(face: ttfonts.TTFontFace) -> float:
    """The widest advance of any character in ``face`` (1/1000 em), remembered until the
    face gains a character (``_code`` adds shaped glyphs)."""
    size, widest = _widest_known.get(id(face), (-1, 0.0))
    if size != len(face.charWidths):
        size, widest = len(face.charWidths), max(face.defaultWidth, *face.charWidths.values())
        _widest_known[id(face)] = (size, widest)
    return widest


class _Writer:
    """Turns text into flowables for one language: reportlab Paragraphs with a font run
    per character where no shaping is needed (Latin, Cyrillic, Greek), our shaped and
    broken lines (``_ShapedText``) for Arabic, Hebrew, Devanagari and CJK."""

    def __init__(self, script: Script):
        self.script = script
        self._signatures: dict[int, tuple[ParagraphStyle, tuple]] = {}

    def para(self, spans: Inline, style: ParagraphStyle, bullet: str | None = None) -> Flowable:
        style_bold = style.name in _BOLD_STYLES
        pairs = tuple((unicodedata.normalize("NFC", s.text), s.bold or style_bold) for s in spans)
        if self.script.shape:
            return _ShapedText(pairs, style, self.script, bullet, italic=style.name == "summary")
        key = (pairs, self.script, self._signature(style), bullet)
        shared = _SHARED.get(key)
        if shared is None:
            para = _Paragraph(self._markup(pairs, style), style, bulletText=bullet)
            shared = _Shared(pairs, para.text, para.frags, _weight(pairs))
            if shared.weight <= KEPT_CHARS:
                _SHARED[key] = shared
        else:
            para = _Paragraph(shared.text, style, bulletText=bullet, frags=shared.frags)
        para.shared, para.writer = shared, self
        return para

    def _signature(self, style: ParagraphStyle) -> tuple:
        """Every attribute of ``style`` (a ParagraphStyle holds its parent's values too),
        as a key for ``_SHARED``. Worked out once per style object for this writer's
        handout, which holds the style so its id is not reused: a style must not be
        changed after its first paragraph."""
        known = self._signatures.get(id(style))
        if known is None:
            items = sorted((k, v) for k, v in vars(style).items() if k != "parent")
            known = self._signatures[id(style)] = (style, tuple(items))
        return known[1]

    def text(self, text: str, style: ParagraphStyle) -> Flowable:
        return self.para((Span(text),), style)

    def width(self, text: str, style: ParagraphStyle) -> float:
        """Width in points of ``text`` set on one line in ``style``, as ``text`` draws it."""
        bold, italic = style.name in _BOLD_STYLES, style.name == "summary"
        if self.script.shape:
            lines = shaping.layout([(text, bold)], self.script, style.fontSize, 1e9, italic)
            return max((line.width for line in lines), default=0.0)
        faces = fonts.faces(text, [bold] * len(text), self.script.fonts, italic)
        return sum(stringWidth(ch, fonts.register(face), style.fontSize) for ch, face in zip(text, faces))

    def broken(self, pairs: Pairs, style: ParagraphStyle, width: float) -> Pairs:
        """``pairs`` with every word wider than ``width`` cut into pieces (``wordbreak``),
        each piece but the last followed by the mark and a space; ``pairs`` itself when no
        word is that wide. Widths are reportlab's: the sum of the characters' advances."""
        text = "".join(t for t, _ in pairs)
        if self._no_wider_word(pairs, text, style, width):
            return pairs
        bold = [b for t, b in pairs for _ in t]
        faces = [fonts.register(f) for f in fonts.faces(text, bold, self.script.fonts, italic=style.name == "summary")]
        ends = list(accumulate((stringWidth(ch, face, style.fontSize) for ch, face in zip(text, faces)), initial=0.0))

        def measure(a: int, b: int, marked: bool) -> float:
            mark = stringWidth(wordbreak.MARK, faces[b - 1], style.fontSize) if marked else 0.0
            return ends[b] - ends[a] + mark

        cuts = [
            b
            for word in re.finditer(r"\S+", text)
            if measure(word.start(), word.end(), False) > width
            for _, b in wordbreak.break_word(text, wordbreak.cluster_bounds(text, *word.span()), measure, width)[:-1]
        ]
        if not cuts:
            return pairs
        chars = [(ch, b) for ch, b in zip(text, bold)]
        for b in reversed(cuts):
            chars.insert(b, (wordbreak.MARK + " ", bold[b - 1]))
        return chars

    def _no_wider_word(self, pairs: Pairs, text: str, style: ParagraphStyle, width: float) -> bool:
        """Fast answer for the usual case, one font family and ordinary words. A word of n
        characters is at most n times the widest advance in its face: first the widest
        in the whole face (no look at the characters at all), then the widest among the
        text's characters; only words longer than that bound allows are measured."""
        chain, italic = self.script.fonts, style.name == "summary"
        if not fonts.in_family(chain[0], text):
            return False
        family = fonts.FAMILIES[chain[0]]
        longest = max(map(len, text.split()), default=0)
        if not longest:
            return True
        names = {fonts.register(family.face(b, italic)) for t, b in pairs if t}
        faces = [pdfmetrics.getFont(name).face for name in names]
        if longest * style.fontSize * max(map(_widest, faces)) <= width * 1000:
            return True
        chars = set(text)
        widest = max(
            max(map(face.charWidths.get, map(ord, chars), repeat(face.defaultWidth)), default=0) for face in faces
        )
        longest_safe = width * 1000 / (style.fontSize * widest) if widest else float("inf")
        return all(
            stringWidth(word, name, style.fontSize) <= width
            for word in set(text.split())
            if len(word) > longest_safe
            for name in names
        )

    def _markup(self, pairs: Pairs, style: ParagraphStyle) -> str:
        """Reportlab markup with a <font> run wherever the face differs from the style's.
        Author text is always escaped: '<' and '&' print literally, never as tags."""
        chain, italic = self.script.fonts, style.name == "summary"
        text = "".join(t for t, _ in pairs)
        if fonts.in_family(chain[0], text):  # the usual case: one family, a face per span
            family = fonts.FAMILIES[chain[0]]
            runs = [(family.face(b, italic), t) for t, b in pairs if t]
        else:
            faces = fonts.faces(text, [b for t, b in pairs for _ in t], chain, italic)
            runs = list(zip(faces, text))
        out = []
        for face, group in groupby(runs, key=lambda run: run[0]):
            chunk = escape("".join(t for _, t in group))
            out.append(chunk if face == style.fontName else f'<font face="{fonts.register(face)}">{chunk}</font>')
        return "".join(out)


def _blocks(blocks: tuple[Block, ...], st: Styles, width: float, w: _Writer, continued: str) -> list[Flowable]:
    out: list[Flowable] = []
    for block in blocks:
        if isinstance(block, ParagraphBlock):
            out.append(w.para(block.spans, st.body))
        elif isinstance(block, Subhead):
            out.append(w.text(block.text, st.subhead))
        elif isinstance(block, BulletList):
            out.extend(w.para(item, st.bullet, bullet=BULLET) for item in block.items)
        elif isinstance(block, Callout):
            out.append(_callout(block, st, width, w, continued))
    return out


LABEL_LINES = 4  # a longer warning label is not repeated on every page its box runs on to


class _Box(Table):
    """The warning box: a one-column table that reportlab splits between rows and inside
    a row. Every later part is built afresh by ``make`` with ``continued`` ("Get help
    now (continued)") as its head row, so no page shows an unlabelled box and none
    suggests a second, separate warning. (reportlab would repeat the head row itself,
    but at the height of the original head, so a longer head would overprint the text.)"""

    make: Callable[[list[list[Flowable]]], _Box] | None = None
    continued: Flowable | None = None

    def split(self, availWidth, availHeight):
        parts = super().split(availWidth, availHeight)
        if len(parts) == 2 and self.make is not None:
            rest = self.make([[self.continued]] + parts[1]._cellvalues[1:])
            rest.make, rest.continued = self.make, self.continued
            parts = [parts[0], rest]
        return parts


def _callout(block: Callout, st: Styles, width: float, w: _Writer, continued: str) -> Table:
    """A boxed warning: one row per paragraph or bullet so a long box can split across
    pages (``_Box``). A label longer than ``LABEL_LINES`` lines is a row of its own
    under an empty head, so it can split like any paragraph; its later parts then say
    only "(continued)"."""
    pad = 8
    label = w.text(block.label, st.label)
    tall = label.wrap(width - 2 * pad - 2, 1e6)[1] > LABEL_LINES * st.label.leading
    rows = [[Spacer(0, 0)], [label]] if tall else [[label]]
    rows += [[flowable] for flowable in _blocks(block.blocks, st, width - 2 * pad, w, continued)]
    table = _box(rows, st, width, pad)
    table.make = partial(_box, st=st, width=width, pad=pad)
    table.continued = w.text(continued.format(label="" if tall else block.label).strip(), st.label)
    return table


def _box(rows: list[list[Flowable]], st: Styles, width: float, pad: float) -> _Box:
    """The table of a warning box or of a later part of one. It splits inside a row first
    (``splitByRow=0``): split between rows, a part could end well above the foot of the
    page, and reportlab would then start the next part, a second box, on the same page."""
    table = _Box(rows, colWidths=[width], repeatRows=1, splitByRow=0, splitInRow=1, hAlign="LEFT")
    table.spaceBefore = table.spaceAfter = st.body.fontSize * 0.6
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), st.body.fontName),  # else reportlab sets Helvetica, unembedded
                ("BOX", (0, 0), (-1, -1), 2.5, st.label.textColor),
                ("BACKGROUND", (0, 0), (-1, -1), st.callout_bg),
                ("LEFTPADDING", (0, 0), (-1, -1), pad + 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), pad),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ("TOPPADDING", (0, 0), (-1, 0), pad),
                ("BOTTOMPADDING", (0, 0), (-1, 0), pad * 0.5),
                ("BOTTOMPADDING", (0, -1), (-1, -1), pad * 0.5),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _story(handout: Handout, st: Styles, width: float, w: _Writer) -> list[Flowable]:
    story: list[Flowable] = [w.text(handout.title, st.title), w.text(handout.summary, st.summary)]
    for section in handout.sections:
        heading = w.text(section.title, st.heading)
        heading.outline = (f"section-{section.id}", section.title)  # becomes a PDF bookmark
        story.append(heading)
        story.extend(_blocks(section.blocks, st, width, w, handout.strings.continued))
    story.append(Spacer(1, 1))
    return story


LOGO_BOX = (26 * mm, 16 * mm)  # the logo is scaled to fit this box, keeping its shape
LOGO_GAP = 4 * mm


@dataclass(frozen=True)
class _Chrome:
    """Header and footer, laid out once before the body so the body frame never overlaps
    them however long an organisation name, address or footer note is."""

    paragraphs: tuple[tuple[Flowable, float, float], ...]  # (paragraph, x, y of its bottom)
    header_rule: float  # y of the rule under the header
    footer_rule: float  # y of the rule over the footer
    label_y: float  # baseline of "Page X of Y"


def _chrome(handout: Handout, st: Styles, page_w: float, page_h: float, w: _Writer) -> _Chrome:
    brand, strings = handout.brand, handout.strings
    width = page_w - 2 * MARGIN
    placed: list[tuple[Flowable, float, float]] = []

    x = MARGIN + (LOGO_BOX[0] + LOGO_GAP if brand.logo else 0)
    header = [w.text(brand.name, st.org)]
    contact = " · ".join(x for x in (brand.phone, brand.website) if x)
    if contact:
        header.append(w.text(contact, st.chrome))
    if handout.draft:
        header.append(w.text(strings.draft_notice, st.notice))
    y = page_h - MARGIN
    for para in header:
        y -= para.wrap(page_w - MARGIN - x, page_h)[1]
        placed.append((para, x, y))
    header_rule = min(y, page_h - MARGIN - (LOGO_BOX[1] if brand.logo else 0)) - 6

    # the page label sits at the right of the last footer line; the text beside it wraps short of it
    label_w = stringWidth(strings.page.format(page=888, pages=888), st.chrome.fontName, st.chrome.fontSize) + 12
    meta = " · ".join(
        (
            strings.revised.format(date=l10n.date(handout.revised, handout.lang)),
            strings.version.format(version=handout.version),
        )
    )
    footer = [(w.text(meta, st.chrome), width - label_w)]
    address = " · ".join(x for x in (brand.address, brand.footer_note) if x)
    if address:
        footer.insert(0, (w.text(address, st.chrome), width))
    y = MARGIN
    for para, wrap_w in reversed(footer):
        placed.append((para, MARGIN, y))
        y += para.wrap(wrap_w, page_h)[1]
    return _Chrome(tuple(placed), header_rule, y + 3, MARGIN + st.chrome.leading - st.chrome.fontSize)


# Binary streams as they are (Flate only), not also ASCII85-encoded: reportlab's default
# makes every font and image stream a quarter larger, for 7-bit mail transports no
# printer uses.
rl_config.useA85 = 0

_CHROME_FORM = "chrome"
_MARK_FORM = "draft-mark"
MARK_ALPHA = 0.13  # the DRAFT mark is unmistakable, yet the text under it stays readable


@file_cache(16)
def _logo(path: Path) -> ImageReader:
    """A logo decoded once per process (per file version), not once per handout."""
    return ImageReader(str(path))


class _PagedCanvas(Canvas):
    """Defers page output until the total is known, then draws every page's header,
    footer ("Page X of Y") and draft mark (reportlab's standard two-phase recipe).

    Bookmarks are deferred with their page: registered early they would all point at
    page 1, because the document has not received any page yet."""

    def __init__(self, *args, handout: Handout, chrome: _Chrome, styles: Styles, writer: _Writer, **kwargs):
        super().__init__(*args, **kwargs)
        self._saved: list[dict] = []
        self._bookmarks: list[tuple[str, dict]] = []
        self._handout = handout
        self._chrome = chrome
        self._st = styles
        self._writer = writer
        self._label_style = ParagraphStyle("page_label", parent=styles.chrome, alignment=TA_RIGHT)

    def bookmarkPage(self, key, **kw):
        self._bookmarks.append((key, kw))

    def showPage(self):
        self._saved.append(dict(self.__dict__))
        self._bookmarks = []
        self._startPage()

    def save(self):
        total = len(self._saved)
        for state in self._saved:
            self.__dict__.update(state)
            for key, kw in state["_bookmarks"]:
                super().bookmarkPage(key, **kw)
            self._decorate(total)
            super().showPage()
        super().save()

    def _decorate(self, total: int) -> None:
        h, chrome = self._handout, self._chrome
        page_w, page_h = self._pagesize
        if not self.hasForm(_CHROME_FORM):
            self.beginForm(_CHROME_FORM)
            self._same_on_every_page(page_w, page_h)
            self.endForm()
        self.doForm(_CHROME_FORM)
        if h.draft:  # its own form, shown see-through: a form's content takes the page's alpha
            if not self.hasForm(_MARK_FORM):
                self.beginForm(_MARK_FORM)
                self._watermark(page_w, page_h)
                self.endForm()
            self.saveState()
            self.setFillAlpha(MARK_ALPHA)
            self.doForm(_MARK_FORM)
            self.restoreState()
        self.saveState()
        label = h.strings.page.format(page=l10n.number(self._pageNumber, h.lang), pages=l10n.number(total, h.lang))
        self._line(label, self._label_style, MARGIN, page_w - MARGIN, chrome.label_y)
        self.restoreState()

    def _same_on_every_page(self, page_w: float, page_h: float) -> None:
        """Logo, header, footer and rules: drawn once into a form XObject that
        every page shows, so a five-page handout lays them out and stores them once."""
        h, chrome = self._handout, self._chrome
        if h.brand.logo:
            w, lh = LOGO_BOX
            self.drawImage(
                _logo(h.brand.logo),
                MARGIN,
                page_h - MARGIN - lh,
                width=w,
                height=lh,
                preserveAspectRatio=True,
                anchor="nw",
                mask="auto",
            )
        for para, x, y in chrome.paragraphs:
            para.drawOn(self, x, y)
        self.setStrokeColor(colors.HexColor(h.brand.primary))
        self.setLineWidth(1.5)
        self.line(MARGIN, chrome.header_rule, page_w - MARGIN, chrome.header_rule)
        self.setLineWidth(0.5)
        self.line(MARGIN, chrome.footer_rule, page_w - MARGIN, chrome.footer_rule)

    def _line(self, text: str, style: ParagraphStyle, left: float, right: float, baseline: float) -> None:
        """Text in the handout's language (shaped, in bidi order), aligned by the style
        between left and right, its first baseline at ``baseline``."""
        chain = self._writer.script.fonts
        opaque = getattr(style.textColor, "alpha", None) in (None, 1)  # the DRAFT mark keeps its Paragraph
        if opaque and not self._writer.script.shape and fonts.in_family(chain[0], text):  # one font, one line
            face = fonts.register(fonts.FAMILIES[chain[0]].face(style.name in _BOLD_STYLES, False))
            if stringWidth(text, face, style.fontSize) <= right - left:
                self.setFont(face, style.fontSize)
                self.setFillColor(style.textColor)
                draw = {
                    TA_RIGHT: (self.drawRightString, right),
                    TA_CENTER: (self.drawCentredString, (left + right) / 2),
                }
                method, x = draw.get(style.alignment, (self.drawString, left))
                method(x, baseline, text)
                return
        para = self._writer.text(text, style)
        _, height = para.wrap(right - left, 1e6)
        para.drawOn(self, left, baseline + style.fontSize - height)

    def _watermark(self, page_w: float, page_h: float) -> None:
        """A large diagonal mark on every draft page: unmistakable, yet text stays readable.
        A long mark (some languages' word for DRAFT) is set smaller than 110 pt, so that
        the line and its height, turned 45 degrees, stay inside the margins."""
        mark = self._handout.strings.draft_mark
        style = ParagraphStyle(
            "mark",
            parent=self._st.org,
            fontSize=110,
            alignment=TA_CENTER,
            spaceAfter=0,
            textColor=colors.Color(0.75, 0.1, 0.1),  # opaque here; shown at MARK_ALPHA
        )
        per_point = self._writer.width(mark, style) / style.fontSize
        height = 1.3  # ems from the lowest descender to the highest accent
        style.fontSize = min(style.fontSize, 2**0.5 * (min(page_w, page_h) - 2 * MARGIN) / (per_point + height))
        style.leading = style.fontSize * 1.2
        self.saveState()
        self.translate(page_w / 2, page_h / 2)
        self.rotate(45)
        self._line(mark, style, -page_h, page_h, -0.36 * style.fontSize)
        self.restoreState()


class _Doc(BaseDocTemplate):
    def afterFlowable(self, flowable: Flowable) -> None:
        outline = getattr(flowable, "outline", None)
        if outline:
            key, title = outline
            self.canv.bookmarkHorizontal(key, 0, self.frame._y + flowable.height + flowable.getSpaceBefore())
            self.canv.addOutlineEntry(title, key, level=0)
            self.canv.showOutline()


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    pages: int
    body: tuple[float, float, float, float]  # (left, bottom, right, top) in points of the body text on every page


def render(handout: Handout) -> RenderedPdf:
    """The PDF for a resolved handout. Deterministic: the same handout gives the same bytes."""
    page_w, page_h = PAPER[handout.paper]
    width = page_w - 2 * MARGIN
    script = script_for(handout.lang)
    st = _styles(handout, script)
    writer = _Writer(script)
    chrome = _chrome(handout, st, page_w, page_h, writer)
    gap = 5 * mm
    body = (MARGIN, chrome.footer_rule + gap, MARGIN + width, chrome.header_rule - gap)
    frame = Frame(
        body[0],
        body[1],
        width,
        body[3] - body[1],
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    out = io.BytesIO()
    doc = _Doc(
        out,
        pagesize=(page_w, page_h),
        pageTemplates=[PageTemplate("page", [frame])],
        title=handout.title,
        author=handout.brand.name,
        subject=handout.summary,
        creator=f"handouts {__version__}",
        keywords=[handout.level, handout.version],
        lang=handout.lang,
        invariant=1,
        displayDocTitle=1,
        initialFontName=st.body.fontName,
        initialFontSize=st.body.fontSize,
    )
    doc.build(
        _story(handout, st, width, writer),
        canvasmaker=partial(_PagedCanvas, handout=handout, chrome=chrome, styles=st, writer=writer),
    )
    return RenderedPdf(out.getvalue(), doc.page, body)
