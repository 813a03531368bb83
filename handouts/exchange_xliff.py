"""XLIFF 1.2 for CAT tools (Trados, memoQ, Phrase, OmegaT, Weblate), written and read by
translate-toolkit: no XML is put together by hand here.

Why 1.2 and not 2.x: every CAT tool named in the issue reads and writes 1.2, and 1.2 has
what this exchange needs, the states ``needs-translation``/``translated``/
``needs-review-translation`` and ``<alt-trans alttranstype="previous-version">`` for the
English a stale unit was translated from (2.x has no previous-source element). One
``<file>`` per YAML file (``original`` is its path under a content folder), one
``<trans-unit>`` per unit, its ``id`` the key path of the text in that file.

Inline codes: a variable is ``<ph id="1" ctype="x-variable" equiv-text="{{ ... }}">`` with
the variable as its content (1.2's native code), so a tool shows it as a tag the
translator moves but cannot edit; ``**bold**`` is ``<g id="b1" ctype="bold">...</g>``.
On the way back a placeholder is known by its id, and written back as the variable it
stands for.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree
from translate.storage import xliff
from translate.storage.placeables import StringElem
from translate.storage.placeables import xliff as codes

from . import inline
from .errors import Diagnostic, clip
from .units import Unit, keypath_text

NAMESPACE = "urn:oasis:names:tc:xliff:document:1.2"
_SKELETON = f"""<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="{NAMESPACE}">
<file original="NoName" source-language="en" datatype="plaintext">
<body>
</body>
</file>
</xliff>"""
NEEDS_REVIEW = "needs-review-translation"


class _Unit(xliff.xliffunit):
    namespace = NAMESPACE


class _File(xliff.xlifffile):  # type: ignore[type-arg]  # generic over its unit class
    """translate-toolkit's XLIFF store, writing 1.2 (its default skeleton says 1.1)."""

    UnitClass = _Unit
    XMLskeleton = _SKELETON
    namespace = NAMESPACE


CONFIRMED = frozenset({"translated", "signed-off", "final"})
SAME_FLAG = "ignore-same"  # the note from="flags" of a unit the same as its source on purpose


@dataclass(frozen=True)
class Incoming:
    """One unit as a CAT tool sent it back."""

    id: str
    line: int
    text: str  # the target, placeholders and bold written back as in YAML
    confirmed: bool  # translated / final: the translator vouches for it against the current source
    same: bool


def _ids(parts: list[inline.Part]) -> dict[str, str]:
    """Placeholder id -> the variable's family (inline.family), numbered in source order."""
    return {str(i): inline.family(var.name) for i, var in enumerate(inline.variables(parts), start=1)}


def _rich(parts: Iterable[inline.Part], ids: dict[str, list[str]], count: list[int]) -> list[Any]:
    """Parts as translate-toolkit placeables. ``ids`` hands out each name's ids in source
    order; a variable the source does not have gets an id of its own (x1, ...), which an
    import refuses. ``count``: bold spans and such extra variables so far."""
    out: list[Any] = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
        elif isinstance(part, inline.Var):
            free = ids.get(inline.family(part.name)) or []
            if not free:
                count[1] += 1
            pid = free.pop(0) if free else f"x{count[1]}"
            out.append(codes.Ph(id=pid, sub=[part.code], xml_attrib={"ctype": "x-variable", "equiv-text": part.code}))
        else:
            count[0] += 1
            out.append(codes.G(id=f"b{count[0]}", sub=_rich(part.parts, ids, count), xml_attrib={"ctype": "bold"}))
    return out


def _placeables(parts: list[inline.Part], numbering: dict[str, str]) -> StringElem:
    ids: dict[str, list[str]] = {}
    for pid, name in numbering.items():
        ids.setdefault(name, []).append(pid)
    return StringElem(_rich(parts, ids, [0, 0]))


def write(units: list[Unit], source_lang: str, lang: str) -> bytes:
    store = _File()
    for unit in units:
        if store.switchfile(unit.file, createifmissing=True):
            node = store.getfilenode(unit.file)  # type: ignore[no-untyped-call]  # a method of our subclass
            node.set("source-language", source_lang)
            node.set("target-language", lang)
        source = inline.parse(unit.source, unit.kind)
        numbering = _ids(source)
        tu = store.UnitClass("")
        tu.rich_source = [_placeables(source, numbering)]
        tu.setid(f"{unit.file}\x04{keypath_text(unit.keypath)}")
        store.addunit(tu)
        if unit.target:
            tu.rich_target = [_placeables(inline.parse(unit.target, unit.kind), numbering)]
        else:
            tu.settarget("")  # an empty <target>, to carry its state
        _state(tu, unit)
        note = unit.note
        if unit.state == "stale":
            note += "; the English changed after this was translated"
            if unit.previous_source is not None:
                note += " (the earlier English is in <alt-trans>)"
                tu.addalttrans(unit.target, origin="handouts", sourcetxt=unit.previous_source)
                tu.xmlelement.findall(f"{{{NAMESPACE}}}alt-trans")[-1].set("alttranstype", "previous-version")
        tu.addnote(note, origin="developer")
        if unit.same:
            tu.addnote(SAME_FLAG, origin="flags")
        if unit.max_length is not None:
            tu.xmlelement.set("maxwidth", str(unit.max_length))
            tu.xmlelement.set("size-unit", "char")
    store.removedefaultfile()
    return bytes(store)


