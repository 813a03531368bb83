"""Command line: parse options, call the library, print, choose the exit code.

Exit codes: 0 success, 1 readability targets missed, 2 bad input or an output that cannot
be written (every message names file:line:col or the path and says how to fix it; never
a traceback).

Like click's own commands, these never call ``sys.exit``: a problem is raised as a
``Failure`` (a ``click.ClickException`` that knows its exit code and how to show itself)
and any other exit code is ``ctx.exit(code)``; click's main loop does the exiting.
"""

from __future__ import annotations

import os
import time
from collections.abc import Container, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import IO, Any

import click

from . import __version__, catalog, paths
from .atomic import write_atomic
from .build import Request, prepare, render_as
from .errors import ContentError, Diagnostic, display_path
from .library import Library
from .model import LEVELS
from .prepared import PreparedCache

EXIT_TARGET_MISSED = 1  # also: some batch jobs failed
EXIT_BAD_INPUT = 2
EXIT_BY_SIGNAL = 128  # + the signal's number, as a shell reports it: 130 Ctrl-C, 143 SIGTERM


class Failure(click.ClickException):
    """A command that cannot go on: its diagnostics (``file:line:col: error: ...``) on
    stderr, then click exits with ``exit_code`` (click declares it per class: another code
    is another subclass)."""

    exit_code = EXIT_BAD_INPUT

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = tuple(diagnostics)
        super().__init__("\n".join(d.format() for d in self.diagnostics))

    def show(self, file: IO[Any] | None = None) -> None:
        for diag in self.diagnostics:
            click.echo(diag.format(), file=file, err=file is None)


def _bad(path: Path | str, message: str, hint: str = "") -> Failure:
    """A problem with an option or a file as a whole (no line to point at)."""
    return Failure([Diagnostic(Path(path), 0, 0, message, hint=hint)])


def _write(path: Path, data: bytes, what: str, *, private: bool = False) -> None:
    """write_atomic, with a full disk or an unwritable folder reported like bad input:
    the temporary file is gone and any earlier file at ``path`` is untouched."""
    try:
        write_atomic(path, data, private=private)
    except OSError as exc:
        hint = "check that the folder exists and is writable, and that the disk is not full"
        raise _bad(path, f"cannot write {what}: {exc.strerror or exc}", hint) from None


def _table(rows: Sequence[Sequence[str]], *, right: Container[int] = (), indent: str = "") -> None:
    """Every table the commands print: columns two spaces apart, each as wide as its
    widest cell, the columns in ``right`` (numbers) aligned right."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        aligned = enumerate(zip(row, widths, strict=True))
        cells = (cell.rjust(w) if i in right else cell.ljust(w) for i, (cell, w) in aligned)
        click.echo((indent + "  ".join(cells)).rstrip())


FORMATS = {"pdf": (".pdf",), "html": (".html", ".htm")}  # format -> the file name endings it is written under


def _output_format(output: Path | None, chosen: str | None) -> str:
    """The format of ``build``'s output: ``--format``, else the ending of ``-o``, else PDF.
    A name that promises another format than the one written is refused, so
    ``-o handout.html`` never quietly holds a PDF."""
    if output is None or str(output) == "-":
        return chosen or "pdf"
    if output.is_dir():
        raise _bad(output, "output path is a directory", "give a file name, e.g. -o handout.pdf")
    by_name = next((name for name, endings in FORMATS.items() if output.suffix.lower() in endings), None)
    if output.exists() and not output.is_file():
        return chosen or by_name or "pdf"  # a device or a pipe: writing refuses it and says what it is
    if by_name is None:
        fmt = chosen or "pdf"
        raise _bad(
            "--output",
            f"'{output.name}' does not end in .pdf or .html",
            f"name it {output.stem}{FORMATS[fmt][0]}, or give -o - to write to standard output",
        )
    if chosen is not None and chosen != by_name:
        raise _bad(
            "--output",
            f"'{output.name}' names {by_name.upper()} but --format is {chosen}",
            f"name it {output.stem}{FORMATS[chosen][0]}, or drop --format",
        )
    return by_name


class _Commands(click.Group):
    """Bad content is reported the same way by every command, wherever it turns up:
    the diagnostics on stderr and exit code 2, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ContentError as exc:
            raise Failure(exc.diagnostics) from None


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(
    __version__,
    prog_name="handouts",
    message=f"%(prog)s %(version)s\nbuilt-in content, templates and fonts: {paths.DATA_ROOT}",
)
@click.option(
    "--content",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="HANDOUTS_CONTENT",
    help="An extra content folder (medicines/, brands/, layouts/, strings/) searched before the "
    "built-in one. Env: HANDOUTS_CONTENT.",
)
@click.pass_context
def main(ctx: click.Context, content: Path | None) -> None:
    """Build printable patient handouts (PDF) from YAML content.

    \b
    Start with:  python generate.py build baclofen
    Then see:    python generate.py list
    """
    ctx.obj = Library.with_content(content)


