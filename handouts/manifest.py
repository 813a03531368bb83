"""Batch manifests (CSV or YAML) -> the list of jobs to print.

A pharmacy writes either explicit rows (CSV, or ``jobs:`` in YAML) or a ``matrix:`` that
expands to the cross product of its values. Everything that can be checked without
building a PDF is checked here, before a long unattended run starts: unknown columns,
levels and papers, output names that escape ``--out`` or collide. Problems that need the
content (an unknown medicine, a broken translation) fail only their own job later.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
import posixpath
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache, partial
from pathlib import Path, PurePosixPath
from string import Formatter
from typing import Any

from . import schema
from .build import Request
from .content import Library
from .errors import ContentError, Diagnostic, clip, did_you_mean
from .files import read_regular
from .loader import KeyPath, Source, load_yaml
from .names import LANG as _LANG
from .names import SLUG as _SLUG
from .names import is_library_name
from .validate import check

COLUMNS = ("medicine", "lang", "level", "brand", "paper", "layout", "patient", "format", "large_print", "output")
PAPERS = ("letter", "a4")
FORMATS = {"pdf": ".pdf", "html": ".html"}  # format -> the ending its output names must have
FIELDS = ("medicine", "lang", "level", "brand", "paper", "layout", "format", "large_print")
_PATTERN_FIELDS = ("medicine", "lang", "level", "brand", "paper", "layout", "format")  # and {-brand} ... {-large}
_YES, _NO = ("true", "yes", "1"), ("false", "no", "0", "")  # a CSV cell of large_print
MAX_CSV_BYTES = 50_000_000  # about a million rows
MAX_JOBS = 200_000  # a matrix of long lists must not exhaust memory before the first PDF
MAX_CELL_CHARS = 1_000  # a name, a code or a relative path; longer is pasted data
MAX_ERRORS = 50  # problems listed before "... and N more"

# A manifest comes from a pharmacy's systems, so it is untrusted like content: names are
# looked up inside the content folders (``names``, shared with ``handouts serve``), and a
# file it names must lie inside its own folder.


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
    require_current: bool = False  # `batch --require-current`: a stale translation fails the job
    patient: str | None = None  # resolved path of a patient's plan: personal health information
    format: str = "pdf"  # or "html": the companion web page
    large_print: bool = False

    @property
    def title(self) -> str:
        """How the job is named where a person picks it from a list (a combined file's
        bookmarks): what it is, not where it is written."""
        return f"{self.medicine} / {self.lang} / {self.level}" + (" / large print" if self.large_print else "")

    def request(self) -> Request:
        return Request(
            self.medicine,
            self.lang,
            self.level,
            Path(self.brand) if self.brand else None,
            Path(self.layout) if self.layout else None,
            self.paper,
            require_current=self.require_current,
            patient=Path(self.patient) if self.patient else None,
            large_print=self.large_print,
        )


def load_manifest(path: Path, library: Library) -> list[Job]:
    """Parse and expand a manifest; raise ContentError listing every problem found."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        rows = _csv_rows(path)
        place = _placer(path)
        jobs = [_job(path, where, fields, _DEFAULT_PATTERN, pos, place) for where, fields, pos in rows]
    elif path.suffix.lower() in (".yaml", ".yml"):
        jobs = _yaml_jobs(load_yaml(path), library)
    else:
        raise ContentError(
            [Diagnostic(path, 0, 0, "a manifest must be a .csv or .yaml file", hint="see docs/batches.md")]
        )
    if len(jobs) > MAX_JOBS:
        raise ContentError([Diagnostic(path, 0, 0, f"more than {MAX_JOBS:,} jobs", hint="split the manifest")])
    problems = [job for job in jobs if isinstance(job, Diagnostic)]
    jobs_ok = [job for job in jobs if isinstance(job, Job)]
    problems += _collisions(path, jobs_ok)
    if problems:
        raise ContentError(_capped(problems))
    if not jobs_ok:
        raise ContentError([Diagnostic(path, 0, 0, "the manifest lists no jobs", hint="add rows below the header")])
    return jobs_ok


_DEFAULT_PATTERN = schema.ManifestFile.model_fields["output"].default
_Pos = dict[str, tuple[int, int]]  # field -> (line, col) for messages


