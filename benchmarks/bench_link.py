"""What a brand's link (the address and its QR code at the end of the body) costs a render.

Run from the repository root:  python benchmarks/bench_link.py [--lang en] [--level easy] [--runs 30]
Prints, side by side in one run: the same handout rendered without a link (the brand's
link removed) and with it, warm (the render cache keeps paragraphs and the QR matrix,
as in a batch) and one-off (the cache cleared before each render, so the QR code is
encoded each time), median CPU time of N; the encoding alone; and the bytes the code adds.
No pass/fail: the numbers go into docs/performance.md.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout: its handouts first

from handouts.build import Request, prepare, render
from handouts.content import Library
from handouts.pdf import RenderCache
from handouts.qr import encode


def cpu_ms(fn: Callable[[], object]) -> float:
    """CPU time of one call in ms: on a machine shared with other work, wall time moves
    with the load, while the CPU time one render takes hardly does."""
    gc.collect()
    start = time.process_time()
    fn()
    return (time.process_time() - start) * 1000


def in_turn(runs: int, before: Callable[[], object], *fns: Callable[[], object]) -> list[float]:
    """Median CPU ms of each of ``fns``, timed in turn within each run."""
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(runs):
        for fn, kept in zip(fns, times, strict=True):
            before()
            kept.append(cpu_ms(fn))
    return [statistics.median(kept) for kept in times]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", default="en")
    parser.add_argument("--level", default="easy")
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    linked = prepare(Library(), Request(medicine="baclofen", lang=args.lang, level=args.level))
    assert linked.link, "the sample brand has a link"
    plain = replace(linked, link=None)
    cache = RenderCache()
    sizes = {name: len(render(h, cache).data) for name, h in (("no link", plain), ("link", linked))}
    print(f"baclofen {args.lang} {args.level}: {linked.link}")
    print(f"{'':12}{'no link':>10}{'link':>10}{'cost':>10}")
    for label, before in (("warm", lambda: None), ("one-off", cache.clear)):
        base, with_link = in_turn(args.runs, before, lambda: render(plain, cache), lambda: render(linked, cache))
        print(f"{label + ' CPU ms':12}{base:10.1f}{with_link:10.1f}{with_link - base:+10.1f}")
    print(f"{'bytes':12}{sizes['no link']:10}{sizes['link']:10}{sizes['link'] - sizes['no link']:+10}")
    encode(linked.link)  # the first call imports qrcodegen
    (alone,) = in_turn(args.runs, lambda: None, lambda: encode(str(linked.link)))
    print(f"encoding the QR code alone: {alone:.1f} CPU ms")


if __name__ == "__main__":
    main()
