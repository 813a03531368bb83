"""The bundled fonts: which file draws which character, and coverage checks.

reportlab subsets and embeds TrueType fonts it is given, so every glyph a reader sees
comes from a file in ``fonts/`` and nothing depends on the printer. Coverage is checked
before rendering: a character no font has would print as an empty box (a missing "5"
in "5 mg" is a dosing error), so it is an error instead.

Coverage comes from ``fonts/manifest.json`` (written by ``fonts/make_manifest.py``):
code point ranges per family, so checking an English handout never opens a 10 MB CJK
font. Each family's ranges are one string, turned into numbers only when that family is
first asked about: the CJK families are 99 % of the file, and decoding all of it as JSON
lists cost every fresh process ~14 ms (now 0.15 ms for the Latin family alone). Fonts are
parsed only when a handout actually draws with them: ``pdf.engine`` registers them with
reportlab; this module never imports it.
"""

from __future__ import annotations

import bisect
import json
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from . import paths


@dataclass(frozen=True)
class Family:
    """One typeface in the styles we print; ``italic`` is None where the script has no
    italic (the summary line then uses the upright face)."""

    name: str
    regular: str
    bold: str
    italic: str | None = None

    def face(self, bold: bool = False, italic: bool = False) -> str:
        """reportlab font name (also the file stem) of one style."""
        if bold:
            return self.bold
        return (italic and self.italic) or self.regular


def _family(name: str, italic: bool = False) -> Family:
    return Family(name, f"{name}-Regular", f"{name}-Bold", f"{name}-Italic" if italic else None)


# Fallback order for characters outside a language's own chain (scripts.Script.fonts).
FAMILIES: dict[str, Family] = {
    f.name: f
    for f in (
        Family("NotoSans", "NotoSans", "NotoSans-Bold", "NotoSans-Italic"),  # Latin incl. Vietnamese, Cyrillic, Greek
        _family("NotoSansArabic"),
        _family("NotoSansHebrew"),
        _family("NotoSansDevanagari"),
        _family("NotoSansSC"),
        _family("NotoSansTC"),
        _family("NotoSansJP"),
        _family("NotoSansKR"),
    )
}
LATIN = FAMILIES["NotoSans"]
MANIFEST = "manifest.json"


KNOWN_MAX = 100_000  # code points remembered per family (~10 MB)


class Coverage:
    """Sorted, non-overlapping code point ranges; membership by binary search, remembered
    per code point (a handout asks about the same few hundred characters thousands of
    times)."""

    def __init__(self, ranges: str):
        """``ranges``: "first-last first-last ...", as fonts/make_manifest.py writes them."""
        bounds = [int(bound) for pair in ranges.split() for bound in pair.split("-")]
        self._starts = bounds[0::2]
        self._ends = bounds[1::2]
        self._known: dict[int, bool] = {}

    def __contains__(self, cp: int) -> bool:
        known = self._known.get(cp)
        if known is None:
            if len(self._known) > KNOWN_MAX:  # text full of rare characters cannot grow it
                self._known.clear()
            i = bisect.bisect_right(self._starts, cp) - 1
            known = self._known[cp] = i >= 0 and cp <= self._ends[i]
        return known


@lru_cache(maxsize=1)
def _manifest() -> dict[str, str]:
    coverage: dict[str, str] = json.loads((paths.FONTS / MANIFEST).read_text(encoding="utf-8"))["coverage"]
    return coverage


@lru_cache(maxsize=len(FAMILIES))
def coverage(family: str) -> Coverage:
    """Code points every style of a family can draw (a bold word must not lose a glyph
    the regular face has); built per family on first use."""
    return Coverage(_manifest()[family])


@lru_cache(maxsize=65536)
def family_for(ch: str, chain: tuple[str, ...]) -> Family | None:
    """The first family of the language's chain that has ``ch``, else the first bundled
    family that has it (a Chinese drug name in an English text), else None."""
    cp = ord(ch)
    for name in chain + tuple(FAMILIES):
        if cp in coverage(name):
            return FAMILIES[name]
    return None


def faces(text: str, bold: Sequence[bool], chain: tuple[str, ...], italic: bool = False) -> list[str]:
    """Face per character. Letters take the first family of the chain that has them;
    digits, punctuation, spaces and marks stay in the previous character's font when it
    has them, so "5" and "،" inside Arabic do not split the run; invisible format
    characters (ZWNJ, ZWJ, word joiner, soft hyphen) always do, so a Persian word written
    with a ZWNJ is shaped as one word. A character no font
    has is an error: coverage is checked before rendering, and a .notdef box must
    never reach paper."""
    if chain and in_family(chain[0], text):  # fast path: the language's own font has every character
        first = FAMILIES[chain[0]]
        return [first.face(b, italic) for b in bold]
    out: list[str] = []
    prev: Family | None = None
    for ch, b in zip(text, bold, strict=True):
        family = None
        category = unicodedata.category(ch)
        if prev and (category == "Cf" or (not category.startswith("L") and ord(ch) in coverage(prev.name))):
            family = prev  # a joiner, word joiner or soft hyphen never splits a word (HarfBuzz hides it)
        family = family or family_for(ch, chain)
        if family is None:
            raise ValueError(f"{describe(ch)} is not covered by any bundled font")
        out.append(family.face(b, italic))
        prev = family
    return out


def uncovered(text: str) -> list[tuple[int, str]]:
    """(index, character) for every character no bundled font can draw; spaces and
    line breaks are layout, not glyphs. (coverage.problems remembers clean characters,
    so the hot path rarely gets here.)"""
    return [(i, ch) for i, ch in enumerate(text) if not ch.isspace() and family_for(ch, ()) is None]


# Characters already found in a family: most texts are checked by one C-level set
# comparison instead of a lookup per character. A memo of the bundled fonts, bounded by
# what each family covers (at most ~45,000 characters, for CJK).
_IN_FAMILY: dict[str, set[str]] = {}


def in_family(family: str, text: str) -> bool:
    """Whether ``family`` draws every character of ``text`` (remembered per character)."""
    known = _IN_FAMILY.setdefault(family, set())
    if known.issuperset(text):
        return True
    has = coverage(family)
    if all(ord(ch) in has for ch in set(text) - known):
        known.update(text)
        return True
    return False


_UNNAMED = {"Cc": "<control>", "Co": "<private use>", "Cs": "<surrogate>", "Cn": "<unassigned>"}


def describe(ch: str) -> str:
    """``U+2192 RIGHTWARDS ARROW``: the form used in coverage errors (the Unicode
    Standard's own labels for characters without a name, such as ``<control>``)."""
    name = unicodedata.name(ch, "") or _UNNAMED.get(unicodedata.category(ch), "UNNAMED CHARACTER")
    return f"U+{ord(ch):04X} {name}"


def path(face: str) -> str:
    """The file of a face: its name, except Latin regular, which keeps the reportlab
    name "NotoSans" it always had."""
    return str(paths.FONTS / f"{'NotoSans-Regular' if face == 'NotoSans' else face}.ttf")