def _csv_rows(path: Path) -> list[tuple[int, dict[str, str], _Pos]]:
    """(line, non-empty cells, cell positions) per row; a header names the columns.

    The whole file goes to the csv module (RFC 4180): a quoted cell may hold a comma or a
    line break, and a quote left open is an error at the line where its row starts, not a
    row that quietly swallows the rows after it."""
    raw, size = read_regular(path, MAX_CSV_BYTES)  # a FIFO is refused, not waited on
    if len(raw) > MAX_CSV_BYTES:
        raise ContentError(
            [Diagnostic(path, 0, 0, f"manifest is {size:,} bytes; the limit is {MAX_CSV_BYTES:,}", hint="split it")]
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ContentError(
            [Diagnostic(path, 0, 0, f"not UTF-8 (byte {exc.start})", hint="save the file as UTF-8 CSV")]
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, dict[str, str], _Pos]] = []
    problems: list[Diagnostic] = []
    line = 1
    try:
        header = [name.strip() for name in next(reader, [])]
        if header_problems := _header_problems(path, header):
            raise ContentError(_capped(header_problems))
        while True:
            line = reader.line_num + 1  # where the next row starts; a quoted cell may span lines
            cells = next(reader, None)
            if cells is None:
                break
            if not any(cell.strip() for cell in cells) or cells[0].lstrip().startswith("#"):
                continue
            if len(cells) > len(header):
                problems.append(
                    Diagnostic(path, line, len(header) + 1, f"{len(cells)} cells but {len(header)} columns")
                )
                continue
            long = next((col for col, cell in enumerate(cells, 1) if len(cell) > MAX_CELL_CHARS), None)
            if long:
                problems.append(_long_cell(path, line, long))
                continue
            fields = {name: cell.strip() for name, cell in zip(header, cells, strict=False) if cell.strip()}
            pos = {name: (line, col) for col, name in enumerate(header, 1)}
            rows.append((line, fields, pos))
            if len(rows) > MAX_JOBS:
                raise ContentError(
                    [Diagnostic(path, line, 1, f"more than {MAX_JOBS:,} jobs", hint="split the manifest")]
                )
    except csv.Error as exc:
        problems.append(_csv_error(path, line, str(exc)))
    if problems:
        raise ContentError(_capped(problems))
    return rows


def _header_problems(path: Path, header: list[str]) -> list[Diagnostic]:
    """Unknown, duplicated or missing columns (a second 'level' would silently win)."""
    if not any(header):
        return [Diagnostic(path, 1, 1, "empty manifest", hint="the first row names the columns")]
    problems = []
    for col, name in enumerate(header, 1):
        if name not in COLUMNS:
            hint = did_you_mean(clip(name), COLUMNS)
            problems.append(Diagnostic(path, 1, col, f"unknown column '{clip(name)}'", hint=hint))
        elif name in header[: col - 1]:
            first = header.index(name) + 1
            problems.append(
                Diagnostic(path, 1, col, f"column '{name}' appears twice (first in column {first})", hint="keep one")
            )
    if "medicine" not in header:
        problems.append(Diagnostic(path, 1, 1, "no 'medicine' column", hint="columns: " + ", ".join(COLUMNS)))
    return problems


def _long_cell(path: Path, line: int, col: int) -> Diagnostic:
    return Diagnostic(
        path,
        line,
        col,
        f"cell is longer than {MAX_CELL_CHARS:,} characters",
        hint="a cell holds a name, a code or a relative path; check the quotes",
    )


def _csv_error(path: Path, line: int, message: str) -> Diagnostic:
    """The csv module's words for a malformed row, as an author can act on them."""
    if "field larger than field limit" in message:  # a cell past the module's own limit
        return _long_cell(path, line, 1)
    if "unexpected end of data" in message:
        return Diagnostic(path, line, 1, "a quote opened in this row is never closed", hint="close the quote")
    return Diagnostic(path, line, 1, f"not valid CSV: {clip(message)}", hint='a quote in a cell is written ""')


def _capped(problems: list[Diagnostic]) -> list[Diagnostic]:
    """At most MAX_ERRORS problems, and a last line saying how many more: 10,000 bad
    columns must not print a megabyte of errors."""
    if len(problems) <= MAX_ERRORS:
        return problems
    last = problems[MAX_ERRORS]
    more = Diagnostic(last.path, 0, 0, f"... and {len(problems) - MAX_ERRORS:,} more problems like these")
    return problems[:MAX_ERRORS] + [more]


