"""Numbers, quantities and dates in the reader's language, from CLDR via Babel.

Facts are written once, in the source file, as numbers with a unit (``{value: 5, unit:
mg}``); each language prints them its own way: "5 mg", "5 мг", "5 ملغم", "3 días",
"2026年11月21日". Nothing here formats by hand; the two things Babel leaves out are
filled from CLDR data Babel already ships:

- a unit pattern in the requested length: several locales (zh, vi, ja) only have the
  short form of durations (Arabic's long form only has "per day"), so lengths fall back
  long -> short -> narrow instead of printing "3 duration-day";
- a number always shows: where a plural form spells the number out (Arabic "أسبوعان",
  "two weeks"), the general form with digits is used, so QA and readers see "2";
- a number range: CLDR's range pattern ("{0}–{1}") is not exposed by Babel, so the root
  pattern is used, with the plural form of the upper bound ("1–2 weeks").

Digits are Latin ("latn") in every language, also where CLDR defaults to others (Persian):
medicine boxes and prescriptions print doses that way, and a reader compares the leaflet with the box.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel import Locale

# Units authors may use in facts -> CLDR unit id and the length that reads naturally:
# symbols for doses ("5 mg"), words for time ("3 days").
UNITS: dict[str, tuple[str, str]] = {
    "mg": ("mass-milligram", "short"),
    "mcg": ("mass-microgram", "short"),
    "g": ("mass-gram", "short"),
    "ml": ("volume-milliliter", "short"),
    "minute": ("duration-minute", "long"),
    "hour": ("duration-hour", "long"),
    "day": ("duration-day", "long"),
    "week": ("duration-week", "long"),
    "month": ("duration-month", "long"),
}
RANGE = "{0}–{1}"
_LENGTHS = ("long", "short", "narrow")


@lru_cache(maxsize=64)
def babel_locale(lang: str) -> Locale:
    """``zh-Hans`` (BCP 47, as in file names) -> Babel's ``zh_Hans``."""
    from babel import Locale  # imported lazily: CLDR data loads on first use

    return Locale.parse(lang, sep="-")


def is_known(lang: str) -> bool:
    from babel import UnknownLocaleError

    try:
        babel_locale(lang)
    except (UnknownLocaleError, ValueError):
        return False
    return True


@lru_cache(maxsize=4096)  # page labels ask for the same few numbers on every page of every handout
def number(value: float, lang: str) -> str:
    """Every digit the author wrote, never rounded: Babel's default pattern keeps three
    decimals, so 0.0625 mg would print "0.062 mg" and 0.0004 mg "0 mg". The loader only
    accepts numbers a float keeps exactly (yamlnumbers), and ``repr`` gives back their
    digits; only the separators are the language's."""
    from babel.numbers import format_decimal

    exact = Decimal(value) if isinstance(value, int) else Decimal(repr(value))
    return format_decimal(exact, locale=babel_locale(lang), decimal_quantization=False, numbering_system="latn")


def date(value: datetime.date, lang: str) -> str:
    """The long date form of the language: "November 21, 2026", "21 ноября 2026 г."."""
    from babel.dates import format_date

    return format_date(value, "long", locale=babel_locale(lang))


def day_month(value: datetime.date, lang: str) -> str:
    """Day and month, short, as the language writes them: "Dec 2", "2 дек.", "12月2日"."""
    from babel.dates import format_skeleton

    return format_skeleton("MMMd", value, locale=babel_locale(lang))


def weekday(value: datetime.date, lang: str) -> str:
    """The day of the week, abbreviated where the language abbreviates it: "Wed", "ср", "周三"."""
    from babel.dates import format_skeleton

    return format_skeleton("E", value, locale=babel_locale(lang))


def quantity(value: float, unit: str, lang: str, upto: float | None = None) -> str:
    """``5 mg``, or a range ``1–2 weeks`` when ``upto`` is given, never broken across lines."""
    locale = babel_locale(lang)
    unit_id, length = UNITS[unit]
    patterns = locale._data["unit_patterns"][unit_id]
    lengths = [length] + [other for other in _LENGTHS if other != length]
    table: dict[str, str] = next(patterns[name] for name in lengths if "other" in patterns.get(name, {}))
    plural = locale.plural_form(value if upto is None else upto)
    pattern = table.get(plural, table["other"])
    if "{0}" not in pattern:  # Arabic "أسبوعان" (two weeks) has no digits: a dose must show them
        pattern = table["other"]
    text = number(value, lang) if upto is None else RANGE.format(number(value, lang), number(upto, lang))
    # a no-break space: "5" at the end of one line and "mg" at the start of the next is
    # a dose misread waiting to happen (CLDR already uses one in some languages)
    return pattern.format(text).replace(" ", "\u00a0")
