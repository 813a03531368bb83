"""Batch manifests (CSV or YAML) -> the list of jobs to print.

A pharmacy writes either explicit rows (CSV, or ``jobs:`` in YAML) or a ``matrix:`` that
expands to the cross product of its values. Everything that can be checked without
building a PDF is checked here, before a long unattended run starts: unknown columns,
levels and papers, output names that escape ``--out`` or collide. Problems that need the
content (an unknown medicine, a broken translation) fail only their own job later.
"""

from __future__ import annotations

import csv
import itertools
import math
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from string import Formatter
from typing import Any

from . import schema
from .build import Request
from .content import Library
from .errors import ContentError, Diagnostic, clip, did_you_mean
from .loader import KeyPath, Source, load_yaml
from .validate import check

COLUMNS = ("medicine", "lang", "level", "brand", "paper", "layout", "output")
PAPERS = ("letter", "a4")
FIELDS = ("medicine", "lang", "level", "brand", "paper", "layout")
MAX_CSV_BYTES = 50_000_000  # about a million rows
MAX_JOBS = 200_000  # a matrix of long lists must not exhaust memory before the first PDF

# A manifest comes from a pharmacy's systems, so it is untrusted like content: names are
# looked up inside the content folders, and a file it names must lie inside its own folder.
_SLUG = re.compile(r"[a-z][a-z0-9_]*")
_LANG = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


@dataclass(frozen=True, slots=True)
class Job:
    """One handout of a batch. ``brand``/``layout`` are library names or resolved paths."""

    medicine: str
    lang: str
    level: str
    brand: str | None
    paper: str | None
    layout: str | None
    output: str  # relative POSIX path inside --out
    line: int  # of the manifest row (or matrix) that made it, for messages and the report

    def request(self) -> Request:
        return Request(
            self.medicine,
            self.lang,
            self.level,
            Path(self.brand) if self.brand else None,
            Path(self.layout) if self.layout else None,
            self.paper,
        )


