"""Text -> flowables for one language: font runs per character, long words broken."""

from __future__ import annotations

import re
import unicodedata
from html import escape
from itertools import accumulate, groupby, repeat

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from .. import fonts, shaping, wordbreak
from ..model import Inline, Span
from ..scripts import Script
from .cache import RenderCache, Shared, StyleSignature, weight
from .engine import face_of
from .flowables import ShapedText, SharedParagraph
from .styles import BOLD_STYLES, ITALIC_STYLES, Pairs

_RTL_CLASSES = frozenset({"R", "AL"})


def _right_to_left(pairs: Pairs) -> bool:
    """An Arabic or Hebrew word in a left-to-right paragraph needs our shaped, bidi-ordered
    layout too: reportlab draws it unjoined and in memory order, that is reversed."""
    return any(unicodedata.bidirectional(ch) in _RTL_CLASSES for text, _ in pairs for ch in text)


class Writer:
    """Turns text into flowables for one language: reportlab Paragraphs with a font run
    per character where no shaping is needed (Latin, Cyrillic, Greek), our shaped and
    broken lines (``ShapedText``) for Arabic, Hebrew, Devanagari and CJK. What it lays
    out is kept in ``cache`` for later handouts."""

    def __init__(self, script: Script, cache: RenderCache):
        self.script = script
        self.cache = cache
        self.register = cache.engine.register
        self._signatures: dict[int, tuple[ParagraphStyle, StyleSignature]] = {}

    def para(self, spans: Inline, style: ParagraphStyle, bullet: str | None = None) -> Flowable:
        style_bold = style.name in BOLD_STYLES
        pairs = tuple((unicodedata.normalize("NFC", s.text), s.bold or style_bold) for s in spans)
        if self.script.shape:
            return ShapedText(pairs, style, self, bullet, italic=style.name in ITALIC_STYLES)
        key = (pairs, self.script, self._signature(style), bullet)
        shared = self.cache.paragraphs.get(key)  # kept only when not right-to-left: checked once
        if shared is None:
            if _right_to_left(pairs):
                return ShapedText(pairs, style, self, bullet, italic=style.name in ITALIC_STYLES)
            para = SharedParagraph(self._markup(pairs, style), style, bulletText=bullet)
            shared = Shared(pairs, para.text, para.frags, weight(pairs))
            self.cache.keep(key, shared)
        else:
            para = SharedParagraph(shared.text, style, bulletText=bullet, frags=shared.frags)
        para.shared, para.writer = shared, self
        return para

    def _signature(self, style: ParagraphStyle) -> StyleSignature:
        """Every attribute of ``style`` (a ParagraphStyle holds its parent's values too),
        as a key for the cache's paragraphs. Worked out once per style object for this writer's
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
        bold, italic = style.name in BOLD_STYLES, style.name in ITALIC_STYLES
        if self.script.shape:
            lines = shaping.layout([(text, bold)], self.script, style.fontSize, 1e9, italic)
            return max((line.width for line in lines), default=0.0)
        faces = fonts.faces(text, [bold] * len(text), self.script.fonts, italic)
        return sum(stringWidth(ch, self.register(face), style.fontSize) for ch, face in zip(text, faces, strict=True))

    def broken(self, pairs: Pairs, style: ParagraphStyle, width: float) -> Pairs:
        """``pairs`` with every word wider than ``width`` cut into pieces (``wordbreak``),
        each piece but the last followed by the mark and a space; ``pairs`` itself when no
        word is that wide. Widths are reportlab's: the sum of the characters' advances."""
        text = "".join(t for t, _ in pairs)
        if self._no_wider_word(pairs, text, style, width):
            return pairs
        bold = [b for t, b in pairs for _ in t]
        italic = style.name in ITALIC_STYLES
        faces = [self.register(f) for f in fonts.faces(text, bold, self.script.fonts, italic=italic)]
        advances = (stringWidth(ch, face, style.fontSize) for ch, face in zip(text, faces, strict=True))
        ends = list(accumulate(advances, initial=0.0))

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
        chars = [(ch, b) for ch, b in zip(text, bold, strict=True)]
        for b in reversed(cuts):
            chars.insert(b, (wordbreak.MARK + " ", bold[b - 1]))
        return chars

    def _no_wider_word(self, pairs: Pairs, text: str, style: ParagraphStyle, width: float) -> bool:
        """Fast answer for the usual case, one font family and ordinary words. A word of n
        characters is at most n times the widest advance in its face: first the widest
        in the whole face (no look at the characters at all), then the widest among the
        text's characters; only words longer than that bound allows are measured."""
        chain, italic = self.script.fonts, style.name in ITALIC_STYLES
        if not fonts.in_family(chain[0], text):
            return False
        family = fonts.FAMILIES[chain[0]]
        longest = max(map(len, text.split()), default=0)
        if not longest:
            return True
        names = {self.register(family.face(b, italic)) for t, b in pairs if t}
        faces = [face_of(name) for name in names]
        if longest * style.fontSize * max(map(self.cache.engine.widest, names)) <= width * 1000:
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
        chain, italic = self.script.fonts, style.name in ITALIC_STYLES
        text = "".join(t for t, _ in pairs)
        if fonts.in_family(chain[0], text):  # the usual case: one family, a face per span
            family = fonts.FAMILIES[chain[0]]
            runs = [(family.face(b, italic), t) for t, b in pairs if t]
        else:
            faces = fonts.faces(text, [b for t, b in pairs for _ in t], chain, italic)
            runs = list(zip(faces, text, strict=True))
        out = []
        for face, group in groupby(runs, key=lambda run: run[0]):
            # & < > escaped, as xml.sax.saxutils.escape does; that module imports urllib.request,
            # http.client, ssl and email (25 modules, ~2 % of a cold build) for nothing here
            chunk = escape("".join(t for _, t in group), quote=False)
            out.append(chunk if face == style.fontName else f'<font face="{self.register(face)}">{chunk}</font>')
        return "".join(out)