def _yaml_jobs(source: Source, library: Library) -> list[Job | Diagnostic]:
    doc = check(source, schema.ManifestFile)
    matrices = doc.matrix if isinstance(doc.matrix, list) else [doc.matrix] if doc.matrix else []
    at_matrix = [("matrix", m) if isinstance(doc.matrix, list) else ("matrix",) for m in range(len(matrices))]
    total = len(doc.jobs)
    # counted first: aliases make a small file a huge matrix
    for matrix_at, matrix in zip(at_matrix, matrices, strict=True):
        total += sum(math.prod(map(len, axes)) for _, axes in _axes(matrix, library))
        if total > MAX_JOBS:
            raise ContentError(
                [source.error(matrix_at, f"the manifest expands to more than {MAX_JOBS:,} jobs", "split the manifest")]
            )
    out: list[Job | Diagnostic] = []
    place = _placer(source.path)
    for i, job in enumerate(doc.jobs):
        at: KeyPath = ("jobs", i)
        fields = job.model_dump(exclude_none=True)
        pattern = fields.pop("output", doc.output)
        pos = {name: source.pos(at + (name,)) for name in COLUMNS}
        if job.output is None:  # the manifest's own pattern names it
            pos["output"] = source.pos(("output",))
        out.append(_job(source.path, source.pos(at)[0], fields, pattern, pos, place))
    for at, matrix in zip(at_matrix, matrices, strict=True):
        pos = {name: source.pos(at + (name,)) for name in COLUMNS} | {"output": source.pos(("output",))}
        line = source.pos(at)[0]
        for medicine, axes in _axes(matrix, library):
            for combo in itertools.product(*axes):
                named = zip(FIELDS[1:], combo, strict=True)
                fields = {"medicine": medicine} | {k: v for k, v in named if v is not None}
                out.append(_job(source.path, line, fields, doc.output, pos, place))
    return out


def _axes(matrix: schema.ManifestMatrix, library: Library) -> Iterator[tuple[str, list[list[Any]]]]:
    """(medicine, the values of every other field) per medicine of the matrix, with
    ``all`` read from the library ("every language the medicine ships in" differs per
    medicine, so languages are expanded per medicine)."""
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

    for medicine in matrix.medicine:
        yield medicine, [values(name, medicine) for name in FIELDS[1:]]


def _job(path: Path, line: int, fields: dict[str, Any], pattern: str, pos: _Pos, place: _Placer) -> Job | Diagnostic:
    """Check one row's values and name its output; ``place`` is ``_place`` for this
    manifest's folder (memoised per manifest: a matrix repeats each brand thousands of times)."""

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
        return bad("level", f"unknown level '{clip(level)}'", did_you_mean(clip(level), schema.LEVELS))
    paper = fields.get("paper")
    if paper is not None and paper not in PAPERS:
        return bad("paper", f"unknown paper '{clip(paper)}'", did_you_mean(clip(paper), PAPERS))
    brand, layout, patient = (place(fields.get(name)) for name in ("brand", "layout", "patient"))
    if patient is not None and (patient is _OUTSIDE or patient == fields["patient"]):  # a bare name is no file
        return bad(  # the cell is not quoted: a patient's file may be named after the patient
            "patient",
            "the patient file is not a YAML file inside the manifest's folder",
            "give a relative path like patients/rx-1042.yaml",
        )
    fmt = fields.get("format", "pdf")
    if fmt not in FORMATS:
        return bad("format", f"unknown format '{clip(fmt)}'", did_you_mean(clip(fmt), tuple(FORMATS)))
    large = _flag(fields.get("large_print", False))
    if large is None:
        word = clip(str(fields["large_print"]))
        return bad("large_print", f"large_print '{word}' is neither yes nor no", "write true or false")
    for name, found in (("brand", brand), ("layout", layout)):
        if found is _OUTSIDE:
            return bad(
                name,
                f"{name} '{clip(fields[name])}' is neither a name nor a file inside the manifest's folder",
                "give a name from the content folder (e.g. default) or a relative path like brands/x/brand.yaml",
            )
    values = {"medicine": medicine, "lang": fields.get("lang", "en"), "level": level}
    named = {"brand": fields.get("brand"), "paper": paper, "layout": fields.get("layout")}
    row = f"line{line}" if patient else ""  # never from the plan or its file name: they may name the patient
    names = (
        values
        | {k: _label(v) for k, v in named.items()}
        | {f"-{k}": f"-{_label(v)}" if v else "" for k, v in named.items()}
        | {"patient": row, "-patient": f"-{row}" if row else ""}
        | {"format": fmt, "-large": "-large" if large else ""}
    )
    name, problem = _fill(fields.get("output", pattern), names)
    if problem:
        return bad("output", *problem)
    output, why = _confined(name, FORMATS[fmt])
    if why:
        hint = f"give a relative path inside --out, ending in {FORMATS[fmt]}"
        return bad("output", f"output '{clip(name)}' {why}", hint)
    extra = {"patient": patient, "format": fmt, "large_print": large}
    return Job(medicine, values["lang"], level, brand, paper, layout, output, line, **extra)