def load_manifest(path: Path, library: Library) -> list[Job]:
    """Parse and expand a manifest; raise ContentError listing every problem found."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        rows = _csv_rows(path)
        jobs = [_job(path, where, fields, _DEFAULT_PATTERN, pos) for where, fields, pos in rows]
    elif path.suffix.lower() in (".yaml", ".yml"):
        jobs = _yaml_jobs(load_yaml(path), library)
    else:
        raise ContentError(
            [Diagnostic(path, 0, 0, "a manifest must be a .csv or .yaml file", hint="see docs/batches.md")]
        )
    if len(jobs) > MAX_JOBS:
        raise ContentError([Diagnostic(path, 0, 0, f"more than {MAX_JOBS:,} jobs", hint="split the manifest")])
    problems = [job for job in jobs if isinstance(job, Diagnostic)][:50]
    jobs_ok = [job for job in jobs if isinstance(job, Job)]
    problems += _collisions(path, jobs_ok)
    if problems:
        raise ContentError(problems)
    if not jobs_ok:
        raise ContentError([Diagnostic(path, 0, 0, "the manifest lists no jobs", hint="add rows below the header")])
    return jobs_ok


_DEFAULT_PATTERN = schema.ManifestFile.model_fields["output"].default
_Pos = dict[str, tuple[int, int]]  # field -> (line, col) for messages


def _csv_rows(path: Path) -> list[tuple[int, dict[str, str], _Pos]]:
    """(line, non-empty cells, cell positions) per row; a header names the columns."""
    try:
        if path.stat().st_size > MAX_CSV_BYTES:
            raise ContentError([Diagnostic(path, 0, 0, f"manifest is over {MAX_CSV_BYTES:,} bytes", hint="split it")])
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ContentError([Diagnostic(path, 0, 0, "file not found")]) from None
    except UnicodeDecodeError as exc:
        raise ContentError(
            [Diagnostic(path, 0, 0, f"not UTF-8 (byte {exc.start})", hint="save the file as UTF-8 CSV")]
        ) from None
    reader = csv.reader(text.splitlines())
    header = next(reader, None)
    if not header:
        raise ContentError([Diagnostic(path, 1, 1, "empty manifest", hint="the first row names the columns")])
    header = [name.strip() for name in header]
    problems = [
        Diagnostic(path, 1, col, f"unknown column '{name}'", hint=did_you_mean(name, COLUMNS))
        for col, name in enumerate(header, 1)
        if name not in COLUMNS
    ]
    if "medicine" not in header:
        problems.append(Diagnostic(path, 1, 1, "no 'medicine' column", hint="columns: " + ", ".join(COLUMNS)))
    if problems:
        raise ContentError(problems)
    rows = []
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells) or cells[0].lstrip().startswith("#"):
            continue
        if len(cells) > len(header):
            problems.append(Diagnostic(path, line, len(header) + 1, f"{len(cells)} cells but {len(header)} columns"))
            continue
        # A short row is allowed: its missing trailing cells are empty.
        fields = {name: cell.strip() for name, cell in zip(header, cells, strict=False) if cell.strip()}
        pos = {name: (line, col) for col, name in enumerate(header, 1)}
        rows.append((line, fields, pos))
    if problems:
        raise ContentError(problems)
    return rows


def _yaml_jobs(source: Source, library: Library) -> list[Job | Diagnostic]:
    doc = check(source, schema.ManifestFile)
    out: list[Job | Diagnostic] = []
    for i, job in enumerate(doc.jobs):
        at: KeyPath = ("jobs", i)
        fields = job.model_dump(exclude_none=True)
        pattern = fields.pop("output", doc.output)
        pos = {name: source.pos(at + (name,)) for name in COLUMNS}
        out.append(_job(source.path, source.pos(at)[0], fields, pattern, pos))
    matrices = doc.matrix if isinstance(doc.matrix, list) else [doc.matrix] if doc.matrix else []
    for m, matrix in enumerate(matrices):
        at = ("matrix", m) if isinstance(doc.matrix, list) else ("matrix",)
        pos = {name: source.pos(at + (name,)) for name in COLUMNS} | {"output": source.pos(("output",))}
        try:
            expanded = _expand(matrix, library)
        except _TooMany:
            raise ContentError(
                [source.error(at, f"the matrix expands to more than {MAX_JOBS:,} jobs", "split the manifest")]
            ) from None
        for fields in expanded:
            out.append(_job(source.path, source.pos(at)[0], fields, doc.output, pos))
    return out


class _TooMany(Exception):
    """A matrix that expands to more than MAX_JOBS jobs."""


def _expand(matrix: schema.ManifestMatrix, library: Library) -> list[dict[str, str]]:
    """The cross product, with ``all`` read from the library ("every language the medicine
    ships in" differs per medicine, so languages are expanded per medicine)."""
    shipped = library.medicines()

    def values(name: str, medicine: str) -> list[Any]:
        value = getattr(matrix, name)
        if value != "all":
            return value if value is not None else [None]
        if name == "lang":
            return sorted(lang for m, lang, _ in shipped if m == medicine)
        if name == "brand":
            return sorted({p.parent.name for root in library.roots for p in root.glob("brands/*/brand.yaml")})
        return list(schema.LEVELS if name == "level" else PAPERS)

    out = []
    for medicine in matrix.medicine:
        axes = [values(name, medicine) for name in FIELDS[1:]]
        if math.prod(map(len, axes)) * len(matrix.medicine) > MAX_JOBS:
            raise _TooMany()
        for combo in itertools.product(*axes):
            fields = {"medicine": medicine} | {k: v for k, v in zip(FIELDS[1:], combo, strict=True) if v is not None}
            out.append(fields)
    return out


def _job(path: Path, line: int, fields: dict[str, str], pattern: str, pos: _Pos) -> Job | Diagnostic:
    """Check one row's values and name its output."""

    def bad(name: str, message: str, hint: str = "") -> Diagnostic:
        line_, col = pos.get(name, (line, 1))
        return Diagnostic(path, line_, col, message, key=name, hint=hint)

    medicine = fields.get("medicine", "")
    if not medicine:
        return bad("medicine", "no medicine given", "e.g. baclofen")
    if not _SLUG.fullmatch(medicine):
        return bad("medicine", f"'{clip(medicine)}' is not a medicine id", "ids look like baclofen (a-z, 0-9, _)")
    if not _LANG.fullmatch(fields.get("lang", "en")):
        return bad("lang", f"'{clip(fields['lang'])}' is not a language code", "e.g. en, es, zh-Hans")
    level = fields.get("level", "standard")
    if level not in schema.LEVELS:
        return bad("level", f"unknown level '{level}'", did_you_mean(level, schema.LEVELS))
    paper = fields.get("paper")
    if paper is not None and paper not in PAPERS:
        return bad("paper", f"unknown paper '{paper}'", did_you_mean(paper, PAPERS))
    brand, layout = (_place(fields.get(name), path.parent) for name in ("brand", "layout"))
    for name, place in (("brand", brand), ("layout", layout)):
        if place is _OUTSIDE:
            return bad(
                name,
                f"{name} '{clip(fields[name])}' is neither a name nor a file inside the manifest's folder",
                "give a name from the content folder (e.g. default) or a relative path like brands/x/brand.yaml",
            )
    values = {"medicine": medicine, "lang": fields.get("lang", "en"), "level": level}
    named = {"brand": fields.get("brand"), "paper": paper, "layout": fields.get("layout")}
    dashed = {f"-{k}": f"-{_label(v)}" if v else "" for k, v in named.items()}
    names = values | {k: _label(v) for k, v in named.items()} | dashed
    output = fields.get("output", pattern)
    try:
        unknown = [f for _, f, _, _ in Formatter().parse(output) if f is not None and f not in names]
        name = output.format_map(names) if not unknown else ""
    except ValueError as exc:
        return bad("output", f"bad output pattern '{output}': {exc}", "fields look like {medicine}")
    if unknown:
        return bad("output", f"unknown field {{{unknown[0]}}} in '{output}'", did_you_mean(unknown[0], FIELDS))
    problem = _confined(name)
    if problem:
        return bad("output", f"output '{name}' {problem}", "give a relative path inside --out, ending in .pdf")
    return Job(medicine, values["lang"], level, brand, paper, layout, name, line)


_OUTSIDE = "\0outside"  # _place's answer for a value that is neither


def _place(value: str | None, base: Path) -> str | None:
    """A bare name stays a library name; a relative path to a YAML file is resolved from
    the manifest's folder (a manifest and its brands move together) and must stay inside
    it, symlinks followed."""
    if value is None:
        return None
    if _NAME.fullmatch(value) and not value.endswith((".yaml", ".yml")):
        return value
    pure = PurePosixPath(value)
    if pure.is_absolute() or ".." in pure.parts or "\\" in value or pure.suffix not in (".yaml", ".yml"):
        return _OUTSIDE
    folder = base.resolve()
    target = (folder / pure).resolve()
    return str(target) if target.is_relative_to(folder) else _OUTSIDE


def _label(value: str | None) -> str:
    """How a brand or layout appears in a file name: its name, or its file's name."""
    if value is None:
        return ""
    stem = PurePosixPath(value)
    return stem.parent.name if stem.stem == "brand" and stem.parent.name else stem.stem


def _confined(name: str) -> str:
    """Why ``name`` may not be written under --out, or '' when it may."""
    pure = PurePosixPath(name)
    if pure.is_absolute() or "\\" in name:
        return "is not a relative path"
    if ".." in pure.parts:
        return "leaves the output folder ('..')"
    if pure.suffix.lower() != ".pdf" or pure.name.startswith("."):
        return "must be a visible file name ending in .pdf"
    return ""


def _collisions(path: Path, jobs: list[Job]) -> list[Diagnostic]:
    """Two jobs writing one file would silently lose one handout."""
    first: dict[str, Job] = {}
    problems = []
    for job in jobs:
        key = job.output.casefold()  # one file on case-insensitive disks (macOS, Windows)
        if key in first:
            problems.append(
                Diagnostic(
                    path,
                    job.line,
                    1,
                    f"output '{job.output}' is also written by the job at line {first[key].line}",
                    hint="give each job its own 'output', or add {brand}/{paper} to the pattern",
                )
            )
        else:
            first[key] = job
    return problems[:20]
