"""The Jinja sandbox for author text: imported only for a text that needs it (see text.py).

Content comes from outside vendors, so author text may only *name* values:
``{{ facts.dose }}``, ``{{ params.phone }}``, ``{{ medicine.name }}``. Everything else
Jinja offers (statements, loops, includes, calls, filters, operators, literals, comments)
is refused before the text is compiled: a loop or ``'a' * 10**9`` could hang a batch or
exhaust memory, and Jinja's documentation says its sandbox alone is no complete defence.
What remains runs in a SandboxedEnvironment with StrictUndefined and no globals, names
look up dictionary keys only (never Python attributes such as ``facts.items``), and every
value printed must be text. Autoescaping is off because the output is not HTML; the
renderer escapes for its own format.

This module is the authority on what a text means and on every error message about it;
text.py fills the plain ``{{ name.key }}`` texts of shipped content without it, to the
same result.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from jinja2 import (
    StrictUndefined,
    Template,
    TemplateError,
    TemplateRuntimeError,
    TemplateSyntaxError,
    UndefinedError,
    nodes,
)
from jinja2.runtime import Undefined
from jinja2.sandbox import SandboxedEnvironment

from .errors import ContentError, Diagnostic
from .loader import KeyPath, Source
from .text import MAX_STEPS, VALUE_END, VALUE_START, unmark

_QUOTED = re.compile(r"'([^']+)'")
_HINT = "only {{ facts.x }}, {{ params.x }} and {{ medicine.name }} are available"

# Lexer tokens that start anything but a {{ variable }}; a comment would hide text from print.
_REFUSED_TOKENS = {
    "block_begin": "a {% ... %} statement",
    "raw_begin": "a {% raw %} block",
    "comment_begin": "a {# ... #} comment",
}
# Real paths are two or three steps (MAX_STEPS, in text.py); brackets only group. Far below the
# depth at which Jinja's parser and compiler, both recursive, exhaust the stack.
MAX_BRACKETS = 8
# Expression nodes, most specific first, as an author would name them.
_REFUSED_NODES: tuple[tuple[type[nodes.Node], str], ...] = (
    (nodes.Call, "a function call"),
    (nodes.Filter, "a filter (|)"),
    (nodes.Test, "a test (is ...)"),
    (nodes.Literal, "a literal value"),
    (nodes.Expr, "an operator"),
)


class _NotText(TemplateRuntimeError):
    """A ``{{ ... }}`` whose value is a list, a group of values or anything but text."""


class _Refused(Exception):
    def __init__(self, lineno: int, what: str):
        super().__init__(what)
        self.lineno = lineno


def _finalize(value: Any) -> Any:
    if isinstance(value, Undefined):  # raises its own error when printed
        return value
    if isinstance(value, str):  # a parameter may itself hold marked values: one literal value now
        return VALUE_START + unmark(value) + VALUE_END
    if isinstance(value, list):
        raise _NotText("variable is a list, not text")
    if isinstance(value, Mapping):
        raise _NotText("variable is a group of values, not text")
    raise _NotText("variable is not text")


class _TextEnvironment(SandboxedEnvironment):
    """``a.b`` and ``a['b']`` both mean the key ``b`` of the mapping ``a``; nothing else."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        return self.getitem(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if isinstance(obj, Undefined):  # report the first unknown name, not a chain of them
            return obj
        if isinstance(obj, Mapping) and argument in obj:
            return obj[argument]
        return self.undefined(obj=obj, name=argument)


_ENV = _TextEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False, finalize=_finalize)
_ENV.globals.clear()  # no range, lipsum, cycler, joiner, namespace, dict


def _variable_only(node: nodes.Node) -> None:
    """Raise _Refused unless ``node`` is a name followed by ``.key`` or ``['key']`` steps."""
    while isinstance(node, (nodes.Getattr, nodes.Getitem)):
        if isinstance(node, nodes.Getitem) and not (
            isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, (str, int))
        ):
            raise _Refused(node.lineno, "a computed key")
        node = node.node
    if not isinstance(node, nodes.Name):
        what = next((label for kind, label in _REFUSED_NODES if isinstance(node, kind)), "an expression")
        raise _Refused(node.lineno, what)


