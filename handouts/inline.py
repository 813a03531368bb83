"""A unit's text as a CAT tool must see it: words, protected placeholders, bold spans.

Content text holds ``{{ facts.start_dose }}`` variables and ``**bold**`` markup;
interface strings hold ``{page}`` fields. Split into parts, a variable becomes one
placeholder a translator can move but not edit, and bold a pair of codes around words.
``parse`` and ``join`` are exact inverses (``join(parse(t)) == t``), so an untouched unit
comes back byte for byte. An unpaired ``**`` stays a literal: the QA reports it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Union

_CONTENT_VARIABLE = re.compile(r"{{.*?}}", re.DOTALL)
_FIELD = re.compile(r"{[A-Za-z_][A-Za-z0-9_]*}")
_BOLD = re.compile(r"\*\*(.+?)\*\*", re.DOTALL)
_MASK = "\ue002"  # a variable while bold spans are found: no font covers it, no author types it


@dataclass(frozen=True)
class Var:
    """A placeholder: ``code`` is its text as written, ``name`` what it refers to."""

    code: str
    name: str


@dataclass(frozen=True)
class Bold:
    parts: tuple[Part, ...]


Part = Union[str, Var, Bold]  # noqa: UP007  # a runtime alias: Bold's field needs it by name


def name_of(code: str) -> str:
    """``{{  facts.dose }}`` -> ``facts.dose``; ``{page}`` -> ``page``."""
    inner = code[2:-2] if code.startswith("{{") else code[1:-1]
    return " ".join(inner.split())


def parse(text: str, kind: str) -> list[Part]:
    """``kind`` "content" (variables and bold) or "strings" (fields only)."""
    pattern = _CONTENT_VARIABLE if kind == "content" else _FIELD
    codes = iter([m.group(0) for m in pattern.finditer(text)])
    masked = pattern.sub(_MASK, text)
    if kind != "content":
        return _plain(masked, codes)
    out: list[Part] = []
    end = 0
    for match in _BOLD.finditer(masked):
        out += _plain(masked[end : match.start()], codes)
        out.append(Bold(tuple(_plain(match.group(1), codes))))
        end = match.end()
    return out + _plain(masked[end:], codes)


def _plain(masked: str, codes: Iterator[str]) -> list[Part]:
    out: list[Part] = []
    for i, words in enumerate(masked.split(_MASK)):
        if i:
            code = next(codes)
            out.append(Var(code, name_of(code)))
        if words:
            out.append(words)
    return out


def join(parts: list[Part] | tuple[Part, ...]) -> str:
    return "".join(p if isinstance(p, str) else p.code if isinstance(p, Var) else f"**{join(p.parts)}**" for p in parts)


def variables(parts: list[Part] | tuple[Part, ...]) -> list[Var]:
    """Every placeholder, in reading order (inside bold spans too)."""
    out: list[Var] = []
    for part in parts:
        if isinstance(part, Var):
            out.append(part)
        elif isinstance(part, Bold):
            out += variables(part.parts)
    return out


# The forms of the medicine's name are one placeholder: which one a sentence needs
# ("Покупка баклофена") is the translator's grammar (as in qa.py).
_NAME_FORM = re.compile(r"^medicine\.name(?:_in_sentence|_accusative|_genitive)?$")


def family(name: str) -> str:
    return "medicine.name" if _NAME_FORM.match(name) else name


class Spellings:
    """How each placeholder of one unit is written back: the k-th ``medicine.name`` of a
    translation is spelled as the translation spelled its k-th one, else as the source
    does, so a unit that comes back unchanged is byte-identical even where its spacing
    inside the braces, or its form of the name, differs from the source's."""

    def __init__(self, source: list[Part], target: list[Part], kind: str):
        self.kind = kind
        self.source = self._table(source)
        self.own = self._table(target)

    @staticmethod
    def _table(parts: list[Part]) -> dict[str, list[Var]]:
        table: dict[str, list[Var]] = {}
        for var in variables(parts):
            table.setdefault(family(var.name), []).append(var)
        return table

    def known(self, name: str) -> bool:
        return family(name) in self.source

    def spell(self, name: str, nth: int) -> str:
        """The code of the ``nth`` placeholder of ``name``'s family, named ``name``."""
        for table in (self.own, self.source):
            found = table.get(family(name), [])
            if nth < len(found) and found[nth].name == name:
                return found[nth].code
        return f"{{{{ {name} }}}}" if self.kind == "content" else f"{{{name}}}"

    def nth(self, kin: str, nth: int) -> str:
        """The code of the ``nth`` placeholder of family ``kin``, whichever form it is."""
        for table in (self.own, self.source):
            found = table.get(kin, [])
            if nth < len(found):
                return found[nth].code
        return self.spell(kin, nth)
