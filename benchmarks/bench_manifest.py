"""What a batch manifest costs before the first PDF: loading and checking its jobs.

Run from the repository root:  python benchmarks/bench_manifest.py [--quick]
Three manifests, each measured in a fresh process (time of ``load_manifest``, growth of
the peak RSS during it):
- a YAML matrix of 48,000 and of 200,000 jobs (the limit), every output distinct;
- an alias bomb like issue 14's: 676 bytes of YAML whose two matrices name 392,040 jobs,
  which must be refused by counting, before any job is made.
Baseline in the same run: making the same number of ``Job`` objects directly, with no
checks (the least any loader must pay). No pass/fail: the numbers go into docs/batches.md.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_CHILD = """
import json, resource, sys, time
sys.path.insert(0, sys.argv[3])
from handouts.content import Library
from handouts.errors import ContentError
from handouts.manifest import Job, load_manifest
kind, arg = sys.argv[1], sys.argv[2]
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
if kind == "baseline":
    jobs = [Job("baclofen", "en", "easy", f"b{i % 100}", "a4", f"y{i}", f"o{i}.pdf", 2) for i in range(int(arg))]
    done = len(jobs)
else:
    try:
        done = len(load_manifest(arg, Library()))
    except ContentError as exc:
        done = exc.diagnostics[0].message
seconds = time.perf_counter() - started
grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
print(json.dumps({"done": done, "seconds": seconds, "mb": grown}))
"""


def matrix(jobs: int) -> str:
    """One medicine x 20 languages x 1 level x 2 papers x 100 brands x N layouts."""
    layouts = ", ".join(f"y{i}" for i in range(jobs // 4000))
    langs = ", ".join(f"l{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(20))
    brands = ", ".join(f"b{i}" for i in range(100))
    return f"matrix:\n  medicine: [baclofen]\n  lang: [{langs}]\n  level: [easy]\n  paper: all\n" + (
        f"  brand: [{brands}]\n  layout: [{layouts}]\n"
    )


_MEDICINES = ", ".join(["baclofen"] * 11)
_BRANDS = ", ".join(["default"] * 33)
BOMB = f"""matrix:
  - medicine: &m [{_MEDICINES}]
    lang: &l [en, es, ar, ru, vi, zh-Hans, fr, de, it, ja, ko, pt, hi, bn, ur, fa, tr, pl]
    level: all
    brand: &b [{_BRANDS}]
    paper: all
    layout: &y [a, b, c, d, e]
  - {{medicine: *m, lang: *l, level: all, brand: *b, paper: all, layout: *y}}
"""


def run(kind: str, arg: str) -> dict:
    out = subprocess.run([sys.executable, "-c", _CHILD, kind, arg, str(ROOT)], capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(out.stderr)
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="8,000 and 40,000 jobs instead")
    sizes = (8_000, 40_000) if parser.parse_args().quick else (48_000, 200_000)
    with tempfile.TemporaryDirectory() as folder:
        for jobs in sizes:
            path = Path(folder) / f"m{jobs}.yaml"
            path.write_text(matrix(jobs))
            ours, bare = run("manifest", str(path)), run("baseline", str(jobs))
            print(
                f"{jobs:>7,} jobs: load_manifest {ours['seconds']:6.2f} s {ours['mb']:6.0f} MB"
                f"   bare Job objects {bare['seconds']:6.2f} s {bare['mb']:6.0f} MB"
                f"   ratio {ours['seconds'] / bare['seconds']:5.1f}x  ({ours['done']:,} jobs)"
            )
        bomb = Path(folder) / "bomb.yaml"
        bomb.write_text(BOMB)
        ours = run("manifest", str(bomb))
        print(f"alias bomb ({len(BOMB):,} bytes): {ours['seconds']:.2f} s {ours['mb']:.0f} MB: {ours['done']}")


if __name__ == "__main__":
    main()
