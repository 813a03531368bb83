"""One batch job, as it runs inside a worker process (local pool or Dask worker).

A job is self-contained: the library and the job go in, the PDF bytes (or an error) come
out, and the caller writes the file. So the same function serves a process pool on one
machine and a cluster whose workers cannot see the output folder.

Skipping is decided from the *resolved* handout, not from file dates: the fingerprint is
a hash of everything the PDF is made from (the resolved text of every section, brand,
colours, strings, paper, the logo's bytes) plus the generator (our code, fonts and PDF
library versions). An edited template, a new brand colour or a newer release changes it;
touching a file without changing it does not, and cannot give a different PDF.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__, paths
from .build import prepare, render_as, render_cache
from .content import Library, cached
from .errors import ContentError, Diagnostic, display_path
from .manifest import Job
from .model import Handout

if TYPE_CHECKING:
    from .pdf import RenderCache


@dataclass(frozen=True, slots=True)
class Result:
    """What a worker sends back for one job."""

    status: str  # "built", "unchanged" (fingerprint as before: not rendered) or "failed"
    fingerprint: str = ""
    generator: str = ""
    data: bytes | None = None
    pages: int = 0
    sha256: str = ""
    error: str = ""
    seconds: float = 0.0
    warning: str = ""  # one line per job, e.g. its translation is stale (never one per unit)


@lru_cache(maxsize=1)
def generator_id() -> str:
    """Hash of the code and fonts that turn a handout into bytes: a new release, a local
    code change or a new font makes every fingerprint new."""
    digest = hashlib.sha256(__version__.encode())
    for name, path in generator_files():
        digest.update(name.encode() + path.read_bytes())
    for dist in ("reportlab", "uharfbuzz", "python-bidi", "babel"):
        digest.update(f"{dist}={metadata.version(dist)}".encode())
    return digest.hexdigest()[:16]


def generator_files() -> list[tuple[str, Path]]:
    """(name, path) of every file ``generator_id`` hashes: each module of the package,
    subpackages included (the renderers are ``handouts/pdf/`` and ``handouts/html/``), the
    HTML templates, and the font manifest."""
    package = Path(__file__).resolve().parent
    files = [*package.rglob("*.py"), *(package / "html" / "templates").glob("*.j2")]
    code = [(p.relative_to(package.parent).as_posix(), p) for p in sorted(files)]
    return code + [("manifest.json", paths.FONTS / "manifest.json")]


@cached
def file_sha256(library: Library, path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def fingerprint(library: Library, handout: Handout, fmt: str = "pdf") -> str:
    """Everything the output depends on: its format and the handout. The handout is plain
    frozen data, so its repr is a complete, stable description; the logo is a path in it,
    so its bytes are added."""
    digest = hashlib.sha256(generator_id().encode())
    if fmt != "pdf":  # a PDF's fingerprint stays what it was before there were formats
        digest.update(fmt.encode())
    digest.update(repr(handout).encode())
    if handout.brand.logo is not None:
        digest.update(file_sha256(library, handout.brand.logo).encode())
    return digest.hexdigest()[:32]


def run_job(library: Library, job: Job, previous: str | None, cache: RenderCache) -> Result:
    """Resolve the job; render it unless its fingerprint equals ``previous`` (the one its
    existing output was made from). One bad job must never stop a batch, so every error
    comes back as a result: content problems with file:line, anything else as an
    internal error naming the exception."""
    started = time.perf_counter()
    found: list[Diagnostic] = []
    try:
        handout = prepare(library, job.request(), warn=found.append)
        warning = stale_warning(found)
        key = fingerprint(library, handout, job.format)
        if key == previous:
            return Result("unchanged", key, generator_id(), seconds=time.perf_counter() - started, warning=warning)
        data, pages = render_as(job.format, handout, cache)
    except ContentError as exc:
        error = "\n".join(d.format() for d in exc.diagnostics)
        return Result("failed", generator=generator_id(), error=error, seconds=time.perf_counter() - started)
    # isolate the job; the report names the bug
    except Exception as exc:  # noqa: BLE001
        # a personal job's exception may quote its text (a patient's name): its type only
        detail = f"{type(exc).__name__}" if job.patient else f"{type(exc).__name__}: {exc}"
        error = f"internal error: {detail} (please report this with the manifest row)"
        return Result("failed", generator=generator_id(), error=error, seconds=time.perf_counter() - started)
    return Result(
        "built",
        key,
        generator_id(),
        data,
        pages,
        hashlib.sha256(data).hexdigest(),
        seconds=time.perf_counter() - started,
        warning=warning,
    )


def stale_warning(found: list[Diagnostic]) -> str:
    """The warnings ``prepare`` gave for one job (stale translated units) as one line for
    the report: how many and where the first is. A batch of 1,000 jobs must not print a
    line per unit per job; ``translate status --details`` lists them all."""
    if not found:
        return ""
    first = found[0]
    where = f"{display_path(first.path)}:{first.line}" if first.line else display_path(first.path)
    units = "unit" if len(found) == 1 else "units"
    return (
        f"{len(found)} stale translated {units} (the source changed after translation), first at {where}; "
        "`translate status --details` lists them, `batch --require-current` refuses them"
    )


def run_pooled_job(library: Library, job: Job, previous: str | None) -> Result:
    """``run_job`` in a worker process (pool or Dask), with what the process keeps."""
    return run_job(process_library(library), job, previous, process_cache())


# What a worker process keeps for all the jobs it runs: the batch worker is their owner.
_CACHE: RenderCache | None = None
_LIBRARY: Library | None = None


def process_cache() -> RenderCache:
    """The render cache of this worker process, which keeps paragraph layouts for all the
    jobs it runs: made at start-up by ``warm`` (process pool), or by its first job where
    the executor has no start-up hook (Dask)."""
    global _CACHE
    if _CACHE is None:
        _CACHE = render_cache()
    return _CACHE


def process_library(library: Library) -> Library:
    """The library this worker process keeps, so that each content file is parsed once
    for all its jobs. A job sent to a pool brings a copy of its library without the
    files loaded (``content.FileCache``); an equal library already kept is used instead."""
    global _LIBRARY
    if _LIBRARY != library:
        _LIBRARY = library
    return _LIBRARY


def warm(batch_pid: int) -> None:
    """Worker start-up: import the PDF stack and make the cache, before the first job is
    timed, and exit when the batch process is gone."""
    process_cache()

    threading.Thread(target=_exit_after, args=(batch_pid,), name="exit-with-batch", daemon=True).start()


PARENT_POLL = 0.5  # seconds between checks that the batch process is still there


def _exit_after(batch_pid: int) -> None:
    """A ``kill -9`` of the batch gives it no chance to stop its pool: without this the
    workers wait for work forever, and they keep the forkserver and multiprocessing's
    resource tracker alive too (both exit once no worker holds their pipes). The batch
    process is not the worker's parent (the forkserver is), so the kernel's parent-death
    signal cannot help; a cheap poll can."""
    while _running(batch_pid):
        time.sleep(PARENT_POLL)
    os._exit(1)  # no cleanup to do: the job in hand has nobody to report to


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: ours is gone and its number reused
    try:  # killed but not yet reaped by its own parent (a shell, a test): a zombie is gone too
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except OSError:
        return True  # no /proc (macOS): the signal test above is all there is
