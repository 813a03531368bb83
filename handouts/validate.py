"""Schema validation: a parsed Source -> a typed schema object, or file:line:col errors.

Pydantic reports errors by location tuples that also contain union tags; we walk each
location against the real data so the reported key path is the one the author wrote,
then turn pydantic's wording into advice for a person editing YAML.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from . import schema
from .errors import ContentError, Diagnostic, clip, did_you_mean
from .loader import KeyPath, Source, format_keypath

M = TypeVar("M", bound=BaseModel)


def _all_field_names() -> set[str]:
    names: set[str] = set(schema.BLOCK_KEYS)
    for cls in (
        schema.MedicineFile,
        schema.SectionSource,
        schema.TemplateFile,
        schema.BrandFile,
        schema.BrandColors,
        schema.LayoutFile,
        schema.StringsFile,
        schema.CalloutBody,
        schema.ParamRef,
        schema.ManifestFile,
        schema.ManifestJob,
        schema.ManifestMatrix,
        schema.PatientFile,
        schema.PlanStep,
        schema.Dose,
    ):
        for name, info in cls.model_fields.items():
            names.add(info.alias or name)
    return names | set(schema.LEVELS)


KNOWN_KEYS = frozenset(_all_field_names())


def check(source: Source, model: type[M], *, redact: bool = False) -> M:
    """Validate a whole file against ``model``; raise ContentError listing every problem.
    ``redact``: the file holds personal health information (a patient's plan), so no
    message quotes a value or a key from it; the position and the key path show where."""
    try:
        return model.model_validate(source.data)
    except ValidationError as exc:
        diagnostics = [_diagnostic(source, err, redact) for err in exc.errors(include_url=False)]
        raise ContentError(_dedupe(diagnostics)) from None


def _data_path(data: Any, loc: tuple[Any, ...]) -> tuple[KeyPath, Any]:
    """Keep only the parts of a pydantic location that exist in the data (drop union tags);
    return that key path and the value found there."""
    path: list[str | int] = []
    node = data
    for i, part in enumerate(loc):
        following = loc[i + 1] if i + 1 < len(loc) else None
        if isinstance(node, dict) and part in node:
            inner = node[part]
            if following in node and not (isinstance(inner, dict) and following in inner):
                continue  # a union tag that is also a key here, e.g. 'p' in ('p', 'src')
            path.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            path.append(part)
            node = node[part]
    return tuple(path), node


_TYPE_WORDS = {
    "string_type": "text",
    "int_type": "a whole number",
    "bool_type": "true or false",
    "list_type": "a list (lines starting with '- ')",
    "dict_type": "a mapping of keys to values",
    "model_type": "a mapping of keys to values",
    "date_type": "a date like 2026-11-21",
    "float_type": "a number",
    "model_attributes_type": "a mapping of keys to values",
}


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"true/false ({value})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"text ('{clip(value)}')"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing (empty value)"
    return type(value).__name__


def _kind(value: Any) -> str:
    """What ``_describe`` says without the value itself, for a redacted message."""
    return _describe(value).split(" (")[0]


def _diagnostic(source: Source, err: ErrorDetails, redact: bool = False) -> Diagnostic:
    kind = err["type"]
    keypath, value = _data_path(source.data, err["loc"])
    last = err["loc"][-1] if err["loc"] else ""
    if redact:
        return _redacted(source, err, keypath, value)
    if kind == "extra_forbidden":
        return source.error(
            keypath, f"unknown key '{keypath[-1]}'", did_you_mean(str(keypath[-1]), KNOWN_KEYS), key=True
        )
    if kind == "missing":
        return source.error(keypath, f"missing required key '{last}'", f"add '{last}:' here; see docs/authoring.md")
    if kind == "block_kind":
        if isinstance(value, dict) and value:
            first = str(next(iter(value)))
            return source.error(
                keypath + (first,), f"unknown block type '{first}'", did_you_mean(first, schema.BLOCK_KEYS), key=True
            )
        return source.error(
            keypath,
            "a block needs one of the keys: " + ", ".join(schema.BLOCK_KEYS),
            "write a block such as '- p: Some text.'",
        )
    if kind in _TYPE_WORDS:
        hint = "put the value in quotes to make it text" if kind == "string_type" and value is not None else ""
        if value is None:
            hint = "write a value after the colon; quote it if it starts with # (an unquoted # starts a comment)"
        return source.error(keypath, f"expected {_TYPE_WORDS[kind]}, found {_describe(value)}", hint)
    if kind == "literal_error":
        return source.error(keypath, f"'{clip(value)}' is not allowed here; must be {err['ctx']['expected']}")
    if kind == "string_pattern_mismatch":  # the input, not the value: a bad key's value is a whole mapping
        what, hint = _PATTERNS.get(err["ctx"]["pattern"], ("value", ""))
        return source.error(keypath, f"'{clip(err['input'])}' is not a valid {what}", hint, key=last == "[key]")
    if kind == "fact_kind":
        return source.error(keypath, f"a fact is text or a number, not {_describe(value)}", "write e.g. 5 mg")
    if kind == "finite_number":
        return source.error(keypath, f"{value} is not a number that can be printed", "write the amount, e.g. 5 mg")
    if kind == "string_too_long":
        return source.error(
            keypath,
            f"too long: {len(value)} characters, at most {err['ctx']['max_length']} fit",
            "shorten it: it is printed on every page, where it must leave room for the content",
        )
    if kind in ("too_short", "string_too_short"):
        return source.error(keypath, "must not be empty", "write at least one entry, or remove the key")
    if kind == "value_error":
        return source.error(keypath, str(err["ctx"]["error"]))
    return source.error(keypath, err["msg"])


def _redacted(source: Source, err: ErrorDetails, keypath: KeyPath, value: Any) -> Diagnostic:
    """A problem in a file of personal health information, worded without its values or
    unknown keys (a name typed where a key belongs is still a name); the key path shown
    stops before the first key no schema declares."""
    kind, last = err["type"], err["loc"][-1] if err["loc"] else ""
    message, hint = f"not a valid value here ({kind.replace('_', ' ')})", ""
    if kind == "extra_forbidden":
        message, hint = "unknown key", "see docs/personal.md for the keys of a patient file"
    elif kind == "missing":
        message, hint = f"missing required key '{last}'", f"add '{last}:' here; see docs/personal.md"
    elif kind in _TYPE_WORDS:  # a dose is a whole or a decimal number: one message for both
        words = "a number" if kind in ("int_type", "float_type") else _TYPE_WORDS[kind]
        message = f"expected {words}, found {_kind(value)}"
    elif kind == "literal_error":
        message = f"this value is not allowed here; must be {err['ctx']['expected']}"
    elif kind == "string_too_long":
        message = f"too long: at most {err['ctx']['max_length']} characters"
    elif kind in ("too_short", "string_too_short"):
        message, hint = "must not be empty", "write at least one entry, or remove the key"
    elif kind == "value_error":  # our own validators' messages, which quote no value
        message = str(err["ctx"]["error"])
    elif kind in ("greater_than", "greater_than_equal", "less_than_equal", "too_long"):
        message = err["msg"].replace("Input should be", "must be").replace("List should have", "must have")
    line, col = source.pos(keypath, key=kind == "extra_forbidden")
    return Diagnostic(source.path, line, col, message, key=format_keypath(_known_prefix(keypath)), hint=hint)


def _known_prefix(keypath: KeyPath) -> KeyPath:
    """``keypath`` up to its first key that no schema declares."""
    out: list[str | int] = []
    for part in keypath:
        if isinstance(part, str) and part not in KNOWN_KEYS:
            break
        out.append(part)
    return tuple(out)


_PATTERNS = {  # regex -> (what it is, how to write it)
    schema.HEX_COLOR: ("colour", "write colours as #RRGGBB, e.g. '#1F4E79' (quoted)"),
    schema.SLUG: ("id", "use lower-case letters, digits and _ , starting with a letter"),
    schema.LANG_CODE: ("language code", "use a code like en, es or zh-Hans"),
}


def _dedupe(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    seen: set[tuple[int, int, str]] = set()
    out = []
    for d in sorted(diagnostics, key=lambda d: (d.line, d.col)):
        if (d.line, d.col, d.message) not in seen:
            seen.add((d.line, d.col, d.message))
            out.append(d)
    return out
