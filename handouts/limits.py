"""Limits on the shape of content, so that the cost of a build is bounded by numbers an
author can read in SECURITY.md rather than by whatever a file happens to hold.

The loader bounds a file as a whole (size, values after aliases, nesting); these bound
what the layout pays for: the longest run of characters without a space (a word wider
than a line is broken piece by piece, each piece measured) and the most items in one
list. Both are far beyond real leaflets: the longest run in the shipped content has 110
characters, the longest list 11 items. A CJK paragraph has no spaces: it is one run.
"""

from __future__ import annotations

import re
from typing import Any

from .errors import ContentError
from .loader import KeyPath, Source, texts

MAX_WORD_CHARS = 2_000
MAX_LIST_ITEMS = 1_000
# A section title or subhead, counted once its variables are filled in (resolve.py). The
# longest one still fits one page in every script at large print (28/22/20 pt), so no
# heading's content is split over two pages; 150 characters is over twice the longest
# shipped heading. Plain-language guidance wants a heading of a few words anyway.
MAX_HEADING_CHARS = 150
MAX_PROBLEMS = 20
_RUN = re.compile(rf"\S{{{MAX_WORD_CHARS + 1},}}")


def check_limits(source: Source) -> None:
    """Raise ContentError at every word and list past its limit (the first few)."""
    problems = [
        source.error(keypath, f"a word of {len(run[0]):,} characters; the limit is {MAX_WORD_CHARS:,}", _WORD_HINT)
        for keypath, text in texts(source.data)
        if (run := _RUN.search(text))
    ]
    problems += [
        source.error(keypath, f"a list of {size:,} items; the limit is {MAX_LIST_ITEMS:,}", "split it into lists")
        for keypath, size in _lists(source.data)
        if size > MAX_LIST_ITEMS
    ]
    if problems:
        raise ContentError(problems[:MAX_PROBLEMS])


_WORD_HINT = "put spaces between words; a pasted block of data does not belong in a handout"


def _lists(data: Any, keypath: KeyPath = ()) -> list[tuple[KeyPath, int]]:
    """(key path, length) of every list in parsed data."""
    if isinstance(data, dict):
        return [found for key, value in data.items() for found in _lists(value, keypath + (key,))]
    if isinstance(data, list):
        return [(keypath, len(data))] + [found for i, v in enumerate(data) for found in _lists(v, keypath + (i,))]
    return []