def _bounded(text: str) -> None:
    """Refuse what would make Jinja's recursive parser and code generator overflow the
    stack (a RecursionError traceback): 500 chained ``.dose`` lookups or 1,000 nested
    brackets. Counted on the lexer's tokens, which are produced without recursion."""
    steps = depth = 0
    for lineno, token, value in _ENV.lex(text):
        if token in _REFUSED_TOKENS:
            raise _Refused(lineno, _REFUSED_TOKENS[token])
        if token in ("variable_begin", "variable_end") and "-" in value:  # "Take{{- dose -}}mg" joins words
            raise _Refused(lineno, "whitespace control ({{- or -}}), which joins the value to the words around it")
        if token == "variable_begin":
            steps = depth = 0
        if token == "operator":
            steps += value in ".["
            depth += (value in "([{") - (value in ")]}")
        if depth > MAX_BRACKETS:
            raise _Refused(lineno, f"brackets nested more than {MAX_BRACKETS} deep")
        if steps > MAX_STEPS:
            raise _Refused(lineno, f"a variable path of more than {MAX_STEPS} steps")


@lru_cache(maxsize=8192)
def _compile(text: str) -> Template:
    _bounded(text)
    for output in _ENV.parse(text).body:  # without statements, only Output nodes remain
        if not isinstance(output, nodes.Output):
            raise _Refused(output.lineno, "a statement")
        for node in output.nodes:
            if not isinstance(node, nodes.TemplateData):
                _variable_only(node)
    return _ENV.from_string(text)


def render(text: str, context: Mapping[str, Any] | None, source: Source, keypath: KeyPath) -> str:
    """Fill in ``{{ ... }}``; errors point at the string in its YAML file. Without a
    context the text is only compiled (see ``text.check``)."""
    try:
        template = _compile(text)
        if context is None:
            return text
        out = template.render(context)
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
    except _Refused as exc:
        raise ContentError([_at(source, keypath, exc.lineno, f"template not allowed: {exc}", _HINT)]) from None
    except UndefinedError as exc:
        raise ContentError([_undefined(source, keypath, text, exc.message or "", context or {})]) from None
    except _NotText as exc:
        raise ContentError(
            [
                _at(
                    source,
                    keypath,
                    1,
                    str(exc),
                    "a list parameter prints as bullets: '- list: {param: NAME}'; otherwise name one value, "
                    "e.g. {{ facts.dose }}",
                )
            ]
        ) from None
    except TemplateError as exc:  # SecurityError and friends: the sandbox said no
        raise ContentError([_at(source, keypath, 1, f"template not allowed: {exc}", _HINT)]) from None
    if not unmark(out).strip():
        raise ContentError([source.error(keypath, "text is empty after filling in variables")])
    return out


def _at(source: Source, keypath: KeyPath, lineno: int | None, message: str, hint: str) -> Diagnostic:
    diag = source.error(keypath, message, hint)
    return dataclasses.replace(diag, line=diag.line + max((lineno or 1) - 1, 0))


def _undefined(source: Source, keypath: KeyPath, text: str, message: str, context: Mapping[str, Any]) -> Diagnostic:
    """An unknown variable; a brand number the brand does not declare says where to add it
    (an emergency line is the place's, never the content's)."""
    names = _QUOTED.findall(message)
    if names and re.search(r"brand\s*\.\s*" + re.escape(names[-1]) + r"\b", text):
        return _at(
            source,
            keypath,
            1,
            f"the brand does not declare '{names[-1]}'",
            f"add '{names[-1]}:' to the brand file (brands/NAME/brand.yaml), e.g. {names[-1]}: \"112\"",
        )
    return _at(source, keypath, 1, f"unknown variable: {message}", _suggest(message, context))


def _suggest(message: str, context: Mapping[str, Any]) -> str:
    """Turn Jinja's "'dict object' has no attribute 'max_dose'" into a did-you-mean."""
    names = _QUOTED.findall(message)
    if not names:
        return ""
    full = []  # (last name, full name): brand.name and medicine.name are both "name"
    for top, value in context.items():
        for key in value if isinstance(value, Mapping) else [top]:
            full.append((key, f"{top}.{key}" if isinstance(value, Mapping) else top))
    close = difflib.get_close_matches(names[-1], [key for key, _ in full], n=1, cutoff=0.6)
    if close:
        return f"did you mean '{{{{ {next(name for key, name in full if key == close[0])} }}}}'?"
    return "available: " + ", ".join(sorted(name for _, name in full))
