"""Load on ``handouts serve``, beside what the same handouts cost in process and in a batch.

Run from the repository root:  python benchmarks/bench_serve.py [--requests 1000] [--concurrency 8] [--workers 2]

``handouts serve --workers 2`` is started once on 127.0.0.1 and kept running; then, in
``--rounds`` rounds (so that load from other processes on a shared machine hits every
measure alike), each round times in turn:
1. the in-process one-off build of each handout of the mix (baclofen in its 8 languages
   x 3 levels): a warm library, a new RenderCache with no font subsets kept
   (bench_build.py's "one-off");
2. its share of ``--requests`` POST /api/v1/handouts from ``--concurrency`` httpx async
   clients, the mix in a fixed shuffled order: errors, latency, throughput;
3. ``batch --jobs 2`` of the same share of handouts, its built/s.
Each renderer's memory (RSS) is read after 100 requests and at the end.

Prints the targets of issue 17 beside the measured values: p95 latency <= 3x the one-off
time of the same handout (in the same round), throughput within 25 % of ``batch --jobs 2``,
memory per renderer within 10 % after all requests of after 100. Exit 1 when any request
failed or memory grew past that (the timings are printed, not enforced: a shared machine
moves them).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout: its handouts first

from handouts.build import Request, prepare, render
from handouts.content import Library
from handouts.pdf import RenderCache
from handouts.schema import LEVELS

ROOT = Path(__file__).resolve().parent.parent
LANGS = ("en", "es", "ru", "vi", "zh-Hans", "ko", "ar", "hi")
MEMORY_AT = 100


def one_off_ms(library: Library, lang: str, level: str, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        cache = RenderCache()
        cache.engine.forget_subsets()
        gc.collect()
        start = time.perf_counter()
        render(prepare(library, Request("baclofen", lang, level)), cache)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def renderer_rss(server: subprocess.Popen[bytes]) -> list[float]:
    """MB resident of each renderer process (multiprocessing's spawned children)."""
    children = psutil.Process(server.pid).children(recursive=True)
    return [p.memory_info().rss / 2**20 for p in children if "spawn_main" in " ".join(p.cmdline())]


async def load(
    url: str,
    mix: list[tuple[str, str]],
    concurrency: int,
    server: subprocess.Popen[bytes],
    done: int,
    early: list[float],
) -> tuple[list[tuple[str, str, float, str]], float]:
    """(lang, level, latency ms, error text) per request, and the wall seconds; ``early``
    gets the renderers' RSS when the MEMORY_AT-th request of the whole run (``done`` before
    this call) is answered."""
    results: list[tuple[str, str, float, str]] = []
    todo = iter(mix)

    async def client() -> None:
        async with httpx.AsyncClient(base_url=url, timeout=120) as http:
            for lang, level in todo:
                start = time.perf_counter()
                error = ""
                try:
                    body = {"medicine": "baclofen", "lang": lang, "level": level}
                    answer = await http.post("/api/v1/handouts", json=body)
                    if answer.status_code != 200 or not answer.content.rstrip().endswith(b"%%EOF"):
                        error = f"{answer.status_code} {answer.text[:200]}"
                except httpx.HTTPError as exc:
                    error = repr(exc)
                results.append((lang, level, (time.perf_counter() - start) * 1000, error))
                if done + len(results) == MEMORY_AT:
                    early.extend(renderer_rss(server))

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    return results, time.perf_counter() - started


def batch_rate(mix: list[tuple[str, str]]) -> float:
    """built/s of ``batch --jobs 2`` over the same handouts, as the batch reports it."""
    with tempfile.TemporaryDirectory() as tmp:
        manifest = Path(tmp) / "mix.csv"
        rows = [f"baclofen,{lang},{level},{i}.pdf" for i, (lang, level) in enumerate(mix)]
        manifest.write_text("medicine,lang,level,output\n" + "\n".join(rows) + "\n")
        done = subprocess.run(
            [sys.executable, "generate.py", "batch", str(manifest), "--out", str(Path(tmp) / "out"), "-j", "2", "-q"],
            cwd=ROOT, capture_output=True, text=True, check=True,
        )  # fmt: skip
    found = re.search(r"\(([\d.]+) built/s\)", done.stdout)
    assert found, done.stdout
    return float(found.group(1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()

    combos = [(lang, level) for lang in LANGS for level in LEVELS]
    mix = [combos[i % len(combos)] for i in range(args.requests)]
    random.Random(17).shuffle(mix)
    shares = [mix[i :: args.rounds] for i in range(args.rounds)]

    library = Library()
    for lang, level in combos:  # files and fonts loaded once: one-off means nothing shared in the renderer
        render(prepare(library, Request("baclofen", lang, level)), RenderCache())

    port = free_port()
    command = [sys.executable, "-m", "handouts", "serve", "--port", str(port), "--workers", str(args.workers)]
    server = subprocess.Popen([*command, "--rate", "0"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    one_off: list[float] = []
    results: list[tuple[str, str, float, str]] = []
    ratios: list[float] = []
    early: list[float] = []
    served_s = batch_s = 0.0
    try:
        for _ in range(600):
            try:
                if httpx.get(url + "/api/v1/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        for share in shares:
            this_round = {combo: one_off_ms(library, *combo, runs=1) for combo in combos}
            one_off += this_round.values()
            answered, seconds = asyncio.run(load(url, share, args.concurrency, server, len(results), early))
            results += answered
            ratios += [ms / this_round[lang, level] for lang, level, ms, _ in answered]
            served_s += seconds
            batch_s += len(share) / batch_rate(share)
        late = renderer_rss(server)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(60)

    errors = [r for r in results if r[3]]
    latencies = [r[2] for r in results]
    rate, batch = len(results) / served_s, len(results) / batch_s
    print(f"{args.rounds} rounds; in-process one-off build of the {len(combos)} handouts, each round: "
          f"median {statistics.median(one_off):.1f} ms, min {min(one_off):.1f}, max {max(one_off):.1f}")  # fmt: skip
    print(f"served: {len(results)} requests at concurrency {args.concurrency}, {args.workers} renderers: "
          f"{len(errors)} errors, {served_s:.1f} s, {rate:.1f} handouts/s")  # fmt: skip
    print(f"latency: p50 {percentile(latencies, 0.5):.0f} ms, p95 {percentile(latencies, 0.95):.0f} ms; "
          f"latency / one-off of the same handout in the same round: p50 {percentile(ratios, 0.5):.2f}x, "
          f"p95 {percentile(ratios, 0.95):.2f}x (target p95 <= 3x)")  # fmt: skip
    print(f"batch --jobs 2 of the same {len(results)} handouts: {batch:.1f} built/s; "
          f"served / batch {rate / batch:.2f} (target >= 0.75)")  # fmt: skip
    growth = [b / a - 1 for a, b in zip(early, late, strict=False)]
    memory = ", ".join(f"{a:.0f} -> {b:.0f} MB ({g:+.1%})" for a, b, g in zip(early, late, growth, strict=False))
    print(f"renderer memory (RSS) after {MEMORY_AT} and {len(results)} requests: {memory} (target growth <= 10 %)")
    for lang, level, _, error in errors[:5]:
        print(f"  error: {lang} {level}: {error}")
    return 1 if errors or not early or any(g > 0.10 for g in growth) else 0


if __name__ == "__main__":
    sys.exit(main())
