"""What tagging (PDF/UA-1: structure tree, marked content, artifacts, ActualText, XMP)
costs: the same handouts rendered tagged (the default) and untagged, side by side in
one run, alternating so the machine's load falls on both alike.

Run from the repository root:
    python benchmarks/bench_tagging.py [--runs 15] [--langs en,ar] [--instructions [--before REF] [--jobs N]]
Prints per language the least CPU time of a render (warm: layouts kept, as in a batch)
of the standard level on Letter, tagged and untagged, the overhead in percent and the
file sizes. ``--instructions`` also counts the machine instructions of one warm render
each way under valgrind (cachegrind): a measure the machine's load does not move, where
CPU time on a shared machine varies by a few percent from run to run. ``--before REF``
counts them for the code of git revision REF too (exported to a temporary directory),
in the same run, so a change to tagging shows as before and after. No pass/fail: the
numbers go into docs/accessibility.md.
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout: its handouts first

from handouts.build import Request, prepare, render, render_cache
from handouts.content import Library

LANGS = ("en", "es", "vi", "ru", "ar", "hi", "zh-Hans", "ko")
RENDERS = 5  # warm renders counted under valgrind, after one of each kind


def _child(lang: str, tagged: bool, renders: int) -> None:
    """In a process of its own: warm up, then ``renders`` more renders of one kind."""
    library, cache = Library(), render_cache()
    handout = prepare(library, Request("baclofen", lang=lang, level="standard", paper="letter"))
    for kind in (False, True):
        render(handout, cache, tagged=kind)
    for _ in range(renders):
        render(handout, cache, tagged=tagged)


def instructions(lang: str, tagged: bool, renders: int, script: Path = Path(__file__)) -> int:
    """Instructions of a whole child process (valgrind's cachegrind, no cache simulation)
    that runs ``script`` (this file, or its copy in an exported revision)."""
    done = subprocess.run(
        ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
         sys.executable, str(script), "--child", f"{lang},{int(tagged)},{renders}"],
        capture_output=True, text=True, check=True, env={**os.environ, "PYTHONHASHSEED": "0"},
    )  # fmt: skip
    found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    assert found, done.stderr[-500:]
    return int(found.group(1).replace(",", ""))


def overheads(langs: list[str], script: Path, jobs: int) -> None:
    """Instructions of one warm render of each language, untagged and tagged, by the code
    ``script`` belongs to; ``jobs`` valgrind processes at a time (the count does not
    depend on the machine's load)."""
    kinds = ((False, 0), (False, RENDERS), (True, RENDERS))  # the base: start-up and warm-up only
    runs = [(lang, kind, renders) for lang in langs for kind, renders in kinds]
    with ThreadPoolExecutor(jobs) as pool:
        counts = dict(zip(runs, pool.map(lambda run: instructions(*run, script), runs), strict=True))
    for lang in langs:
        base = counts[lang, False, 0]
        per = {kind: (counts[lang, kind, RENDERS] - base) / RENDERS for kind in (False, True)}
        print(
            f"{lang:8} untagged {per[False] / 1e6:8.1f} M  tagged {per[True] / 1e6:8.1f} M"
            f"  overhead {100 * (per[True] / per[False] - 1):5.1f}%",
            flush=True,
        )


def exported(ref: str, into: Path) -> Path:
    """This benchmark in a copy of revision ``ref``'s code (what a render reads)."""
    root = Path(__file__).resolve().parents[1]
    archive = subprocess.run(
        ["git", "-C", str(root), "archive", ref, "handouts", "benchmarks", "fonts", "content", "templates"],
        capture_output=True, check=True,
    )  # fmt: skip
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return into / "benchmarks" / Path(__file__).name


def _row(label: str, ms: dict[tuple[bool, bool], float]) -> str:
    def overhead(one_off: bool) -> float:
        return 100 * (ms[one_off, True] / ms[one_off, False] - 1)

    return (
        f"{label:8} {ms[False, False]:14.1f} {ms[False, True]:7.1f} {overhead(False):8.1f}%"
        f" {ms[True, False]:17.1f} {ms[True, True]:7.1f} {overhead(True):8.1f}%"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--langs", default=",".join(LANGS))
    parser.add_argument("--instructions", action="store_true", help="also count instructions (needs valgrind)")
    parser.add_argument("--jobs", type=int, default=1, help="valgrind processes at a time")
    parser.add_argument("--before", metavar="REF", help="with --instructions: also count them for git revision REF")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        lang, tagged, renders = args.child.split(",")
        _child(lang, tagged == "1", int(renders))
        return
    library, cache = Library(), render_cache()
    print("CPU ms of one render (least of the runs): warm = layouts and font subsets kept from the render")
    print("before (a batch); one-off = nothing kept (one `build` command's render)")
    print(f"{'lang':8} {'warm untagged':>14} {'tagged':>7} {'overhead':>9} {'one-off untagged':>17} {'tagged':>7}"
          f" {'overhead':>9} {'KB untagged':>12} {'tagged':>7}")  # fmt: skip
    totals: dict[tuple[bool, bool], float] = {}
    for lang in args.langs.split(","):
        handout = prepare(library, Request("baclofen", lang=lang, level="standard", paper="letter"))
        sizes = {tagged: len(render(handout, cache, tagged=tagged).data) for tagged in (False, True)}  # warm up
        best: dict[tuple[bool, bool], float] = {}
        for _ in range(args.runs):
            for one_off in (False, True):
                for tagged in (False, True):
                    if one_off:
                        cache.clear()
                        cache.engine.forget_subsets()
                    gc.collect()
                    start = time.process_time()  # CPU time: a loaded machine stretches wall time, not this
                    render(handout, cache, tagged=tagged)
                    ms = (time.process_time() - start) * 1000
                    best[one_off, tagged] = min(best.get((one_off, tagged), ms), ms)
        for key, ms in best.items():
            totals[key] = totals.get(key, 0.0) + ms
        print(_row(lang, best) + f" {sizes[False] / 1024:12.1f} {sizes[True] / 1024:7.1f}")
    print(_row("all", totals))
    if args.instructions:
        langs = args.langs.split(",")
        print(f"\ninstructions of one warm render (mean of {RENDERS}), under valgrind")
        if args.before:
            with tempfile.TemporaryDirectory() as tmp:
                print(f"before ({args.before}):")
                overheads(langs, exported(args.before, Path(tmp)), args.jobs)
            print("now:")
        overheads(langs, Path(__file__), args.jobs)


if __name__ == "__main__":
    main()
