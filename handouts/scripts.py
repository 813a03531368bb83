"""What a language needs from the renderer: direction, fonts, line breaking, shaping.

The profile is chosen by *script*, and the script of a language code comes from CLDR's
likely subtags (via Babel) for any BCP 47 code: ``fa`` is Arabic script, ``yi`` Hebrew,
``mr`` Devanagari, ``zh-Hans-CN`` and ``zh`` Simplified Han, ``zh-TW`` Traditional; an
explicit script subtag (``pa-Arab``) wins. A table of language codes, as before, gave
every code it did not list Latin layout: Persian printed left to right with unjoined
letters. A code whose script has no bundled font is refused (``unsupported``) before
anything is drawn. Regional glyph forms matter for Han characters (the same code point
is drawn differently in China, Taiwan, Japan and Korea), so CJK fonts are chosen by the
script subtag, never by the characters alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal


@dataclass(frozen=True)
class Script:
    """Rendering profile of one language.

    ``fonts`` is the per-character fallback chain: a character is drawn with the first
    family that has it (see ``fonts.font_for``). ``shape`` routes text through HarfBuzz
    and our own line layout (Arabic joining, Devanagari conjuncts, right-to-left order,
    and UAX #14 line breaking, which holds the kinsoku rules of Chinese and Japanese: no
    line starts with "。" or "）" nor ends with "（"); Latin, Cyrillic and Greek are
    drawn and broken at spaces by reportlab, which is correct for them and faster.
    ``keep_all`` breaks only at spaces and punctuation, never between two letters:
    Korean words stay whole, as Korean is usually set.
    """

    direction: Literal["ltr", "rtl"]
    fonts: tuple[str, ...]
    shape: bool = False
    keep_all: bool = False

    @property
    def rtl(self) -> bool:
        return self.direction == "rtl"


LATIN = Script("ltr", ("NotoSans",))
# ISO 15924 script -> profile, for every script a bundled font covers. Noto Sans also
# covers Cyrillic, Greek and Vietnamese.
_BY_SCRIPT = {
    "Latn": LATIN,
    "Cyrl": LATIN,
    "Grek": LATIN,
    "Arab": Script("rtl", ("NotoSansArabic", "NotoSans"), shape=True),
    "Hebr": Script("rtl", ("NotoSansHebrew", "NotoSans"), shape=True),
    "Deva": Script("ltr", ("NotoSansDevanagari", "NotoSans"), shape=True),
    "Hans": Script("ltr", ("NotoSansSC", "NotoSans"), shape=True),
    "Hant": Script("ltr", ("NotoSansTC", "NotoSans"), shape=True),
    "Jpan": Script("ltr", ("NotoSansJP", "NotoSans"), shape=True),
    "Kore": Script("ltr", ("NotoSansKR", "NotoSans"), shape=True, keep_all=True),
}


SUPPORTED_HINT = (
    "printable scripts: Latin, Cyrillic, Greek, Arabic, Hebrew, Devanagari, Chinese (Hans, Hant), "
    "Japanese, Korean; write the code as BCP 47, e.g. fa, zh-Hant"
)


class UnsupportedLanguage(ValueError):
    """A language code CLDR does not know, or whose script no bundled font covers."""


@lru_cache(maxsize=256)
def script_code(lang: str) -> str:
    """The ISO 15924 script of a BCP 47 code: its own script subtag, else CLDR's likely
    one for the language and region, else for the language alone."""
    from babel.core import get_global, parse_locale  # CLDR data loads on first use

    try:
        language, territory, script, *_ = parse_locale(lang, sep="-")
    except ValueError:
        raise UnsupportedLanguage(f"'{lang}' is not a BCP 47 language code") from None
    if script:
        return script.title()
    likely = get_global("likely_subtags")
    for key in (f"{language}_{territory}" if territory else None, language):
        if key and key in likely:
            return parse_locale(likely[key])[2] or ""
    raise UnsupportedLanguage(f"CLDR does not know the language '{lang}'")


def script_for(lang: str) -> Script:
    """The profile of a BCP 47 code; raises UnsupportedLanguage (see ``unsupported``)."""
    problem = unsupported(lang)
    if problem:
        raise UnsupportedLanguage(problem)
    return _BY_SCRIPT[script_code(lang)]


def unsupported(lang: str) -> str:
    """Why ``lang`` cannot be printed ("" when it can): an unknown code, or a script
    without a bundled font (a Thai leaflet would print empty boxes)."""
    try:
        code = script_code(lang)
    except UnsupportedLanguage as exc:
        return str(exc)
    if code not in _BY_SCRIPT:
        return f"'{lang}' is written in the {code} script, which no bundled font covers"
    return ""
