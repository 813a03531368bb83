"""The translation units of one medicine in one language, as a CAT tool exchanges them.

A unit is one text at one level: a title, a paragraph, a subhead, a warning label, one
item of a list, a parameter, an interface string. Its id is the translation file and the
key path of the text in it (``medicines/baclofen/es.yaml#sections.what_it_is.title.easy.text``),
the same whatever is or is not translated yet, so an exported file always finds its way
back. The units are read from translate.py's pairs, so "translated" and "stale" mean here
exactly what ``translate status`` and ``validate`` say.

The previous source of a stale unit is the ``# en:`` comment that ``translate init`` wrote
above it, taken only when its fingerprint is the unit's ``src``: then it is the very text
the translator translated.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from . import readability, schema
from .content import Loaded, is_translation, load_strings_file, parse
from .errors import ContentError, Diagnostic
from .library import Library
from .loader import KeyPath, Source
from .translate import KEY_POINTS, SUMMARY, Pair, fingerprint, source_of, walk_medicine, walk_template

State = Literal["new", "translated", "stale"]
Kind = Literal["content", "strings"]


@dataclass(frozen=True)
class Unit:
    """One text of one translation file, with what a translator needs beside it."""

    file: str  # the translation file, as a path under a content folder: medicines/baclofen/es.yaml
    keypath: KeyPath  # of the text in that file
    kind: Kind  # content: {{ variables }} and **bold**; strings: {fields}
    source: str
    target: str  # "" = not translated yet
    state: State
    section: str  # "(title)", a section id, or "(interface)"
    level: str | None
    required: bool
    max_length: int | None
    same: bool  # same_as_source: true
    previous_source: str | None  # stale units: the source text that was translated, when known
    note: str
    fingerprint: str | None = None  # of the current source text (of the whole list for an item): the src to record

    @property
    def id(self) -> str:
        return f"{self.file}#{keypath_text(self.keypath)}"

    @property
    def owner(self) -> KeyPath:
        return _owner(self.keypath)


def _owner(at: KeyPath) -> KeyPath:
    """The mapping that holds a text's ``src`` and ``same_as_source``: a list item's
    list's, otherwise the text's own."""
    return at[:-2] if len(at) >= 2 and at[-2] == "list" else at[:-1]


def keypath_text(keypath: KeyPath) -> str:
    return ".".join(str(part) for part in keypath)


def parse_keypath(text: str) -> KeyPath:
    return tuple(int(part) if part.isdigit() else part for part in text.split("."))


def split_id(unit_id: str) -> tuple[str, KeyPath]:
    file, _, path = unit_id.partition("#")
    return file, parse_keypath(path) if path else ()


def logical(kind: str, name: str, lang: str) -> str:
    """Where a translation file sits under a content folder: medicines/NAME/LANG.yaml,
    templates/NAME/LANG.yaml or strings/LANG.yaml."""
    return f"strings/{lang}.yaml" if kind == "strings" else f"{kind}/{name}/{lang}.yaml"


def reading_target(lang: str, level: str) -> str:
    """The reading-level target of ``level`` in ``lang``, in words, for a unit's note."""
    method = readability.method_for(lang)
    if method is None:
        return f"reading level {level} (no formula for {lang}: short sentences, everyday words)"
    report = readability.LevelReport(level, lang, method.formulas, None, (), ())
    return f"reading level {level}: {report.targets()}"


def _comment_above(source: Source, keypath: KeyPath) -> str | None:
    """The ``# en: ...`` comment right above a value (continuation lines joined)."""
    if keypath not in source.value_pos:
        return None
    lines = source.text.splitlines()
    i = source.value_pos[keypath][0] - 2
    rest: list[str] = []
    while i >= 0 and lines[i].lstrip().startswith("#"):
        body = lines[i].lstrip()[1:].strip()
        head = re.match(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]+)*: (.*)$", body)
        if head:
            return " ".join([head.group(1), *reversed(rest)])
        rest.append(body)
        i -= 1
    return None


def _previous(pair: Pair, keypaths: list[KeyPath]) -> str | None:
    if pair.state != "stale" or pair.translation is None:
        return None
    comments = [_comment_above(pair.translation.source, at) for at in keypaths]
    if any(c is None for c in comments):
        return None
    text = "\n".join(c for c in comments if c is not None)
    return text if fingerprint(text) == pair.src else None


def _raw(data: Any, keypath: KeyPath) -> Any:
    """The parsed value at ``keypath`` (None where the file has no such key)."""
    for part in keypath:
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            return None
    return data


def _texts(raw: Any, at: KeyPath) -> Iterable[tuple[KeyPath, str]]:
    """(key path in the translation file, source text) of each text a source value holds:
    a text unit, a list's items, or every block of a body (a body the translation has
    not started yet)."""
    if isinstance(raw, str):
        yield (at if at[-1] in ("p", "subhead", "label") else (*at, "text")), raw
    elif isinstance(raw, list) and at[-1] == "list":
        yield from (((*at, i), item) for i, item in enumerate(raw))
    elif isinstance(raw, list) and all(isinstance(item, str) for item in raw):  # a list parameter
        yield from (((*at, "list", i), item) for i, item in enumerate(raw))
    elif isinstance(raw, list):  # blocks
        for i, block in enumerate(raw):
            for key in ("p", "subhead", "list"):
                if isinstance(block, dict) and key in block and not isinstance(block[key], dict):
                    yield from _texts(block[key], (*at, i, key))
            if isinstance(block, dict) and isinstance(block.get("warning"), dict):
                box = block["warning"]
                yield from _texts(box.get("label"), (*at, i, "warning", "label"))
                yield from _texts(box.get("body"), (*at, i, "warning", "body"))


