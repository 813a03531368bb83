"""Where the service makes handouts: ``--workers`` renderer processes, each making one
handout at a time with caches kept warm between requests.

reportlab keeps process-wide state (its font registry, our glyph codes) and is not
thread-safe, so no process ever renders two handouts at once: each renderer is a
process pool of one, and its queue is the "one at a time". A process of its own also
means a renderer that dies (killed, out of memory) takes down only the requests it
was making: they get a 503 and a new renderer takes its place, while the HTTP front and
the other renderers go on serving.

Each renderer owns one ``Library`` (parsed content files), one ``RenderCache``
(paragraph layouts, shaped lines, font subsets) and the handouts it prepared
(``PreparedInMemory``: a request without patient data asked again, with no content file
changed since, is not checked and resolved again) for its lifetime, and goes through the
same ``build.prepare`` -> ``build.render`` as the CLI: same checks, same errors, same bytes.
"""

from __future__ import annotations

import asyncio
import datetime
import multiprocessing
import os
import tempfile
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..build import Request, prepare, render, render_as, render_cache
from ..errors import ContentError, Diagnostic
from ..library import Library
from ..prepared import PreparedInMemory

if TYPE_CHECKING:
    from ..pdf import RenderCache

PREVIEW_SCALE = 1.25  # 90 dpi: a page-1 preview a person can read on screen, ~100-200 KB of PNG


@dataclass(frozen=True)
class Order:
    """One handout to make, as ``format`` ("pdf" or "html"); ``preview`` makes the PDF
    instead, whatever the format, with a PNG of its page 1 (the form's preview)."""

    request: Request
    preview: bool = False
    patient: dict[str, Any] | None = None  # a plan as ``build --patient`` reads it from a file
    format: str = "pdf"


@dataclass(frozen=True)
class Made:
    """A handout made: the PDF (or HTML page), its page count (0 for HTML), whether it is
    marked DRAFT."""

    data: bytes
    pages: int
    draft: bool
    preview_png: bytes | None = None
    format: str = "pdf"


@dataclass(frozen=True)
class Refused:
    """The content or the request is wrong: what ``build`` says, as the CLI prints it."""

    diagnostics: tuple[Diagnostic, ...]


class RendererStopped(Exception):
    """The renderer making this handout died before it was done: nothing was sent."""


class _Worker:
    """What one renderer process keeps between requests."""

    def __init__(self, content: Path | None):
        self.library = Library.with_content(content)
        self.cache: RenderCache = render_cache()
        self.prepared = PreparedInMemory()


_WORKER: _Worker | None = None


def start(content: Path | None) -> None:
    """A renderer process's first act: make its library and cache, and make one handout
    so that fonts, subsets and CLDR data are loaded before the first real request."""
    global _WORKER
    _WORKER = _Worker(content)
    for medicine, lang, _ in _WORKER.library.medicines()[:1]:
        make(Order(Request(medicine, lang)))


def make(order: Order) -> Made | Refused:
    """Runs inside a renderer process: the handout, or why it cannot be made."""
    if order.patient is None:
        return _make(order, order.request)
    # build reads a plan from a file: one readable by this user only, in a private folder,
    # gone when the handout is made (the plan is personal health information)
    with tempfile.TemporaryDirectory(prefix="handouts-") as folder:
        plan = Path(folder) / "patient.yaml"
        with os.fdopen(os.open(plan, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w", encoding="utf-8") as out:
            out.write(_plan_yaml(order.patient))
        made = _make(order, replace(order.request, patient=plan))
    if isinstance(made, Refused):  # the plan's problems point into the request, not the temporary file
        return Refused(tuple(_in_request(d, plan) for d in made.diagnostics))
    return made


_DATES = ("dispensed", "start", "date", "until")


def _plan_yaml(plan: dict[str, Any]) -> str:
    """The plan as the YAML a ``--patient`` file holds: JSON has no dates, so a date key's
    ISO text is written as a YAML date (anything else stays text, and is refused as such)."""
    import yaml

    def dated(value: Any, key: str = "") -> Any:
        if isinstance(value, dict):
            return {k: dated(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [dated(v) for v in value]
        if key in _DATES and isinstance(value, str):
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                return value
        return value

    return str(yaml.safe_dump(dated(plan), allow_unicode=True, sort_keys=False))


def _in_request(diag: Diagnostic, plan: Path) -> Diagnostic:
    if diag.path != plan:
        return diag
    key = "patient" + (f".{diag.key}" if diag.key else "")
    return Diagnostic(Path("request"), 0, 0, diag.message, key=key, hint=diag.hint)


def _make(order: Order, request: Request) -> Made | Refused:
    assert _WORKER is not None, "start() runs first, as the pool's initializer"
    try:
        handout = prepare(_WORKER.library, request, kept=_WORKER.prepared)
    except ContentError as exc:
        return Refused(exc.diagnostics)
    if order.format != "pdf" and not order.preview:
        data, pages = render_as(order.format, handout)
        return Made(data, pages, handout.draft, format=order.format)
    pdf = render(handout, _WORKER.cache)
    return Made(pdf.data, pdf.pages, handout.draft, _page_one(pdf.data) if order.preview else None)


def _page_one(pdf: bytes) -> bytes:
    """Page 1 as PNG, as a printer would show it (pdfium, the renderer of Chromium)."""
    import io

    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        image = document[0].render(scale=PREVIEW_SCALE).to_pil()
    finally:
        document.close()
    out = io.BytesIO()
    # zlib's default level: Pillow's optimize=True took 150 ms more per preview (4x the
    # rest of it) for a PNG 1.5 % smaller (benchmarks/bench_serve.py)
    image.save(out, format="PNG")
    return out.getvalue()


def ping() -> bool:
    """A no-op to wait on: the renderer has started (and warmed up)."""
    return _WORKER is not None


class _Slot:
    """One renderer process and the number of requests waiting for it."""

    def __init__(self, content: Path | None):
        self.content = content
        self.waiting = 0
        self.executor = self._new()

    def _new(self) -> ProcessPoolExecutor:
        # spawn, not fork: the front process runs an event loop and threads
        context = multiprocessing.get_context("spawn")
        return ProcessPoolExecutor(1, mp_context=context, initializer=start, initargs=(self.content,))

    def replace(self, broken: ProcessPoolExecutor) -> None:
        """A new renderer for a dead one, once, however many requests saw it die."""
        if self.executor is broken:
            broken.shutdown(wait=False, cancel_futures=True)
            self.executor = self._new()


class Renderers:
    """The renderer processes, from the front process's side: each order goes to the
    renderer with the fewest waiting."""

    def __init__(self, workers: int, content: Path | None):
        self._slots = [_Slot(content) for _ in range(workers)]

    async def make(self, order: Order) -> Made | Refused:
        slot = min(self._slots, key=lambda s: s.waiting)
        executor = slot.executor
        slot.waiting += 1
        try:
            return await asyncio.wrap_future(executor.submit(make, order))
        except BrokenProcessPool:
            slot.replace(executor)
            raise RendererStopped from None
        finally:
            slot.waiting -= 1

    async def ready(self) -> None:
        """Wait until every renderer has started and warmed up."""
        await asyncio.gather(*(asyncio.wrap_future(slot.executor.submit(ping)) for slot in self._slots))

    def close(self) -> None:
        for slot in self._slots:
            slot.executor.shutdown(wait=True, cancel_futures=True)

    @property
    def count(self) -> int:
        return len(self._slots)
