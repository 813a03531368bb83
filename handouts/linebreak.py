"""Where a line may end: the Unicode line breaking algorithm (UAX #14), from ICU.

UAX #14 already holds the rules of Chinese and Japanese typesetting (kinsoku shori): no
break before a closing or terminal mark (classes CL, CP, EX, IS, NS: "，" "）" "。" "！"
"：" "・"), none after an opening one (OP: "（" "「" "《"), none inside a Latin word or a
number, a break between two ideographs. ICU is asked for the strict variant
(``lb=strict``, also ICU's root default), which treats small kana and "ー" (class CJ) as
non-starters too, the strict setting of JIS X 4051 (W3C JLREQ).
Strict breaking is the same for every language, so no language is passed: ICU's
language-specific rules are the looser Japanese variants and phrase breaking, which we
do not want.

Why ICU (the ``icu4py`` bindings, whose wheels bundle ICU, so nothing is needed from
the system) and not reportlab's ``wordWrap="CJK"`` or a pure-Python UAX #14: reportlab
(``cjkFragSplit``) fills a line character by character and, on overflow, hangs at most
one non-starter from its own table in the margin, so "ー。" or "）。" still start a line;
it never looks at what a line ends with (its CANNOT_END table is unused); and when the
overflow falls in a Latin word it backs up to the last space or CJK character, so "（"
ends the line before "baclofen" and "5 mg" splits at its space. ``uniseg`` (pure Python) gives the same
breaks as ICU but takes about 70 µs a character: 0.14 s for one Chinese handout, three
times its whole render; ICU takes about 0.1 µs.

Two tailorings on top, both for medical text:

- a number keeps what follows it: no break after a number and its spaces ("5 mg",
  "3 天", "5 mg을") nor inside a range ("1–2 周"), so a dose never loses its unit at a
  line end;
- ``keep_all`` (Korean): no break between two letters or digits, so Korean breaks at
  spaces and after punctuation only, keeping its words whole (CSS ``word-break:
  keep-all``), as Korean is usually set and as reportlab set it before.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

STRICT = "und@lb=strict"
_RANGE = "–~～〜"  # "1–2", "1～2": a range breaks neither before nor after its dash
NO_BREAK_SPACES = "\u00a0\u2007\u202f"  # the layout keeps them as written: "5\u00a0mg" must not break


def breaks(text: str, keep_all: bool = False) -> list[int]:
    """Offsets where a line may end, ascending; the last is ``len(text)``. A break at
    ``i`` puts ``text[:i]`` on one line (with its trailing spaces, which the layout
    leaves out of the line's width) and ``text[i:]`` on the next."""
    from icu4py.breakers import LineBreaker  # loads ICU (~15 ms): only for the scripts laid out here

    return [i for i in _ends(LineBreaker(text, STRICT)) if i == len(text) or _allowed(text, i, keep_all)]


def graphemes(text: str) -> list[int]:
    """Ends of the user-perceived characters of ``text`` (a consonant with its vowel
    signs, a letter with its accents): where a word too long for any line is cut, so
    that it wraps instead of running off the page."""
    from icu4py.breakers import CharacterBreaker

    return _ends(CharacterBreaker(text, STRICT))


def _ends(segments: Iterable[str]) -> list[int]:
    """Offsets in the Python string. ``segments()`` of icu4py counts UTF-16 code units,
    which differ after a character outside the BMP (𠮷), so the pieces are counted."""
    out, end = [], 0
    for piece in segments:
        end += len(piece)
        out.append(end)
    return out


def _allowed(text: str, i: int, keep_all: bool) -> bool:
    before, after = text[i - 1], text[i]
    j = i
    while j > 0 and text[j - 1] in " " + NO_BREAK_SPACES:
        j -= 1
    if j > 0 and text[j - 1].isdigit():
        return False  # "5 | mg"
    if before in _RANGE and i > 1 and text[i - 2].isdigit() and after.isdigit():
        return False  # "1– | 2"
    return not (keep_all and _letter(before) and _letter(after))


def _letter(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LNM"
