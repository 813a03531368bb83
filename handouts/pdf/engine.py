"""reportlab as this process uses it: the faces registered with it, the codes given to
shaped glyphs in them, and the two reportlab settings we change.

All of it is per process by nature: reportlab keeps its font registry (``pdfmetrics``),
its settings (``rl_config``) and its ToUnicode function (``ttfonts``) in module globals,
and a registered font object is shared by every document that uses it. So this module
makes that explicit: ``setup()`` returns the process's one ``Engine``, creating it on
first use and installing the changes then, never at import. Every ``RenderCache`` of a
process holds that engine. Importing ``handouts.pdf`` changes nothing in reportlab.
"""

from __future__ import annotations

from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics, ttfonts

from .. import fonts, shaping
from . import subsets
from .subsets import SharedSubsetsTTFont

PUA_START = 0xF0000  # Supplementary Private Use Area-A: no bundled font maps it
# Private codes kept before they are all given back, at the start of a document: the
# planes A and B hold 131,068, and a long-running process meets ever new glyph clusters.
MAX_CODES = 50_000


def face_of(name: str) -> ttfonts.TTFontFace:
    """The TrueType face of a registered font: every font we register is TrueType, and
    reportlab's ``getFont`` is declared to return its Type 1 ``Font``."""
    font = pdfmetrics.getFont(name)
    if not isinstance(font, ttfonts.TTFont):
        raise TypeError(f"{name} is not a TrueType font")
    return font.face


class GlyphCodes:
    """Character codes for shaped glyphs. reportlab maps text to glyphs through the
    font's cmap, but a conjunct or a final form has no code point of its own, so we give
    it a private one, entered in the face's cmap. Its ToUnicode entry is the text the
    glyph stands for, so copying from the PDF gives the Arabic or Hindi the author wrote.

    The codes never reach the PDF (reportlab numbers each subset's glyphs from 0), so
    giving them back and starting over changes no byte; it must only never happen inside
    a document, hence ``trim`` between documents."""

    def __init__(self, limit: int = MAX_CODES):
        self.limit = limit
        self.generation = 0  # one more each time the codes are given back
        self._codes: dict[tuple[str, int, str], int] = {}
        self._text: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self._codes)

    def code(self, face: str, glyph: shaping.Glyph) -> int:
        font = face_of(face)
        if len(glyph.text) == 1 and font.charToGlyph.get(ord(glyph.text)) == glyph.gid:
            return ord(glyph.text)
        key = (face, glyph.gid, glyph.text)
        code = self._codes.get(key)
        if code is None:
            code = self._codes[key] = PUA_START + len(self._text)
            self._text[code] = glyph.text
            font.charToGlyph[code] = glyph.gid
            font.charWidths[code] = glyph.width
        return code

    def text(self, code: int) -> str:
        """What a code stands for: its glyph's text for a private code, else itself."""
        return self._text.get(code, chr(code))

    def trim(self) -> None:
        """Between documents: give every private code back once there are more than
        ``limit``, and with them the subsets made from those codes."""
        if len(self._codes) <= self.limit:
            return
        for (face, _, _), code in self._codes.items():
            font, tt = pdfmetrics.getFont(face), face_of(face)
            tt.charToGlyph.pop(code, None)
            tt.charWidths.pop(code, None)
            if isinstance(font, SharedSubsetsTTFont):
                font.packed.clear()  # keyed by codes that will mean other glyphs
        self._codes.clear()
        self._text.clear()
        self.generation += 1


class Engine:
    """The faces this process registered with reportlab (parsed on first use: a CJK font
    takes ~0.1 s, so an English build never parses one), their glyph codes, and the
    widest advance of each face (for the fast long-word check)."""

    def __init__(self) -> None:
        self.codes = GlyphCodes()
        self._registered: set[str] = set()  # asked per text run: answered without reportlab's list
        self._widest: dict[str, tuple[int, float]] = {}

    def register(self, face: str) -> str:
        """Register one bundled face with reportlab on first use; the name to use in styles."""
        if face not in self._registered:
            if face not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(SharedSubsetsTTFont(face, fonts.path(face)))
            self._registered.add(face)
        return face

    def widest(self, face: str) -> float:
        """The widest advance of any character in ``face`` (1/1000 em), remembered until
        the face gains a character (``GlyphCodes.code`` adds shaped glyphs)."""
        widths = face_of(face)
        size, widest = self._widest.get(face, (-1, 0.0))
        if size != len(widths.charWidths):
            size, widest = len(widths.charWidths), max(widths.defaultWidth, *widths.charWidths.values())
            self._widest[face] = (size, widest)
        return widest

    def forget_subsets(self) -> None:
        """Drop every compressed font subset kept for later documents (a one-off build
        in a benchmark; a test comparing with reportlab's own subsetting)."""
        for name in self._registered:
            font = pdfmetrics.getFont(name)
            if isinstance(font, SharedSubsetsTTFont):
                font.packed.clear()


_ENGINE: Engine | None = None


def setup() -> Engine:
    """The process's engine, created and installed on the first call; later calls
    return the same one and change nothing."""
    global _ENGINE
    if _ENGINE is None:
        _ENGINE = Engine()
        install(_ENGINE.codes)
    return _ENGINE


def install(codes: GlyphCodes) -> None:
    """Our two changes to reportlab's globals, made once (a second call does nothing):

    - streams are written binary (Flate only), not also ASCII85-encoded: reportlab's
      default makes every font and image stream a quarter larger, for 7-bit mail
      transports no printer uses;
    - the ToUnicode CMap maps a private glyph code to its text (``GlyphCodes``) and
      leaves out reportlab's unused codes, which it maps to U+0000 (``subsets``)."""
    rl_config.useA85 = 0
    if getattr(ttfonts.makeToUnicodeCMap, "codes", None) is not None:
        return

    def to_unicode_cmap(fontname: str, subset: list[int]) -> str:
        """``subsets.to_unicode_cmap``: a private code maps to the text of its glyph
        (several characters for a ligature), no entry to U+0000."""
        return subsets.to_unicode_cmap(fontname, subset, codes.text)

    to_unicode_cmap.codes = codes  # type: ignore[attr-defined]  # marks the install, see the check above
    ttfonts.makeToUnicodeCMap = to_unicode_cmap
