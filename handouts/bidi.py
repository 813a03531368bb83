"""Unicode bidirectional algorithm: embedding levels and visual reordering.

Why not reportlab's own RTL support: it needs the module ``rlbidi`` (not on PyPI), and
even with a stand-in, reportlab 5.1 disables bidi for paragraphs with more than one font
run (``bidiSort = False #doBidi`` in ``Paragraph.breakLines``) and, when shaping, simply
reverses the words of each line, so "5 mg" and a full stop land on the wrong side.
Every Arabic handout has font runs (Latin drug names, bold), so we resolve levels here
and reorder lines ourselves.

The levels come from python-bidi's main engine, which wraps the Rust ``unicode-bidi``
crate: a complete UAX #9, bracket pairs (rule N0) included, that passes every
explicit-direction case of Unicode's BidiCharacterTest.txt (tests/test_bidi.py runs an
excerpt). Its legacy pure-Python ``bidi.algorithm``, used before, has no bracket pairing:
"تناول (Hostilol) 5 mg" drew the dose inside the brackets, away from its unit, and
about one case in seven of that conformance file came out wrong. python-bidi exposes
the levels it computed only as the debug form of the crate's ``BidiInfo`` (one level per
UTF-8 byte); ``levels`` reads them from there and checks that it found one per byte, so
a change of that form fails loudly (and the conformance test names it), never silently.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from bidi import get_display

# Bidi classes that can raise a level above 0 in a left-to-right paragraph: strong
# right-to-left letters, Arabic digits and the explicit embeddings and isolates.
_RAISING = {"R", "AL", "AN", "LRE", "LRO", "RLE", "RLO", "LRI", "RLI", "FSI"}
_LEVEL = re.compile(r"Level\(\s*(\d+),?\s*\)")
# Field names at the start of a line of the pretty-printed BidiInfo: the text itself is
# printed escaped (a newline in it shows as "\n"), so it cannot contain these.
_LEVELS_START = "\n    levels: ["
_LEVELS_END = "\n    ],\n    paragraphs:"


def levels(text: str, rtl: bool) -> list[int]:
    """Resolved embedding level per character (odd = right-to-left), for a paragraph
    whose base direction is given by its language rather than guessed from its text (an
    Arabic paragraph that starts with "Baclofen" is still right-to-left). A left-to-right
    paragraph without any right-to-left character is all level 0, found without running
    the algorithm: most paragraphs of most handouts."""
    if not rtl and not any(unicodedata.bidirectional(ch) in _RAISING for ch in text):
        return [0] * len(text)
    if not text:
        return []
    info = get_display(text, base_dir="R" if rtl else "L", debug=True)
    start = info.index(_LEVELS_START) + len(_LEVELS_START)
    per_byte = [int(level) for level in _LEVEL.findall(info, start, info.index(_LEVELS_END, start))]
    if len(per_byte) != len(text.encode()):  # pragma: no cover - a python-bidi release changed its debug form
        raise RuntimeError(f"python-bidi gave {len(per_byte)} levels for {len(text.encode())} bytes")
    out, offset = [], 0
    for ch in text:
        out.append(per_byte[offset])
        offset += len(ch.encode())
    return out


def visual_order(run_levels: Sequence[int]) -> list[int]:
    """Indices of runs (of one line, in logical order) in left-to-right display order
    (UAX #9 rule L2: from the highest level down to the lowest odd one, reverse every
    maximal sequence at that level or above)."""
    order = list(range(len(run_levels)))
    if not order:
        return order
    lowest_odd = min(level for level in run_levels) | 1
    for level in range(max(run_levels), lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if run_levels[order[i]] >= level:
                j = i
                while j < len(order) and run_levels[order[j]] >= level:
                    j += 1
                order[i:j] = order[i:j][::-1]
                i = j
            else:
                i += 1
    return order
