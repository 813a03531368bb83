"""Breaking a word that is wider than a whole line.

A 300-character URL, a drug name glued to its dose, a long run of text without spaces:
drawn as one word it would run off the page, where a printer clips it, and a reader
loses characters without knowing. Such a word is cut into pieces that each fit a line,
and every piece but the last ends with ``MARK`` (U+2010 HYPHEN) so the reader sees
that the word goes on.

Cuts fall only between user-perceived characters (``linebreak.graphemes``: ICU's
extended grapheme clusters, Indic conjuncts included), so an accent never leaves its
letter and a Devanagari conjunct is never torn apart. Measuring is the caller's
business: reportlab's character widths for most scripts, HarfBuzz advances for shaped
ones. Free of reportlab.
"""

from __future__ import annotations

from collections.abc import Callable

from . import linebreak

SLASH_FILL = 0.75  # a piece may end after a "/" when that still fills this much of it
MARK = "\u2010"  # HYPHEN: looks like a hyphen on paper; in copied text it is told apart from "-"


def cluster_bounds(text: str, start: int, end: int) -> list[int]:
    """Offsets in ``text`` where a grapheme cluster of ``text[start:end]`` starts, plus ``end``."""
    return [start] + [start + i for i in linebreak.graphemes(text[start:end])]


Measure = Callable[[int, int, bool], float]
"""``measure(a, b, marked)``: width of ``text[a:b]``, followed by ``MARK`` if marked."""


def break_word(text: str, bounds: list[int], measure: Measure, width: float) -> list[tuple[int, int]]:
    """(start, end) of the pieces of a word of ``text`` (``bounds`` from
    ``cluster_bounds``): each piece but the last is the longest run of clusters that
    fits ``width`` with the mark after it, or a little shorter to end after a "/" (a
    URL then breaks between its parts); the last fits without a mark. A single cluster
    wider than the line (never seen with our fonts) still becomes a piece of its own:
    overflowing by a glyph beats dropping it. A word that fits is one piece.

    Only about a line's worth of text is measured per piece (``_piece_end``), never
    the rest of the word: for shaped scripts a measurement shapes the text, so
    measuring the rest each time made a word of 45,000 Arabic letters take 40 s and
    3 GB, growing with the square of its length."""
    pieces: list[tuple[int, int]] = []
    a, last = 0, len(bounds) - 1
    while last - a > 1:
        end = _piece_end(bounds, a, last, measure, width)
        if end is None:
            break
        slash = next((b for b in range(end, a, -1) if text[bounds[b] - 1] == "/"), None)  # a cluster ending in "/"
        if slash and measure(bounds[a], bounds[slash], True) >= SLASH_FILL * measure(bounds[a], bounds[end], True):
            end = slash
        pieces.append((bounds[a], bounds[end]))
        a = end
    pieces.append((bounds[a], bounds[last]))
    return pieces


def _piece_end(bounds: list[int], a: int, last: int, measure: Measure, width: float) -> int | None:
    """Index in ``bounds`` where the piece starting at ``bounds[a]`` ends: the most
    clusters that fit with the mark (at least one), or None when the rest of the word
    fits without one. Gallops (1, 2, 4, ... clusters) until a span overflows, then
    bisects between the last span that fit and it, so it measures spans of at most
    about twice a line, about 2 log2(line) times."""
    fit, step = a, 1
    while a + step < last and measure(bounds[a], bounds[a + step], True) <= width:
        fit, step = a + step, step * 2
    over = min(a + step, last)  # the first span known not to fit with the mark, or the end
    if last - a <= 2 * (over - a) and measure(bounds[a], bounds[last], False) <= width:
        return None  # what is left is short enough to measure, and fits
    lo, hi = max(fit, a + 1), over - 1 if over < last else last - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if measure(bounds[a], bounds[mid], True) <= width:
            lo = mid
        else:
            hi = mid - 1
    return lo
