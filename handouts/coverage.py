"""Every character an author writes must be printable by a bundled font: a glyph the
fonts lack would print as an empty box (a missing "5" in "5 mg" is a dosing error), so
it is an error with the exact line and column instead."""

from __future__ import annotations

from . import fonts
from .errors import ContentError, Diagnostic
from .loader import KeyPath, Source, format_keypath


def coverage_check(source: Source, text: str, keypath: KeyPath, note: str = "") -> None:
    """Refuse characters the bundled fonts cannot draw: they would print as empty boxes."""
    missing = fonts.uncovered(text)
    if missing:
        line, col = source.pos(keypath)
        raise ContentError(
            [
                Diagnostic(
                    source.path,
                    line,
                    col + (i if "\n" not in text[:i] else 0),
                    f"{fonts.describe(ch)} is not covered by any bundled font{note}",
                    key=format_keypath(keypath),
                    hint="replace the character, or ask for a font that has it",
                )
                for i, ch in missing[:10]
            ]
        )
