"""Line layout for scripts that need shaping or right-to-left order (Arabic, Hebrew,
Devanagari): text -> font runs -> HarfBuzz glyphs -> lines in visual order.

Free of reportlab: the renderer only draws the glyphs it gets. Why our own layout and
not reportlab's ``shaping=1``: reportlab shapes a space-delimited word with the font of
its first run (``ttfonts.shapeFragWord``), so "baclofen،" (Latin font + Arabic comma)
comes out with glyph ids of the wrong font; here every HarfBuzz call sees exactly one
font, because runs split wherever the font (or the bidi level) changes. A word mixing
fonts is therefore shaped correctly, not refused. The cost: Arabic letters do not join
across a bold/regular boundary inside one word.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

import uharfbuzz as hb

from . import bidi, fonts

UNITS = 1000  # glyph metrics are kept in thousandths of an em, as PDF text space is


@dataclass(frozen=True)
class Glyph:
    """One positioned glyph. ``text`` is what it stands for when copied from the PDF:
    the characters of its cluster are dealt out to the cluster's glyphs in reading
    order (one each, the last glyph takes the rest, so a lam-alef ligature stands for
    two), which keeps copied Hindi in logical order even where a vowel sign is drawn
    before its consonant; a glyph left without a character gets "". ``width`` is its
    advance in the font, ``advance`` what shaping gave it."""

    gid: int
    text: str
    width: float
    advance: float
    dx: float
    dy: float


@dataclass(frozen=True)
class Run:
    """Glyphs of one face at one bidi level, in visual (left-to-right) order."""

    face: str
    level: int
    glyphs: tuple[Glyph, ...]

    @property
    def advance(self) -> float:
        return sum(g.advance for g in self.glyphs)


@dataclass(frozen=True)
class Line:
    runs: tuple[Run, ...]  # visual order
    width: float  # points


@cache
def _hb_font(face: str) -> tuple[hb.Font, float]:
    blob = hb.Blob.from_file_path(fonts.path(face))
    hb_face = hb.Face(blob)
    return hb.Font(hb_face), UNITS / hb_face.upem


@lru_cache(maxsize=20000)
def shape(face: str, text: str, rtl: bool) -> tuple[Glyph, ...]:
    """HarfBuzz glyphs of ``text`` in one face and direction, visual order."""
    font, scale = _hb_font(face)
    buf = hb.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    buf.direction = "rtl" if rtl else "ltr"
    hb.shape(font, buf, {"kern": True, "liga": True})
    starts = sorted({info.cluster for info in buf.glyph_infos})
    ends = dict(zip(starts, starts[1:] + [len(text)]))
    members: dict[int, list[int]] = {}
    for i, info in enumerate(buf.glyph_infos):
        members.setdefault(info.cluster, []).append(i)
    texts = [""] * len(buf.glyph_infos)
    for cluster, idx in members.items():
        chars = text[cluster : ends[cluster]]
        chars = chars[::-1] if rtl else chars  # glyphs come in visual order
        for k, i in enumerate(idx):
            part = chars[k:] if k == len(idx) - 1 else chars[k : k + 1]
            texts[i] = part[::-1] if rtl else part
    out = [
        Glyph(
            info.codepoint,
            texts[i],
            font.get_glyph_h_advance(info.codepoint) * scale,
            pos.x_advance * scale,
            pos.x_offset * scale,
            pos.y_offset * scale,
        )
        for i, (info, pos) in enumerate(zip(buf.glyph_infos, buf.glyph_positions))
    ]
    return tuple(out)


def _pieces(text: str, faces: list[str], lv: list[int], start: int, end: int) -> list[Run]:
    """Runs of one face and level between start and end, each shaped on its own."""
    out, i = [], start
    while i < end:
        j = i + 1
        while j < end and faces[j] == faces[i] and lv[j] == lv[i]:
            j += 1
        out.append(Run(faces[i], lv[i], shape(faces[i], text[i:j], lv[i] % 2 == 1)))
        i = j
    return out


def layout(
    spans: Sequence[tuple[str, bool]],
    chain: tuple[str, ...],
    rtl: bool,
    size: float,
    width: float,
    italic: bool = False,
) -> list[Line]:
    """Break (text, bold) spans into lines of at most ``width`` points (a word wider than
    that gets a line of its own) and put each line in visual order."""
    chars: list[tuple[str, bool]] = []
    for part, b in spans:  # collapse white space as reportlab does: one space between words
        for ch in unicodedata.normalize("NFC", part):
            ch = " " if ch.isspace() else ch
            if ch != " " or (chars and chars[-1][0] != " "):
                chars.append((ch, b))
    while chars and chars[-1][0] == " ":
        chars.pop()
    if not chars:
        return []
    text, bold = "".join(ch for ch, _ in chars), [b for _, b in chars]
    faces = fonts.faces(text, bold, chain, italic)
    lv = bidi.levels(text, rtl)
    scale = size / UNITS
    lines: list[list[Run]] = [[]]
    used = 0.0
    for start, end in _words(text):
        word = _pieces(text, faces, lv, start, end)
        advance = sum(p.advance for p in word) * scale
        space = _pieces(text, faces, lv, start - 1, start) if lines[-1] else []
        gap = sum(p.advance for p in space) * scale
        if lines[-1] and used + gap + advance > width:
            lines.append([])
            used, space = 0.0, []
        lines[-1] += space + word
        used += (gap if space else 0.0) + advance
    return [_line(line, scale) for line in lines]


def _words(text: str) -> list[tuple[int, int]]:
    """(start, end) of each space-delimited word; ``text`` has single spaces only."""
    out, i = [], 0
    for word in text.split(" "):
        out.append((i, i + len(word)))
        i += len(word) + 1
    return out


def _line(pieces: list[Run], scale: float) -> Line:
    order = bidi.visual_order([p.level for p in pieces])
    runs = tuple(Run(pieces[k].face, pieces[k].level, pieces[k].glyphs) for k in order)
    return Line(runs, sum(p.advance for p in pieces) * scale)
