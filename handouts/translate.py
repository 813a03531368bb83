"""Translations: pairing each translated unit of text with its source, for building,
status and QA.

A translation file mirrors its source key for key (see schema.MedicineTranslation). For
one level, `localize` walks source and translation side by side and produces an ordinary
source-shaped document (so resolve.py needs no second code path), plus one `Pair` per
unit of text: where it sits in both files, the source text, the translation and the
fingerprint the translator started from. Status (complete / missing / stale) and the QA
checks in qa.py are computed from those pairs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from . import schema
from .content import (
    Library,
    Loaded,
    is_translation,
    load_medicine,
    load_medicine_translation,
    load_template,
    load_template_translation,
)
from .errors import ContentError, Diagnostic, display_path
from .loader import KeyPath, Source
from .text import normalize_space

State = Literal["complete", "missing", "stale"]
SUMMARY = "(title)"  # the status row for the medicine's name and summary line
NOT_TRANSLATED = "not translated yet"  # how every unit still to translate is reported
KEY_POINTS = "(key points)"  # the status row of the key points box (not a slug: no section can be called that)


def fingerprint(text: str) -> str:
    """What ``src:`` records: 8 hex digits of the source text, blind to line wrapping."""
    return hashlib.sha256(normalize_space(text).encode()).hexdigest()[:8]


@dataclass(frozen=True)
class Pair:
    """One unit of text (a title, a paragraph, a whole list, a warning label)."""

    section: str
    level: str
    source: Loaded[Any]
    source_at: KeyPath
    source_text: str  # list items joined by newlines
    translation: Loaded[Any] | None  # None: a shared template with no file in this language yet
    at: KeyPath  # in the translation file; the nearest existing key when the unit is missing
    text: str | None  # None: not translated yet
    src: str | None  # the fingerprint the translator started from
    same: bool = False  # same_as_source: identical to the source on purpose

    @property
    def state(self) -> State:
        if not self.text or not self.text.strip():
            return "missing"
        return "complete" if self.src == fingerprint(self.source_text) else "stale"


AnyBlock = (
    schema.Paragraph
    | schema.Subhead
    | schema.BulletList
    | schema.Callout
    | schema.TParagraph
    | schema.TSubhead
    | schema.TBulletList
    | schema.TCallout
)


def block_text(block: AnyBlock) -> str | None:
    """The translatable text of a block, as fingerprinted (None: nothing to translate)."""
    if isinstance(block, (schema.Paragraph, schema.TParagraph)):
        return block.p
    if isinstance(block, (schema.Subhead, schema.TSubhead)):
        return block.subhead
    if isinstance(block, (schema.BulletList, schema.TBulletList)):
        return None if isinstance(block.items, schema.ParamRef) else "\n".join(block.items)
    return block.warning.label


def _joined(items: list[str]) -> str | None:
    """A list unit's text; None (not translated) while any item is still empty."""
    return "\n".join(items) if items and all(item.strip() for item in items) else None


def _kind(block: Any) -> str:
    return next(key for key in schema.BLOCK_KEYS if hasattr(block, key if key != "list" else "items"))


