"""Medicine file + level + layout + shared templates -> the resolved Handout.

This is where Jinja runs and where cross-file rules live: a layout may not drop a
required section, a template gets exactly the parameters it declares, and every
character must be printable by the bundled fonts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import fonts, l10n, links, prose, schema
from .content import Library, Loaded
from .coverage import coverage_check
from .errors import ContentError, Diagnostic, did_you_mean
from .limits import MAX_HEADING_CHARS
from .loader import KeyPath, Source
from .model import Block, Brand, BulletList, Callout, Handout, Inline, KeyPoints, Paragraph, Section, Strings, Subhead
from .text import normalize_space, parse_inline, render, unmark
from .translate import template_for


def pick(value: Any, level: str, keypath: KeyPath) -> tuple[Any, KeyPath]:
    """The value for one level, and the key path where the author wrote it."""
    if isinstance(value, schema.ByLevel):
        return getattr(value, level), keypath + (level,)
    return value, keypath


def layout_sections(medicine: Loaded[schema.MedicineFile], layout: Loaded[schema.LayoutFile]) -> list[str]:
    """The layout's section order, checked against what the medicine has and requires."""
    available = medicine.doc.sections
    problems = [
        layout.source.error(
            ("sections", i), f"'{medicine.doc.medicine}' has no section '{sid}'", did_you_mean(sid, available)
        )
        for i, sid in enumerate(layout.doc.sections)
        if sid not in available
    ]
    for sid, section in available.items():
        if section.required and sid not in layout.doc.sections:
            problems.append(
                layout.source.error(
                    ("sections",),
                    f"layout leaves out required section '{sid}' of '{medicine.doc.medicine}'",
                    f"add '- {sid}' to the layout's sections",
                )
            )
    if problems:
        raise ContentError(problems)
    return list(layout.doc.sections)


@dataclass(frozen=True)
class _Writer:
    """Renders the texts of one file (medicine or template) with one Jinja context."""

    source: Source
    context: Mapping[str, Any]
    check_output: bool = True  # off once the name or a fact failed: one report, not one per use

    @property
    def source_language(self) -> bool:
        """A translation's numbers are checked against its source by qa instead."""
        return not (isinstance(self.source.data, dict) and "translation_of" in self.source.data)

    def marked(self, raw: str, keypath: KeyPath) -> str:
        """Final text of one string, its filled-in values still marked for parse_inline.
        Glyphs are checked in the author's text (precise column) and again after Jinja,
        for characters only an expression produced."""
        coverage_check(self.source, raw, keypath)
        out = normalize_space(render(raw, self.context, self.source, keypath))
        if self.source_language and keypath != ("name",):  # after render: a refused {% %} comes first
            prose.check_digits(self.source, raw, keypath)  # (a name such as 5-FU may start with one)
        printed = unmark(out)
        if not printed.strip():  # "\u00a0" or "\u3000" alone: a bullet or label that prints empty
            raise ContentError(
                [self.source.error(keypath, "text is only white space", "write the text, or delete the entry")]
            )
        if self.check_output:
            coverage_check(self.source, printed, keypath, note=" (produced by a {{ ... }} expression here)")
        return out

    def text(self, raw: str, keypath: KeyPath) -> str:
        """Final text of a string printed without markup (titles, subheads, labels)."""
        return unmark(self.marked(raw, keypath))

    def heading(self, raw: str, keypath: KeyPath) -> str:
        """A section title or subhead: ``text`` at most MAX_HEADING_CHARS long. A heading
        that ran onto a second page would be one element in two places (PDF/UA checkers
        differ on it) and is no longer a heading a reader can scan."""
        out = self.text(raw, keypath)
        if len(out) > MAX_HEADING_CHARS:
            raise ContentError(
                [
                    self.source.error(
                        keypath,
                        f"a heading of {len(out):,} characters; the limit is {MAX_HEADING_CHARS}",
                        "a heading is a few words: move the rest into a paragraph below it",
                    )
                ]
            )
        return out

    def inline(self, raw: str, keypath: KeyPath) -> Inline:
        return parse_inline(self.marked(raw, keypath))

    def blocks(self, blocks: list[Any], keypath: KeyPath, params: Mapping[str, Any]) -> tuple[Block, ...]:
        """The blocks, less a list whose (list parameter) value is empty: nothing to print."""
        out = (self.block(b, keypath + (i,), params) for i, b in enumerate(blocks))
        return tuple(b for b in out if not (isinstance(b, BulletList) and not b.items))

    def block(self, block: Any, keypath: KeyPath, params: Mapping[str, Any]) -> Block:
        if isinstance(block, schema.Paragraph):
            return Paragraph(self.inline(block.p, keypath + ("p",)))
        if isinstance(block, schema.Subhead):
            return Subhead(self.heading(block.subhead, keypath + ("subhead",)))
        if isinstance(block, schema.BulletList):
            return BulletList(self.items(block.items, keypath + ("list",), params))
        body = block.warning
        return Callout(
            self.text(body.label, keypath + ("warning", "label")),
            self.blocks(body.body, keypath + ("warning", "body"), params),
        )

    def items(self, items: Any, keypath: KeyPath, params: Mapping[str, Any]) -> tuple[Inline, ...]:
        if isinstance(items, schema.ParamRef):
            value = params.get(items.param)
            if not isinstance(value, list):
                problem = "is not declared" if items.param not in params else "is text, not a list"
                raise ContentError(
                    [
                        self.source.error(
                            keypath + ("param",),
                            f"list parameter '{items.param}' {problem}",
                            "declare it under 'params:' and pass a list",
                        )
                    ]
                )
            return tuple(parse_inline(text) for text in value)
        return tuple(self.inline(t, keypath + (i,)) for i, t in enumerate(items))


