"""Author text -> final text: variables filled in, then the tiny inline markup.

Author text may only *name* values: ``{{ facts.dose }}``, ``{{ params.phone }}``,
``{{ medicine.name }}``. What a text means, and every error about it, is decided by
sandboxed Jinja (sandbox.py). Almost every shipped text is nothing but plain words and
such names, and for those the answer is known without Jinja: ``_plain_fill`` gives the
very text Jinja would give. Jinja is imported (here, and nowhere else) only for a text
that is anything more, or whose names do not lead to text, so that it is Jinja that
words the error. A cold ``build`` of shipped content then never imports or compiles it:
importing Jinja and compiling the 19 texts of an English handout was 6-8 % of the whole
command (benchmarks/bench_coldstart.py, docs/performance.md).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .loader import KeyPath, Source
from .model import Inline, Span

_BOLD = re.compile(r"\*\*(.+?)\*\*", re.DOTALL)
# A value filled in by {{ ... }} is literal text, never markup: a fact "1**12" next to the
# author's "**every**" must not pair up. Values travel between these two private-use
# characters (which no font covers, so authors cannot type them: see coverage) until
# parse_inline has seen where they are; ``unmark`` drops them from text printed as is.
VALUE_START, VALUE_END = "\ue000", "\ue001"
_VALUE = re.compile(f"{VALUE_START}[^{VALUE_END}]*{VALUE_END}")
_MASK = "\ue002"
# Folded YAML and Jinja leave newlines and runs of spaces; no-break spaces are the
# author's (or CLDR's) promise that "5 mg" stays on one line, so they are kept.
_SPACES = re.compile(r"[^\S\u00a0\u2007\u202f]+")
# Real paths are two or three steps ({{ facts.dose }}); sandbox.py refuses longer ones.
MAX_STEPS = 8
# {{ name }} or {{ name.key.key }} with spaces or tabs inside the braces: the one form
# filled without Jinja.
_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_PLAIN_VARIABLE = re.compile(rf"\{{\{{[ \t]*({_NAME}(?:\.{_NAME})*)[ \t]*\}}\}}")
# Names Jinja reads as something else than a variable of the context: constants
# (``{{ true }}`` is a literal, refused), operators, and ``self`` (the template itself).
_NOT_VARIABLES = frozenset({"true", "false", "none", "True", "False", "None", "and", "or", "not", "in", "is", "if"})
_NOT_VARIABLES |= {"else", "self"}


def render(text: str, context: Mapping[str, Any], source: Source, keypath: KeyPath) -> str:
    """Fill in ``{{ ... }}``; errors point at the string in its YAML file. Each value
    arrives between the marks VALUE_START and VALUE_END (see there)."""
    if "{" not in text:
        return text
    filled = _plain_fill(text, context)
    if filled is not None and unmark(filled).strip():
        return filled
    from . import sandbox  # Jinja: only for a text that is more than plain names (module docstring)

    return sandbox.render(text, context, source, keypath)


def check(text: str, source: Source, keypath: KeyPath) -> None:
    """Refuse what ``render`` would refuse before seeing any value: syntax errors and
    anything but variables. Lets ``validate`` check a shared template on its own."""
    if "{" in text:
        from . import sandbox  # as in render

        sandbox.render(text, None, source, keypath)


def _plain_fill(text: str, context: Mapping[str, Any]) -> str | None:
    """What Jinja gives for ``text``, when every ``{`` in it belongs to a plain
    ``{{ name.key }}`` whose steps are keys of mappings ending at text; else None.

    Jinja changes nothing else in such a text, except line ends (``\\r\\n`` becomes
    ``\\n``) and one final newline (dropped): texts with either are left to it too."""
    if "\r" in text or text.endswith("\n"):
        return None
    out: list[str] = []
    end = 0
    for match in _PLAIN_VARIABLE.finditer(text):
        words = text[end : match.start()]
        value: Any = context
        path = match.group(1).split(".")
        if "{" in words or path[0] in _NOT_VARIABLES or len(path) - 1 > MAX_STEPS:
            return None
        for key in path:
            if not (isinstance(value, Mapping) and key in value):
                return None
            value = value[key]
        if not isinstance(value, str):
            return None
        out += (words, VALUE_START, unmark(value), VALUE_END)  # as sandbox._finalize marks it
        end = match.end()
    if "{" in text[end:]:
        return None
    out.append(text[end:])
    return "".join(out)


def unmark(text: str) -> str:
    """Text as printed: the value marks of ``render`` removed."""
    return text.replace(VALUE_START, "").replace(VALUE_END, "")


def parse_inline(text: str) -> Inline:
    """``**bold**`` is the only markup; everything else (``<``, ``&``, ...) is literal text,
    and so is every ``**`` inside a value ``render`` filled in (found on a copy where each
    value is masked, so positions stay the same)."""
    masked = _VALUE.sub(lambda m: _MASK * len(m.group()), text)
    spans: list[Span] = []
    pos = 0
    for match in _BOLD.finditer(masked):
        if match.start() > pos:
            spans.append(Span(unmark(text[pos : match.start()])))
        spans.append(Span(unmark(text[match.start(1) : match.end(1)]), bold=True))
        pos = match.end()
    if pos < len(text):
        spans.append(Span(unmark(text[pos:])))
    return tuple(span for span in spans if span.text)


def normalize_space(text: str) -> str:
    """Single spaces between words, none at either end; no-break spaces stay (``_SPACES``)."""
    return _SPACES.sub(" ", text).strip(" ")