@main.command("build")
@click.argument("medicine")
@click.option("--lang", default="en", show_default=True, help="Language code of the content file.")
@click.option("--level", type=click.Choice(LEVELS), default="standard", show_default=True, help="Reading level.")
@click.option(
    "--brand",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Brand YAML (organisation, logo, colours, contact), or a name in content/brands. "
    "Default: the built-in sample brand.",
)
@click.option(
    "--layout",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Layout YAML (or a name in content/layouts, e.g. essentials) choosing which sections appear "
    "and in what order. Default: every section, in the medicine file's order.",
)
@click.option("--paper", type=click.Choice(["letter", "a4"]), help="Paper size. Default: the brand's, else letter.")
@click.option(
    "--require-reviewed", is_flag=True, help="Refuse draft content (status: draft) instead of marking it DRAFT."
)
@click.option(
    "--require-current",
    is_flag=True,
    help="Refuse a translation with stale units (its source changed since) instead of warning.",
)
@click.option(
    "--patient",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A patient's plan (YAML: name, prescriber, prescription, dispensed, dose steps): adds 'For: NAME' "
    "and a page with the pill card and check-off calendar. Personal health information: the PDF or HTML is "
    "written readable by its owner only (0600), and no message quotes the file. See docs/personal.md.",
)
@click.option(
    "--large-print",
    is_flag=True,
    help="Large print for low vision: all text 18 pt or larger, headings larger, lines 1.5 apart, no italics.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(FORMATS)),
    help="pdf, or html: one self-contained accessible web page of the same handout. "
    "Default: from the -o name's ending, else pdf.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, allow_dash=True),
    help="Output file (.pdf or .html), or - for standard output. Default: MEDICINE-LANG-LEVEL[-large].pdf",
)
@click.pass_obj
def build_cmd(
    library: Library,
    medicine: str,
    lang: str,
    level: str,
    brand: Path | None,
    layout: Path | None,
    paper: str | None,
    require_reviewed: bool,
    require_current: bool,
    patient: Path | None,
    large_print: bool,
    fmt: str | None,
    output: Path | None,
) -> None:
    """Build one handout for MEDICINE, such as baclofen: a PDF, or with --format html a web page."""
    request = Request(medicine, lang, level, brand, layout, paper, require_reviewed, require_current, patient=patient)
    request = replace(request, large_print=large_print)
    fmt = _output_format(output, fmt)
    output = output or request.default_output(FORMATS[fmt][0])
    to_stdout = str(output) == "-"
    started = time.perf_counter()
    handout = prepare(
        library, request, warn=lambda diag: click.echo(diag.format(), err=True), kept=PreparedCache.default()
    )
    data, pages = render_as(fmt, handout)
    if to_stdout:  # the bytes and nothing else, so `build ... -o - | lpr` prints it
        with click.open_file("-", "wb") as stdout:
            stdout.write(data)
    else:
        _write(output, data, f"the {fmt.upper()}", private=patient is not None)
    seconds = time.perf_counter() - started
    size = f"{pages} pages, " if fmt == "pdf" else ""
    print_as = ", large print" if large_print else ""
    click.echo(
        f"wrote {'standard output' if to_stdout else display_path(output)}: {size}"
        f"{len(data) / 1024:.0f} KB, {handout.paper}, {level}{print_as}, {seconds:.2f} s",
        err=to_stdout,
    )
    if handout.draft:
        click.echo("note: this content is a draft (status: draft); every page is marked DRAFT", err=True)


