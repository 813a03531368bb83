"""What the content library offers, as the form's lists and ``GET /api/v1/medicines``
show it: each medicine with the languages it is written in, each language named in its
own language and script (a reader looks for "العربية", not "Arabic"), with its text
direction and review status.

Read through the front process's own ``Library``, whose file cache re-reads an edited
file, so a new translation appears without a restart.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from .. import l10n
from ..catalog import layouts as list_layouts
from ..content import is_translation, load_medicine, load_medicine_translation
from ..errors import ContentError
from ..library import Library
from ..scripts import UnsupportedLanguage, script_for


@dataclass(frozen=True)
class Language:
    code: str
    name: str  # in the language itself
    direction: str  # "ltr" or "rtl"


@dataclass(frozen=True)
class Edition:
    """One medicine in one language."""

    language: Language
    medicine_name: str  # as written in that language
    status: str  # draft or reviewed
    revised: datetime.date


@dataclass(frozen=True)
class Medicine:
    id: str
    name: str  # in its source language
    editions: tuple[Edition, ...]


def language(code: str) -> Language:
    name = l10n.babel_locale(code).display_name if l10n.is_known(code) else None
    try:
        direction = script_for(code).direction
    except UnsupportedLanguage:
        direction = "ltr"
    return Language(code, name or code, direction)


def medicines(library: Library) -> list[Medicine]:
    """Every medicine with a file that loads; a broken file is left out here (building
    it names the problem)."""
    editions: dict[str, list[Edition]] = {}
    names: dict[str, str] = {}
    for medicine, lang, path in library.medicines():
        try:
            if is_translation(library, path):
                translated = load_medicine_translation(library, path).doc
                name, status, revised = translated.name.text, translated.status, translated.revised
            else:
                source = load_medicine(library, path).doc
                name, status, revised = source.name, source.status, source.revised
                names[medicine] = name
        except ContentError:
            continue
        editions.setdefault(medicine, []).append(Edition(language(lang), name, status, revised))
    return [Medicine(m, names.get(m, m), tuple(found)) for m, found in editions.items()]


def interface_languages(library: Library) -> list[Language]:
    """Languages a handout can be printed in: those with interface strings."""
    codes = sorted({path.stem for root in library.roots for path in (root / "strings").glob("*.yaml")})
    return [language(code) for code in codes]


def layouts(library: Library) -> list[str]:
    rows, _ = list_layouts(library)
    return [row[0] for row in rows[1:] if row[1] != "invalid"]
