"""Measure one-handout build speed and output size.

Run from the repository root:  python benchmarks/bench_build.py [--lang zh-Hans] [--runs 20]
Prints: warm in-process timings (median of N), cold command-line timing (median of 5
fresh processes), and pages / size for every level and paper. No pass/fail: the
numbers go into README.md and the issue notes.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from handouts.build import Request, prepare  # noqa: E402
from handouts.content import Library  # noqa: E402
from handouts.render_pdf import render  # noqa: E402
from handouts.schema import LEVELS  # noqa: E402

WARM_RUNS = 30


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", default="en")
    parser.add_argument("--runs", type=int, default=WARM_RUNS, help="warm runs per median")
    args = parser.parse_args()
    lang, runs = args.lang, args.runs
    library = Library()
    request = Request("baclofen", lang)
    handout = prepare(library, request)  # warms caches: files parsed, fonts registered
    render(handout)
    print(f"warm, in process, baclofen {lang} standard letter (median of {runs}):")
    print(f"  resolve (YAML cached, Jinja, checks) {median_ms(lambda: prepare(library, request), runs):7.1f} ms")
    print(f"  render (layout + PDF)                {median_ms(lambda: render(handout), runs):7.1f} ms")
    both = median_ms(lambda: render(prepare(library, request)), runs)
    print(f"  both                                 {both:7.1f} ms")

    with tempfile.TemporaryDirectory() as tmp:
        cold = []
        for i in range(5):
            start = time.perf_counter()
            subprocess.run(
                [
                    sys.executable,
                    str(ROOT / "generate.py"),
                    "build",
                    "baclofen",
                    "--lang",
                    lang,
                    "-o",
                    f"{tmp}/{i}.pdf",
                ],
                check=True,
                capture_output=True,
            )
            cold.append(time.perf_counter() - start)
    print(
        f"cold 'python generate.py build baclofen --lang {lang}' (median of 5 processes): {statistics.median(cold):.2f} s"
    )

    print("\nlevel     paper   pages   size")
    for level in LEVELS:
        for paper in ("letter", "a4"):
            pdf = render(prepare(library, Request("baclofen", lang, level=level, paper=paper)))
            print(f"{level:<9} {paper:<7} {pdf.pages:>5} {len(pdf.data) / 1024:>5.0f} KB")


if __name__ == "__main__":
    main()