@dataclass
class _Walk:
    """Merges one level of a translation into its source's shape, recording every pair,
    the key-path aliases for error positions and the structural problems found."""

    source: Loaded[Any]
    translation: Loaded[Any]
    level: str
    section: str = SUMMARY
    pairs: list[Pair] = field(default_factory=list)
    aliases: list[tuple[KeyPath, KeyPath]] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)

    def _pair(
        self, source_at: KeyPath, source_text: str, at: KeyPath, text: str | None, src: str | None, same: bool = False
    ) -> None:
        self.pairs.append(
            Pair(self.section, self.level, self.source, source_at, source_text, self.translation, at, text, src, same)
        )

    def _pick(self, value: Any, at: KeyPath) -> tuple[Any, KeyPath]:
        if isinstance(value, (schema.SomeLevels, schema.ByLevel)):
            return getattr(value, self.level), at + (self.level,)
        return value, at

    def unit(self, source_value: Any, source_at: KeyPath, unit: Any, at: KeyPath, merged_at: KeyPath) -> Any:
        """A text or list unit; returns the merged value (the translation, else None)."""
        raw, source_at = self._pick(source_value, source_at)
        if raw == []:  # an empty list parameter: nothing to translate, nothing printed
            return []
        unit, at = self._pick(unit, at) if unit is not None else (None, at)
        is_list = isinstance(raw, list)
        source_text = "\n".join(raw) if is_list else raw
        if unit is None:
            self._pair(source_at, source_text, at, None, None)
            return None
        if is_list != isinstance(unit, (schema.ListUnit, schema.KeyPointsUnit)):
            want, got = ("a list", "text") if is_list else ("text", "a list")
            self.problems.append(self.translation.source.error(at, f"the source has {want} here, not {got}"))
            return None
        value = unit.items if is_list else unit.text
        at += ("list",) if is_list else ("text",)
        same = getattr(unit, "same_as_source", False)  # a unit kind without the flag is never the same on purpose
        self._pair(source_at, source_text, at, _joined(value) if is_list else value, unit.src, same)
        self.aliases.append((merged_at, at))
        return value

    def blocks(self, source_blocks: list[Any], source_at: KeyPath, blocks: list[Any], at: KeyPath) -> list[Any]:
        if len(blocks) != len(source_blocks):
            self.problems.append(
                self.translation.source.error(
                    at,
                    f"{len(blocks)} blocks here but {len(source_blocks)} in the source",
                    "keep one translated block per source block, in the same order "
                    "(`translate init` writes the right skeleton)",
                )
            )
            return []
        pairs = enumerate(zip(source_blocks, blocks, strict=True))
        return [self.block(s, source_at + (i,), t, at + (i,)) for i, (s, t) in pairs]

    def block(self, source_block: Any, source_at: KeyPath, block: Any, at: KeyPath) -> Any:
        want, got = _kind(source_block), _kind(block)
        if want != got:
            self.problems.append(
                self.translation.source.error(at, f"this block is '{got}' but the source block is '{want}'")
            )
            return source_block
        text, source_text = block_text(block), block_text(source_block)
        if want == "list" and (text is None) != (source_text is None):
            fix = "{param: ...} as in the source" if text is not None else "the translated items"
            self.problems.append(self.translation.source.error(at + ("list",), f"this list must be {fix}"))
            return source_block
        if want == "warning":
            label = block.warning.label
            self._pair(
                source_at + ("warning", "label"),
                source_block.warning.label,
                at + ("warning", "label"),
                label,
                block.warning.src,
                block.warning.same_as_source,
            )
            inner = self.blocks(
                source_block.warning.body, source_at + ("warning", "body"), block.warning.body, at + ("warning", "body")
            )
            return schema.Callout.model_construct(warning=schema.CalloutBody.model_construct(label=label, body=inner))
        if text is None or source_text is None:  # {param: ...}: nothing to translate
            return source_block
        self._pair(
            source_at + (want,),
            source_text,
            at + (want,),
            _joined(block.items) if want == "list" else text,
            block.src,
            block.same_as_source,
        )
        if want == "p":
            return schema.Paragraph.model_construct(p=text)
        if want == "subhead":
            return schema.Subhead.model_construct(subhead=text)
        return schema.BulletList.model_construct(items=list(block.items))

    def body(
        self, source_body: Any, source_at: KeyPath, body: Any, at: KeyPath, merged_at: KeyPath
    ) -> list[Any] | None:
        raw, source_at = self._pick(source_body, source_at)
        blocks, at = self._pick(body, at) if body is not None else (None, at)
        if blocks is None:
            self._pair(source_at, "", at, None, None)
            return None
        self.aliases.append((merged_at, at))
        return self.blocks(raw, source_at, blocks, at)


def _by_level(level: str, value: Any) -> schema.ByLevel[Any]:
    """A ByLevel holding only the level being built: resolve picks nothing else."""
    return schema.ByLevel.model_construct(**{level: value})


def _aliased(source: Source, aliases: list[tuple[KeyPath, KeyPath]]) -> Source:
    """The translation file's positions, also reachable by the merged document's key paths,
    so errors found later (Jinja, glyphs) point into the translation file."""
    value_pos = dict(source.value_pos)
    key_pos = dict(source.key_pos)
    for merged, real in aliases:
        n = len(real)
        for table, out in ((source.value_pos, value_pos), (source.key_pos, key_pos)):
            for keypath, pos in table.items():
                if keypath[:n] == real:
                    out.setdefault(merged + keypath[n:], pos)
    return replace(source, value_pos=value_pos, key_pos=key_pos)


