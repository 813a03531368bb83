"""Numbers in YAML files must read as they look: a dose is printed from what YAML read,
so any written form YAML turns into a different value is refused.

PyYAML follows YAML 1.1, even in a file that declares ``%YAML 1.2``: ``010`` is octal 8,
``0x10`` is 16, ``0b11`` is 3, ``1:30`` is sexagesimal 90 and ``1_000`` is 1000. Each would
print on a leaflet as a number the author never wrote. Two more forms read correctly but
are on the ISMP list of error-prone dose notations, and a leaflet is where they do harm:
a trailing zero (``5.0 mg`` is misread as ``50 mg``) and a missing leading zero (``.5 mg``
as ``5 mg``). Exponents (``1.0e-3``) are refused too: a reader never sees one, and the
printed decimal would be digits the author did not write.

The one accepted form, plain decimal digits with at most 15 significant digits, is kept
exactly by a Python float (``repr`` gives back the written digits), which is what lets
l10n print every digit the author wrote and no other.
"""

from __future__ import annotations

import re

_PLAIN = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]*[1-9])?")
MAX_DIGITS = 15  # a double keeps any 15-digit decimal exactly (DBL_DIG)

_FORMS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"[-+]?0x", re.I), "hexadecimal (YAML 1.1)"),
    (re.compile(r"[-+]?0b", re.I), "binary (YAML 1.1)"),
    (re.compile(r".*:"), "base 60, as minutes:seconds (YAML 1.1)"),
    (re.compile(r".*_"), "with '_' digit separators (YAML 1.1)"),
    (re.compile(r"[-+]?0[0-9]"), "octal, for its leading zero (YAML 1.1)"),
    (re.compile(r"[-+]?\.(inf|nan)", re.I), "not a finite number"),
)


def problem(text: str, value: object) -> tuple[str, str] | None:
    """(message, hint) when the plain scalar ``text``, which YAML read as the number
    ``value``, is not written in the one accepted form; None when it is."""
    if _PLAIN.fullmatch(text):
        digits = text.lstrip("-").replace(".", "").lstrip("0")
        if len(digits) > MAX_DIGITS:
            return f"number '{text}' has more than {MAX_DIGITS} digits", "no dose needs that many: round it as printed"
        return None
    quote = "; put it in quotes if it is text, not a number"
    for pattern, form in _FORMS:
        if pattern.match(text):
            return (
                f"number '{text}' is {form}: YAML reads it as {value}, not as written",
                "write the number in plain decimal digits" + quote,
            )
    if text.startswith("+"):
        return f"number '{text}' has a plus sign", f"write it without '+', e.g. {text[1:]}" + quote
    if re.fullmatch(r"-?\.[0-9]+", text):
        fixed = text.replace(".", "0.", 1)
        return (
            f"number '{text}' has no leading zero: '{text} mg' is misread as '{text.replace('.', '', 1)} mg'",
            f"write {fixed}",
        )
    if "e" in text.lower():
        return f"number '{text}' is in exponent notation", "write it out in plain decimal digits, e.g. 0.001" + quote
    whole, _, fraction = text.partition(".")
    fixed = whole + ("." + fraction.rstrip("0") if fraction.rstrip("0") else "")
    return (
        f"number '{text}' has a trailing zero or point: '{text} mg' is misread as ten times the dose",
        f"write {fixed}" + quote,
    )
