"""``validate``: check files of any kind, or the whole content library, collecting every
problem instead of stopping at the first, so an author fixes a file in one pass."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path

from . import prose, schema, text
from .build import Request, prepare
from .content import (
    Library,
    confined,
    load_brand,
    load_layout,
    load_medicine,
    load_medicine_translation,
    load_strings,
    load_template,
    load_template_translation,
)
from .coverage import coverage_check
from .errors import ContentError, Diagnostic
from .loader import Source, load_yaml, texts
from .qa import check_pair
from .translate import SUMMARY, Pair, missing_unit, source_of, walk_medicine, walk_template


def library_files(library: Library) -> tuple[list[Path], list[Diagnostic]]:
    """Every content file of the library, and a refusal for each name that is no such
    file: a link out of its content folder or a FIFO is reported by its own name and never
    opened (its text could leak into a message, or the read wait forever)."""
    problems: list[Diagnostic] = []
    for root in library.roots:  # the medicines' refusals; the library lists the rest
        _admitted(root, "medicines/*/*.yaml", problems)
    files = [path for _, _, path in library.medicines()]
    for root in library.roots:
        for pattern in ("brands/*/brand.yaml", "layouts/*.yaml", "strings/*.yaml"):
            files += _admitted(root, pattern, problems)
    for folder in library.template_dirs:
        files += _admitted(folder, "*/*.yaml", problems)
    return files, problems


def _admitted(folder: Path, pattern: str, problems: list[Diagnostic]) -> list[Path]:
    """The files matching ``pattern`` that ``confined`` lets through; its refusals go to ``problems``."""
    out = []
    for path in sorted(folder.glob(pattern)):
        try:
            if confined(folder, path):
                out.append(path)
        except ContentError as exc:
            problems += exc.diagnostics
    return out


def check_paths(library: Library, paths: list[Path]) -> tuple[int, list[Diagnostic]]:
    """(number of files checked, diagnostics). A folder given is confined like a content
    folder: what lies under it must resolve inside it."""
    diagnostics: list[Diagnostic] = []
    if paths:
        files = []
        for path in paths:
            files += _admitted(path, "**/*.yaml", diagnostics) if path.is_dir() else [path]
    else:
        files, diagnostics = library_files(library)
    count = len(files) + len(diagnostics)  # a refused name counts as a file checked
    for path in files:
        diagnostics += check_file(library, path.resolve())
    return count, diagnostics


def check_file(library: Library, path: Path) -> list[Diagnostic]:
    try:
        _checker(path)(library, path)
    except ContentError as exc:
        return _unique(exc.diagnostics)
    return []


def _checker(path: Path) -> Callable[[Library, Path], object]:
    """Tell a file's kind by its top-level keys, so files can be checked wherever they are."""
    data = load_yaml(path).data
    keys = set(data) if isinstance(data, dict) else set()
    if "translation_of" in keys:
        return _check_translation
    if "medicine" in keys:
        return _check_medicine
    if "template" in keys:
        return _check_template
    if "colors" in keys or "logo" in keys:
        return load_brand
    if "page" in keys:
        return load_strings
    if keys == {"sections"}:
        return load_layout
    raise ContentError(
        [
            Diagnostic(
                path,
                1,
                1,
                "cannot tell what kind of content file this is",
                hint="a medicine starts with 'medicine:', a template with 'template:', a brand has "
                "'colors:', a layout has only 'sections:', interface strings have 'page:'",
            )
        ]
    )


def _check_template(library: Library, path: Path) -> None:
    """A shared template is only rendered inside a medicine, so its text is checked on
    its own here: glyphs, and variables as the only Jinja (text.check)."""
    template = load_template(library, path)
    problems = _static_problems(template.source)
    if problems:
        raise ContentError(problems)


def _static_problems(source: Source) -> list[Diagnostic]:
    """Coverage and Jinja problems of every text under 'title' and 'body' of a file."""
    problems: list[Diagnostic] = []
    source_language = "translation_of" not in source.data  # a translation's numbers are compared by qa
    for keypath, raw in texts(source.data):
        if keypath[0] in ("title", "body") and keypath[-1] != "src":
            steps = [partial(coverage_check, source, raw), partial(text.check, raw, source)]
            if source_language:
                steps.append(partial(prose.check_digits, source, raw))
            for step in steps:
                try:
                    step(keypath)
                except ContentError as exc:
                    problems += exc.diagnostics
    return problems


def _check_medicine(library: Library, path: Path) -> None:
    """Prepare every level as ``build`` would: Jinja, templates, parameters, glyphs."""
    doc = load_medicine(library, path).doc  # also: the file is at <root>/medicines/<id>/<lang>.yaml
    home = _home(library, path, doc.medicine, doc.lang)
    problems: list[Diagnostic] = []
    for level in schema.LEVELS:
        try:
            prepare(home, Request(doc.medicine, doc.lang, level))
        except ContentError as exc:
            problems += exc.diagnostics
    if problems:
        raise ContentError(problems)


def _home(library: Library, path: Path, medicine: str, lang: str) -> Library:
    """The library in which ``path`` is the medicine a build would take: ``library``
    itself, unless the file lies outside it or another root shadows it; then its own
    content folder is searched first."""
    try:
        if library.medicine_path(medicine, lang) == path:
            return library
    except ContentError:
        pass
    return Library((path.parents[2], *library.roots), library.templates)


def _check_translation(library: Library, path: Path) -> None:
    """Every unit paired with its source and QA-checked; the translated sections of each
    level are then prepared as ``build`` would (Jinja, templates, glyphs)."""
    if "template" in load_yaml(path).data:
        translation = load_template_translation(library, path)
        source_path = library.template_path(translation.doc.template, translation.doc.translation_of)
        if source_path is None:
            raise ContentError([translation.source.error(("translation_of",), "no source template in that language")])
        problems = _static_problems(translation.source)
        for level in schema.LEVELS:
            w, _ = walk_template(load_template(library, source_path), translation, level)
            problems += w.problems + [_gap(p, "error") for p in w.pairs if p.state == "missing"]
            problems += [d for p in w.pairs for d in check_pair(p)]
        if problems:
            raise ContentError(problems)
        return
    medicine = load_medicine_translation(library, path)
    lang = medicine.doc.lang
    source = source_of(library, medicine.doc.medicine, lang)
    problems = []
    try:
        load_strings(library, library.strings_path(lang))
        strings_ok = True
    except ContentError as exc:  # reported, and every unit is still checked
        problems += exc.diagnostics
        strings_ok = False
    for level in schema.LEVELS:
        w, _ = walk_medicine(source, medicine, level)
        problems += w.problems + [d for p in w.pairs for d in check_pair(p)]
        gaps = {p.section for p in w.pairs if p.state == "missing"}
        problems += [
            _gap(p, "error" if p.section == SUMMARY or source.doc.sections[p.section].required else "warning")
            for p in w.pairs
            if p.state == "missing"
        ]
        complete = [sid for sid in source.doc.sections if sid not in gaps]
        if SUMMARY in gaps or w.problems or not strings_ok:
            continue
        try:
            prepare(library, Request(medicine.doc.medicine, lang, level, sections=tuple(complete)))
        except ContentError as exc:
            problems += exc.diagnostics
    if problems:
        raise ContentError(problems)


def _gap(pair: Pair, severity: str) -> Diagnostic:
    return replace(missing_unit(pair), severity=severity)


def _unique(diagnostics: tuple[Diagnostic, ...]) -> list[Diagnostic]:
    return list(dict.fromkeys(diagnostics))
