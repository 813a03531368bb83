"""``translate export`` and ``translate import``: a lossless round trip between the YAML
translation files (the source of truth) and the XLIFF or PO file a CAT tool works in.

Export: every unit of a medicine's translation, of the shared templates it uses and of
the interface strings (units.py); files the language does not have yet are the skeletons
``translate init`` would write, so a new language exports too.

Import: every unit of the file is matched to its id and decoded; the YAML files are
edited with ruamel.yaml's round trip, which keeps comments, order and quoting, and a
file none of whose units changed comes out byte for byte as it was. The edited files are
then checked as ``validate`` checks them, in a staging copy that shadows the real ones:
any error (a number or a variable that differs from the source, a broken placeholder,
an unknown or missing unit) stops the import before anything is written. A unit not
translated yet is no error here: ``translate status`` lists what is left.
"""

from __future__ import annotations

import datetime
import io
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from copy import deepcopy
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap

from .check import check_file
from .content import is_translation, load_medicine_translation
from .errors import ContentError, Diagnostic, display_path
from .exchange_xliff import Incoming
from .library import Library
from .loader import KeyPath, format_keypath, load_yaml
from .translate import NOT_TRANSLATED
from .units import Unit, file_path, medicine_units, strings_units

FORMATS = {"xliff": ".xlf", "po": ".po"}
_SUFFIXES = {".xlf": "xliff", ".xliff": "xliff", ".po": "po"}
Reader = Callable[[bytes, Path, dict[str, Unit]], tuple[list[Incoming], list[Diagnostic]]]


def export(library: Library, medicine: str, lang: str, fmt: str, source_lang: str = "en") -> tuple[bytes, int]:
    """The exchange file's bytes and its number of units."""
    with staged(library, skeletons(library, medicine, lang, source_lang)) as lib:
        units = collect(lib, medicine, lang)
    source = _source_lang(library, medicine, lang, source_lang)
    if fmt == "po":
        from . import exchange_po

        try:
            return exchange_po.write(units, source, lang, medicine), len(units)
        except ValueError as exc:
            raise ContentError([Diagnostic(Path("--format"), 0, 0, str(exc))]) from None
    from . import exchange_xliff

    return exchange_xliff.write(units, source, lang), len(units)


def _source_lang(library: Library, medicine: str, lang: str, default: str) -> str:
    try:
        return load_medicine_translation(library, library.medicine_path(medicine, lang)).doc.translation_of
    except ContentError:
        return default


def collect(library: Library, medicine: str, lang: str) -> list[Unit]:
    path = library.medicine_path(medicine, lang)
    if not is_translation(library, path):
        raise ContentError(
            [Diagnostic(path, 0, 0, f"'{lang}' is {medicine}'s source language, not a translation of it")]
        )
    translation = load_medicine_translation(library, path)
    return medicine_units(library, medicine, lang, translation) + strings_units(
        library, lang, translation.doc.translation_of
    )


def skeletons(library: Library, medicine: str, lang: str, source_lang: str) -> dict[str, str]:
    """The files ``translate init`` would write for ``lang`` that do not exist yet, by
    their logical names (medicines/..., templates/..., strings/...)."""
    from .skeleton import plan, shared
    from .translate import source_of

    try:
        library.medicine_path(medicine, lang)
        exists = True
    except ContentError:
        exists = False
    if exists:
        source = source_of(library, medicine, lang)
        files = shared(library, source, lang, source.doc.lang)
    else:
        files = plan(library, medicine, lang, source_lang, force=False, today=datetime.date.today().isoformat())
    return {_logical(library, path): text for path, text in files.items()}


def _logical(library: Library, path: Path) -> str:
    if path.is_relative_to(library.template_dirs[0]):
        return "templates/" + path.relative_to(library.template_dirs[0]).as_posix()
    return path.relative_to(library.roots[0]).as_posix()


@contextmanager
def staged(library: Library, files: dict[str, str]) -> Iterator[Library]:
    """``library`` with ``files`` (logical name -> text) in a temporary content folder
    searched first: what the library would be once they are written."""
    if not files:
        yield library
        return
    with tempfile.TemporaryDirectory(prefix="handouts-stage-") as tmp:
        root = Path(tmp) / "content"
        for name, text in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text, encoding="utf-8")
        yield Library((root, *library.roots), library.templates)


# --- import ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Imported:
    """What an import would write: real path -> new bytes (changed files only), the units
    that changed, and the warnings of the checks."""

    writes: dict[Path, bytes]
    changed: int
    units: int
    warnings: list[Diagnostic]


def reader_for(path: Path) -> Reader:
    fmt = _SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise ContentError(
            [Diagnostic(path, 0, 0, "cannot tell the format from the file name", hint="name it .xlf, .xliff or .po")]
        )
    if fmt == "po":
        from . import exchange_po

        return exchange_po.read
    from . import exchange_xliff

    return exchange_xliff.read


