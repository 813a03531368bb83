"""Measure batch throughput, scaling and peak memory.

Run from the repository root:  python benchmarks/bench_batch.py [--jobs 1000] [--big 10000]
Makes a temporary pharmacy content folder (one brand per store, each with its own colour
and phone number) and a CSV manifest of English baclofen handouts (3 levels x 2 papers
per store), then runs `generate.py batch` as a real user would:
- throughput with --jobs 1 (in process) and --jobs 2 (process pool), all PDFs built;
- the same number of jobs with each store in every language baclofen ships in;
- a rerun with nothing changed (every job up to date);
- peak memory of the whole process tree (the batch and its workers, sampled every 50 ms)
  for the small and the big manifest.
No pass/fail: the numbers go into docs/performance.md and the issue notes.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil  # comes with the 'cluster' extra (dask.distributed uses it)

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout: its handouts first

from handouts.content import Library

ROOT = Path(__file__).resolve().parent.parent

LEVELS = ("easy", "standard", "detailed")
PAPERS = ("letter", "a4")


def make_content(folder: Path, stores: int) -> Path:
    content = folder / "content"
    default = ROOT / "content/brands/default"
    for i in range(stores):
        brand = content / "brands" / f"store-{i:04d}"
        shutil.copytree(default, brand)
        text = (brand / "brand.yaml").read_text()
        text = text.replace("Sample Community Clinic", f"Sample Pharmacy #{i}").replace("555-0100", f"555-{i:04d}")
        text = text.replace('"#1F4E79"', f'"#1F{i % 64 + 16:02X}79"')
        (brand / "brand.yaml").write_text(text)
    return content


def make_manifest(folder: Path, jobs: int, stores: int, langs: tuple[str, ...] = ("en",)) -> Path:
    """Store after store, each with every language x level x paper, until ``jobs`` rows."""
    rows = ["medicine,lang,level,brand,paper,output"]
    variants = [(lang, level, paper) for lang in langs for level in LEVELS for paper in PAPERS]
    for i in range(jobs):
        store, combo = divmod(i, len(variants))
        lang, level, paper = variants[combo]
        brand = f"store-{store % stores:04d}"
        rows.append(f"baclofen,{lang},{level},{brand},{paper},{brand}/{i:05d}-baclofen-{lang}-{level}-{paper}.pdf")
    path = folder / f"manifest-{jobs}-{len(langs)}.csv"
    path.write_text("\n".join(rows) + "\n")
    return path


def run(content: Path, manifest: Path, out: Path, workers: int, *extra: str) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of the batch process tree."""
    command = [sys.executable, str(ROOT / "generate.py"), "--content", str(content), "batch", str(manifest),
               "--out", str(out), "-j", str(workers), "-q", *extra]  # fmt: skip
    started = time.perf_counter()
    process = psutil.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak = 0
    while process.poll() is None:
        try:
            tree = [process, *process.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree))
        except psutil.Error:
            pass
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    output = process.stdout.read().decode() + process.stderr.read().decode()
    if process.returncode != 0:
        sys.exit(f"batch failed ({process.returncode}):\n{output}")
    print(f"    {output.strip()}")
    return seconds, peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=1000, help="size of the throughput batch")
    parser.add_argument("--big", type=int, default=10000, help="size of the memory comparison batch (0: skip)")
    parser.add_argument("--stores", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        content = make_content(folder, args.stores)
        small = make_manifest(folder, args.jobs, args.stores)
        results = {}
        for workers in (1, 2):
            print(f"{args.jobs} jobs, --jobs {workers}:")
            results[workers] = run(content, small, folder / f"out-{workers}", workers, "--force")
        langs = tuple(sorted(lang for medicine, lang, _ in Library().medicines() if medicine == "baclofen"))
        print(f"{args.jobs} jobs in all {len(langs)} languages, --jobs 2:")
        every = run(content, make_manifest(folder, args.jobs, args.stores, langs), folder / "out-langs", 2, "--force")
        print("rerun, nothing changed, --jobs 2:")
        up_to_date, _ = run(content, small, folder / "out-2", 2)
        big = None
        if args.big:
            print(f"{args.big} jobs, --jobs 2:")
            big = run(content, make_manifest(folder, args.big, args.stores), folder / "out-big", 2, "--force")

    print(f"\nbatch of {args.jobs} English baclofen handouts ({args.stores} store brands, 3 levels x 2 papers)")
    print("workers  seconds  handouts/s  speed-up  peak RSS (tree)")
    for workers, (seconds, peak) in results.items():
        speed_up = results[1][0] / seconds
        print(f"{workers:>7} {seconds:>8.1f} {args.jobs / seconds:>11.1f} {speed_up:>9.2f}x {peak:>9.0f} MB")
    print(f"the same with every store in all {len(langs)} languages ({', '.join(langs)}), --jobs 2: "
          f"{every[0]:.1f} s, {args.jobs / every[0]:.1f} handouts/s")  # fmt: skip
    print(f"rerun with every PDF up to date: {up_to_date:.1f} s ({args.jobs / up_to_date:.0f} jobs/s)")
    if big:
        growth = 100 * (big[1] / results[2][1] - 1)
        print(f"peak RSS, {args.jobs} vs {args.big} jobs (--jobs 2): {results[2][1]:.0f} MB vs {big[1]:.0f} MB "
              f"({growth:+.1f}%); {args.big} jobs at {args.big / big[0]:.1f} handouts/s")  # fmt: skip


if __name__ == "__main__":
    main()
