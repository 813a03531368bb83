"""Warm renders with the shaped runs' operators kept (ink.py) beside the same renders
drawing every run afresh, in turn, in one process.

Run from the repository root:  python benchmarks/bench_ink.py [--rounds 5]

Both sides use one warm RenderCache (layouts, shaped lines and font subsets kept); the
baseline side draws with an empty ``Ink`` for each handout, so every run is drawn
through reportlab's text object again, as before ink.py. Prints the median CPU time per
handout (time.process_time: other processes on a shared machine move it less than wall
time) for the scripts ShapedText draws (ar, hi, zh-Hans, ko) and, as a control, the
ones reportlab's paragraphs draw (en, es, ru, vi).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout: its handouts first

from handouts.build import Request, prepare, render
from handouts.content import Library
from handouts.pdf import RenderCache
from handouts.pdf.ink import Ink
from handouts.schema import LEVELS

GROUPS = {
    "shaped (ar hi zh-Hans ko)": ("ar", "hi", "zh-Hans", "ko"),
    "paragraphs (en es ru vi)": ("en", "es", "ru", "vi"),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    library, cache = Library(), RenderCache()
    handouts = {
        (lang, level): prepare(library, Request("baclofen", lang, level))
        for langs in GROUPS.values()
        for lang in langs
        for level in LEVELS
    }
    for handout in handouts.values():
        render(handout, cache)
    ink = cache.ink  # holds every handout's runs from here on
    times: dict[tuple[str, bool], list[float]] = {}
    for _ in range(args.rounds):
        for (lang, _level), handout in handouts.items():
            for kept in (True, False):  # in turn, so that load from elsewhere hits both alike
                cache.ink = ink if kept else Ink(cache.engine)
                start = time.process_time()
                render(handout, cache)
                times.setdefault((lang, kept), []).append((time.process_time() - start) * 1000)
    print(f"warm render, CPU ms per handout, median over {args.rounds} rounds x {len(LEVELS)} levels:")
    for group, langs in GROUPS.items():
        kept = statistics.median(t for lang in langs for t in times[lang, True])
        fresh = statistics.median(t for lang in langs for t in times[lang, False])
        print(f"  {group:26} every run drawn afresh {fresh:6.1f}   runs kept {kept:6.1f}   ({kept / fresh - 1:+.0%})")


if __name__ == "__main__":
    main()
