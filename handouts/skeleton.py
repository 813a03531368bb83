"""``translate init``: a translation skeleton a translator fills in without reading Python.

The skeleton has exactly the keys of the source, every text empty, the source text as a
YAML comment right above it, and the fingerprint (``src``) of that source text next to
it. Facts are never copied: the header lists the ``{{ facts.* }}`` names with how each
prints in the new language, so doses stay in one place.
"""

from __future__ import annotations

import datetime
import math
import re
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from . import l10n, schema
from .content import Library, Loaded, load_medicine, load_strings_file, load_template
from .errors import ContentError, Diagnostic
from .resolve import fact_text
from .translate import fingerprint

INDENT = "  "
_BREAKS = re.compile("[\r\n\x85\u2028\u2029]+")


def _q(value: object) -> str:
    """Any value as one YAML double-quoted scalar, written by the YAML emitter: a line
    break, a quote or a ``#`` in a name stays inside its string, never a line of its own
    (a medicine named "X\nstatus: reviewed" must not mark the skeleton reviewed)."""
    return yaml.dump(str(value), default_style='"', allow_unicode=True, width=math.inf).rstrip("\n")


def _line(text: object) -> str:
    """Text for a comment: one line whatever it holds (YAML also breaks lines at U+0085,
    U+2028 and U+2029); other characters, a no-break space in a dose, stay."""
    return _BREAKS.sub(" ", str(text))


def _src(text: str) -> str:
    """Quoted: a fingerprint like 62132400 would otherwise be read as a number."""
    return _q(fingerprint(text))


def _comment(pad: str, lang: str, text: str) -> list[str]:
    lines = textwrap.wrap(" ".join(text.split()), 88 - len(pad)) or [""]  # split() takes YAML's breaks too
    return [f"{pad}# {lang}: {lines[0]}"] + [f"{pad}#     {line}" for line in lines[1:]]


def _empty(_: str) -> str:
    return ""


class _Writer:
    def __init__(self, source_lang: str, fill: Callable[[str], str] = _empty):
        self.lang = source_lang
        self.fill = fill  # what goes in each field: "" for translators; tests pre-fill it
        self.out: list[str] = []

    def value(self, source_text: str) -> str:
        return _q(self.fill(source_text))

    def leveled(self, key: str, value: Any, pad: str, write: Callable[[Any, str], None]) -> None:
        """``key:`` then the value, or one entry per level when the source has them."""
        self.out.append(f"{pad}{key}:")
        if isinstance(value, schema.ByLevel):
            for level in schema.LEVELS:
                self.leveled(level, getattr(value, level), pad + INDENT, write)
        else:
            write(value, pad + INDENT)

    def unit(self, key: str, value: Any, pad: str) -> None:
        """``key: {text, src}`` for a text, ``key: {list, src}`` for a list."""
        self.leveled(key, value, pad, self._unit)

    def _unit(self, value: Any, pad: str) -> None:
        if isinstance(value, list):
            self.out.append(f"{pad}list:")
            self.items(value, pad + INDENT)
        else:
            self.out += _comment(pad, self.lang, value)
            self.out.append(f"{pad}text: {self.value(value)}")
        self.out.append(f"{pad}src: {_src(chr(10).join(value) if isinstance(value, list) else value)}")

    def items(self, items: list[str], pad: str) -> None:
        for item in items:
            self.out += _comment(pad, self.lang, item)
            self.out.append(f"{pad}- {self.value(item)}")

    def body(self, key: str, value: Any, pad: str) -> None:
        self.leveled(key, value, pad, self.blocks)

    def blocks(self, blocks: list[Any], pad: str) -> None:
        for block in blocks:
            self.block(block, pad)

    def block(self, block: Any, pad: str) -> None:
        more = pad + INDENT  # keys after the first one of a "- key: ..." item
        if isinstance(block, schema.Callout):
            self.out.append(f"{pad}- warning:")
            inner = more + INDENT
            self.out += _comment(inner, self.lang, block.warning.label)
            self.out.append(f"{inner}label: {self.value(block.warning.label)}")
            self.out.append(f"{inner}src: {_src(block.warning.label)}")
            self.out.append(f"{inner}body:")
            self.blocks(block.warning.body, inner + INDENT)
            return
        if isinstance(block, schema.BulletList):
            if isinstance(block.items, schema.ParamRef):
                self.out.append(f"{pad}- list: {{param: {_q(block.items.param)}}}")
                return
            self.out.append(f"{pad}- list:")
            self.items(block.items, more + INDENT)
            self.out.append(f"{more}src: {_src(chr(10).join(block.items))}")
            return
        key, text = ("p", block.p) if isinstance(block, schema.Paragraph) else ("subhead", block.subhead)
        self.out += _comment(pad, self.lang, text)
        self.out.append(f"{pad}- {key}: {self.value(text)}")
        self.out.append(f"{more}src: {_src(text)}")


