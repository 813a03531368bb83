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
    overflowing by a glyph beats dropping it. A word that fits is one piece."""
    pieces: list[tuple[int, int]] = []
    a, last = 0, len(bounds) - 1
    while last - a > 1 and measure(bounds[a], bounds[last], False) > width:
        lo, hi = a + 1, last - 1  # the piece ends at bounds[b], lo <= b <= hi
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if measure(bounds[a], bounds[mid], True) <= width:
                lo = mid
            else:
                hi = mid - 1
        slash = next((b for b in range(lo, a, -1) if text[bounds[b] - 1] == "/"), None)  # a cluster ending in "/"
        if slash and measure(bounds[a], bounds[slash], True) >= SLASH_FILL * measure(bounds[a], bounds[lo], True):
            lo = slash
        pieces.append((bounds[a], bounds[lo]))
        a = lo
    pieces.append((bounds[a], bounds[last]))
    return pieces