def walk_medicine(
    source: Loaded[schema.MedicineFile], translation: Loaded[schema.MedicineTranslation], level: str
) -> tuple[_Walk, dict[str, Any]]:
    """Pairs of every section at one level, and the merged pieces of the document."""
    w = _Walk(source, translation, level)
    src, tr = source.doc, translation.doc
    merged: dict[str, Any] = {
        "name": w.unit(src.name, ("name",), tr.name, ("name",), ("name",)),
        "summary": w.unit(src.summary, ("summary",), tr.summary, ("summary",), ("summary", level)),
        "key_points": _key_points(w, src, tr),
    }
    sections: dict[str, Any] = {}
    for sid, section in src.sections.items():
        w.section = sid
        t = tr.sections.get(sid, schema.SectionTranslation())
        where: KeyPath = ("sections", sid)
        t_where = where if sid in tr.sections else ("sections",)
        title = body = None
        if section.title is not None:
            title = w.unit(section.title, where + ("title",), t.title, t_where + ("title",), where + ("title", level))
        if section.body is not None:
            body = w.body(section.body, where + ("body",), t.body, t_where + ("body",), where + ("body", level))
        params = {}
        for name, value in section.params.items():
            at = t_where + ("params", name)
            params[name] = w.unit(
                value, where + ("params", name), t.params.get(name), at, where + ("params", name, level)
            )
        unknown = set(t.params) - set(section.params)
        w.problems += [
            translation.source.error(where + ("params", name), f"the source has no parameter '{name}'", key=True)
            for name in sorted(unknown)
        ]
        sections[sid] = (section, title, body, params)
    w.problems += [
        translation.source.error(("sections", sid), f"the source has no section '{sid}'", key=True)
        for sid in tr.sections
        if sid not in src.sections
    ]
    merged["sections"] = sections
    return w, merged


def _key_points(w: _Walk, src: schema.MedicineFile, tr: schema.MedicineTranslation) -> list[str] | None:
    """The translated key points of the walk's level (None: none in the source, or not
    translated yet), with one translated item per source item."""
    if src.key_points is None:
        if tr.key_points is not None:
            w.problems.append(w.translation.source.error(("key_points",), "the source has no key_points", key=True))
        return None
    w.section = KEY_POINTS
    where: KeyPath = ("key_points",)
    items: list[str] | None = w.unit(src.key_points, where, tr.key_points, where, where + (w.level,))
    source_items, _ = w._pick(src.key_points, where)
    if items is not None and len(items) != len(source_items):
        w.problems.append(
            w.translation.source.error(
                w.pairs[-1].at,
                f"{len(items)} key points here but {len(source_items)} in the source",
                "translate each source key point as one item, in the same order",
            )
        )
        return None
    return items


def localize(
    source: Loaded[schema.MedicineFile],
    translation: Loaded[schema.MedicineTranslation],
    level: str,
    section_ids: list[str],
) -> Loaded[schema.MedicineFile]:
    """The translation at one level as a source-shaped medicine, facts from the source.
    Raises ContentError when a unit of a wanted section is missing or misshapen."""
    w, merged = walk_medicine(source, translation, level)
    wanted = set(section_ids) | {SUMMARY, KEY_POINTS}
    problems = [p for p in w.problems]
    problems += [missing_unit(pair) for pair in w.pairs if pair.section in wanted and pair.state == "missing"]
    if problems:
        raise ContentError(problems)
    tr = translation.doc
    sections = {}
    for sid, (section, title, body, params) in merged["sections"].items():
        sections[sid] = schema.SectionSource.model_construct(
            required=section.required,
            title=None if title is None else _by_level(level, title),
            body=None if body is None else _by_level(level, body),
            template=section.template,
            params={name: _by_level(level, value) for name, value in params.items()},
        )
    doc = schema.MedicineFile.model_construct(
        medicine=tr.medicine,
        name=merged["name"],
        name_forms=tr.name_forms,
        lang=tr.lang,
        status="reviewed" if tr.status == source.doc.status == "reviewed" else "draft",
        revised=tr.revised,
        summary=_by_level(level, merged["summary"]),
        key_points=None if merged["key_points"] is None else _by_level(level, merged["key_points"]),
        facts=source.doc.facts,
        sections=sections,
    )
    return Loaded(_aliased(translation.source, w.aliases), doc)


