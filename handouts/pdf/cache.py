"""``RenderCache``: everything a process keeps from one handout's PDF for the next.

A pharmacy batch prints the same text for every store, so a worker that keeps the
paragraphs it laid out (parsed and broken into lines) and the lines it shaped renders
the next handout in about half the time. The caller owns this state: the CLI creates one
cache per command, a batch worker one per process, a server one per worker, and passes
it to every ``render``. Two caches never share a paragraph, and every kind is bounded,
so a long or varied run cannot fill memory.

Font faces and the codes of shaped glyphs are not here: they live in reportlab's
registry, which is per process (``engine``); a cache holds the process's engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Any

from cachetools import LRUCache
from reportlab.lib.utils import ImageReader

from .. import shaping
from ..files import file_stamp
from ..qr import QrMatrix, encode
from ..scripts import Script
from . import engine
from .ink import Ink
from .styles import Pairs

# Each kind of paragraph is bounded by the characters it holds, counting ENTRY_CHARS
# more per paragraph for what any entry costs. Laid out, a character takes 25-35 bytes
# (tracemalloc), so each kind stays under ~35 MB however long or varied the batch. All
# 48 variants of baclofen (8 languages x 3 levels x 2 papers) take 0.22 M characters
# of paragraphs and 0.39 M of shaped lines.
KEPT_CHARS = 1_000_000
ENTRY_CHARS = 100
LOGOS = 16  # decoded logo images; a batch rarely has more brands in flight
QR_CODES = 256  # QR matrices of link addresses: a few hundred bytes each; one per medicine, language and level


def weight(pairs: Pairs) -> int:
    """What a paragraph counts against KEPT_CHARS."""
    return ENTRY_CHARS + sum(len(text) for text, _ in pairs)


@dataclass(slots=True)
class Shared:
    """One paragraph (text, style, bullet, script) as reportlab parsed it, and its
    layout at each width it was wrapped at: (the paragraph's state after wrap, size).

    Shared by every handout that prints the same paragraph in the same style. Nothing
    here is changed once stored; reportlab's split and draw read it and make new lists."""

    pairs: Pairs
    text: str  # the markup, as parsed
    frags: list[Any]  # reportlab's ParaFrag objects
    weight: int  # characters, for KEPT_CHARS
    laid: dict[float, tuple[dict[str, object], tuple[float, float]]] = field(default_factory=dict)


Lines = tuple[shaping.Line, ...]
StyleSignature = tuple[tuple[str, object], ...]  # every attribute of a ParagraphStyle
ParagraphKey = tuple[Pairs, Script, StyleSignature, str | None]  # text, script, style, bullet
ShapedKey = tuple[Pairs, Script, float, float, bool]  # text, script, size, width, italic


class RenderCache:
    """Paragraph layouts, shaped lines, decoded logos and QR codes kept between the handouts one
    owner renders, least recently used dropped first. Creating one sets reportlab up for
    this process (``engine.setup``), once."""

    def __init__(self, kept_chars: int = KEPT_CHARS, logos: int = LOGOS, qr_codes: int = QR_CODES):
        self.engine = engine.setup()
        self.ink = Ink(self.engine)
        self.kept_chars = kept_chars
        self.paragraphs: LRUCache[ParagraphKey, Shared] = LRUCache(kept_chars, getsizeof=attrgetter("weight"))
        self.shaped: LRUCache[ShapedKey, tuple[Lines, int]] = LRUCache(kept_chars, getsizeof=itemgetter(1))
        self._logos: LRUCache[tuple[Path, tuple[int, int] | None], ImageReader] = LRUCache(logos)
        self._qr: LRUCache[str, QrMatrix] = LRUCache(qr_codes)

    def keep(self, key: ParagraphKey, shared: Shared) -> None:
        """Keep a parsed paragraph for later handouts, unless it alone is over the cap."""
        if shared.weight <= self.kept_chars:
            self.paragraphs[key] = shared

    def shaped_lines(self, spans: Pairs, script: Script, size: float, width: float, italic: bool) -> Lines:
        """``shaping.layout``, kept for the next handout that prints the same paragraph."""
        key = (spans, script, size, width, italic)
        kept = self.shaped.get(key)
        if kept is None:
            kept = (tuple(shaping.layout(spans, script, size, width, italic)), weight(spans))
            if kept[1] <= self.kept_chars:
                self.shaped[key] = kept
        return kept[0]

    def logo(self, path: Path) -> ImageReader:
        """A logo decoded once (per file version), not once per handout."""
        key = (path, file_stamp(path))
        image = self._logos.get(key)
        if image is None:
            image = self._logos[key] = ImageReader(str(path))
        return image

    def qr(self, url: str) -> QrMatrix:
        """The QR code of ``url``, encoded once (a batch prints one address per medicine,
        language and level, for every store and paper)."""
        matrix = self._qr.get(url)
        if matrix is None:
            matrix = self._qr[url] = encode(url)
        return matrix

    def clear(self) -> None:
        """Drop everything kept (memory back; a benchmark of a one-off build)."""
        self.paragraphs.clear()
        self.shaped.clear()
        self._logos.clear()
        self._qr.clear()
        self.ink = Ink(self.engine)
