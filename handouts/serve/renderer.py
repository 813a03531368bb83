"""Where the service makes handouts: ``--workers`` renderer processes, each making one
handout at a time with caches kept warm between requests.

reportlab keeps process-wide state (its font registry, our glyph codes) and is not
thread-safe, so no process ever renders two handouts at once: each renderer is a
process pool of one, given the next order only when it has finished the last (orders
wait in ``dispatch.Line``). A process of its own also means a renderer that dies
(killed, out of memory) takes down only the request it was making: that one gets a 503
and a new renderer takes its place, while the HTTP front and the other renderers go on
serving.

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
from ..schema import LEVELS
from .dispatch import Costs, Line

if TYPE_CHECKING:
    from ..pdf import RenderCache

WARM_HANDOUTS = 64  # handouts a renderer makes before it serves: 0.1-0.2 s each (baclofen has 24)
PREVIEW_SCALE = 1.25  # 90 dpi: a page-1 preview a person can read on screen, ~100-200 KB of PNG


@dataclass(frozen=True)
class Order:
    """One handout to make, as ``format`` ("pdf" or "html"); ``preview`` makes the PDF
    instead, whatever the format, with a PNG of its page 1 (the form's preview)."""

    request: Request
    preview: bool = False
    patient: dict[str, Any] | None = None  # a plan as ``build --patient`` reads it from a file
    format: str = "pdf"

    def kind(self) -> tuple[Request, bool, str, bool]:
        """What decides how long the order takes (dispatch.Costs), without the plan itself."""
        return self.request, self.preview, self.format, self.patient is not None


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
    """A renderer process's first act: make its library and cache, then the handouts of
    ``warm_up``, so that no request pays for a cold render. A cold render costs 3-4 times
    a warm one (fonts, shaping, line breaking and layout, all done for the first time);
    made while requests wait, a renderer's first few dozen made the line behind them
    wait too (benchmarks/bench_serve.py: p95 latency 493 -> 334 ms once they were made at
    start). The memory a renderer needs is taken at start, too."""
    global _WORKER
    _WORKER = _Worker(content)
    for request in warm_up(_WORKER.library, WARM_HANDOUTS):
        make(Order(request))


def warm_up(library: Library, most: int) -> list[Request]:
    """What a renderer makes before it serves, at most ``most``: a handout in each
    language first (every script's fonts, shaping and line-breaking data: the day's first
    Arabic or Hindi request is not the slow one), then every level of every medicine in
    every language, in the library's order. A library larger than ``most`` starts in
    seconds all the same; its other handouts are made cold when first asked."""
    every = [Request(medicine, lang, level) for medicine, lang, _ in library.medicines() for level in LEVELS]
    first_in: dict[str, Request] = {}
    for request in every:
        first_in.setdefault(request.lang, request)
    firsts = list(first_in.values())
    return (firsts + [request for request in every if request not in firsts])[:most]


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
    """One renderer process, replaced when it dies."""

    def __init__(self, content: Path | None):
        self.content = content
        self.executor = self._new()

    def _new(self) -> ProcessPoolExecutor:
        # spawn, not fork: the front process runs an event loop and threads
        context = multiprocessing.get_context("spawn")
        return ProcessPoolExecutor(1, mp_context=context, initializer=start, initargs=(self.content,))

    def replace(self, broken: ProcessPoolExecutor) -> None:
        """A new renderer for a dead one."""
        if self.executor is broken:
            broken.shutdown(wait=False, cancel_futures=True)
            self.executor = self._new()

    async def make(self, order: Order) -> Made | Refused:
        """``order`` made by this renderer; RendererStopped if it died making it. An order
        that never reached it (it had died idle) goes to its replacement instead."""
        executor = self.executor
        try:
            future = executor.submit(make, order)
        except BrokenProcessPool:
            self.replace(executor)
            executor = self.executor
            future = executor.submit(make, order)
        try:
            return await asyncio.wrap_future(future)
        except BrokenProcessPool:
            self.replace(executor)
            raise RendererStopped from None


class Renderers:
    """The renderer processes, from the front process's side: orders wait in one line
    (dispatch.Line, earliest-due first), and each renderer takes the next as soon as it is
    free, so it never holds more than the one order it is making."""

    def __init__(self, workers: int, content: Path | None):
        self._slots = [_Slot(content) for _ in range(workers)]
        self._line: Line[Order, Made | Refused] | None = None
        self._takers: list[asyncio.Task[None]] = []
        self.costs = Costs()

    async def make(self, order: Order) -> Made | Refused:
        line = self._open()
        kind = order.kind()
        return await line.add(order, self.costs.estimate(kind), asyncio.get_running_loop().time())

    def _open(self) -> Line[Order, Made | Refused]:
        """The line and one taker per renderer, made in the event loop that serves."""
        if self._line is None:
            self._line = Line()
            self._takers = [asyncio.create_task(self._take(slot, self._line)) for slot in self._slots]
        return self._line

    async def _take(self, slot: _Slot, line: Line[Order, Made | Refused]) -> None:
        clock = asyncio.get_running_loop().time
        while True:
            order, answer = await line.take()
            started = clock()
            try:
                made = await slot.make(order)
            except Exception as exc:  # RendererStopped, or an answer that could not be sent between processes
                if not answer.done():
                    answer.set_exception(exc)
                continue
            self.costs.record(order.kind(), clock() - started)
            if not answer.done():  # its client may have gone while it was made
                answer.set_result(made)

    async def ready(self) -> None:
        """Wait until every renderer has started and warmed up."""
        self._open()
        await asyncio.gather(*(asyncio.wrap_future(slot.executor.submit(ping)) for slot in self._slots))

    def close(self) -> None:
        for taker in self._takers:
            taker.cancel()
        for slot in self._slots:
            slot.executor.shutdown(wait=True, cancel_futures=True)

    @property
    def count(self) -> int:
        return len(self._slots)
