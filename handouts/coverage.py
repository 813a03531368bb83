"""Every character an author writes must print as itself: a glyph the fonts lack would
print as an empty box (a missing "5" in "5 mg" is a dosing error), so it is an error with
the exact line and column instead. So are characters that print nothing while changing
what is printed: control characters, and the explicit bidi embeddings, overrides and
isolates that reorder text invisibly (in an Arabic leaflet, RIGHT-TO-LEFT OVERRIDE turns
a printed "12" into "21" while every check still reads "12")."""

from __future__ import annotations

import unicodedata

from . import fonts
from .errors import ContentError, Diagnostic
from .loader import KeyPath, Source, format_keypath

# LRE RLE PDF LRO RLO and LRI RLI FSI PDI. The marks LRM, RLM and ALM stay allowed: they
# only settle the direction of neighbouring punctuation, which right-to-left text needs.
REORDERING = frozenset(chr(cp) for cp in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))


# Characters already found to print as written: most texts are cleared by one C-level
# set comparison (a batch checks the same few hundred characters millions of times).
_CLEAN: set[str] = set()


def problems(text: str) -> list[tuple[int, str, str, str]]:
    """(index, character, what is wrong, hint) for every character that cannot print as written."""
    if _CLEAN.issuperset(text):
        return []
    out = _problems(text)
    bad = {text[i] for i, *_ in out}
    _CLEAN.update(ch for ch in text if ch not in bad)
    return out


def _problems(text: str) -> list[tuple[int, str, str, str]]:
    out = []
    for i, ch in enumerate(text):
        if ch in REORDERING:
            out.append((i, ch, "reorders the text around it invisibly", "delete it: the language sets the direction"))
        elif unicodedata.category(ch) == "Cc" and not ch.isspace():
            out.append((i, ch, "is a control character and prints nothing", "delete it"))
    covered = {i for i, _, _, _ in out}
    out += [
        (i, ch, "is not covered by any bundled font", "replace the character, or ask for a font that has it")
        for i, ch in fonts.uncovered(text)
        if i not in covered
    ]
    return sorted(out)


def coverage_check(source: Source, text: str, keypath: KeyPath, note: str = "") -> None:
    """Refuse characters that would not print as written (see the module docstring)."""
    found = problems(text)
    if found:
        line, col = source.pos(keypath)
        raise ContentError(
            [
                Diagnostic(
                    source.path,
                    line,
                    col + (i if "\n" not in text[:i] else 0),
                    f"{fonts.describe(ch)} {what}{note}",
                    key=format_keypath(keypath),
                    hint=hint,
                )
                for i, ch, what, hint in found[:10]
            ]
        )
