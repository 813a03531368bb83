"""Where batch jobs run: in this process, a local process pool, or a Dask cluster.

Each executor takes ``(index, job, previous fingerprint)`` tasks lazily and yields
``(index, Result)`` as jobs finish. Only a small window of jobs is in flight at a time, so
memory does not grow with the size of the batch, and an interrupted run has little work
queued that would be lost.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from itertools import islice

from .build import render_cache
from .content import Library
from .manifest import Job
from .worker import Result, generator_id, run_job, run_pooled_job, warm

Task = tuple[int, Job, "str | None"]


class Unavailable(Exception):
    """The executor cannot start (a missing extra, an unreachable scheduler)."""


WINDOW_PER_WORKER = 4  # enough queued work to keep a worker busy between two results


def in_process(library: Library, tasks: Iterable[Task]) -> Iterator[tuple[int, Result]]:
    """``--jobs 1``: no pool, no pickling; also the easiest path to debug. The caller's
    library and one render cache serve every job."""
    cache = render_cache()
    for index, job, previous in tasks:
        yield index, run_job(library, job, previous, cache)


def process_pool(library: Library, tasks: Iterable[Task], workers: int) -> Iterator[tuple[int, Result]]:
    """A pool of ``workers`` processes, each keeping its parsed content, templates, fonts
    and laid-out paragraphs (``worker.process_library``, ``process_cache``) for all the
    jobs it runs. A worker that dies (out of memory, a crash in a C library) breaks the pool: the jobs in flight are
    reported failed and a fresh pool takes the rest."""
    # forkserver/spawn, not fork: the parent may run a progress-bar thread, and forking a
    # threaded process can deadlock.
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    queue = iter(tasks)
    while True:
        context = multiprocessing.get_context(method)
        pool = ProcessPoolExecutor(workers, mp_context=context, initializer=warm, initargs=(os.getpid(),))
        pending: dict[Future[Result], int] = {}
        broken = False
        try:
            for index, job, previous in _take(queue, workers * WINDOW_PER_WORKER):
                pending[pool.submit(run_pooled_job, library, job, previous)] = index
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    index = pending.pop(future)
                    try:
                        yield index, future.result()
                    except BrokenProcessPool:
                        broken = True
                        yield index, Result("failed", error="the worker process died while building this handout")
                if not broken:
                    for index, job, previous in _take(queue, len(done)):
                        pending[pool.submit(run_pooled_job, library, job, previous)] = index
        finally:
            pool.shutdown(wait=not broken, cancel_futures=True)
        if not broken:
            return


def dask_cluster(library: Library, tasks: Iterable[Task], scheduler: str) -> Iterator[tuple[int, Result]]:
    """The same jobs on a Dask cluster (``pip install .[cluster]``). Workers need this
    package at the same version and the content at the same paths; PDFs come back to this
    process, which writes them, so workers never need the output folder."""
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise Unavailable("the dask executor needs the 'cluster' extra: pip install '.[cluster]'") from None
    try:
        client = Client(scheduler, timeout="10s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise Unavailable(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    with client:
        window = max(1, sum(client.nthreads().values())) * WINDOW_PER_WORKER
        queue = iter(tasks)
        index_of: dict[object, int] = {}  # future.key -> job index; Dask keys are str, int or tuples
        running = as_completed()

        def submit(count: int) -> None:
            for index, job, previous in _take(queue, count):
                future = client.submit(run_pooled_job, library, job, previous, pure=False)
                index_of[future.key] = index
                running.add(future)

        submit(window)
        for future in running:
            index = index_of.pop(future.key)
            try:
                result = future.result()
            # a lost worker fails its job, not the batch
            except Exception as exc:  # noqa: BLE001
                result = Result("failed", error=f"the Dask worker failed: {type(exc).__name__}: {exc}")
            if result.generator and result.generator != generator_id():
                result = Result(
                    "failed",
                    error="the Dask worker runs a different version of handouts; "
                    "install the same release (and fonts) on every worker",
                )
            future.release()
            yield index, result
            submit(1)


def _take(queue: Iterator[Task], count: int) -> list[Task]:
    return list(islice(queue, count))
