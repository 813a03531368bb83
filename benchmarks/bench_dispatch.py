"""How the order renderers take handouts in decides the slowest requests: the service's
own line (handouts/serve/dispatch.py) driven on a simulated clock, at each ``SLACK``.

Run from the repository root:
    python benchmarks/bench_dispatch.py [--requests 20000] [--concurrency 8] [--workers 2]

First, in this process, each handout of bench_serve's mix (baclofen in 8 languages x 3
levels) is timed twice: its in-process one-off build (the denominator of issue 17's
target, as bench_serve.py times it) and a warm renderer's work (prepare of a request asked
before, and render with a warm RenderCache: a served request's service time).

Then the line is run on a simulated clock, with exactly bench_serve's load: ``--concurrency``
clients that each ask for the next handout of the shuffled mix as soon as their last one is
answered, ``--workers`` renderers, each order taking its warm time times a random factor
(log-normal, sigma 0.3: what a shared machine does to one render). ``Costs`` learns the
times as the service does. Each slack is run on the same mix and the same random factors;
slack 0 makes an order due the moment it comes: first come, first served, the baseline.

Printed: latency / one-off time of the same handout, p50 and p95 (issue 17's target: p95
<= 3x), and the longest wait of any order in service times (what a large slack costs the
longest handouts: an order is never starved, but it can wait behind many short ones). A
model, not the service: bench_serve.py measures the real one.
"""

from __future__ import annotations

import argparse
import asyncio
import heapq
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout: its handouts first

from bench_serve import LANGS, Combo, one_off_ms, percentile

from handouts.build import Request, prepare, render
from handouts.content import Library
from handouts.pdf import RenderCache
from handouts.prepared import PreparedInMemory
from handouts.schema import LEVELS
from handouts.serve.dispatch import SLACK, Costs, Line

SLACKS = (0.0, 1.0, 3.0, 5.0, 10.0, 20.0, 40.0)
NOISE = 0.3  # sigma of the log-normal factor on each service time


def warm_ms(library: Library, combos: list[Combo], runs: int = 5) -> dict[Combo, float]:
    """The fastest of ``runs`` warm renders of each handout (the least disturbed by the
    machine's other load)."""
    cache, kept = RenderCache(), PreparedInMemory()
    requests = {combo: Request("baclofen", *combo) for combo in combos}
    for request in requests.values():
        render(prepare(library, request, kept=kept), cache)
    times: dict[Combo, list[float]] = {combo: [] for combo in combos}
    for _ in range(runs):
        for combo, request in requests.items():
            start = time.perf_counter()
            render(prepare(library, request, kept=kept), cache)
            times[combo].append((time.perf_counter() - start) * 1000)
    return {combo: min(ms) for combo, ms in times.items()}


async def simulate(
    slack: float, mix: list[Combo], factors: list[float], warm: dict[Combo, float], concurrency: int, workers: int
) -> tuple[list[tuple[Combo, float]], float]:
    """(handout, latency ms) per order, and the longest wait in its own service times."""
    line: Line[tuple[int, Combo, float], None] = Line(slack)
    costs = Costs()
    events: list[tuple[float, int, int, float]] = []  # (done at, renderer, order number, came at)
    answered: list[tuple[Combo, float]] = []
    numbers = iter(range(len(mix)))
    idle = list(range(workers))
    longest = 0.0

    def ask(now: float) -> None:
        number = next(numbers, None)
        if number is not None:
            line.add((number, mix[number], now), costs.estimate(mix[number]), now)

    for _ in range(concurrency):
        ask(0.0)
    now = 0.0
    while True:
        while idle and len(line):
            (number, combo, came), _ = await line.take()
            seconds = warm[combo] / 1000 * factors[number]
            longest = max(longest, (now - came) / seconds)
            heapq.heappush(events, (now + seconds, idle.pop(), number, came))
        if not events:
            return answered, longest
        now, renderer, number, came = heapq.heappop(events)
        combo = mix[number]
        costs.record(combo, warm[combo] / 1000 * factors[number])
        answered.append((combo, (now - came) * 1000))
        idle.append(renderer)
        ask(now)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    combos = [(lang, level) for lang in LANGS for level in LEVELS]
    library = Library()
    for combo in combos:  # files and fonts loaded once, as bench_serve does
        render(prepare(library, Request("baclofen", *combo)), RenderCache())
    one_off = {combo: min(one_off_ms(library, *combo, runs=1) for _ in range(5)) for combo in combos}
    warm = warm_ms(library, combos)
    print(f"{len(combos)} handouts, in process, fastest of 5, median ms: "
          f"one-off {statistics.median(one_off.values()):.1f} "
          f"({min(one_off.values()):.1f}-{max(one_off.values()):.1f}), warm {statistics.median(warm.values()):.1f} "
          f"({min(warm.values()):.1f}-{max(warm.values()):.1f})")  # fmt: skip

    rng = random.Random(17)
    mix = [combos[i % len(combos)] for i in range(args.requests)]
    rng.shuffle(mix)
    factors = [rng.lognormvariate(0, NOISE) for _ in mix]
    print(f"{args.requests} orders, {args.concurrency} clients, {args.workers} renderers, noise sigma {NOISE}:")
    for slack in SLACKS:
        answered, longest = asyncio.run(simulate(slack, mix, factors, warm, args.concurrency, args.workers))
        ratio = [ms / one_off[combo] for combo, ms in answered]
        name = "first come, first served" if slack == 0 else f"slack {slack:g}"
        name += " (the service's)" if slack == SLACK else ""
        print(f"  {name:28} latency / one-off p50 {percentile(ratio, 0.5):.2f}x, p95 {percentile(ratio, 0.95):.2f}x; "
              f"longest wait {longest:.1f} service times")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
