"""gettext PO for Poedit, Weblate, Crowdin and friends, written and read by translate-toolkit.

One entry per unit: ``msgctxt`` is the unit id (so two identical English texts stay two
entries), ``#.`` the note. Variables become python-brace-format fields, the format whose
fields gettext's ``msgfmt -c``, pofilter and the CAT tools check for a translator:
``{{ facts.start_dose }}`` is exported as ``{facts.start_dose}`` and a literal brace as
``{{`` or ``}}``; the import writes each field back as the variable it stands for.
``**bold**`` stays as it is (PO has no inline codes); the import checks it pairs up.

States: a stale unit is ``#, fuzzy`` with the English it was translated from as
``#| msgid``; ``#, ignore-same`` (Weblate's flag for its "unchanged" check) marks a unit
the same as its source on purpose; ``#, max-length:N`` (Weblate's) carries a length limit.
"""

from __future__ import annotations

import re
import string
from pathlib import Path
from typing import Any

from translate.storage import pypo

from . import inline
from .errors import Diagnostic, clip
from .exchange_xliff import Incoming
from .units import Unit

FORMAT_FLAG = "python-brace-format"
SAME_FLAG = "ignore-same"
_FIELD_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$")


def _escape(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def encode(parts: list[inline.Part] | tuple[inline.Part, ...]) -> str:
    out = []
    for part in parts:
        if isinstance(part, str):
            out.append(_escape(part))
        elif isinstance(part, inline.Var):
            if not _FIELD_NAME.match(part.name):
                raise ValueError(f"the variable {clip(part.code, 60)} cannot be a PO field; export as XLIFF")
            out.append(f"{{{part.name}}}")
        else:
            out.append(f"**{encode(part.parts)}**")
    return "".join(out)


def write(units: list[Unit], source_lang: str, lang: str, medicine: str) -> bytes:
    store = pypo.pofile()
    store.updateheader(
        add=True,
        Language=lang,
        Content_Type="text/plain; charset=UTF-8",
        X_Source_Language=source_lang,
        X_Handouts_Medicine=medicine,
    )
    for unit in units:
        source = inline.parse(unit.source, unit.kind)
        entry = store.UnitClass(encode(source))
        entry.setcontext(unit.id)
        if unit.target:
            entry.target = encode(inline.parse(unit.target, unit.kind))
        entry.addnote(unit.note, origin="developer")
        if "{" in entry.source:
            entry.settypecomment(FORMAT_FLAG)
        if unit.max_length is not None:
            entry.settypecomment(f"max-length:{unit.max_length}")
        if unit.same:
            entry.settypecomment(SAME_FLAG)
        if unit.state == "stale":
            entry.markfuzzy()
            if unit.previous_source is not None:
                entry.prev_source = encode(inline.parse(unit.previous_source, unit.kind))
        store.addunit(entry)
    return bytes(store)


def read(data: bytes, path: Path, expected: dict[str, Unit]) -> tuple[list[Incoming], list[Diagnostic]]:
    try:
        store = pypo.pofile.parsestring(data)
    except (ValueError, UnicodeDecodeError) as exc:
        return [], [Diagnostic(path, 0, 0, f"not a readable PO file: {clip(exc, 200)}", hint="export with --format po")]
    lines = _context_lines(data)
    found: list[Incoming] = []
    problems: list[Diagnostic] = []
    for entry in store.units:
        if entry.isheader() or entry.isobsolete():
            continue
        uid = entry.getcontext()
        line = lines.get(uid, 0)
        unit = expected.get(uid)
        if unit is None:
            message = f"unknown unit '{clip(uid, 120)}'" if uid else "an entry without msgctxt (the unit id)"
            problems.append(Diagnostic(path, line, 0, message, hint=_UNKNOWN))
            continue
        try:
            text = decode(entry.target, unit)
        except ValueError as exc:
            problems.append(Diagnostic(path, line, 0, f"unit {uid}: {exc}", hint=_PLACEHOLDER_HINT))
            continue
        confirmed = bool(text) and not entry.isfuzzy()
        found.append(Incoming(uid, line, text, confirmed, entry.hastypecomment(SAME_FLAG)))
    return found, problems


_UNKNOWN = "the file holds a unit this medicine and language do not have: export again, and translate in that file"
_PLACEHOLDER_HINT = (
    "keep every {field} of the msgid as it is (move it, do not rename it); write a literal brace as {{ or }}"
)


def decode(target: Any, unit: Unit) -> str:
    """A msgstr back to YAML text; ValueError for a broken or unknown field."""
    if not target:
        return ""
    spellings = inline.Spellings(inline.parse(unit.source, unit.kind), inline.parse(unit.target, unit.kind), unit.kind)
    seen: dict[str, int] = {}
    out: list[str] = []
    try:
        pieces = list(string.Formatter().parse(str(target)))
    except ValueError as exc:
        raise ValueError(f"broken placeholder: {exc}") from None
    for literal, field, spec, conversion in pieces:
        out.append(literal)
        if field is None:
            continue
        if not field or not spellings.known(field):
            raise ValueError(f"placeholder {{{clip(field)}}} is not in the source")
        if spec or conversion:
            raise ValueError(f"placeholder {{{clip(field)}}} has a format or conversion the source does not have")
        kin = inline.family(field)
        out.append(spellings.spell(field, seen.get(kin, 0)))
        seen[kin] = seen.get(kin, 0) + 1
    return "".join(out)


def _context_lines(data: bytes) -> dict[str, int]:
    """Line of each ``msgctxt "ID"``: translate-toolkit does not keep line numbers."""
    out: dict[str, int] = {}
    for number, line in enumerate(data.decode("utf-8", "replace").splitlines(), start=1):
        match = re.match(r'^msgctxt "(.*)"\s*$', line)
        if match:
            out.setdefault(match.group(1), number)
    return out