@main.command("batch")
@click.argument("manifest", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--out", required=True, type=click.Path(file_okay=False, path_type=Path), help="Folder for the PDFs and reports."
)
@click.option(
    "-j", "--jobs", type=click.IntRange(min=1), default=os.cpu_count() or 1, show_default="one per CPU",
    help="Worker processes (local executor).",
)  # fmt: skip
@click.option("-q", "--quiet", is_flag=True, help="No progress and no per-job lines; only the final summary.")
@click.option("--force", is_flag=True, help="Rebuild every PDF, even those that are up to date.")
@click.option("--combined", type=click.Path(dir_okay=False, path_type=Path), help="Also write one PDF of all handouts.")
@click.option(
    "--duplex",
    is_flag=True,
    help="With --combined: a blank page after each handout with an odd number of pages, "
    "so every handout starts on the front of a sheet.",
)
@click.option(
    "--zip", "zip_path", type=click.Path(dir_okay=False, path_type=Path), help="Also write a zip of all PDFs."
)
@click.option(
    "--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True,
    help="local: a process pool on this machine. dask: a Dask cluster (pip install '.[cluster]').",
)  # fmt: skip
@click.option("--scheduler", metavar="ADDRESS", help="Dask scheduler for --executor dask, e.g. tcp://10.0.0.5:8786.")
@click.option(
    "--require-current",
    is_flag=True,
    help="Fail a job whose translation has stale units (its source changed since) instead of warning.",
)
@click.pass_context
def batch_cmd(
    ctx: click.Context,
    manifest: Path,
    out: Path,
    jobs: int,
    quiet: bool,
    force: bool,
    combined: Path | None,
    duplex: bool,
    zip_path: Path | None,
    executor: str,
    scheduler: str | None,
    require_current: bool,
) -> None:
    """Build every handout a MANIFEST (CSV or YAML) lists into --out.

    \b
    Up-to-date PDFs are skipped, so an interrupted or killed run resumes where it
    stopped when run again. Writes batch-report.json and batch-report.csv into --out.
    Exit 0 when every job succeeded, 1 when any failed, 2 when the manifest is wrong,
    130 when interrupted with Ctrl-C, 143 when stopped with SIGTERM (the report is
    written either way).
    """
    from functools import partial

    from . import executors
    from .batch import Busy, out_lock, run_batch, stop_on_sigterm, write_reports
    from .manifest import load_manifest
    from .progress import Progress

    library: Library = ctx.obj
    if executor == "dask" and not scheduler:
        raise _bad("--scheduler", "--executor dask needs --scheduler", "tcp://HOST:8786")
    if duplex and combined is None:
        raise _bad("--duplex", "--duplex applies to the --combined file", "add --combined FILE.pdf, or drop --duplex")
    todo = load_manifest(manifest, library)
    if require_current:
        todo = [replace(job, require_current=True) for job in todo]
    papers = {job.paper for job in todo}
    if combined is not None and None not in papers and len(papers) > 1:  # found out now, not after the run
        raise _mixed_paper(sorted(p for p in papers if p))
    for option, target in (("--combined", combined), ("--zip", zip_path)):
        if target is not None and not target.parent.is_dir():  # found out now, not after the run
            raise _bad(target, f"{option}: the folder {display_path(target.parent)} does not exist")
    try:
        ctx.with_resource(out_lock(out))  # held until the command ends
    except Busy as exc:
        holder = f"process {exc.holder}" if exc.holder else "another process"
        raise _bad(out, f"another batch ({holder}) is writing into this folder", _BUSY_HINT) from None
    except OSError as exc:
        raise _bad(out, f"cannot use the output folder: {exc.strerror or exc}") from None
    if executor == "dask" and scheduler:
        run = partial(executors.dask_cluster, library, scheduler=scheduler)
    elif jobs == 1:
        run = partial(executors.in_process, library)
    else:
        run = partial(executors.process_pool, library, workers=min(jobs, len(todo)))
    progress = Progress(len(todo), quiet=quiet)
    try:
        with stop_on_sigterm():
            summary = run_batch(todo, out, run, force=force, on_outcome=progress)
    except executors.Unavailable as exc:
        raise _bad("--executor", str(exc), "or run without --executor dask") from None
    except OSError as exc:
        raise _bad(out, f"cannot use the output folder: {exc.strerror or exc}") from None
    finally:
        progress.close()
    for warning in summary.warnings:
        click.echo(warning.format(), err=True)
    report, _ = write_reports(summary, out, manifest)
    extras = []
    pdfs = summary.written(out)
    private = any(job.patient for job in summary.written_jobs())  # a patient's plan inside: 0600
    try:
        if combined and any(job.format == "pdf" for job in summary.written_jobs()) and not summary.interrupted:
            from .bundle import MixedPaper, Part, combine

            parts = [Part(out / job.output, job.title) for job in summary.written_jobs() if job.format == "pdf"]
            try:
                extras.append(
                    f"{display_path(combined)} ({combine(parts, combined, duplex=duplex, private=private)} pages)"
                )
            except MixedPaper as exc:
                raise _mixed_paper(exc.sizes, "; the PDFs and the report are written") from None
        if zip_path and pdfs and not summary.interrupted:
            from .bundle import zip_outputs

            extras.append(f"{display_path(zip_path)} ({zip_outputs(pdfs, out, zip_path, private=private)} PDFs)")
    except OSError as exc:
        where = exc.filename or out
        raise _bad(where, f"cannot write: {exc.strerror or exc}; the PDFs and the report are written") from None
    counts = summary.counts
    rate = f" ({counts['built'] / summary.seconds:.1f} built/s)" if counts["built"] and summary.seconds else ""
    click.echo(
        f"{len(todo)} jobs: {counts['built']} built, {counts['skipped']} up to date, {counts['failed']} failed "
        f"in {summary.seconds:.1f} s{rate}; report: {display_path(report)}" + "".join(f"; wrote {e}" for e in extras)
    )
    if summary.warned:
        click.echo(
            f"warning: {summary.warned} jobs printed a stale translation (see 'warning' in the report); "
            "--require-current refuses them",
            err=True,
        )
    if summary.stopped_by is not None:
        click.echo("interrupted: run the same command again to finish the rest", err=True)
        ctx.exit(EXIT_BY_SIGNAL + summary.stopped_by)
    ctx.exit(EXIT_TARGET_MISSED if counts["failed"] else 0)


