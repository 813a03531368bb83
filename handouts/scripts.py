"""What a language needs from the renderer: direction, fonts, line breaking, shaping.

One table keyed by BCP-47 code, so adding a language is one line and the renderer never
tests language codes itself. Regional glyph forms matter for Han characters (the same
code point is drawn differently in China, Taiwan, Japan and Korea), so CJK fonts are
chosen by language, never by the characters alone.
"""

from __future__ import annotations

from dataclasses import dataclass
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
_SCRIPTS = {
    "ar": Script("rtl", ("NotoSansArabic", "NotoSans"), shape=True),
    "he": Script("rtl", ("NotoSansHebrew", "NotoSans"), shape=True),
    "hi": Script("ltr", ("NotoSansDevanagari", "NotoSans"), shape=True),
    "zh-Hans": Script("ltr", ("NotoSansSC", "NotoSans"), shape=True),
    "zh-Hant": Script("ltr", ("NotoSansTC", "NotoSans"), shape=True),
    "ja": Script("ltr", ("NotoSansJP", "NotoSans"), shape=True),
    "ko": Script("ltr", ("NotoSansKR", "NotoSans"), shape=True, keep_all=True),
}
_ALIASES = {"zh": "zh-Hans", "zh-CN": "zh-Hans", "zh-SG": "zh-Hans", "zh-TW": "zh-Hant", "zh-HK": "zh-Hant"}


def script_for(lang: str) -> Script:
    """The profile of a BCP-47 code; unknown languages (en, es, vi, ru, el, ...) get Latin
    first, and Noto Sans also covers Cyrillic, Greek and Vietnamese."""
    lang = _ALIASES.get(lang, lang)
    if lang in _SCRIPTS:
        return _SCRIPTS[lang]
    return _SCRIPTS.get(lang.split("-")[0], LATIN)
