"""``translate init``: a translation skeleton a translator fills in without reading Python.

The skeleton has exactly the keys of the source, every text empty, the source text as a
YAML comment right above it, and the fingerprint (``src``) of that source text next to
it. Facts are never copied: the header lists the ``{{ facts.* }}`` names with how each
prints in the new language, so doses stay in one place.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from typing import Any

from . import schema
from .translate import fingerprint

INDENT = "  "


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _src(text: str) -> str:
    """Quoted: a fingerprint like 62132400 would otherwise be read as a number."""
    return _q(fingerprint(text))


def _comment(pad: str, lang: str, text: str) -> list[str]:
    lines = textwrap.wrap(" ".join(text.split()), 88 - len(pad)) or [""]
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
                self.out.append(f"{pad}- list: {{param: {block.items.param}}}")
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
        f"# {source.name}: translation of {source.lang}.yaml into '{lang}'. Written by `translate init`.",
        '# Fill in every empty "" with the translation of the comment above it. Keep {{ ... }} as',
        "# they are and keep every `src:` line: it records which source text you translated.",
        "# Facts come from the source file and print in this language automatically:",
        *[f"#   {{{{ facts.{key} }}}} -> {value}" for key, value in facts.items()],
        "# Check your work with: python generate.py validate THIS_FILE",
        f"medicine: {source.medicine}",
        f"lang: {lang}",
        f"translation_of: {source.lang}",
        "status: draft",
        f"revised: {today}",
    ]
    w.unit("name", source.name, "")
    w.unit("summary", source.summary, "")
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
        *[f"#   params.{name}: {' '.join(about.split())}" for name, about in source.params.items()],
        f"template: {source.template}",
        f"translation_of: {source_lang}",
    ]
    w.unit("title", source.title, "")
    w.body("body", source.body, "")
    return "\n".join(w.out) + "\n"


def strings_skeleton(source: schema.StringsFile, lang: str) -> str:
    out = [
        f"# Interface text in '{lang}', from strings/{source.lang}.yaml. Keep words in {{braces}} as they are.",
        f"lang: {lang}",
    ]
    for key in schema.StringsFile.model_fields:
        if key == "lang":
            continue
        out += _comment("", source.lang, getattr(source, key))
        out.append(f'{key}: ""')
    return "\n".join(out) + "\n"