def _units(pair: Pair, file: str, lang: str, required: bool, sections: str) -> Iterable[Unit]:
    states: dict[str, State] = {"missing": "new", "complete": "translated", "stale": "stale"}
    state = states[pair.state]
    where = {SUMMARY: "title and summary", KEY_POINTS: "key points"}.get(pair.section, f"section {sections}")
    note = f"{where} ({'required' if required else 'optional'}), {reading_target(lang, pair.level)}"
    found = list(_texts(_raw(pair.source.source.data, pair.source_at), pair.source_at))
    data = pair.translation.source.data if pair.translation is not None else None
    items = len(found) > 1 or bool(found and found[0][0][-2] == "list")
    if pair.text is not None:  # where the translation really has it (a text for every level, say)
        found = [((*pair.at, i) if items else pair.at, text) for i, (_, text) in enumerate(found)]
    previous = _previous(pair, [at for at, _ in found])
    owned: dict[KeyPath, list[str]] = {}  # a whole body not started yet holds many units
    for at, text in found:
        owned.setdefault(_owner(at), []).append(text)
    old = previous.split("\n") if previous is not None and len(found) > 1 else [previous]
    for i, (at, text) in enumerate(found):
        target = _raw(data, at)
        yield Unit(
            file, at, "content", text, target if isinstance(target, str) else "", state, pair.section,
            pair.level, required, None, pair.same, old[i] if i < len(old) else None,
            f"{note}, item {i + 1} of {len(found)}" if items else note,
            fingerprint("\n".join(owned[_owner(at)])),
        )  # fmt: skip


def _max_length(field: str) -> int | None:
    for meta in schema.StringsFile.model_fields[field].metadata:
        if getattr(meta, "max_length", None) is not None:
            return int(meta.max_length)
    return None


def medicine_units(
    library: Library, medicine: str, lang: str, translation: Loaded[schema.MedicineTranslation]
) -> list[Unit]:
    """Every unit of a medicine's translation and of the shared templates it uses (each
    template once, in the order the medicine first uses it), at every level."""
    source = source_of(library, medicine, lang)
    file = logical("medicines", medicine, lang)
    out: list[Unit] = []
    for level in schema.LEVELS:
        w, _ = walk_medicine(source, translation, level)
        _refuse_problems(w.problems)
        for pair in w.pairs:
            section = source.doc.sections.get(pair.section)  # None: a row that is no section (title, key points)
            # the title and every level of the key points are built into every handout
            required = pair.section in (SUMMARY, KEY_POINTS) or (section is not None and section.required)
            out += _units(pair, file, lang, required, pair.section)
    users: dict[str, list[str]] = {}
    for sid, section in source.doc.sections.items():
        if section.template is not None:
            users.setdefault(section.template, []).append(sid)
    for name, sids in users.items():
        out += template_units(library, name, source.doc.lang, lang, sids, source)
    return _ordered(out)


def template_units(
    library: Library, name: str, source_lang: str, lang: str, sids: list[str], medicine: Loaded[Any]
) -> list[Unit]:
    from .content import load_template, load_template_translation

    path, source_path = library.template_path(name, lang), library.template_path(name, source_lang)
    if path is None or source_path is None or not is_translation(library, path):
        return []  # no file (staged by the caller), or written natively in this language
    translation, template = load_template_translation(library, path), load_template(library, source_path)
    required = any(medicine.doc.sections[sid].required for sid in sids)
    out: list[Unit] = []
    for level in schema.LEVELS:
        w, _ = walk_template(template, translation, level)
        _refuse_problems(w.problems)
        for pair in w.pairs:
            out += _units(pair, logical("templates", name, lang), lang, required, f"{'/'.join(sids)} (shared)")
    return out


def strings_units(library: Library, lang: str, source_lang: str) -> list[Unit]:
    """The interface strings: no fingerprints in that file, so translated or new only."""
    source = load_strings_file(library, library.strings_path(source_lang)).doc
    data = parse(library, library.strings_path(lang)).data  # a skeleton's "" fail the schema: read as written
    out = []
    for field in schema.StringsFile.model_fields:
        if field == "lang":
            continue
        target = data.get(field) or ""
        state: State = "translated" if target else "new"  # no src in that file: never stale
        note = f"interface text: {schema.StringsFile.model_fields[field].description}"
        out.append(
            Unit(
                logical("strings", "", lang),
                (field,),
                "strings",
                getattr(source, field),
                target,
                state,
                "(interface)",
                None,
                True,
                _max_length(field),
                False,
                None,
                note,
            )  # fmt: skip
        )
    return out


def _ordered(units: list[Unit]) -> list[Unit]:
    """File order: each file's units by level as walked, each id once."""
    seen: dict[str, Unit] = {}
    for unit in units:
        seen.setdefault(unit.id, unit)
    return list(seen.values())


def _refuse_problems(problems: list[Diagnostic]) -> None:
    """A translation whose shape differs from its source (a block too many, a text where
    the source has a list) cannot be exchanged unit by unit: fix it first."""
    if problems:
        raise ContentError(problems)


def file_path(library: Library, file: str) -> Path:
    """The real file behind a logical name: the existing one, or where ``translate init``
    would write it."""
    parts = file.split("/")
    if parts[0] == "templates":
        found = library.template_path(parts[1], parts[2].removesuffix(".yaml"))
        return found or library.template_dirs[0] / parts[1] / parts[2]
    for root in library.roots:
        if (root / file).is_file():
            return root / file
    return library.roots[0] / file
