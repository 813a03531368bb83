"""Line layout for scripts that need shaping, right-to-left order or their own line
breaking rules (Arabic, Hebrew, Devanagari; Chinese, Japanese, Korean): text -> font
runs -> HarfBuzz glyphs -> lines broken where UAX #14 allows (``linebreak``) -> lines
in visual order.

Free of reportlab: the renderer only draws the glyphs it gets. Why our own layout and
not reportlab's ``shaping=1``: reportlab shapes a space-delimited word with the font of
its first run (``ttfonts.shapeFragWord``), so "baclofen،" (Latin font + Arabic comma)
comes out with glyph ids of the wrong font; here every HarfBuzz call sees exactly one
font, because runs split wherever the font (or the bidi level) changes. A word mixing
fonts is therefore shaped correctly, not refused. The cost: Arabic letters do not join
across a bold/regular boundary inside one word.

CJK text comes here for its line breaks: reportlab's CJK wrapping breaks the rules of
kinsoku (see ``linebreak``), while this layout already breaks lines for other scripts
and gains them by asking ``linebreak`` where a line may end. HarfBuzz draws CJK as
reportlab did (one glyph a character, the font's advances) and kerns Latin words in it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

import uharfbuzz as hb

from . import bidi, fonts, linebreak, wordbreak
from .scripts import Script

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
    # the line's characters in logical (reading) order, up to where the next line starts:
    # the lines of a paragraph joined give its text, with no break mark (a tagged PDF's ActualText)
    text: str = ""


@lru_cache(maxsize=32)  # one per bundled face (8 families, up to 3 faces each)
def _hb_font(face: str) -> tuple[hb.Font, float]:
    blob = hb.Blob.from_file_path(fonts.path(face))
    hb_face = hb.Face(blob)
    return hb.Font(hb_face), UNITS / hb_face.upem


FEATURES = {"kern": True, "liga": True}


def _buffer(text: str, rtl: bool) -> hb.Buffer:
    buf = hb.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    buf.direction = "rtl" if rtl else "ltr"
    return buf


@lru_cache(maxsize=20000)
def shape(face: str, text: str, rtl: bool) -> tuple[Glyph, ...]:
    """HarfBuzz glyphs of ``text`` in one face and direction, visual order."""
    font, scale = _hb_font(face)
    buf = _buffer(text, rtl)
    hb.shape(font, buf, FEATURES)
    starts = sorted({info.cluster for info in buf.glyph_infos})
    ends = dict(zip(starts, starts[1:] + [len(text)], strict=True))
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
        for i, (info, pos) in enumerate(zip(buf.glyph_infos, buf.glyph_positions, strict=True))
    ]
    return tuple(out)


def _advance(text: str, faces: list[str], lv: list[int], start: int, end: int) -> float:
    """The advance of ``_pieces(...)``, for a trial span of a word being broken: shaped
    as it would be, but neither turned into glyphs nor kept in ``shape``'s cache, which
    both cost more than the shaping itself."""
    total, i = 0.0, start
    while i < end:
        j = i + 1
        while j < end and faces[j] == faces[i] and lv[j] == lv[i]:
            j += 1
        font, scale = _hb_font(faces[i])
        buf = _buffer(text[i:j], lv[i] % 2 == 1)
        hb.shape(font, buf, FEATURES)
        total += sum(pos.x_advance * scale for pos in buf.glyph_positions)
        i = j
    return total


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
    spans: Sequence[tuple[str, bool]], script: Script, size: float, width: float, italic: bool = False
) -> list[Line]:
    """Break (text, bold) spans into lines of at most ``width`` points, at the break
    opportunities of ``linebreak`` (UAX #14: kinsoku for CJK, spaces elsewhere), and put
    each line in visual order. A word wider than a whole line is broken with a mark
    (``_broken``) rather than left to run off the page."""
    text, bold = _collapse(spans)
    if not text:
        return []
    faces = fonts.faces(text, bold, script.fonts, italic)
    lv = bidi.levels(text, script.rtl)
    scale = size / UNITS
    lines: list[list[_Word]] = [[]]
    used = 0.0
    spaces: list[Run] = []  # after the last word: drawn only if the line goes on
    for start, stop, end in _words(text, script.keep_all):
        whole = _pieces(text, faces, lv, start, stop)
        too_wide = sum(p.advance for p in whole) * scale > width
        pieces = _broken(text, faces, lv, start, stop, width / scale) if too_wide else [(start, whole)]
        for k, (begin, word) in enumerate(pieces):
            advance = sum(p.advance for p in word) * scale
            gap = sum(p.advance for p in spaces) * scale
            if lines[-1] and (k or used + gap + advance > width):  # a broken word's later pieces start lines
                lines.append([])
                used, gap = 0.0, 0.0
            word_gap = gap if lines[-1] else 0.0
            lines[-1].append(_Word(spaces, word, text[start:stop], word_gap, advance, k > 0, begin))
            used += gap + advance
            spaces = []
        spaces = _pieces(text, faces, lv, stop, end)
    _no_lone_character(lines, width, scale)
    starts = [line[0].start for line in lines] + [len(text)]
    return [
        _line([run for i, w in enumerate(line) for run in (w.spaces if i else []) + w.runs], scale, text[a:b])
        for line, a, b in zip(lines, starts, starts[1:], strict=False)
    ]


@dataclass(frozen=True)
class _Word:
    """What ``layout`` put on a line: a word (or a piece of a broken one) with the
    spaces before it, drawn unless the word starts its line."""

    spaces: list[Run]
    runs: list[Run]
    text: str
    gap: float  # the spaces' width in points, 0 for the first word of a line
    advance: float  # the word's width in points
    piece: bool  # a broken word's later piece: it must start its line
    start: int  # where the word (or the piece) starts in the paragraph's text


def _no_lone_character(lines: list[list[_Word]], width: float, scale: float) -> None:
    """A last line holding one CJK character (and punctuation) takes the last word of the
    line above, when that line keeps another and the two fit: "心：" alone under a full
    line reads as a stray mark, and typesetters avoid it (JLREQ, "no single character
    on the last line")."""
    if len(lines) < 2 or len(lines[-2]) < 2 or lines[-1][0].piece:
        return
    letters = [ch for w in lines[-1] for ch in w.text if unicodedata.category(ch)[0] not in "PZ"]
    if len(letters) != 1 or not unicodedata.name(letters[0], "").startswith(_CJK):
        return
    moved, first = lines[-2][-1], lines[-1][0]
    gap = sum(r.advance for r in first.spaces) * scale
    if moved.advance + gap + sum(w.gap + w.advance for w in lines[-1]) > width:
        return
    lines[-2].pop()
    lines[-1][0] = replace(first, gap=gap)
    lines[-1].insert(0, replace(moved, gap=0.0))


_CJK = ("CJK", "HANGUL", "HIRAGANA", "KATAKANA")


def _collapse(spans: Sequence[tuple[str, bool]]) -> tuple[str, list[bool]]:
    """Text and per-character boldness with white space collapsed as reportlab does: one
    space between words, none at either end."""
    chars: list[tuple[str, bool]] = []
    for part, b in spans:
        for ch in unicodedata.normalize("NFC", part):
            ch = " " if ch.isspace() and ch not in linebreak.NO_BREAK_SPACES else ch
            if ch != " " or (chars and chars[-1][0] != " "):
                chars.append((ch, b))
    while chars and chars[-1][0] == " ":
        chars.pop()
    return "".join(ch for ch, _ in chars), [b for _, b in chars]


def _words(text: str, keep_all: bool) -> list[tuple[int, int, int]]:
    """(start, stop, end) of each unit between two break opportunities: its visible
    part ends at ``stop``, the spaces after it at ``end``; ``text`` has single spaces."""
    out, start = [], 0
    for end in linebreak.breaks(text, keep_all):
        stop = end
        while stop > start and text[stop - 1] == " ":
            stop -= 1
        out.append((start, stop, end))
        start = end
    return out


def _broken(
    text: str, faces: list[str], lv: list[int], start: int, end: int, width: float
) -> list[tuple[int, list[Run]]]:
    """A word wider than a line (``width`` in font units) in pieces that fit
    (``wordbreak``), each but the last ending with the break mark in the face and at the
    bidi level of the character before it. Pieces are shaped on their own: Arabic
    letters at a break take their final and initial forms, as in a hyphenated word.
    Each piece comes with where it starts in ``text``."""

    def mark(i: int) -> Run:
        return Run(faces[i], lv[i], shape(faces[i], wordbreak.MARK, lv[i] % 2 == 1))

    def measure(a: int, b: int, marked: bool) -> float:
        return _advance(text, faces, lv, a, b) + (mark(b - 1).advance if marked else 0.0)

    spans = wordbreak.break_word(text, wordbreak.cluster_bounds(text, start, end), measure, width)
    return [(a, _pieces(text, faces, lv, a, b) + ([mark(b - 1)] if b < end else [])) for a, b in spans]


def _line(pieces: list[Run], scale: float, text: str) -> Line:
    """One line in visual order, neighbouring pieces of one face and level merged into one
    run (a run is one PDF text object: a Chinese line is one or a few, not one a character)."""
    runs: list[Run] = []
    for p in pieces:
        if runs and (runs[-1].face, runs[-1].level) == (p.face, p.level):
            last = runs[-1]  # glyphs are in visual order: a right-to-left piece goes first
            runs[-1] = Run(p.face, p.level, p.glyphs + last.glyphs if p.level % 2 else last.glyphs + p.glyphs)
        else:
            runs.append(p)
    order = bidi.visual_order([r.level for r in runs])
    return Line(tuple(runs[k] for k in order), sum(r.advance for r in runs) * scale, text)