def jinja_context(doc: schema.MedicineFile, brand: Brand) -> dict[str, Any]:
    """What every text of a medicine may use; templates also get ``params``. Facts arrive
    already printed in the handout's language ("5 mg", "3 días"); the brand's numbers
    (``brand.emergency_number``) are those of the place that prints the handout."""
    facts = {key: fact_text(value, doc.lang) for key, value in doc.facts.items()}
    medicine = {"id": doc.medicine, "name": doc.name} | doc.name_forms.variables(doc.name)
    return {"facts": facts, "medicine": medicine, "brand": brand.variables()}


def fact_text(value: schema.FactValue, lang: str) -> str:
    if isinstance(value, schema.Quantity):
        return l10n.quantity(value.value, value.unit, lang, upto=value.to)
    if isinstance(value, str):
        return value
    return l10n.number(value, lang)


def resolve_section(
    library: Library,
    medicine: Loaded[schema.MedicineFile],
    sid: str,
    level: str,
    base: Mapping[str, Any],
    check_output: bool = True,
) -> Section:
    """One section at one level; ``base`` is jinja_context(doc), built once per handout
    (facts are formatted through Babel, which is not free)."""
    doc = medicine.doc
    section = doc.sections[sid]
    own = _Writer(medicine.source, base, check_output)
    where: KeyPath = ("sections", sid)
    if section.template is None:
        title, title_at = pick(section.title, level, where + ("title",))
        body, body_at = pick(section.body, level, where + ("body",))
        return Section(sid, own.heading(title, title_at), own.blocks(body, body_at, {}))
    template = _template(library, medicine, sid, section.template, level)
    params = _params(own, template, section, sid, level)
    shared = _Writer(template.source, {**base, "params": params}, check_output)
    if section.title is not None:  # a medicine may retitle a shared section
        title = own.heading(*pick(section.title, level, where + ("title",)))
    else:
        title = shared.heading(*pick(template.doc.title, level, ("title",)))
    body, body_at = pick(template.doc.body, level, ("body",))
    return Section(sid, title, shared.blocks(body, body_at, params), template.doc.template)


def _template(
    library: Library, medicine: Loaded[schema.MedicineFile], sid: str, name: str, level: str
) -> Loaded[schema.TemplateFile]:
    template = template_for(library, name, medicine.doc.lang, level)
    if template is None:
        raise ContentError(
            [
                medicine.source.error(
                    ("sections", sid, "template"),
                    f"no shared template '{name}' in language '{medicine.doc.lang}'",
                    did_you_mean(name, library.template_names()),
                )
            ]
        )
    return template


def _params(
    own: _Writer, template: Loaded[schema.TemplateFile], section: schema.SectionSource, sid: str, level: str
) -> dict[str, Any]:
    """The section's parameters at this level, rendered, after checking they match what
    the template declares (a missing one would leave a gap in the warning)."""
    declared = template.doc.params
    where: KeyPath = ("sections", sid, "params")
    problems = [
        own.source.error(where, f"template '{template.doc.template}' needs parameter '{name}'", f"{name}: {about}")
        for name, about in declared.items()
        if name not in section.params
    ]
    problems += [
        own.source.error(
            where + (name,),
            f"template '{template.doc.template}' has no parameter '{name}'",
            did_you_mean(name, declared),
            key=True,
        )
        for name in section.params
        if name not in declared
    ]
    if problems:
        raise ContentError(problems)
    out: dict[str, Any] = {}
    for name, value in section.params.items():
        value, at = pick(value, level, where + (name,))
        out[name] = (
            [own.marked(v, at + (i,)) for i, v in enumerate(value)]
            if isinstance(value, list)
            else own.marked(value, at)
        )
    return out


