"""The pipeline for one handout: load -> validate -> resolve -> render -> write atomically.

``prepare(library, request)`` -> ``render(handout, cache)`` is the one path from a request
to PDF bytes: the CLI, batch workers, CI's render matrix, the tests and the benchmarks
all take it, so none of them assembles brand, strings and resolve on its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from .errors import ContentError, Diagnostic, display_path
from .library import DEFAULT_BRAND, Library, names_a_file
from .model import LEVELS, Handout
from .prepared import Kept, Prepared

if TYPE_CHECKING:
    from .content import Loaded
    from .model import Schedule
    from .pdf import RenderCache, RenderedPdf
    from .schema import MedicineFile


@dataclass(frozen=True)
class Request:
    """Everything that decides one PDF; the defaults are the README's first command."""

    medicine: str
    lang: str = "en"
    level: str = "standard"
    brand: Path | None = None  # a brand.yaml or a name in content/brands; None = the built-in sample
    layout: Path | None = None  # a layout file or a name in content/layouts; None = the medicine's own order
    paper: str | None = None  # None = the brand's default paper
    require_reviewed: bool = False
    require_current: bool = False  # a stale translated unit is an error, not a warning
    sections: tuple[str, ...] | None = None  # only these (``validate``: the translated part of a translation)
    patient: Path | None = None  # a patient's plan (personal health information): adds the schedule
    large_print: bool = False  # 18 pt type and more space: the same text, set for low vision

    def default_output(self, suffix: str = ".pdf") -> Path:
        large = "-large" if self.large_print else ""
        return Path(f"{self.medicine}-{self.lang}-{self.level}{large}{suffix}")


def prepare(
    library: Library,
    request: Request,
    warn: Callable[[Diagnostic], None] | None = None,
    kept: Kept | None = None,
) -> Handout:
    """Load, check and resolve everything a PDF needs, or raise ContentError. Warnings
    (a stale translation) go to ``warn``; without one they are not shown. With ``kept``
    (on disk for the one-off ``build`` command, in memory for a server's renderer), a
    handout prepared earlier from the same unchanged inputs is used instead, with its
    warnings (see prepared.py)."""
    prepared = kept.load(library, request) if kept is not None else None
    if prepared is None:
        prepared = _prepare(library, request)
        if kept is not None:
            kept.store(library, request, prepared)
    if warn is not None:
        for diag in prepared.warnings:
            warn(diag)
    return prepared.handout


def _prepare(library: Library, request: Request) -> Prepared:
    """The work of ``prepare``. Its modules are imported here, when a handout is first
    prepared: pydantic and PyYAML take a third of a cold build, which a kept handout
    does not need (as ``_pdf`` defers reportlab for commands that draw nothing)."""
    from .content import load_brand, load_layout, load_strings
    from .qa import build_check
    from .resolve import layout_sections, resolve
    from .translate import medicine_for, source_of

    if request.level not in LEVELS:
        raise ContentError(
            [
                Diagnostic(
                    Path("--level"),
                    0,
                    0,
                    f"unknown level '{request.level}'",
                    hint="use one of: " + ", ".join(LEVELS),
                )
            ]
        )
    source = source_of(library, request.medicine, request.lang)
    sections = list(source.doc.sections if request.sections is None else request.sections)
    layout = None
    if request.layout is not None:
        layout = load_layout(library, _locate(request.layout, library.layout_path))
        sections = layout_sections(source, layout)
    medicine = medicine_for(library, request.medicine, request.lang, request.level, sections)
    if request.require_reviewed and medicine.doc.status != "reviewed":
        raise ContentError(
            [
                medicine.source.error(
                    ("status",),
                    "content is a draft and --require-reviewed was given",
                    "have a pharmacist review it, then set 'status: reviewed'",
                )
            ]
        )
    brand = load_brand(
        library, _locate(request.brand, library.brand_path) if request.brand else library.brand_path(DEFAULT_BRAND)
    )
    strings = load_strings(library, library.strings_path(medicine.doc.lang))
    handout = resolve(library, medicine, request.level, sections, brand, strings, request.paper or brand.paper, layout)
    if request.large_print:
        handout = replace(handout, large_print=True)
    found = build_check(  # after resolve, whose errors (a refused {% %}, a hidden RLO) come first
        library, request.medicine, request.lang, request.level, sections, require_current=request.require_current
    )
    if any(d.severity == "error" for d in found):
        raise ContentError(d for d in found if d.severity == "error")
    if request.patient is not None:  # never kept by prepared.py: 'patient' is not one of its fields
        handout = replace(handout, schedule=_schedule(library, request.patient, source, medicine.doc.lang))
    return Prepared(handout, tuple(found))


def _schedule(library: Library, path: Path, source: Loaded[MedicineFile], lang: str) -> Schedule:
    """The patient's plan, checked against the medicine's facts (written in its source
    file), as the handout's language prints it."""
    from .content import load_strings_file
    from .patient import load_plan
    from .schedule import schedule

    at = source.source.pos(("facts", "max_daily_dose"))
    facts_at = f"{display_path(source.source.path)}:{at[0]}"
    plan = load_plan(path, source.doc.medicine, source.doc.facts, facts_at)
    return schedule(plan, load_strings_file(library, library.strings_path(lang)), lang)


def _locate(value: Path, by_name: Callable[[str], Path]) -> Path:
    """``--brand``/``--layout`` take a file path or a bare name from the content library."""
    if names_a_file(value):
        return value.resolve()  # a path: if it is missing, loading says "file not found"
    return by_name(str(value))


def render(handout: Handout, cache: RenderCache, tagged: bool = True) -> RenderedPdf:
    """The PDF of a prepared handout, tagged PDF/UA-1 (``tagged`` False only for the
    benchmark's baseline); ``cache`` keeps layouts for the caller's next one."""
    rendered: RenderedPdf = _pdf().render(handout, cache, tagged)  # _pdf() is a module: typed here
    return rendered


def render_as(fmt: str, handout: Handout, cache: RenderCache | None = None) -> tuple[bytes, int]:
    """(bytes, pages) of a prepared handout in ``fmt``: "pdf", or "html" (the companion
    web page, one page: 0 pages counted). ``cache`` serves PDFs; None makes one."""
    if fmt == "html":
        from .html import render as render_html  # Jinja and the templates: only for HTML

        return render_html(handout).data, 0
    pdf = render(handout, cache or render_cache())
    return pdf.data, pdf.pages


def render_cache() -> RenderCache:
    """A new render cache, for one owner: a command, a batch worker process, a server worker."""
    cache: RenderCache = _pdf().RenderCache()
    return cache


def _pdf() -> ModuleType:
    """The PDF package, imported when a PDF is first made: reportlab takes ~125 ms to
    import, which ``validate``, ``list`` and ``translate`` never need. The one deferred
    import of the renderer."""
    from . import pdf

    return pdf
