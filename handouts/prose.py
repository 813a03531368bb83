"""Numbers in prose: every number a patient acts on comes from ``facts:``.

A dose, an interval, a count or a phone number typed into a sentence of the source
language is invisible to translation QA (which compares a translation with its source,
not with the facts), is printed without the language's number format and can drift from
the fact that says the same thing elsewhere. So in a source-language medicine or
template, a number written in the text is an error that names the fact to add.

Exempt, because they are parts of names and not quantities: digits that directly follow
a letter, or a hyphen after a letter (``B12``, ``CYP3A4``, ``COVID-19``, ``GLP-1``). A
number that starts a word (``5mg``, ``2nd``, ``24/7``) is not exempt. The medicine's own
``name`` is not prose and is not checked (5-FU, 6-MP). Numbers spelled out
in words ("three times a day") cannot be told from ordinary words: reviewers catch those.
"""

from __future__ import annotations

import re
import unicodedata

from .errors import ContentError, Diagnostic
from .loader import KeyPath, Source, format_keypath

_VARIABLE = re.compile(r"{{.*?}}", re.DOTALL)
_NUMERIC = ("Nd", "No", "Nl")  # 5, ٥, ५; ½, ²; Ⅻ


def _is_numeric(ch: str) -> bool:
    return unicodedata.category(ch) in _NUMERIC


def numbers(text: str) -> list[tuple[int, str]]:
    """(index, number) of every number written in ``text`` outside ``{{ ... }}`` and not
    part of a name (see the module docstring)."""
    masked = _VARIABLE.sub(lambda m: " " * len(m.group()), text)
    found = []
    i = 0
    while i < len(masked):
        if not _is_numeric(masked[i]):
            i += 1
            continue
        j = i
        while j < len(masked) and (
            _is_numeric(masked[j]) or (masked[j] in ".,:/" and j + 1 < len(masked) and _is_numeric(masked[j + 1]))
        ):
            j += 1
        before = masked[:i]
        in_name = bool(before) and (
            before[-1].isalpha() or (before[-1] == "-" and len(before) > 1 and before[-2].isalpha())
        )
        if not in_name:
            found.append((i, masked[i:j]))
        i = j
    return found


def check_digits(source: Source, raw: str, keypath: KeyPath) -> None:
    """Refuse numbers written in the prose of a source-language file."""
    found = numbers(raw)
    if not found:
        return
    line, col = source.pos(keypath)
    raise ContentError(
        [
            Diagnostic(
                source.path,
                line,
                col + (i if "\n" not in raw[:i] else 0),
                f"number '{number}' written in the text",
                key=format_keypath(keypath),
                hint="a dose, time, count or phone number comes from facts: add it there, e.g. "
                f"'dose: {{value: {number}, unit: mg}}' or 'times_a_day: {number}', and write "
                "{{ facts.dose }} here (see the authoring guide: numbers in text)",
            )
            for i, number in found[:10]
        ]
    )
