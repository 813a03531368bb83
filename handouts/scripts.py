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
    and our own line layout (Arabic joining, Devanagari conjuncts, right-to-left order);
    other scripts are drawn character by character by reportlab, which is correct for
    them and faster. ``line_break`` "cjk" breaks between any two characters except
    where kinsoku rules forbid it (no line starting with 。 or ）).
    """

    direction: Literal["ltr", "rtl"]
    fonts: tuple[str, ...]
    line_break: Literal["word", "cjk"] = "word"
    shape: bool = False

    @property
    def rtl(self) -> bool:
        return self.direction == "rtl"


LATIN = Script("ltr", ("NotoSans",))
_SCRIPTS = {
    "ar": Script("rtl", ("NotoSansArabic", "NotoSans"), shape=True),
    "he": Script("rtl", ("NotoSansHebrew", "NotoSans"), shape=True),
    "hi": Script("ltr", ("NotoSansDevanagari", "NotoSans"), shape=True),
    "zh-Hans": Script("ltr", ("NotoSansSC", "NotoSans"), line_break="cjk"),
    "zh-Hant": Script("ltr", ("NotoSansTC", "NotoSans"), line_break="cjk"),
    "ja": Script("ltr", ("NotoSansJP", "NotoSans"), line_break="cjk"),
    "ko": Script("ltr", ("NotoSansKR", "NotoSans")),
}
_ALIASES = {"zh": "zh-Hans", "zh-CN": "zh-Hans", "zh-SG": "zh-Hans", "zh-TW": "zh-Hant", "zh-HK": "zh-Hant"}


def script_for(lang: str) -> Script:
    """The profile of a BCP-47 code; unknown languages (en, es, vi, ru, el, ...) get Latin
    first, and Noto Sans also covers Cyrillic, Greek and Vietnamese."""
    lang = _ALIASES.get(lang, lang)
    if lang in _SCRIPTS:
        return _SCRIPTS[lang]
    return _SCRIPTS.get(lang.split("-")[0], LATIN)