def _mixed_paper(sizes: list[str], done: str = "") -> Failure:
    return _bad(
        "--combined",
        f"the handouts are on {len(sizes)} paper sizes ({', '.join(sizes)}); a combined file holds one{done}",
        "give every job the same paper, or run the batch once per paper size",
    )


_BUSY_HINT = "wait for it to finish, or give this batch another --out"


@main.command("serve")
@click.option(
    "--host", default="127.0.0.1", show_default=True,
    help="Address to listen on. Beyond 127.0.0.1 the API needs a token: set HANDOUTS_API_TOKEN.",
)  # fmt: skip
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option(
    "--workers", type=click.IntRange(min=1), default=1, show_default=True,
    help="Renderer processes; each makes one handout at a time with its caches kept warm.",
)  # fmt: skip
@click.option(
    "--idle-timeout", type=click.IntRange(min=1), default=30, show_default=True,
    help="Seconds a client may send nothing before its connection is dropped.",
)  # fmt: skip
@click.option(
    "--rate", type=click.FloatRange(min=0), default=10.0, show_default=True,
    help="Requests per second each client may send, after a burst of --burst (0: no limit).",
)  # fmt: skip
@click.option(
    "--burst", type=click.IntRange(min=1), default=40, show_default=True, help="Requests a client may send at once."
)
@click.pass_obj
def serve_cmd(library: Library, host: str, port: int, workers: int, idle_timeout: int, rate: float, burst: int) -> None:
    """Serve the front-desk form at / and the API at /api/v1 (pip install 'handouts[serve]').

    \b
    Then open http://127.0.0.1:8000/ in a browser; the API is described at /openapi.json.
    """
    try:
        from .serve.run import serve
        from .serve.settings import Settings, Unsafe, token_from_env
    except ImportError as exc:
        raise _bad("serve", f"the service needs the 'serve' extra ({exc.name} is missing)", _SERVE_HINT) from None
    content = library.roots[0] if len(library.roots) > 1 else None
    token = token_from_env()
    settings = Settings(host, port, workers, content, token, idle_timeout=idle_timeout, rate=rate, burst=burst)
    try:
        settings.check()
    except Unsafe as exc:
        raise _bad("--host", str(exc)) from None
    serve(settings)