def walk_template(
    source: Loaded[schema.TemplateFile], translation: Loaded[schema.TemplateTranslation], level: str
) -> tuple[_Walk, dict[str, Any]]:
    w = _Walk(source, translation, level, section=source.doc.template)
    src, tr = source.doc, translation.doc
    title = w.unit(src.title, ("title",), tr.title, ("title",), ("title", level))
    body = w.body(src.body, ("body",), tr.body, ("body",), ("body", level))
    return w, {"title": title, "body": body}


def localize_template(
    source: Loaded[schema.TemplateFile], translation: Loaded[schema.TemplateTranslation], level: str
) -> Loaded[schema.TemplateFile]:
    w, merged = walk_template(source, translation, level)
    problems = w.problems + [missing_unit(pair) for pair in w.pairs if pair.state == "missing"]
    if problems:
        raise ContentError(problems)
    doc = schema.TemplateFile.model_construct(
        template=source.doc.template,
        params=source.doc.params,
        title=_by_level(level, merged["title"]),
        body=_by_level(level, merged["body"]),
    )
    return Loaded(_aliased(translation.source, w.aliases), doc)


def missing_unit(pair: Pair) -> Diagnostic:
    """An error at the key of a unit not translated yet, with the source text to translate."""
    assert pair.translation is not None  # a whole missing file is _missing_template's
    where = "" if pair.section == SUMMARY else f"section '{pair.section}', "
    return pair.translation.source.error(
        pair.at,
        f"{NOT_TRANSLATED}: {where}level {pair.level}",
        f"source text ({pair.source.source.path.name}): {_clip(pair.source_text)}"
        if pair.source_text
        else "run 'python generate.py translate init' for a skeleton with every key",
    )


def stale_unit(pair: Pair) -> Diagnostic:
    """A warning at the unit's ``src:`` with the new source text and the fingerprint to
    record once the translation is brought up to date."""
    assert pair.translation is not None  # only a translated unit can be stale
    return replace(
        pair.translation.source.error(
            pair.at[:-1] + ("src",),
            "stale: the source text changed after this was translated",
            f"the source now reads: {_clip(pair.source_text, 160)} -- update the translation, then set src: "
            f'"{fingerprint(pair.source_text)}"',
        ),
        severity="warning",
    )


