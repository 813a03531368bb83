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
# The control characters YAML text may hold as white space: tab, line feed, carriage
# return, next line. The others (vertical tab, form feed, the separators U+001C-U+001F,
# which Python counts as white space: "5\x1c0 mg" printed "5 0 mg") are refused.
_LINE_SPACE = frozenset("\t\n\r\x85")


# Characters already found to print as written: most texts are cleared by one C-level
# set comparison (a batch checks the same few hundred characters millions of times).
# A memo of fixed facts (fonts, Unicode) that no content changes, so the process keeps
# it; emptied when it reaches CLEAN_MAX characters (~6 MB), so odd input cannot grow it.
CLEAN_MAX = 50_000
_CLEAN: set[str] = set()


def problems(text: str) -> list[tuple[int, str, str, str]]:
    """(index, character, what is wrong, hint) for every character that cannot print as written."""
    if _CLEAN.issuperset(text) and unicodedata.is_normalized("NFC", text):  # clean parts may compose
        return []
    out = _problems(text)
    bad = {text[i] for i, *_ in out}
    if len(_CLEAN) > CLEAN_MAX:
        _CLEAN.clear()
    _CLEAN.update(ch for ch in text if ch not in bad)
    return out


def _problems(text: str) -> list[tuple[int, str, str, str]]:
    out = []
    for i, ch in enumerate(text):
        if ch in REORDERING:
            out.append((i, ch, "reorders the text around it invisibly", "delete it: the language sets the direction"))
        elif unicodedata.category(ch) == "Cc" and ch not in _LINE_SPACE:
            out.append((i, ch, "is a control character and prints nothing", "delete it"))
    covered = {i for i, _, _, _ in out}
    out += [
        (i, ch, "is not covered by any bundled font", "replace the character, or ask for a font that has it")
        for i, ch in fonts.uncovered(text)
        if i not in covered
    ]
    return sorted(out + _composed(text, covered | {i for i, *_ in out}))


def _composed(text: str, reported: set[int]) -> list[tuple[int, str, str, str]]:
    """What is drawn is the NFC form: "≤" followed by U+0338 composes into "≰" (U+2270),
    which no font has although both parts pass. Each such character is reported at the
    start of the sequence it comes from."""
    drawn = unicodedata.normalize("NFC", text)
    if drawn == text:
        return []
    out = []
    for _, ch in fonts.uncovered(drawn):
        start = next(i for i in range(len(text)) if ch in unicodedata.normalize("NFC", text[: i + 1]))
        start = max(j for j in range(start + 1) if not unicodedata.combining(text[j]))  # the base character
        if start not in reported:
            out.append(
                (
                    start,
                    text[start],
                    f"with the marks after it composes into {fonts.describe(ch)}, which no bundled font covers",
                    "write the text without the combining mark, or with a character the fonts have",
                )
            )
    return out


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