def key_points(
    writer: _Writer,
    medicine: Loaded[schema.MedicineFile],
    level: str,
    strings: Strings,
    layout: Loaded[schema.LayoutFile] | None,
) -> KeyPoints | None:
    """The key points box of one level, as the layout wants it: printed when the medicine
    has them (``include``), never (``omit``), or an error when it has none (``require``)."""
    doc, rule = medicine.doc, "include" if layout is None else layout.doc.key_points
    if rule == "omit":
        return None
    if doc.key_points is None:
        if rule == "require" and layout is not None:
            raise ContentError(
                [
                    layout.source.error(
                        ("key_points",),
                        f"this layout requires key points, but '{doc.medicine}' ({doc.lang}) has none",
                        f"add key_points: to {medicine.source.path.name}, or use 'key_points: include'",
                    )
                ]
            )
        return None
    raw, at = pick(doc.key_points, level, ("key_points",))
    if strings.key_points is None:
        raise ContentError(
            [
                medicine.source.error(
                    ("key_points",),
                    f"the interface strings of '{doc.lang}' have no title for the key points box",
                    f"add 'key_points: ...' (e.g. Most important things to know) to strings/{doc.lang}.yaml",
                    key=True,
                )
            ]
        )
    return KeyPoints(strings.key_points, tuple(writer.inline(item, at + (i,)) for i, item in enumerate(raw)))


def resolve(
    library: Library,
    medicine: Loaded[schema.MedicineFile],
    level: str,
    section_ids: list[str],
    brand: Brand,
    strings: Strings,
    paper: str,
    layout: Loaded[schema.LayoutFile] | None = None,
) -> Handout:
    """Build the handout for one level. Every section is resolved even after an error so
    the author sees all problems of a file at once."""
    doc = medicine.doc
    problems: list[Diagnostic] = []
    try:  # checked where they are written, not at every place they are filled in
        coverage_check(medicine.source, doc.name, ("name",))
    except ContentError as exc:
        problems.extend(exc.diagnostics)
    problems += _fact_coverage(medicine)
    check_output = not problems
    brand = brand.for_lang(doc.lang)
    context = jinja_context(doc, brand)
    sections: list[Section] = []
    for sid in section_ids:
        try:
            sections.append(resolve_section(library, medicine, sid, level, context, check_output))
        except ContentError as exc:
            problems.extend(exc.diagnostics)
    writer = _Writer(medicine.source, context, check_output)
    try:
        summary_raw, summary_at = pick(doc.summary, level, ("summary",))
        summary = writer.text(summary_raw, summary_at)
        title = writer.text(doc.name, ("name",))
    except ContentError as exc:
        problems.extend(exc.diagnostics)
    try:
        points = key_points(writer, medicine, level, strings, layout)
    except ContentError as exc:
        problems.extend(exc.diagnostics)
    if problems:
        raise ContentError(list(dict.fromkeys(problems)))  # the name is checked twice
    version = content_version(title, summary, doc.revised.isoformat(), doc.status, sections, points)
    return Handout(
        medicine=doc.medicine,
        title=title,
        summary=summary,
        lang=doc.lang,
        level=level,
        draft=doc.status == "draft",
        revised=doc.revised,
        version=version,
        sections=tuple(sections),
        brand=brand,
        strings=strings,
        paper=paper,
        link=links.fill(brand.link, doc.medicine, doc.lang, level) if brand.link else None,
        key_points=points,
    )


def _fact_coverage(medicine: Loaded[schema.MedicineFile]) -> list[Diagnostic]:
    """Facts as printed in the handout's language ("3天") must be printable too. In a
    translation the facts live in the source file, so the message names the fact."""
    doc = medicine.doc
    problems: list[Diagnostic] = []
    for key, value in doc.facts.items():
        text = fact_text(value, doc.lang)
        keypath = ("facts", key)
        if keypath in medicine.source.value_pos:
            try:
                coverage_check(medicine.source, text, keypath)
            except ContentError as exc:
                problems.extend(exc.diagnostics)
            continue
        problems += [
            Diagnostic(
                medicine.source.path,
                0,
                0,
                f"{fonts.describe(ch)} is not covered by any bundled font "
                f"(fact '{key}' prints as '{text}' in {doc.lang})",
                hint="this comes from CLDR's unit names for the language; ask for a font that has it",
            )
            for _, ch in fonts.uncovered(text)[:10]
        ]
    return problems


def content_version(*parts: Any) -> str:
    """A short id of the resolved text, printed in the footer: two printouts with the same
    id say the same thing, whatever brand or paper they use."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:8]