def _clip(text: str, limit: int = 90) -> str:
    text = normalize_space(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def iter_pairs(walks: list[_Walk]) -> Iterator[Pair]:
    for w in walks:
        yield from w.pairs


def source_of(library: Library, medicine: str, lang: str) -> Loaded[schema.MedicineFile]:
    """The source-language medicine behind ``lang`` (itself when it is not a translation):
    sections, required flags, templates and facts always come from there."""
    path = library.medicine_path(medicine, lang)
    if not is_translation(library, path):
        return load_medicine(library, path)
    return load_medicine(
        library, library.medicine_path(medicine, load_medicine_translation(library, path).doc.translation_of)
    )


def medicine_for(
    library: Library, medicine: str, lang: str, level: str, section_ids: list[str]
) -> Loaded[schema.MedicineFile]:
    path = library.medicine_path(medicine, lang)
    if not is_translation(library, path):
        return load_medicine(library, path)
    translation = load_medicine_translation(library, path)
    return localize(source_of(library, medicine, lang), translation, level, section_ids)


def template_for(library: Library, name: str, lang: str, level: str) -> Loaded[schema.TemplateFile] | None:
    path = library.template_path(name, lang)
    if path is None:
        return None
    if not is_translation(library, path):
        return load_template(library, path)
    translation = load_template_translation(library, path)
    source_path = library.template_path(name, translation.doc.translation_of)
    if source_path is None:
        raise ContentError(
            [translation.source.error(("translation_of",), f"no '{translation.doc.translation_of}' source for this")]
        )
    return localize_template(load_template(library, source_path), translation, level)


def all_pairs(library: Library, medicine: str, lang: str) -> list[Pair]:
    """Every unit of a translation at every level, shared-template sections included
    (their text lives in templates/NAME/LANG.yaml but belongs to this medicine's row)."""
    return [pair for level in schema.LEVELS for pair in level_pairs(library, medicine, lang, level)]


def level_pairs(
    library: Library, medicine: str, lang: str, level: str, section_ids: list[str] | None = None
) -> list[Pair]:
    """The units of one level, of the given sections (default: all) and the title."""
    translation = load_medicine_translation(library, library.medicine_path(medicine, lang))
    source = source_of(library, medicine, lang)
    wanted = set(source.doc.sections if section_ids is None else section_ids) | {SUMMARY, KEY_POINTS}
    w, _ = walk_medicine(source, translation, level)
    pairs = [p for p in w.pairs if p.section in wanted]
    for sid, section in source.doc.sections.items():
        if section.template is not None and sid in wanted:
            found = _template_pairs(library, section.template, source.doc.lang, lang, level)
            pairs += [replace(p, section=sid) for p in found]
    return pairs


def _template_pairs(library: Library, name: str, source_lang: str, lang: str, level: str) -> list[Pair]:
    """The pairs of a shared template; one "missing" pair when it has no translation yet."""
    path = library.template_path(name, lang)
    source_path = library.template_path(name, source_lang)
    if source_path is None:
        return []  # the source medicine itself is broken: validate reports it there
    source = load_template(library, source_path)
    if path is None:
        return [Pair(name, level, source, (), "", None, (), None, None)]
    if not is_translation(library, path):
        return []  # written natively in this language: nothing to keep in step
    w, _ = walk_template(source, load_template_translation(library, path), level)
    return w.pairs


@dataclass(frozen=True)
class StatusRow:
    """One line of ``translate status``: a section of one translation, a state per level."""

    medicine: str
    lang: str
    section: str
    states: tuple[State, ...]  # in schema.LEVELS order
    required: bool = False  # must be translated at every level before any level can be built

    @property
    def complete(self) -> bool:
        return all(state == "complete" for state in self.states)


def status(library: Library, medicine: str | None = None) -> tuple[list[StatusRow], list[Diagnostic]]:
    """The matrix translation x section x level (the worst state of the section's units in
    each cell: missing, then stale), and the diagnostics naming every unfinished unit with
    its file:line, for ``--details``. ``medicine`` None: every translated medicine."""
    rows: list[StatusRow] = []
    details: list[Diagnostic] = []
    for med, lang, path in library.medicines():
        if (medicine and med != medicine) or not is_translation(library, path):
            continue
        pairs = all_pairs(library, med, lang)
        found: dict[tuple[str, str], set[State]] = {}
        for pair in pairs:
            found.setdefault((pair.section, pair.level), set()).add(pair.state)
        for section in dict.fromkeys(pair.section for pair in pairs):
            states = tuple(_worst(found.get((section, level), set())) for level in schema.LEVELS)
            required = section in (SUMMARY, KEY_POINTS) or _required(library, med, lang, section)
            rows.append(StatusRow(med, lang, section, states, required))
        for pair in pairs:
            if pair.translation is None:
                details.append(_missing_template(library, pair, lang))
            elif pair.state == "missing":
                details.append(missing_unit(pair))
            elif pair.state == "stale":
                details.append(stale_unit(pair))
    return rows, list(dict.fromkeys(details))  # a missing template file is one line, not one per level


def _required(library: Library, medicine: str, lang: str, section: str) -> bool:
    sections = source_of(library, medicine, lang).doc.sections
    return section in sections and sections[section].required


def _missing_template(library: Library, pair: Pair, lang: str) -> Diagnostic:
    """A shared template with no ``lang`` file at all: named where ``translate init``
    would write it, since there is no line to point at yet."""
    name = pair.source.doc.template
    return Diagnostic(
        library.template_dirs[0] / name / f"{lang}.yaml",
        0,
        0,
        f"not translated yet: shared template '{name}' (section '{pair.section}') has no '{lang}' file",
        hint=f"translate {display_path(pair.source.source.path)}; "
        "'translate init' writes a skeleton of it when it starts a medicine's translation",
    )


def _worst(states: set[State]) -> State:
    return next((state for state in ("missing", "stale") if state in states), "complete")
