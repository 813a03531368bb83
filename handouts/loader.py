"""YAML -> plain Python data plus the source position of every key and value.

PyYAML's ``safe_load`` forgets where things came from and silently keeps the last of two
duplicate keys (a duplicated section would quietly vanish). We compose the node tree
ourselves instead, so every later error can name ``file:line:col`` and duplicates are
errors.

Files come from outside vendors, so everything a YAML file can do beyond plain text,
numbers, dates, lists and mappings is refused with a position: tags (``!!python/...``,
``!!binary``, ``!include``), merge keys, alias expansion past a budget, nesting deeper
than content ever is, files over a size limit, and bytes that are not UTF-8.
"""

from __future__ import annotations

import codecs
import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import yamlnumbers
from .errors import ContentError, Diagnostic, clip
from .files import read_regular

KeyPath = tuple[str | int, ...]

MAX_FILE_BYTES = 1_000_000
MAX_NODES = 200_000  # bounds alias expansion ("billion laughs")
MAX_DEPTH = 50  # content is a few levels deep; deeper is a mistake or an attack
# libyaml composes recursively in C: about 30,000 nested brackets (a 60 KB file) overflow
# its stack and kill the process. Nesting is counted on the parser's events first, which
# are produced iteratively, and refused well before that.
MAX_PARSE_DEPTH = 4 * MAX_DEPTH
# Tags that plain YAML text resolves to by itself; an explicit core tag (!!str 112) is fine.
CORE_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")}
MERGE_TAG = "tag:yaml.org,2002:merge"
_NUMBER_TAGS = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}  # see yamlnumbers
_UNICODE_BOMS = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_constructor = yaml.SafeLoader("")  # used only to turn scalar nodes into Python values


@dataclass
class Source:
    """A parsed YAML file: its data and where each key path sits in the file."""

    path: Path
    data: Any
    value_pos: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    key_pos: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    text: str = field(default="", repr=False, compare=False)  # the file, for messages that quote a line

    def pos(self, keypath: KeyPath, *, key: bool = False) -> tuple[int, int]:
        """Position of a key path, falling back to the nearest enclosing node that has one."""
        table = self.key_pos if key else self.value_pos
        for end in range(len(keypath), -1, -1):
            sub = keypath[:end]
            if sub in table:
                return table[sub]
            if sub in self.value_pos:
                return self.value_pos[sub]
        return (1, 1)

    def error(self, keypath: KeyPath, message: str, hint: str = "", *, key: bool = False) -> Diagnostic:
        line, col = self.pos(keypath, key=key)
        return Diagnostic(self.path, line, col, message, key=format_keypath(keypath), hint=hint)


