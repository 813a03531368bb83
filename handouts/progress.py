"""Progress of a batch: a live bar (count, rate, ETA) on a terminal, a plain line every
10% in a log file or CI, and nothing with --quiet. Failures are printed as they happen
(except with --quiet: they are in the report)."""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

from .batch import Outcome

PLAIN_STEPS = 10  # lines per run when not on a terminal


class Progress:
    def __init__(self, total: int, *, quiet: bool = False, stream: TextIO | None = None):
        self.total, self.quiet = total, quiet
        self.stream = stream or sys.stderr
        self.done = self.failed = 0
        self.started = time.perf_counter()
        self.bar = None
        if not quiet and self.stream.isatty():
            from tqdm import tqdm

            tqdm.monitor_interval = 0  # no monitor thread: worker processes are started after this
            try:  # a pseudo-terminal may report 0 x 0, where tqdm would draw nothing
                sized = os.get_terminal_size(self.stream.fileno()).columns > 0
            except (OSError, ValueError):
                sized = False
            self.bar = tqdm(
                total=total, unit="pdf", file=self.stream, smoothing=0.1,
                dynamic_ncols=sized, ncols=None if sized else 80, nrows=None if sized else 24,
            )  # fmt: skip

    def __call__(self, outcome: Outcome) -> None:
        self.done += 1
        if outcome.status == "failed":
            self.failed += 1
            if not self.quiet:
                self._print(f"FAILED {outcome.job.output} (manifest line {outcome.job.line}):\n  {outcome.error}")
        elif outcome.warning and not self.quiet:
            self._print(f"WARNING {outcome.job.output} (manifest line {outcome.job.line}): {outcome.warning}")
        if self.bar is not None:
            self.bar.update()
            if outcome.status == "failed":
                self.bar.set_postfix(failed=self.failed, refresh=False)
        elif not self.quiet and self._crossed_step():
            self._print(self.line())

    def line(self) -> str:
        elapsed = time.perf_counter() - self.started
        rate = self.done / elapsed if elapsed else 0.0
        eta = (self.total - self.done) / rate if rate else 0.0
        return (
            f"[{self.done:>{len(str(self.total))}}/{self.total}] {100 * self.done // self.total:3d}%"
            f"  {rate:6.1f} pdf/s  ETA {_clock(eta)}  failed {self.failed}"
        )

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()

    def _crossed_step(self) -> bool:
        step = max(1, self.total // PLAIN_STEPS)
        return self.done % step == 0 or self.done == self.total

    def _print(self, text: str) -> None:
        if self.bar is not None:
            self.bar.write(text, file=self.stream)
        else:
            print(text, file=self.stream, flush=True)


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds + 0.5), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"
