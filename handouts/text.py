"""Author text -> final text: sandboxed Jinja for variables, then the tiny inline markup.

Jinja runs in a SandboxedEnvironment with StrictUndefined: content comes from outside
vendors, and an unknown variable must be an error naming file and line, never a blank in
a patient's handout. Autoescaping is off because the output is not HTML; the renderer
escapes for its own format.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment

from .errors import ContentError
from .loader import KeyPath, Source
from .model import Inline, Span

_ENV = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)
_BOLD = re.compile(r"\*\*(.+?)\*\*", re.DOTALL)
_QUOTED = re.compile(r"'([^']+)'")


@lru_cache(maxsize=8192)
def _compile(text: str):
    return _ENV.from_string(text)


def render(text: str, context: Mapping[str, Any], source: Source, keypath: KeyPath) -> str:
    """Fill in ``{{ ... }}``; errors point at the string in its YAML file."""
    if "{" not in text:
        return text
    try:
        out = _compile(text).render(context)
    except TemplateSyntaxError as exc:
        raise ContentError(
            [
                _at(
                    source,
                    keypath,
                    exc.lineno,
                    f"template syntax error: {exc.message}",
                    "variables are written {{ facts.name }}",
                )
            ]
        ) from None
    except UndefinedError as exc:
        raise ContentError(
            [_at(source, keypath, 1, f"unknown variable: {exc.message}", _suggest(exc.message, context))]
        ) from None
    except TemplateError as exc:  # SecurityError and friends: the sandbox said no
        raise ContentError(
            [
                _at(
                    source,
                    keypath,
                    1,
                    f"template not allowed: {exc}",
                    "only {{ facts.x }}, {{ params.x }} and {{ medicine.name }} are available",
                )
            ]
        ) from None
    if not out.strip():
        raise ContentError([source.error(keypath, "text is empty after filling in variables")])
    return out


def _at(source: Source, keypath: KeyPath, lineno: int | None, message: str, hint: str):
    diag = source.error(keypath, message, hint)
    return dataclasses.replace(diag, line=diag.line + max((lineno or 1) - 1, 0))


def _suggest(message: str, context: Mapping[str, Any]) -> str:
    """Turn Jinja's "'dict object' has no attribute 'max_dose'" into a did-you-mean."""
    names = _QUOTED.findall(message)
    if not names:
        return ""
    full = {}
    for top, value in context.items():
        for key in value if isinstance(value, Mapping) else [top]:
            full[key] = f"{top}.{key}" if isinstance(value, Mapping) else top
    close = difflib.get_close_matches(names[-1], list(full), n=1, cutoff=0.6)
    if close:
        return f"did you mean '{{{{ {full[close[0]]} }}}}'?"
    return "available: " + ", ".join(sorted(full.values()))


def parse_inline(text: str) -> Inline:
    """``**bold**`` is the only markup; everything else (``<``, ``&``, ...) is literal text."""
    spans: list[Span] = []
    pos = 0
    for match in _BOLD.finditer(text):
        if match.start() > pos:
            spans.append(Span(text[pos : match.start()]))
        spans.append(Span(match.group(1), bold=True))
        pos = match.end()
    if pos < len(text):
        spans.append(Span(text[pos:]))
    return tuple(spans)


def normalize_space(text: str) -> str:
    """Folded YAML and Jinja leave stray newlines and double spaces; print single spaces."""
    return " ".join(text.split())