def medicine_skeleton(
    source: schema.MedicineFile, lang: str, facts: dict[str, str], today: str, fill: Callable[[str], str] = _empty
) -> str:
    w = _Writer(source.lang, fill)
    w.out += [
        f"# {_line(source.name)}: translation of {source.lang}.yaml into '{lang}'. Written by `translate init`.",
        '# Fill in every empty "" with the translation of the comment above it. Keep {{ ... }} as',
        "# they are and keep every `src:` line: it records which source text you translated.",
        "# Facts come from the source file and print in this language automatically:",
        *[f"#   {{{{ facts.{key} }}}} -> {_line(value)}" for key, value in facts.items()],
        "# Check your work with: python generate.py validate THIS_FILE",
        f"medicine: {_q(source.medicine)}",
        f"lang: {_q(lang)}",
        f"translation_of: {_q(source.lang)}",
        f"status: {_q('draft')}",
        f"revised: {datetime.date.fromisoformat(today).isoformat()}",  # a YAML date: checked, never quoted
    ]
    w.unit("name", source.name, "")
    w.unit("summary", source.summary, "")
    if source.key_points is not None:
        w.unit("key_points", source.key_points, "")
    w.out.append("sections:")
    for sid, section in source.sections.items():
        w.out.append(f"{INDENT}{sid}:")
        pad = INDENT * 2
        if section.template is not None:
            w.out.append(f"{pad}# shared section: its text is in templates/{section.template}/{lang}.yaml")
        if section.title is not None:
            w.unit("title", section.title, pad)
        if section.body is not None:
            w.body("body", section.body, pad)
        if section.params:
            w.out.append(f"{pad}params:")
            for name, value in section.params.items():
                w.unit(name, value, pad + INDENT)
    return "\n".join(w.out) + "\n"


def template_skeleton(
    source: schema.TemplateFile, source_lang: str, lang: str, fill: Callable[[str], str] = _empty
) -> str:
    w = _Writer(source_lang, fill)
    w.out += [
        f"# Shared section '{source.template}': translation of {source_lang}.yaml into '{lang}'.",
        '# Fill in every empty ""; keep {{ ... }}, {param: ...} and every `src:` line as they are.',
        "# Parameters (filled in by each medicine):",
        *[f"#   params.{name}: {_line(about)}" for name, about in source.params.items()],
        f"template: {_q(source.template)}",
        f"translation_of: {_q(source_lang)}",
    ]
    w.unit("title", source.title, "")
    w.body("body", source.body, "")
    return "\n".join(w.out) + "\n"


def strings_skeleton(source: schema.StringsFile, lang: str) -> str:
    out = [
        f"# Interface text in '{lang}', from strings/{source.lang}.yaml. Keep words in {{braces}} as they are.",
        f"lang: {_q(lang)}",
    ]
    for key in schema.StringsFile.model_fields:
        if key == "lang" or getattr(source, key) is None:  # an optional key the source leaves out
            continue
        if key == "lang" or getattr(source, key) is None:
            continue  # an optional string the source language has not written has nothing to translate
        out += _comment("", source.lang, getattr(source, key))
        out.append(f"{key}: {_q('')}")
    return "\n".join(out) + "\n"


def plan(library: Library, medicine: str, lang: str, source_lang: str, *, force: bool, today: str) -> dict[Path, str]:
    """The files ``translate init`` writes, path -> text: the medicine's skeleton in the
    first content root, plus a skeleton of each shared template and of the interface
    strings that do not exist in ``lang`` yet (those are shared by every medicine, so an
    existing one is never overwritten). Raises ContentError before anything is written."""
    if not l10n.is_known(lang):
        raise ContentError(
            [Diagnostic(Path("--lang"), 0, 0, f"'{lang}' is not a language code CLDR knows", hint="e.g. es, zh-Hans")]
        )
    source = load_medicine(library, library.medicine_path(medicine, source_lang))
    doc = source.doc
    target = library.roots[0] / "medicines" / medicine / f"{lang}.yaml"
    if target.exists() and not force:
        raise ContentError(
            [Diagnostic(target, 0, 0, "a translation already exists", hint="edit it, or pass --force to start over")]
        )
    facts = {key: fact_text(value, lang) for key, value in doc.facts.items()}
    return {target: medicine_skeleton(doc, lang, facts, today), **shared(library, source, lang, source_lang)}


def shared(library: Library, source: Loaded[schema.MedicineFile], lang: str, source_lang: str) -> dict[Path, str]:
    """Skeletons of the shared templates a medicine uses and of the interface strings,
    those that do not exist in ``lang`` yet, where ``translate init`` writes them."""
    doc = source.doc
    files: dict[Path, str] = {}
    used: dict[str, str] = {}  # template name -> the first section using it
    for sid, section in doc.sections.items():
        if section.template is not None:
            used.setdefault(section.template, sid)
    problems = []
    for name, sid in sorted(used.items()):
        if library.template_path(name, lang) is not None:
            continue
        template_path = library.template_path(name, source_lang)
        if template_path is None:
            problems.append(
                source.source.error(
                    ("sections", sid, "template"),
                    f"shared template '{name}' has no '{source_lang}' text to translate from",
                    f"add templates/{name}/{source_lang}.yaml, or translate from a language it has (--from)",
                )
            )
            continue
        template = load_template(library, template_path).doc
        files[library.template_dirs[0] / name / f"{lang}.yaml"] = template_skeleton(template, source_lang, lang)
    if problems:
        raise ContentError(problems)
    if not any((root / "strings" / f"{lang}.yaml").is_file() for root in library.roots):
        strings = load_strings_file(library, library.strings_path(source_lang)).doc
        files[library.roots[0] / "strings" / f"{lang}.yaml"] = strings_skeleton(strings, lang)
    return files