_SERVE_HINT = "pip install 'handouts[serve]'"


@main.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.pass_context
def validate_cmd(ctx: click.Context, paths: tuple[Path, ...]) -> None:
    """Check content files (default: the whole content library). Exit 0 if all is well, 2 if not."""
    from .check import check_paths

    files, diagnostics = check_paths(ctx.obj, list(paths))
    for diag in diagnostics:
        click.echo(diag.format(), err=True)
    errors = sum(d.severity == "error" for d in diagnostics)
    click.echo(f"checked {files} file(s): {errors} error(s)")
    ctx.exit(EXIT_BAD_INPUT if errors else 0)


@main.group("list", invoke_without_command=True)
@click.pass_context
def list_group(ctx: click.Context) -> None:
    """List medicines x languages x levels with their review status; or, with a word
    after it, the templates, brands, layouts or languages and where each comes from
    (built-in, or the --content folder, which is searched first)."""
    if ctx.invoked_subcommand is None:
        _print_listing(ctx.obj, catalog.medicines)


def _print_listing(library: Library, listing: catalog.Lister) -> None:
    rows, problems = listing(library)
    _table(rows)
    if problems:
        raise Failure(problems)


def _add_listing(name: str, listing: catalog.Lister) -> None:
    @list_group.command(name, help=listing.__doc__)
    @click.pass_obj
    def command(library: Library) -> None:
        _print_listing(library, listing)


for _name, _listing in catalog.KINDS.items():
    _add_listing(_name, _listing)


@main.command("readability")
@click.argument("medicine")
@click.option("--lang", default="en", show_default=True)
@click.option("--level", type=click.Choice(LEVELS), help="One level (default: all three).")
@click.pass_context
def readability_cmd(ctx: click.Context, medicine: str, lang: str, level: str | None) -> None:
    """Measure reading grade per section and level. Exit 1 when a level misses its target."""
    from .readability import measure

    failed = False
    for lvl in [level] if level else LEVELS:
        report = measure(prepare(ctx.obj, Request(medicine, lang, lvl)))
        click.echo(
            f"\n{medicine} {lang} {lvl}: " + (f"target {report.targets()}" if report.measured else report.summary())
        )
        if report.total is None:  # not measured
            continue
        keys = [f.key for f in report.formulas]
        rows = [["section", *keys, "words", "sentences", "longest"]]
        for name, s in [*report.sections, ("WHOLE LEVEL", report.total)]:
            values = [f"{v:.1f}" if (v := s.values[k]) is not None else "-" for k in keys]
            rows.append([name, *values, str(s.words), str(s.sentences), str(s.longest)])
        _table(rows, right=range(1, len(rows[0])), indent="  ")
        click.echo(f"  {report.summary()}")
        click.echo("  " + ("OK" if report.ok else "MISSED: " + "; ".join(report.problems)))
        failed |= not report.ok
    ctx.exit(EXIT_TARGET_MISSED if failed else 0)


@main.group("translate")
def translate_group() -> None:
    """Start a translation and see what is complete, missing or stale.

    \b
    1. python generate.py translate init baclofen --lang es
    2. fill in every "" in the files it names (the source text is in the comment above)
    3. python generate.py validate content/medicines/baclofen/es.yaml
    4. python generate.py translate status baclofen

    \b
    Or in a CAT tool (memoQ, Trados, Phrase, OmegaT, Poedit, Weblate):
    python generate.py translate export baclofen --lang es --format xliff
    python generate.py translate import baclofen-es.xlf
    """


