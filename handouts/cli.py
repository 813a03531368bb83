"""Command line: parse options, call the library, print, choose the exit code.

Exit codes: 0 success, 1 readability targets missed, 2 bad input (every message names
file:line:col and says how to fix it; never a traceback).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from . import __version__, schema
from .build import Request, prepare, write_atomic
from .content import Library
from .errors import ContentError, Diagnostic, display_path

EXIT_TARGET_MISSED = 1
EXIT_BAD_INPUT = 2


def _fail(diagnostics) -> None:
    for diag in diagnostics:
        click.echo(diag.format(), err=True)
    sys.exit(EXIT_BAD_INPUT)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="handouts")
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
@click.option("--level", type=click.Choice(schema.LEVELS), default="standard", show_default=True, help="Reading level.")
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
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Output PDF. Default: MEDICINE-LANG-LEVEL.pdf")
@click.pass_obj
def build_cmd(library: Library, medicine, lang, level, brand, layout, paper, require_reviewed, output) -> None:
    """Build one handout PDF for MEDICINE, such as baclofen."""
    request = Request(medicine, lang, level, brand, layout, paper, require_reviewed)
    output = output or request.default_output()
    if output.is_dir():
        _fail([Diagnostic(output, 0, 0, "output path is a directory", hint="give a file name, e.g. -o handout.pdf")])
    started = time.perf_counter()
    try:
        handout = prepare(library, request)
    except ContentError as exc:
        _fail(exc.diagnostics)
    from .render_pdf import render

    pdf = render(handout)
    try:
        write_atomic(output, pdf.data)
    except OSError as exc:
        _fail(
            [
                Diagnostic(
                    output,
                    0,
                    0,
                    f"cannot write the PDF: {exc.strerror or exc}",
                    hint="check that the folder exists and is writable, and that the disk is not full",
                )
            ]
        )
    seconds = time.perf_counter() - started
    click.echo(
        f"wrote {display_path(output)}: {pdf.pages} pages, {len(pdf.data) / 1024:.0f} KB, "
        f"{handout.paper}, {level}, {seconds:.2f} s"
    )
    if handout.draft:
        click.echo("note: this content is a draft (status: draft); every page is marked DRAFT", err=True)


@main.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.pass_obj
def validate_cmd(library: Library, paths: tuple[Path, ...]) -> None:
    """Check content files (default: the whole content library). Exit 0 if all is well, 2 if not."""
    from .check import check_paths

    files, diagnostics = check_paths(library, list(paths))
    for diag in diagnostics:
        click.echo(diag.format(), err=True)
    errors = sum(d.severity == "error" for d in diagnostics)
    click.echo(f"checked {files} file(s): {errors} error(s)")
    sys.exit(EXIT_BAD_INPUT if errors else 0)


@main.command("list")
@click.pass_obj
def list_cmd(library: Library) -> None:
    """List medicines x languages x levels with their review status."""
    from .content import load_medicine

    rows = [("MEDICINE", "LANG", "LEVEL", "STATUS", "REVISED")]
    problems = []
    for medicine, lang, path in library.medicines():
        try:
            doc = load_medicine(path).doc
        except ContentError as exc:
            problems.extend(exc.diagnostics)
            rows += [(medicine, lang, "-", "invalid", "-")]
            continue
        rows += [(medicine, lang, level, doc.status, doc.revised.isoformat()) for level in schema.LEVELS]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
    for diag in problems:
        click.echo(diag.format(), err=True)
    if problems:
        sys.exit(EXIT_BAD_INPUT)


@main.command("readability")
@click.argument("medicine")
@click.option("--lang", default="en", show_default=True)
@click.option("--level", type=click.Choice(schema.LEVELS), help="One level (default: all three).")
@click.pass_obj
def readability_cmd(library: Library, medicine: str, lang: str, level: str | None) -> None:
    """Measure reading grade per section and level. Exit 1 when a level misses its target."""
    from .readability import measure

    failed = False
    for lvl in [level] if level else schema.LEVELS:
        try:
            report = measure(prepare(library, Request(medicine, lang, lvl)))
        except ContentError as exc:
            _fail(exc.diagnostics)
        click.echo(
            f"\n{medicine} {lang} {lvl}: " + (f"target {report.targets()}" if report.measured else report.summary())
        )
        if not report.measured:
            continue
        keys = [f.key for f in report.formulas]
        click.echo(
            f"  {'section':<20}" + "".join(f" {k:>9}" for k in keys) + f" {'words':>6} {'sentences':>9} {'longest':>8}"
        )
        for name, s in list(report.sections) + [("WHOLE LEVEL", report.total)]:
            values = "".join(f" {v:>9.1f}" if (v := s.values[k]) is not None else f" {'-':>9}" for k in keys)
            click.echo(f"  {name:<20}{values} {s.words:>6} {s.sentences:>9} {s.longest:>8}")
        click.echo(f"  {report.summary()}")
        click.echo("  " + ("OK" if report.ok else "MISSED: " + "; ".join(report.problems)))
        failed |= not report.ok
    sys.exit(EXIT_TARGET_MISSED if failed else 0)
