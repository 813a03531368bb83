"""Checks on every translated unit against its source: what a reviewer would catch first.

- numbers: the same numbers as the source, digit for digit (Arabic-Indic or Devanagari
  digits count as the same number), and the same unit symbols after them ("5 mg");
- variables: the same ``{{ ... }}`` expressions, so facts and names are still filled in;
- markup: ``**`` in pairs (an odd one prints as stars), as many bold spans as the source
  (a warning: a language may stress differently);
- untranslated: text identical to the source (a warning: a name or "MS" can be legit,
  and ``same_as_source: true`` on the unit says so);
- stale: the source changed after this unit was translated (a warning with the new text
  and the fingerprint to record once the translation is updated).

``build`` runs the first two and the last on the units it prints (``build_check``).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from .content import Library, is_translation
from .errors import Diagnostic
from .text import normalize_space
from .translate import Pair, level_pairs, stale_unit

_VARIABLE = re.compile(r"{{\s*(.*?)\s*}}", re.DOTALL)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_SYMBOL = re.compile(r"(\d+(?:[.,]\d+)*)\s*(mg|mcg|µg|ml|mL|g|kg|%)(?![A-Za-z])")
_LETTERS = re.compile(r"[^\W\d_]{2,}")


def _digits(text: str) -> str:
    """Any script's decimal digits as ASCII, so "٥" and "५" compare equal to "5"."""
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in text)


def _outside_variables(text: str) -> str:
    return _VARIABLE.sub(" ", _digits(text))


def _numbers(text: str) -> Counter[str]:
    return Counter(_NUMBER.findall(_outside_variables(text)))


def _symbols(text: str) -> Counter[tuple[str, str]]:
    return Counter((n, u.lower()) for n, u in _SYMBOL.findall(_outside_variables(text)))


# The forms of the medicine's name are one variable to this check: which form a sentence
# needs ("Stopping baclofen", Russian "Покупка баклофена") is the translator's grammar.
_NAME_FORM = re.compile(r"^medicine\.name_(?:in_sentence|accusative|genitive)$")


def _variables(text: str) -> Counter[str]:
    return Counter(_NAME_FORM.sub("medicine.name", " ".join(v.split())) for v in _VARIABLE.findall(text))


def _shown(item: object) -> str:
    return " ".join(item) if isinstance(item, tuple) else str(item)  # a dose ("8", "mg") as "8 mg"


def _diff(source: Counter[Any], translation: Counter[Any]) -> str:
    missing = ", ".join(sorted(map(_shown, (source - translation).elements())))
    extra = ", ".join(sorted(map(_shown, (translation - source).elements())))
    return "; ".join(
        part for part in (missing and f"missing {missing}", extra and f"not in the source {extra}") if part
    )


# What must be the same in source and translation: how to count it, how to show it.
_COUNTED: tuple[tuple[str, Callable[[str], Counter[Any]], Callable[[Counter[Any]], str]], ...] = (
    ("variables", _variables, lambda c: ", ".join("{{ " + v + " }}" for v in sorted(c))),
    ("numbers", _numbers, lambda c: ", ".join(sorted(c))),
    ("doses", _symbols, lambda c: ", ".join(f"{n} {u}" for n, u in sorted(c))),
)


def check_pair(pair: Pair) -> list[Diagnostic]:
    """Diagnostics for one translated unit (nothing for a unit not translated yet)."""
    if pair.state == "missing" or pair.translation is None or pair.text is None:
        return []
    out = drift(pair)
    source, text = pair.source_text, pair.text
    error = pair.translation.source.error
    identical = normalize_space(text) == normalize_space(source)
    if identical and not pair.same and _LETTERS.search(_VARIABLE.sub("", source)):
        out.append(
            replace(
                error(
                    pair.at,
                    "text is identical to the source: not translated?",
                    "translate it, or add 'same_as_source: true' beside it if it stays as it is on purpose",
                ),
                severity="warning",
            )
        )
    return out + markup(pair) + stale(pair)


def markup(pair: Pair) -> list[Diagnostic]:
    """``**bold**`` markers in pairs, and as many bold spans as the source has."""
    if pair.translation is None or pair.text is None:
        return []
    error = pair.translation.source.error
    stars = [_outside_variables(item).count("**") for item in pair.text.split("\n")]
    if any(count % 2 for count in stars):
        return [error(pair.at, "markup: an unpaired '**' (it would print as stars)", "close every **bold** span")]
    spans, source_spans = sum(stars) // 2, _outside_variables(pair.source_text).count("**") // 2
    if spans != source_spans:
        message = f"markup: {spans} bold span(s) here, {source_spans} in the source"
        return [replace(error(pair.at, message, "keep the source's **bold** words bold"), severity="warning")]
    return []


def drift(pair: Pair) -> list[Diagnostic]:
    """Errors where a translated unit's variables, numbers or doses differ from its source."""
    if pair.state == "missing" or pair.translation is None or pair.text is None:
        return []
    source, text = pair.source_text, pair.text
    out: list[Diagnostic] = []
    for what, count, shown in _COUNTED:
        difference = _diff(count(source), count(text))
        if difference:
            out.append(
                pair.translation.source.error(
                    pair.at,
                    f"{what} differ from the source: {difference}",
                    f"the source has: {shown(count(source)) or 'none'}",
                )
            )
    return out


def stale(pair: Pair, severity: str = "warning") -> list[Diagnostic]:
    """A unit whose source changed after it was translated."""
    if pair.state != "stale":
        return []
    return [replace(stale_unit(pair), severity=severity)]


def build_check(
    library: Library, medicine: str, lang: str, level: str, section_ids: list[str], *, require_current: bool
) -> list[Diagnostic]:
    """The QA of what one build prints: a translation whose numbers or variables differ
    from its source is an error (a dose removed or changed must not reach a patient);
    stale units are warnings, or errors with ``require_current``. A source-language
    file has nothing to compare with: nothing to report."""
    if not is_translation(library, library.medicine_path(medicine, lang)):
        return []
    out = []
    for pair in level_pairs(library, medicine, lang, level, section_ids):
        out += drift(pair) + stale(pair, "error" if require_current else "warning")
    return list(dict.fromkeys(out))
