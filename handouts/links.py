"""A brand's ``link``: the address of the online version of each handout, such as
``https://example.org/leaflets/{medicine}/{lang}/{level}``, checked when the brand is
loaded and filled in for each handout.

The handout prints the address and a QR code of it, and a patient's phone opens it, so
it must be an ``https`` address (a phone opening a plain ``http`` page can be shown
anything on the way), and its placeholders are the three that name a handout. A
placeholder takes no format (``{lang:>999999}`` would pad, ``{lang!r}`` quote), as in
batch manifests' output patterns. No ``urllib`` here: a cold build imports none of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from string import Formatter

from .errors import did_you_mean

FIELDS = ("medicine", "lang", "level")
# https, a host (letters, digits, dots, hyphens, a port), then a path without white space;
# what fills a placeholder is a slug, a language code or a level, never a space.
_HTTPS = re.compile(r"https://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[^\s]*)?")
EXAMPLE = "https://example.org/leaflets/{medicine}/{lang}/{level}"


@dataclass(frozen=True)
class LinkProblem:
    """What is wrong with a link, where in it (a character offset), and how to fix it."""

    message: str
    hint: str
    offset: int = 0


def check(template: str) -> LinkProblem | None:
    """The first problem of a brand's link, or None."""
    try:
        parsed = list(Formatter().parse(template))
    except ValueError as exc:  # a lone "{" or "}"
        return LinkProblem(f"bad link '{template}': {exc}", "placeholders look like {medicine}; write {{ for a '{'")
    offset = 0
    for literal, field, spec, conversion in parsed:
        offset += len(literal)
        if field is None:
            continue
        if field not in FIELDS:
            return LinkProblem(f"unknown placeholder {{{field}}} in link", did_you_mean(field, FIELDS), offset)
        if spec or conversion:
            return LinkProblem(f"placeholder {{{field}}} in link has a format", f"write {{{field}}}", offset)
        offset += len(field) + 2
    if not _HTTPS.fullmatch(fill(template, "medicine", "en", "easy")):
        return LinkProblem(
            "link must be an https:// web address without spaces",
            f"write the whole address, e.g. {EXAMPLE}",
        )
    return None


def fill(template: str, medicine: str, lang: str, level: str) -> str:
    """The address of one handout (``check`` passed)."""
    return template.format(medicine=medicine, lang=lang, level=level)