def import_file(library: Library, path: Path, data: bytes) -> Imported:
    """Read, decode, apply and check; raises ContentError (nothing to write) on any error."""
    read = reader_for(path)
    medicine, lang, source_lang = _identify(path, data)
    with staged(library, skeletons(library, medicine, lang, source_lang)) as lib:
        expected = {unit.id: unit for unit in collect(lib, medicine, lang)}
        incoming, problems = read(data, path, expected)
        problems += _coverage(path, expected, incoming)
        if problems:
            raise ContentError(problems)
        texts = {name: _text(lib, name) for name in dict.fromkeys(u.file for u in expected.values())}
        new, changed = _apply(texts, expected, incoming, lambda name: _skeleton(lib, name, medicine, lang))
        edited = {name: text for name, text in new.items() if text != texts[name]}
        warnings = _check(lib, edited, expected, {i.id: i for i in incoming}, path)
        writes = {file_path(library, name): text.encode() for name, text in edited.items()}
        fresh = {file_path(library, name): text.encode() for name, text in new.items() if not _exists(library, name)}
    return Imported({**fresh, **writes}, changed, len(incoming), warnings)


def _exists(library: Library, name: str) -> bool:
    return file_path(library, name).is_file()


def _identify(path: Path, data: bytes) -> tuple[str, str, str]:
    """The medicine, language and source language of an exchange file: from its first
    medicine unit id, and the XLIFF ``source-language`` or the PO ``X-Source-Language``."""
    text = data.decode("utf-8", "replace")
    found = re.search(r"medicines/([a-z][a-z0-9_]*)/([A-Za-z0-9-]+)\.yaml", text)
    if not found:
        hint = "import a file 'translate export' wrote"
        raise ContentError([Diagnostic(path, 0, 0, "no unit of a medicine in this file", hint=hint)])
    source = re.search(r'source-language="([A-Za-z0-9-]+)"|X-Source-Language: ([A-Za-z0-9-]+)', text)
    return found.group(1), found.group(2), next((g for g in source.groups() if g), "en") if source else "en"


def _coverage(path: Path, expected: dict[str, Unit], incoming: list[Incoming]) -> list[Diagnostic]:
    """Each expected unit exactly once."""
    problems = []
    seen: dict[str, int] = {}
    for unit in incoming:
        if unit.id in seen:
            problems.append(
                Diagnostic(path, unit.line, 0, f"unit {unit.id} appears twice (first on line {seen[unit.id]})")
            )
        seen.setdefault(unit.id, unit.line)
    for uid in expected:
        if uid not in seen:
            problems.append(
                Diagnostic(
                    path,
                    0,
                    0,
                    f"unit {uid} is missing from the file",
                    hint="a CAT tool must send back every unit it was given: export again, or restore the unit",
                )  # fmt: skip
            )
    return problems


def _text(library: Library, name: str) -> str:
    return file_path(library, name).read_text(encoding="utf-8")


def _yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 1_000_000  # never fold a long line: the files keep one text per line
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.allow_unicode = True
    return yaml