def format_keypath(keypath: KeyPath) -> str:
    """``('sections', 'x', 'body', 'easy', 2)`` -> ``sections.x.body.easy[2]``."""
    out = ""
    for part in keypath:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def texts(data: Any, keypath: KeyPath = ()) -> Iterator[tuple[KeyPath, str]]:
    """Every string in parsed data with its key path, in file order."""
    if isinstance(data, str):
        yield keypath, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from texts(value, keypath + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from texts(value, keypath + (i,))


def load_yaml(path: Path) -> Source:
    """Read and parse one YAML file; raise ContentError naming file, line and column."""
    path = Path(path)
    raw, size = read_regular(path, MAX_FILE_BYTES)  # a FIFO or a device is refused, not waited on
    if len(raw) > MAX_FILE_BYTES:
        raise ContentError(
            [
                Diagnostic(
                    path,
                    1,
                    1,
                    f"file is {max(size, len(raw)):,} bytes; the limit is {MAX_FILE_BYTES:,}",
                    hint="split the content or remove pasted binary data",
                )
            ]
        )
    text = _decode(path, raw)
    try:
        _check_nesting(path, text)
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        raise ContentError([_yaml_error(path, text, exc)]) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow, e.g. NUL
        raise ContentError([_reader_error(path, text, exc)]) from None
    except yaml.YAMLError as exc:  # pragma: no cover - PyYAML marks everything else
        raise ContentError([Diagnostic(path, 1, 1, f"not valid YAML: {exc}")]) from None
    source = Source(path, None, text=text)
    if node is None:
        hint = "see docs/authoring.md for the content format"
        raise ContentError([Diagnostic(path, 1, 1, "file is empty", hint=hint)])
    errors: list[Diagnostic] = []
    source.data = _walk(node, (), source, errors, [0])
    if errors:
        raise ContentError(errors)
    return source


def _check_nesting(path: Path, text: str) -> None:
    """Refuse absurd nesting before libyaml's recursive composer sees it (see MAX_PARSE_DEPTH).

    PyYAML 6.0.4's bundled libyaml has a nesting limit of its own (1,000) in its scanner, which
    reads flow brackets ahead of the events we count, so it can stop first with its own words.
    The message must not depend on the PyYAML release: when libyaml refuses nesting, the same
    events are counted again with the pure-Python parser (no limit, iterative), which finds our
    limit at the same place, on the error path only.
    """
    try:
        _count_depth(path, yaml.parse(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        if "maximum nesting depth" not in (exc.problem or ""):
            raise
        _count_depth(path, yaml.parse(text, Loader=yaml.SafeLoader))
        raise  # pragma: no cover - libyaml's limit is far above ours


def _count_depth(path: Path, events: Iterator[yaml.Event]) -> None:
    depth = 0
    for event in events:
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_PARSE_DEPTH:
                mark = event.start_mark
                line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)  # the parser always marks
                raise ContentError(
                    [
                        Diagnostic(
                            path,
                            line,
                            col,
                            f"nested more than {MAX_DEPTH} levels deep",
                            hint="check the indentation and brackets",
                        )
                    ]
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _decode(path: Path, raw: bytes) -> str:
    for bom, encoding in _UNICODE_BOMS:
        if raw.startswith(bom):
            raise ContentError(
                [
                    Diagnostic(
                        path,
                        1,
                        1,
                        f"file is {encoding}, not UTF-8 (it starts with a {encoding} byte order mark)",
                        hint="save the file as UTF-8 (most editors: File > Save with encoding > UTF-8)",
                    )
                ]
            )
    try:
        return raw.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        raise ContentError(
            [
                Diagnostic(
                    path,
                    line,
                    col,
                    f"file is not UTF-8: byte 0x{raw[exc.start]:02X} at offset {exc.start}",
                    hint="save the file as UTF-8 (most editors: File > Save with encoding > UTF-8)",
                )
            ]
        ) from None


# A value written as {{ ... }} without quotes: YAML reads "{" as the start of a mapping.
_UNQUOTED_VARIABLE = re.compile(r"^\s*(?:-\s+)*(?:[^\s:#'\"][^:#]*:\s+)?(\{\{)")


def unquoted_variable(path: Path, text: str, line_index: int) -> Diagnostic | None:
    """The error for a line whose value starts with ``{{`` unquoted, if it is one."""
    lines = text.split("\n")
    found = _UNQUOTED_VARIABLE.match(lines[line_index]) if 0 <= line_index < len(lines) else None
    if not found:
        return None
    return Diagnostic(
        path,
        line_index + 1,
        found.start(1) + 1,
        "a value that starts with {{ must be in quotes: YAML reads an unquoted { as the start of a mapping",
        hint='quote this line\'s text, e.g. - p: "{{ medicine.name }} is ..."',
    )


def _yaml_error(path: Path, text: str, exc: yaml.MarkedYAMLError) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    for candidate in (exc.context_mark, exc.problem_mark):
        found = unquoted_variable(path, text, candidate.line) if candidate else None
        if found:
            return found
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = exc.problem or "not valid YAML"
    hint = "check the indentation and quoting on this line and the one above"
    lines = text.split("\n")
    if mark and mark.line < len(lines) and lines[mark.line][mark.column : mark.column + 1] == "\t":
        problem = "tab character used for indentation"
        hint = "YAML indents with spaces only: replace the tab with spaces"
    elif exc.context:
        problem = f"{problem} ({exc.context})"
    return Diagnostic(path, line, col, f"not valid YAML: {problem}", hint=hint)


def _reader_error(path: Path, text: str, exc: yaml.reader.ReaderError) -> Diagnostic:
    """PyYAML reports a forbidden character by offset only; turn it into line and column."""
    before = text[: exc.position]
    line = before.count("\n") + 1
    col = exc.position - (before.rfind("\n") + 1) + 1
    char = exc.character if isinstance(exc.character, int) else ord(exc.character)
    return Diagnostic(
        path,
        line,
        col,
        f"not valid YAML: character U+{char:04X} ({exc.reason})",
        hint="delete the character; it is invisible in most editors",
    )


def _tag_error(source: Source, node: yaml.Node, keypath: KeyPath) -> Diagnostic | None:
    """Explicit tags can ask a YAML library for Python objects or other files: refused."""
    if node.tag in CORE_TAGS:
        return None
    tag = node.tag.replace("tag:yaml.org,2002:", "!!")
    return _at(
        source.path,
        node,
        keypath,
        f"YAML tag '{clip(tag)}' is not supported",
        "remove the tag: content is plain text, numbers, dates, lists and keys",
    )


def _walk(node: yaml.Node, keypath: KeyPath, source: Source, errors: list[Diagnostic], budget: list[int]) -> Any:
    budget[0] += 1
    if budget[0] > MAX_NODES:
        if budget[0] == MAX_NODES + 1:
            errors.append(
                _at(
                    source.path,
                    node,
                    keypath,
                    f"document expands to more than {MAX_NODES:,} values",
                    "remove YAML aliases (*name) that repeat large blocks",
                )
            )
        return None
    if len(keypath) > MAX_DEPTH:
        errors.append(
            _at(
                source.path,
                node,
                keypath,
                f"nested more than {MAX_DEPTH} levels deep",
                "check the indentation and brackets",
            )
        )
        return None
    tag_error = _tag_error(source, node, keypath)
    if tag_error:
        errors.append(tag_error)
        return None
    quoted = isinstance(node, yaml.ScalarNode) and node.style in ("'", '"')  # point at the text, not the quote
    source.value_pos.setdefault(keypath, (node.start_mark.line + 1, node.start_mark.column + 1 + quoted))
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == MERGE_TAG:
                errors.append(
                    _at(
                        source.path,
                        key_node,
                        keypath,
                        "merge keys (<<) are not supported",
                        "write the keys out in full",
                    )
                )
                continue
            tag_error = _tag_error(source, key_node, keypath)
            if tag_error:
                errors.append(tag_error)
                continue
            key = _constructor.construct_object(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            if isinstance(key_node, yaml.MappingNode) and source.text:  # "b: {{ x }}" reads as a mapping key
                found = unquoted_variable(source.path, source.text, key_node.start_mark.line)
                if found:
                    errors.append(dataclasses.replace(found, key=format_keypath(keypath)))
                    continue
            if not isinstance(key, (str, int)) or isinstance(key, bool):
                errors.append(
                    _at(source.path, key_node, keypath, "keys must be plain words", "write the key as text, e.g. name:")
                )
                continue
            key = str(key)
            child = keypath + (key,)
            if key in result:
                first = source.key_pos[child]
                errors.append(
                    _at(
                        source.path,
                        key_node,
                        child,
                        f"duplicate key '{key}' (first defined on line {first[0]})",
                        "YAML keeps only one of them: merge the two entries or rename one",
                    )
                )
                continue
            source.key_pos[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = _walk(value_node, child, source, errors, budget)
        return result
    if isinstance(node, yaml.SequenceNode):
        split = _split_sentence(node, keypath)
        if split:
            errors.append(_at(source.path, node, keypath, *split))
            return None
        return [_walk(item, keypath + (i,), source, errors, budget) for i, item in enumerate(node.value)]
    try:
        value = _constructor.construct_object(node)
    except (yaml.constructor.ConstructorError, ValueError, OverflowError) as exc:  # e.g. 2026-13-45
        problem = exc.problem if isinstance(exc, yaml.MarkedYAMLError) else str(exc)
        errors.append(
            _at(
                source.path,
                node,
                keypath,
                f"cannot read value '{clip(node.value)}': {clip(problem)}",
                "write dates as YYYY-MM-DD; quote the value if it is meant as text",
            )
        )
        return None
    if node.tag in _NUMBER_TAGS and isinstance(node, yaml.ScalarNode) and not node.style:  # plain 010, not "010"
        refused = yamlnumbers.problem(node.value, value)
        if refused:
            errors.append(_at(source.path, node, keypath, *refused))
            return None
    return value


# Keys under which lists hold sentences patients read: a block's ``body`` and ``list``, a
# template's ``params``. Elsewhere a [...] list holds ids (a layout's sections, a
# manifest's languages) and stays allowed.
_TEXT_LIST_KEYS = frozenset({"body", "list", "params"})


def _split_sentence(node: yaml.SequenceNode, keypath: KeyPath) -> tuple[str, str] | None:
    """``[Seizures, including status epilepticus]`` is two items in YAML, so one bullet
    would print as two, and no rule on the words can tell ``[Seizures, Status epilepticus]``
    (two bullets?) from one sentence cut at its comma. So in content text a [...] list of
    two or more items is refused (message, hint: block style, one item a line); a single
    item cannot have been split, since an unquoted comma would have made two."""
    if not node.flow_style or len(node.value) < 2 or _TEXT_LIST_KEYS.isdisjoint(map(str, keypath)):
        return None
    items = [clip(item.value, 30) if isinstance(item, yaml.ScalarNode) else "..." for item in node.value]
    return (
        f"this [...] list has {len(items)} items, split at its commas: " + " | ".join(f"'{item}'" for item in items),
        'write the list in block style, one "- item" a line: each line is one bullet, commas and all',
    )


def _at(path: Path, node: yaml.Node, keypath: KeyPath, message: str, hint: str) -> Diagnostic:
    mark = node.start_mark
    return Diagnostic(path, mark.line + 1, mark.column + 1, message, key=format_keypath(keypath), hint=hint)
