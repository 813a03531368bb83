"""The bundled fonts: registration with reportlab and glyph coverage.

reportlab subsets and embeds TrueType fonts it is given, so every glyph a reader sees
comes from a file in ``fonts/`` and nothing depends on the printer. Coverage is checked
before rendering: a character the font lacks would print as an empty box (a missing "5"
in "5 mg" is a dosing error), so it is an error instead.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from . import paths


@dataclass(frozen=True)
class FontFamily:
    regular: str
    bold: str
    italic: str


BODY = FontFamily("NotoSans", "NotoSans-Bold", "NotoSans-Italic")
_FILES = {BODY.regular: "NotoSans-Regular.ttf", BODY.bold: "NotoSans-Bold.ttf", BODY.italic: "NotoSans-Italic.ttf"}


@lru_cache(maxsize=1)
def register() -> FontFamily:
    """Register the bundled family once per process (workers reuse it for every job)."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for name, filename in _FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(paths.FONTS / filename)))
    addMapping(BODY.regular, 0, 0, BODY.regular)
    addMapping(BODY.regular, 1, 0, BODY.bold)
    addMapping(BODY.regular, 0, 1, BODY.italic)
    addMapping(BODY.regular, 1, 1, BODY.bold)
    return BODY


@lru_cache(maxsize=1)
def _covered() -> frozenset[int]:
    """Code points every face of the family can draw (all styles must have the glyph)."""
    from reportlab.pdfbase import pdfmetrics

    register()
    maps = [set(pdfmetrics.getFont(name).face.charToGlyph) for name in _FILES]
    return frozenset(set.intersection(*maps))


def uncovered(text: str) -> list[tuple[int, str]]:
    """(index, character) for every character no bundled font can draw; spaces and
    line breaks are layout, not glyphs."""
    covered = _covered()
    return [(i, ch) for i, ch in enumerate(text) if ord(ch) not in covered and not ch.isspace()]


def describe(ch: str) -> str:
    """``U+2192 RIGHTWARDS ARROW``: the form used in coverage errors."""
    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'UNNAMED CHARACTER')}"
