"""A batch run: skip what is up to date, build the rest on an executor, write every PDF
atomically, keep a journal so a killed run resumes, and report every job.

Files in ``--out`` besides the PDFs:
- ``.handouts-batch.lock``: held by the running batch (see ``out_lock``).
- ``.handouts-journal.jsonl``: one line per PDF written (output, fingerprint, sha256,
  pages, bytes), appended as soon as the PDF is on disk. A ``kill -9`` loses at most the
  line being written; a rerun re-checks every PDF against it and finishes the rest.
- ``batch-report.json`` and ``batch-report.csv``: every job of the manifest with its
  status, written at the end of each run (also of a run that resumed).
"""

from __future__ import annotations

import csv
import datetime
import fcntl
import hashlib
import json
import os
import signal
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .atomic import replacing, write_atomic
from .errors import Diagnostic, display_path
from .manifest import Job
from .worker import Result, generator_id

JOURNAL = ".handouts-journal.jsonl"
LOCK = ".handouts-batch.lock"
REPORT_JSON = "batch-report.json"
REPORT_CSV = "batch-report.csv"
Executor = Callable[[Iterator[tuple[int, Job, "str | None"]]], Iterator[tuple[int, Result]]]


@dataclass(frozen=True, slots=True)
class Record:
    """What the journal remembers of one PDF on disk."""

    output: str
    fingerprint: str
    sha256: str
    pages: int
    bytes: int


@dataclass(frozen=True, slots=True)
class Outcome:
    """One job's line in the report."""

    job: Job
    status: str  # "built", "skipped" (up to date) or "failed"
    record: Record | None = None
    error: str = ""
    seconds: float = 0.0
    warning: str = ""  # the job printed, but read this (a stale translation)