def _apply(
    texts: dict[str, str], expected: dict[str, Unit], incoming: list[Incoming], skeleton: Callable[[str], str]
) -> tuple[dict[str, str], int]:
    """Each file's text with the incoming units written in, and how many units changed.
    A key the file lacks (a section or level it never had) is copied from ``skeleton``."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString as Quoted

    yaml = _yaml()
    docs = {name: yaml.load(text) for name, text in texts.items()}
    models: dict[str, Any] = {}
    changed = 0
    owners: dict[tuple[str, KeyPath], list[tuple[Unit, Incoming]]] = {}
    for got in incoming:
        unit = expected[got.id]
        doc = docs[unit.file]
        try:
            current = _get(doc, unit.keypath)
        except (KeyError, IndexError, TypeError):
            if unit.file not in models:
                models[unit.file] = yaml.load(skeleton(unit.file))
            current = _ensure(doc, models[unit.file], unit)
        if current != got.text:
            _set(doc, unit.keypath, Quoted(got.text))
            changed += 1
        if unit.kind == "content":
            owners.setdefault((unit.file, unit.owner), []).append((unit, got))
    for (name, owner), members in owners.items():
        mapping = _get(docs[name], owner)
        unit = members[0][0]
        confirmed = all(got.confirmed and got.text for _, got in members)
        if confirmed and unit.fingerprint is not None and mapping.get("src") != unit.fingerprint:
            mapping["src"] = Quoted(unit.fingerprint)
        same = any(got.same for _, got in members)
        if same and not mapping.get("same_as_source"):
            mapping.insert(list(mapping).index("src") + 1, "same_as_source", True)
        elif not same and "same_as_source" in mapping:
            del mapping["same_as_source"]
    out = {}
    for name, doc in docs.items():
        buffer = io.StringIO()
        yaml.dump(doc, buffer)
        out[name] = buffer.getvalue()
    return out, changed


def _no_key(unit: Unit) -> Diagnostic:
    return Diagnostic(
        Path(unit.file), 0, 0, f"unit {unit.id}: the YAML file has no {format_keypath(unit.keypath)} to write it to",
        hint="the file lacks keys of its source: move its text to a skeleton ('translate init --force' into "
        "another --content folder) and import again",
    )  # fmt: skip


def _ensure(doc: Any, model: Any, unit: Unit) -> Any:
    """Create the keys on the way to ``unit`` that ``doc`` lacks, copied from the skeleton
    ``model`` (texts empty, ``src`` of today's source) at the skeleton's place among their
    siblings; returns the value now at the unit's key path."""
    node = doc
    for part in unit.keypath:
        if isinstance(node, CommentedMap) and part not in node:
            if not isinstance(model, dict) or part not in model:
                raise ContentError([_no_key(unit)])
            order = list(model)
            node.insert(sum(1 for key in node if key in order and order.index(key) < order.index(part)), part,
                        deepcopy(model[part]))  # fmt: skip
        elif isinstance(node, list) and not (isinstance(part, int) and part < len(node)):
            raise ContentError([_no_key(unit)])
        node = node[part]
        try:
            model = model[part]
        except (KeyError, IndexError, TypeError):
            model = None
    return node


def _skeleton(library: Library, name: str, medicine: str, lang: str) -> str:
    """What ``translate init`` writes for one of the files, for the keys a file lacks."""
    from .content import load_strings_file, load_template, load_template_translation
    from .resolve import fact_text
    from .skeleton import medicine_skeleton, strings_skeleton, template_skeleton
    from .translate import source_of

    source = source_of(library, medicine, lang)
    kind, _, rest = name.partition("/")
    if kind == "medicines":
        facts = {key: fact_text(value, lang) for key, value in source.doc.facts.items()}
        return medicine_skeleton(source.doc, lang, facts, datetime.date.today().isoformat())
    if kind == "templates":
        template = rest.partition("/")[0]
        path = library.template_path(template, lang)
        source_lang = load_template_translation(library, path).doc.translation_of if path else source.doc.lang
        found = library.template_path(template, source_lang)
        assert found is not None  # units.template_units found it
        return template_skeleton(load_template(library, found).doc, source_lang, lang)
    return strings_skeleton(load_strings_file(library, library.strings_path(source.doc.lang)).doc, lang)


def _get(doc: Any, keypath: KeyPath) -> Any:
    node = doc
    for part in keypath:
        node = node[part]
    return node


def _set(doc: Any, keypath: KeyPath, value: Any) -> None:
    _get(doc, keypath[:-1])[keypath[-1]] = value


def _check(
    library: Library, edited: dict[str, str], expected: dict[str, Unit], incoming: dict[str, Incoming], path: Path
) -> list[Diagnostic]:
    """``validate`` on the edited files in a staging copy; errors (other than units not
    translated yet) raise, each pointed at its unit in the imported file; the warnings
    are returned."""
    if not edited:
        return []
    with staged(library, edited) as lib:
        root = lib.roots[0]
        found: list[Diagnostic] = []
        for name in edited:
            staged_path = (root / name).resolve()
            at_line = _unit_lines(staged_path, [u for u in expected.values() if u.file == name])
            for diag in check_file(lib, staged_path):
                if diag.message.startswith(NOT_TRANSLATED):
                    continue
                found.append(_located(diag, at_line, incoming, path, file_path(library, name)))
    errors = [d for d in found if d.severity == "error"]
    if errors:
        raise ContentError(errors)
    return found


def _unit_lines(staged: Path, units: list[Unit]) -> dict[int, Unit]:
    source = load_yaml(staged)
    return {source.pos(unit.keypath)[0]: unit for unit in units if unit.keypath in source.value_pos}


def _located(
    diag: Diagnostic, at_line: dict[int, Unit], incoming: dict[str, Incoming], path: Path, real: Path
) -> Diagnostic:
    """A problem found in a staged YAML file, as the translator can find it: at the unit's
    line in the imported file, or else at its place in the YAML file it would be written to."""
    unit = at_line.get(diag.line)
    if unit is not None and unit.id in incoming:
        return replace(
            diag, path=path, line=incoming[unit.id].line, col=0, message=f"unit {unit.id}: {diag.message}", key=""
        )
    where = f"{display_path(real)}:{diag.line}" if diag.line else display_path(real)
    return replace(diag, path=path, line=0, col=0, message=f"{diag.message} (in {where} as imported)")
