"""The text operators that draw a shaped run, made once per run and kept between
documents.

reportlab draws a shaped string glyph by glyph in Python (``PDFTextObject._formatText``:
a private code per glyph, the font subset each falls in, then the TJ array with
HarfBuzz's offsets), which is about a third of rendering an Arabic, Hindi, Chinese or
Korean handout. A run of glyphs drawn again comes out the same whenever the subsets
its codes fall in, their names and the size are the same, as they are in every handout
after the first that prints the same paragraph: so its operators are kept, keyed by
those. The subsets are still asked of reportlab for every run (``splitString``: the
document must embed what it prints), so a kept run puts no glyph into a PDF that the
PDF does not embed, and the bytes are those reportlab writes (tests/test_ink.py).
"""

from __future__ import annotations

from typing import Any

from cachetools import LRUCache
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapeData, ShapedStr, TTFont

from .. import shaping
from .engine import Engine

# Runs kept: ~2.5 KB each with their keys (tracemalloc), so 20 MB at most; the 12 shaped
# handouts of baclofen (ar hi zh-Hans ko x 3 levels) in both print sizes hold 4,500.
RUNS = 8_000
Pieces = tuple[tuple[int, bytes], ...]  # (subset, codes in it), as reportlab's splitString gives them


class Ink:
    """Operators of shaped runs for one process's ``Engine``. A run is known by its
    identity: the shaped lines (``RenderCache.shaped``) hand the same ``Run`` to every
    handout that prints the same paragraph, and every entry here keeps its run alive,
    so an identity is never another run's while its entry lasts."""

    def __init__(self, engine: Engine, runs: int = RUNS):
        self.engine = engine
        self._text: LRUCache[int, tuple[shaping.Run, int, str]] = LRUCache(runs)
        self._ops: LRUCache[tuple[int, float, Pieces, tuple[str, ...]], tuple[shaping.Run, str]] = LRUCache(runs)

    def __len__(self) -> int:
        """Runs whose operators are kept."""
        return len(self._ops)

    def draw(self, canv: Any, run: shaping.Run, size: float, x: float, y: float) -> None:
        """Draw ``run`` at (x, y) in ``size`` points, as ``beginText(x, y)``,
        ``setFont(face, size)``, ``textOut`` and ``drawText`` would."""
        face = self.engine.register(run.face)
        font = pdfmetrics.getFont(face)
        assert isinstance(font, TTFont)
        text = self._codes(face, run)
        doc = canv._doc
        pieces = tuple(font.splitString(text, doc))
        names = tuple(font.getSubsetInternalName(subset, doc) for subset, _ in pieces)
        key = (id(run), size, pieces, names)
        kept = self._ops.get(key)
        if kept is None:
            shaped = ShapedStr(
                text,
                # one ShapeData per glyph, as reportlab reads it (types-reportlab declares a single one)
                [ShapeData(i, g.advance, 0, g.dx, g.dy, g.width) for i, g in enumerate(run.glyphs)],  # type: ignore[arg-type]
            )
            tx = canv.beginText(x, y)
            tx.setFont(face, size)
            kept = self._ops[key] = (run, tx._formatText(shaped))
        canv._code.append(f"BT 1 0 0 1 {fp_str(x, y)} Tm {kept[1]} ET")

    def _codes(self, face: str, run: shaping.Run) -> str:
        """The run's glyphs as character codes (``GlyphCodes``), until the codes are
        given back (``GlyphCodes.trim`` starts a new generation)."""
        codes = self.engine.codes
        kept = self._text.get(id(run))
        if kept is None or kept[1] != codes.generation:
            text = "".join(chr(codes.code(face, g)) for g in run.glyphs)
            kept = self._text[id(run)] = (run, codes.generation, text)
        return kept[2]