class Stopped(KeyboardInterrupt):
    """SIGTERM (``kill``, a service manager, a job scheduler's time limit) ends a batch
    the way Ctrl-C does: what is done is kept and reported, a rerun finishes the rest."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


@contextmanager
def stop_on_sigterm() -> Iterator[None]:
    """Turn SIGTERM into ``Stopped`` while a batch runs (main thread only, as every
    Python signal handler). A second SIGTERM while the run winds down is ignored, so the
    report is still written."""

    def stop(signum: int, _frame: object) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        raise Stopped(signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@dataclass
class Summary:
    outcomes: list[Outcome | None]  # None: not finished (interrupted)
    seconds: float = 0.0
    warnings: list[Diagnostic] = field(default_factory=list)  # about --out's own files
    stopped_by: int | None = None  # the signal that ended the run early: SIGINT (Ctrl-C) or SIGTERM

    @property
    def interrupted(self) -> bool:
        return self.stopped_by is not None

    @property
    def warned(self) -> int:
        """Jobs that printed with a warning (a stale translation)."""
        return sum(1 for o in self.outcomes if o is not None and o.warning)

    @property
    def counts(self) -> dict[str, int]:
        found = Counter(o.status for o in self.outcomes if o is not None)
        return {status: found[status] for status in ("built", "skipped", "failed")}

    def written(self, out: Path) -> list[Path]:
        """The PDFs of this run that are on disk (built or up to date), in manifest order."""
        return [out / job.output for job in self.written_jobs()]

    def written_jobs(self) -> list[Job]:
        return [o.job for o in self.outcomes if o is not None and o.status != "failed"]


_RECORD_TYPES = {"output": str, "fingerprint": str, "sha256": str, "pages": int, "bytes": int}
MAX_JOURNAL_WARNINGS = 5


class Journal:
    """Append-only record of written PDFs; the last line for an output wins. A damaged
    line (cut short by a kill, or edited by hand) is ignored with a warning: the handout
    it recorded is simply built again."""

    def __init__(self, path: Path):
        self.path = path
        self.records: dict[str, Record] = {}
        self.damaged: list[int] = []  # line numbers
        if path.exists():
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
            for number, line in enumerate(lines, 1):
                record = _record(line)
                if record is None:
                    self.damaged += [number] if line.strip() else []
                else:
                    self.records[record.output] = record
        self._handle = path.open("a", encoding="utf-8")

    def warnings(self) -> list[Diagnostic]:
        """The damaged lines, as warnings (the first few, then how many more)."""
        shown = [
            Diagnostic(
                self.path,
                n,
                1,
                "damaged journal line ignored (the handout it recorded, if any, is built again)",
                severity="warning",
            )
            for n in self.damaged[:MAX_JOURNAL_WARNINGS]
        ]
        if len(self.damaged) > MAX_JOURNAL_WARNINGS:
            more = len(self.damaged) - MAX_JOURNAL_WARNINGS
            shown.append(Diagnostic(self.path, 0, 0, f"... and {more} more damaged lines", severity="warning"))
        return shown

    def previous(self, out: Path, output: str) -> Record | None:
        """The record of ``output`` if the file on disk is exactly what it recorded."""
        record = self.records.get(output)
        if record is None:
            return None
        target = out / output
        try:
            same = target.stat().st_size == record.bytes  # cheap first: most changed files change size
            same = same and hashlib.sha256(target.read_bytes()).hexdigest() == record.sha256
        except OSError:
            return None
        return record if same else None

    def add(self, record: Record) -> None:
        self.records[record.output] = record
        self._handle.write(json.dumps(asdict(record)) + "\n")
        self._handle.flush()  # the PDF itself was fsynced; a lost line only means a rebuild

    def compact(self, out: Path) -> None:
        """Rewrite with one line per PDF still on disk, so the journal does not grow with
        every rerun."""
        self._handle.close()
        kept = [r for o, r in sorted(self.records.items()) if (out / o).is_file()]
        write_atomic(self.path, "".join(json.dumps(asdict(r)) + "\n" for r in kept).encode())


class Busy(Exception):
    """Another batch is writing into the same --out."""

    def __init__(self, holder: str):
        super().__init__(holder)
        self.holder = holder  # its process id, as it wrote it, or ""


@contextmanager
def out_lock(out: Path) -> Iterator[None]:
    """Hold ``--out`` for one batch. Two batches in one folder would remove each other's
    temporary files, append to one journal and replace each other's reports, so the
    second is refused (``Busy``) with the first one's process id. The lock is the
    operating system's (``flock``): a killed batch holds it no longer, whatever the file
    still says."""
    out.mkdir(parents=True, exist_ok=True)
    fd = os.open(out / LOCK, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        _take(fd)
        os.pwrite(fd, f"{os.getpid():>20}\n".encode(), 0)  # one fixed-width write: never half a number
        try:
            yield
        finally:
            os.ftruncate(fd, 0)  # still locked: a later refusal never names a batch that ended
    finally:
        os.close(fd)  # releases the lock


def _take(fd: int, wait: float = 5.0) -> None:
    """Lock ``fd`` or raise ``Busy`` naming the holder. The holder writes its pid just
    after it takes the lock, so a batch that comes in between does not name nobody: it
    looks again every 10 ms, for up to ``wait`` seconds, until it finds a running pid
    (a killed batch's stale one is about to be overwritten) or the lock is free."""
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
        if text.isdigit() and _running(int(text)):
            raise Busy(text)
        if time.monotonic() >= deadline:
            raise Busy("")
        time.sleep(0.01)


def _running(pid: int) -> bool:
    """Whether a process ``pid`` exists (signal 0 checks without sending anything)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: it exists
        return True
    return True


def _record(line: str) -> Record | None:
    """The record a journal line holds, or None unless it has exactly the fields of a
    Record with the right types (``"output": ["x"]`` must not reach a dict key)."""
    try:
        data = json.loads(line)
    except (ValueError, RecursionError):  # RecursionError: brackets nested thousands deep
        return None
    if not isinstance(data, dict) or data.keys() != _RECORD_TYPES.keys():
        return None
    if not all(type(data[key]) is kind for key, kind in _RECORD_TYPES.items()):  # True is no page count
        return None
    return Record(**data)


def run_batch(
    jobs: list[Job],
    out: Path,
    executor: Executor,
    *,
    force: bool = False,
    on_outcome: Callable[[Outcome], None] = lambda _: None,
) -> Summary:
    """Run ``jobs`` into ``out``. A bad job becomes a failed outcome and Ctrl-C ends the
    run early (``interrupted``), and so does SIGTERM inside ``stop_on_sigterm``; neither raises."""
    started = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    _remove_stale_temp_files(out)
    journal = Journal(out / JOURNAL)
    summary = Summary([None] * len(jobs), warnings=journal.warnings())
    previous = [None if force else journal.previous(out, job.output) for job in jobs]
    tasks = ((i, job, p.fingerprint if p else None) for i, (job, p) in enumerate(zip(jobs, previous, strict=True)))
    try:
        for index, result in executor(tasks):
            outcome = _settle(jobs[index], result, previous[index], out, journal)
            summary.outcomes[index] = outcome
            on_outcome(outcome)
    except KeyboardInterrupt as exc:  # Ctrl-C or SIGTERM: keep what is done; a rerun finishes the rest
        summary.stopped_by = exc.signum if isinstance(exc, Stopped) else signal.SIGINT
    finally:
        journal.compact(out)
        summary.seconds = time.perf_counter() - started
    return summary


def _settle(job: Job, result: Result, previous: Record | None, out: Path, journal: Journal) -> Outcome:
    """Turn a worker's result into a file on disk, a journal line and an outcome."""
    if result.status == "unchanged" and previous is not None:
        return Outcome(job, "skipped", previous, seconds=result.seconds, warning=result.warning)
    if result.status != "built" or result.data is None:
        return Outcome(job, "failed", error=result.error, seconds=result.seconds)
    target = out / job.output
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, result.data, private=job.patient is not None)
    except OSError as exc:
        error = f"{display_path(target)}: cannot write the PDF: {exc.strerror or exc}"
        return Outcome(job, "failed", error=error, seconds=result.seconds)
    record = Record(job.output, result.fingerprint, result.sha256, result.pages, len(result.data))
    journal.add(record)
    return Outcome(job, "built", record, seconds=result.seconds, warning=result.warning)


