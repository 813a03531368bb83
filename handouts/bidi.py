"""Unicode bidirectional algorithm: embedding levels and visual reordering.

Why not reportlab's own RTL support: it needs the module ``rlbidi`` (not on PyPI), and
even with a stand-in, reportlab 5.1 disables bidi for paragraphs with more than one font
run (``bidiSort = False #doBidi`` in ``Paragraph.breakLines``) and, when shaping, simply
reverses the words of each line, so "5 mg" and a full stop land on the wrong side.
Every Arabic handout has font runs (Latin drug names, bold), so we resolve levels here
with python-bidi's pure-Python UAX #9 implementation and reorder lines ourselves.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from bidi import algorithm as uax9

# Bidi classes that can raise a level above 0 in a left-to-right paragraph: strong
# right-to-left letters, Arabic digits and the explicit embeddings and isolates.
_RAISING = {"R", "AL", "AN", "LRE", "LRO", "RLE", "RLO", "LRI", "RLI", "FSI"}


def levels(text: str, rtl: bool) -> list[int]:
    """Resolved embedding level per character (odd = right-to-left), for a paragraph
    whose base direction is given by its language rather than guessed from its text (an
    Arabic paragraph that starts with "Baclofen" is still right-to-left). A left-to-right
    paragraph without any right-to-left character is all level 0, found without running
    the (pure-Python) algorithm: most CJK paragraphs."""
    if not rtl and not any(unicodedata.bidirectional(ch) in _RAISING for ch in text):
        return [0] * len(text)
    storage = uax9.get_empty_storage()
    storage["base_level"] = 1 if rtl else 0
    storage["base_dir"] = "R" if rtl else "L"
    uax9.get_embedding_levels(text, storage)
    uax9.explicit_embed_and_overrides(storage)
    uax9.resolve_weak_types(storage)
    uax9.resolve_neutral_types(storage, False)
    uax9.resolve_implicit_levels(storage, False)
    return [ch["level"] for ch in storage["chars"]]


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