@translate_group.command("init")
@click.argument("medicine")
@click.option("--lang", required=True, help="BCP 47 code of the new language, e.g. es, zh-Hans, ar.")
@click.option("--from", "source_lang", default="en", show_default=True, help="Language to translate from.")
@click.option("--force", is_flag=True, help="Overwrite an existing translation file (its text is lost).")
@click.pass_obj
def translate_init(library: Library, medicine: str, lang: str, source_lang: str, force: bool) -> None:
    """Write skeleton files for translating MEDICINE: the medicine, the shared templates it
    uses and the interface strings (the last two only when missing)."""
    import datetime

    from .skeleton import plan

    files = plan(library, medicine, lang, source_lang, force=force, today=datetime.date.today().isoformat())
    for path, text in files.items():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _bad(path.parent, f"cannot create the folder: {exc.strerror or exc}") from None
        _write(path, text.encode(), "the skeleton")
        click.echo(f"wrote {display_path(path)}")


@translate_group.command("status")
@click.argument("medicine", required=False)
@click.option("--details", is_flag=True, help="List every missing or stale unit with file:line and the source text.")
@click.pass_context
def translate_status(ctx: click.Context, medicine: str | None, details: bool) -> None:
    """Matrix language x section x level: complete, missing or stale. Exit 1 unless all complete."""
    from .translate import status

    rows, unfinished = status(ctx.obj, medicine)
    if details:
        for diag in unfinished:
            click.echo(diag.format())
    if not rows:
        click.echo("no translations found" + (f" of '{medicine}'" if medicine else ""))
        return
    header = ("MEDICINE", "LANG", "SECTION", *LEVELS, "REQUIRED")
    _table(
        [header]
        + [(row.medicine, row.lang, row.section, *row.states, "required" if row.required else "") for row in rows]
    )
    ctx.exit(0 if all(row.complete for row in rows) else EXIT_TARGET_MISSED)


@translate_group.command("export")
@click.argument("medicine")
@click.option("--lang", required=True, help="Language to translate into, e.g. es (it need not exist yet).")
@click.option("--format", "fmt", type=click.Choice(["xliff", "po"]), default="xliff", show_default=True)
@click.option("--from", "source_lang", default="en", show_default=True, help="Source language of a new translation.")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Default: MEDICINE-LANG.xlf or .po"
)
@click.pass_obj
def translate_export(
    library: Library, medicine: str, lang: str, fmt: str, source_lang: str, output: Path | None
) -> None:
    """Write every unit of MEDICINE in LANG (its shared templates and the interface strings
    too) as XLIFF 1.2 or gettext PO, for a CAT tool: source, current translation, state
    (new, translated, stale with the earlier English), notes and placeholders."""
    from .exchange import FORMATS, export

    data, count = export(library, medicine, lang, fmt, source_lang)
    output = output or Path(f"{medicine}-{lang}{FORMATS[fmt]}")
    _write(output, data, "the exchange file")
    click.echo(f"wrote {display_path(output)}: {count} units")


@translate_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_obj
def translate_import(library: Library, file: Path) -> None:
    """Write the translations of an XLIFF or PO FILE (from 'translate export') into the YAML
    files, keeping their comments and order. The result is checked as 'validate' checks it
    first: on any error nothing is written (exit 2)."""
    from .exchange import import_file

    result = import_file(library, file, file.read_bytes())
    for warning in result.warnings:
        click.echo(warning.format(), err=True)
    for path, data in result.writes.items():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _bad(path.parent, f"cannot create the folder: {exc.strerror or exc}") from None
        _write(path, data, "the translation")
        click.echo(f"wrote {display_path(path)}")
    click.echo(f"{result.units} units read, {result.changed} changed" + ("" if result.writes else ": nothing to write"))


@main.command("schema")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("handout.schema.json"),
    show_default=True,
    help="Where to write the JSON Schema.",
)
def schema_cmd(output: Path) -> None:
    """Write a JSON Schema of every content file kind, for editors (see docs/translating.md)."""
    from .jsonschema import content_schema

    _write(output, content_schema().encode(), "the schema")
    click.echo(f"wrote {display_path(output)}")