def _remove_stale_temp_files(out: Path) -> None:
    """A run killed while writing leaves ``.NAME.pdf.XXXX.tmp`` (never a truncated PDF)."""
    for stale in out.rglob(".*.pdf.*.tmp"):
        stale.unlink(missing_ok=True)


# --- reports ------------------------------------------------------------------------

FIELDS = ("line", "output", "status", "medicine", "lang", "level", "brand", "paper", "layout", "personal",
          "pages", "bytes", "sha256", "fingerprint", "seconds", "error", "warning")  # fmt: skip


def rows(summary: Summary) -> Iterator[dict[str, object]]:
    for outcome in summary.outcomes:
        if outcome is None:
            continue  # interrupted before this job finished
        job, record = outcome.job, outcome.record
        yield {
            "line": job.line,
            "output": job.output,
            "status": outcome.status,
            "medicine": job.medicine,
            "lang": job.lang,
            "level": job.level,
            "brand": job.brand,
            "paper": job.paper,
            "layout": job.layout,
            "personal": job.patient is not None,  # whether it holds a patient's plan; never which patient
            "pages": record.pages if record else None,
            "bytes": record.bytes if record else None,
            "sha256": record.sha256 if record else None,
            "fingerprint": record.fingerprint if record else None,
            "seconds": round(outcome.seconds, 4),
            "error": outcome.error,
            "warning": outcome.warning,
        }


def write_reports(summary: Summary, out: Path, manifest: Path) -> tuple[Path, Path]:
    """JSON for programs, CSV for a spreadsheet; both list the jobs in manifest order
    (an unset value is null in JSON and empty in CSV). Written row by row: a report of
    200,000 jobs is never held in memory whole."""
    finished = sum(o is not None for o in summary.outcomes)
    head = {
        "manifest": str(manifest),
        "out": str(out),
        "generator": generator_id(),
        "finished": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "seconds": round(summary.seconds, 2),
        "jobs": len(summary.outcomes),
        "not_run": len(summary.outcomes) - finished,
        **summary.counts,
    }
    json_path, csv_path = out / REPORT_JSON, out / REPORT_CSV
    with replacing(json_path) as tmp, open(tmp, "w", encoding="utf-8") as handle:
        handle.write(f'{{"summary": {json.dumps(head, ensure_ascii=False)},\n "jobs": [')
        handle.writelines(
            ("," if i else "") + "\n  " + json.dumps(row, ensure_ascii=False) for i, row in enumerate(rows(summary))
        )
        handle.write("\n ]\n}\n")
    with replacing(csv_path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, FIELDS)
        writer.writeheader()
        writer.writerows(rows(summary))
    return json_path, csv_path