def _state(tu: Any, unit: Unit) -> None:
    target = tu.getlanguageNode(lang=None, index=1)
    if target is None:
        target = etree.SubElement(tu.xmlelement, f"{{{NAMESPACE}}}target")
        tu.xmlelement.insert(1, target)
    target.set("state", {"new": "needs-translation", "translated": "translated", "stale": NEEDS_REVIEW}[unit.state])
    tu.markapproved(unit.state == "translated")


def read(data: bytes, path: Path, expected: dict[str, Unit]) -> tuple[list[Incoming], list[Diagnostic]]:
    """The units of an XLIFF file, each decoded against the unit it claims to be."""
    try:
        store = xliff.xlifffile.parsestring(data)
    except etree.XMLSyntaxError as exc:
        line, col = exc.position
        return [], [Diagnostic(path, line, col, f"not well-formed XML: {exc.msg}")]
    except ValueError as exc:
        return [], [Diagnostic(path, 0, 0, f"not an XLIFF 1.2 file: {exc}", hint="export with --format xliff")]
    found: list[Incoming] = []
    problems: list[Diagnostic] = []
    for tu in store.units:
        file, _, local = tu.getid().partition("\x04")
        uid, line = f"{file}#{local}", tu.xmlelement.sourceline or 0
        unit = expected.get(uid)
        if unit is None:
            problems.append(Diagnostic(path, line, 0, f"unknown unit '{clip(uid, 120)}'", hint=_UNKNOWN))
            continue
        target = tu.getlanguageNode(lang=None, index=1)
        try:
            text = _decode(tu, unit) if target is not None else ""
        except ValueError as exc:
            problems.append(Diagnostic(path, line, 0, f"unit {uid}: {exc}", hint=_PLACEHOLDER_HINT))
            continue
        state = target.get("state") if target is not None else None
        confirmed = state in CONFIRMED if state is not None else (tu.isapproved() or bool(text))
        same = SAME_FLAG in tu.getnotes(origin="flags").split()
        found.append(Incoming(uid, line, text, confirmed, same))
    return found, problems


_UNKNOWN = "the file holds a unit this medicine and language do not have: export again, and translate in that file"
_PLACEHOLDER_HINT = "keep every placeholder tag of the source as it is (move it, do not retype or delete it)"


def _decode(tu: Any, unit: Unit) -> str:
    source = inline.parse(unit.source, unit.kind)
    names = _ids(source)
    spellings = inline.Spellings(source, inline.parse(unit.target, unit.kind), unit.kind)
    seen: dict[str, int] = {}
    out: list[inline.Part] = []
    for elem in tu.rich_target:
        out += _parts(elem, names, spellings, seen)
    return inline.join(out)


def _parts(elem: Any, names: dict[str, str], spellings: inline.Spellings, seen: dict[str, int]) -> list[inline.Part]:
    out: list[inline.Part] = []
    for sub in elem.sub:
        if isinstance(sub, str):
            out.append(sub)
        elif type(sub) is StringElem:
            out += _parts(sub, names, spellings, seen)
        elif isinstance(sub, codes.G):
            out.append(inline.Bold(tuple(_parts(sub, names, spellings, seen))))
        elif isinstance(sub, codes.UnknownXML) and etree.QName(sub.xml_node).localname == "mrk":
            out += _parts(sub, names, spellings, seen)  # a tool's marker (a term, a comment): its words stay
        elif isinstance(sub, codes.UnknownXML) and etree.QName(sub.xml_node).localname == "ph":
            pid = sub.xml_node.get("id", "")
            if pid not in names:
                raise ValueError(f"placeholder id '{clip(pid)}' is not one of the source's ({', '.join(names)})")
            kin = names[pid]
            given = inline.parse(sub.xml_node.text or "", spellings.kind)  # the tag's own text: the variable
            if len(given) == 1 and isinstance(given[0], inline.Var) and inline.family(given[0].name) == kin:
                out.append(given[0])  # as written, or another form of the medicine's name
            else:  # a tool that kept the tag but not its text
                out.append(inline.Var(spellings.nth(kin, seen.get(kin, 0)), kin))
            seen[kin] = seen.get(kin, 0) + 1
        else:
            tag = etree.QName(sub.xml_node).localname if isinstance(sub, codes.UnknownXML) else type(sub).__name__
            raise ValueError(f"an inline <{tag}> the source does not have")
    return out