def _flag(value: str | bool) -> bool | None:
    """A yes/no cell: YAML gives a bool, CSV a word; None when it is neither."""
    if isinstance(value, bool):
        return value
    word = value.strip().lower()
    return True if word in _YES else False if word in _NO else None


def _fill(pattern: str, names: dict[str, str]) -> tuple[str, tuple[str, str] | None]:
    """(output name, None) or ("", (message, hint)). A pattern holds text and whole fields
    only: a format spec would let a manifest ask for a gigabyte of padding
    (``{medicine:>1000000000}``) and a conversion or ``.attr`` reach Python objects."""
    try:
        parsed = _parse_pattern(pattern)
    except ValueError as exc:
        return "", (f"bad output pattern '{clip(pattern)}': {exc}", "fields look like {medicine}")
    out = []
    for literal, field, spec, conversion in parsed:
        out.append(literal)
        if field is None:
            continue
        if field not in names:
            hint = did_you_mean(clip(field), _PATTERN_FIELDS)
            return "", (f"unknown field {{{clip(field)}}} in '{clip(pattern)}'", hint)
        if spec or conversion:
            return "", (
                f"field {{{field}}} in '{clip(pattern)}' has a format; patterns take plain fields only",
                f"write {{{field}}}",
            )
        out.append(names[field])
    return "".join(out), None


@lru_cache(maxsize=256)
def _parse_pattern(pattern: str) -> tuple[tuple[str, str | None, str | None, str | None], ...]:
    """One pattern serves every job of a matrix: parsed once."""
    return tuple(Formatter().parse(pattern))


_OUTSIDE = "\0outside"  # _place's answer for a value that is neither
_Placer = Callable[[str | None], str | None]


def _placer(manifest: Path) -> _Placer:
    return cache(partial(_place, base=manifest.parent))


def _place(value: str | None, base: Path) -> str | None:
    """A bare name stays a library name; a relative path to a YAML file is resolved from
    the manifest's folder (a manifest and its brands move together) and must stay inside
    it, symlinks followed."""
    if value is None:
        return None
    if is_library_name(value):
        return value
    pure = PurePosixPath(value)
    if pure.is_absolute() or ".." in pure.parts or "\\" in value or pure.suffix not in (".yaml", ".yml"):
        return _OUTSIDE
    folder = base.resolve()
    target = (folder / pure).resolve()
    return str(target) if target.is_relative_to(folder) else _OUTSIDE


@lru_cache(maxsize=1024)
def _label(value: str | None) -> str:
    """How a brand or layout appears in a file name: its name, or its file's name."""
    if value is None:
        return ""
    stem = PurePosixPath(value)
    return stem.parent.name if stem.stem == "brand" and stem.parent.name else stem.stem


def _confined(name: str, suffix: str = ".pdf") -> tuple[str, str]:
    """(the name normalised, '') when ``name`` may be written under --out, else ("", why).
    Plain string work: a matrix names 200,000 outputs."""
    parts = name.split("/")
    if not name.isprintable():
        return "", "holds a line break or another invisible character"
    if name.startswith("/") or "\\" in name:
        return "", "is not a relative path"
    if ".." in parts:
        return "", "leaves the output folder ('..')"
    if not name.lower().endswith(suffix) or parts[-1].startswith("."):
        return "", f"must be a visible file name ending in {suffix}"
    return posixpath.normpath(name), ""  # ./x.pdf -> x.pdf, a//x.pdf -> a/x.pdf: one file, one name


def _collisions(path: Path, jobs: list[Job]) -> list[Diagnostic]:
    """Two jobs writing one file would silently lose one handout. Outputs are compared as
    the file system sees them: normalised (``./x.pdf``, ``a//x.pdf``), and folded to one
    case and one Unicode form, since macOS and Windows disks fold both."""
    first: dict[str, Job] = {}
    problems = []
    for job in jobs:
        key = unicodedata.normalize("NFC", job.output).casefold()  # normalised by _job
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
    return problems
