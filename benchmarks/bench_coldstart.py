"""Cold start: one handout from a fresh process, side by side with a bare reportlab script.

Run from the repository root:  python benchmarks/bench_coldstart.py [--runs 15] [--imports]

Each round starts, in turn, three fresh processes and times each from start to exit:

- ``bare``:  ``python benchmarks/bare_reportlab.py`` (reportlab alone, the same fonts,
  a document of the same size; see that file);
- ``ours``:  ``python generate.py build baclofen -o OUT.pdf`` (the README's first command),
  built before: it draws the handout prepared last time (handouts/prepared.py);
- ``first``: the same command with ``HANDOUTS_CACHE_DIR=off``, as the first build after
  any change to content, brand, fonts or code: everything is loaded, checked and resolved;
- ``floor``: ``python -c pass`` (the interpreter starting and stopping).

Alternating within a round means load from other processes on the machine hits all three
alike. It prints median and minimum of each, and ours / bare. Cold means a fresh process,
with the byte code of every module already compiled (a round before the timed ones writes
it, as any earlier run or ``pip install`` does; PYTHONDONTWRITEBYTECODE is removed from
the children's environment) and the files in the operating system's cache.

``--imports`` also runs ours and bare three times each under ``python -X importtime`` and
prints the import time of each top-level package (its modules' own times, summed, each
module's least of the three). ``--instructions`` also counts the machine instructions of
each command once under valgrind: a measure that does not move with the machine's load.
"""

from __future__ import annotations

import argparse
import collections
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def commands(out: Path) -> dict[str, list[str]]:
    return {
        "bare": [sys.executable, str(ROOT / "benchmarks" / "bare_reportlab.py"), str(out / "bare.pdf")],
        "ours": [sys.executable, str(ROOT / "generate.py"), "build", "baclofen", "-o", str(out / "ours.pdf")],
        "first": [sys.executable, str(ROOT / "generate.py"), "build", "baclofen", "-o", str(out / "first.pdf")],
        "floor": [sys.executable, "-c", "pass"],
    }


def environment(cache: Path) -> dict[str, dict[str, str]]:
    """Each command's environment: the caller's, minus what would make a run slower than
    a user's (no byte-code writing switch, no extra content folder), with the prepared
    handouts kept in ``cache`` (not the user's own), or none kept for ``first``."""
    env = dict(os.environ)
    for name in ("PYTHONDONTWRITEBYTECODE", "HANDOUTS_CONTENT", "PYTHONPROFILEIMPORTTIME"):
        env.pop(name, None)
    env["HANDOUTS_CACHE_DIR"] = str(cache)
    return {"bare": env, "ours": env, "first": {**env, "HANDOUTS_CACHE_DIR": "off"}, "floor": env}


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock and CPU (user + system) seconds of one run. On a busy machine the CPU
    time is the steadier of the two: waiting for a core counts in the first only."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env, cwd=ROOT)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def import_ms(command: list[str], env: dict[str, str], runs: int = 3) -> tuple[float, collections.Counter[str]]:
    """Total import time and each top-level package's share (its modules' own times
    summed), in ms: each module's least time over ``runs`` runs, as load from other
    processes only ever adds."""
    least: dict[str, int] = {}
    for _ in range(runs):
        traced = [command[0], "-X", "importtime", *command[1:]]
        run = subprocess.run(traced, check=True, capture_output=True, env=env, cwd=ROOT, text=True)
        for line in run.stderr.splitlines():
            if line.startswith("import time:") and "self [us]" not in line:
                own, _, name = line.split(":", 1)[1].split("|")
                least[name.strip()] = min(least.get(name.strip(), int(own)), int(own))
    shares: collections.Counter[str] = collections.Counter()
    for name, microseconds in least.items():
        shares[name.split(".")[0]] += microseconds / 1000
    return sum(shares.values()), shares


def instructions(command: list[str], env: dict[str, str]) -> int:
    """Machine instructions the whole process executes (valgrind's cachegrind): unlike
    time, the same on a busy machine as on an idle one."""
    run = subprocess.run(
        ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null", *command],
        check=True, capture_output=True, env=env, cwd=ROOT, text=True,
    )  # fmt: skip
    return int(next(line for line in run.stderr.splitlines() if "I   refs:" in line).split()[-1].replace(",", ""))


LABELS = {
    "bare": "python benchmarks/bare_reportlab.py OUT.pdf",
    "ours": "python generate.py build baclofen -o OUT.pdf",
    "first": "the same, HANDOUTS_CACHE_DIR=off",
    "floor": "python -c pass",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="timed rounds")
    parser.add_argument("--imports", action="store_true", help="also show import time per package")
    parser.add_argument("--instructions", action="store_true", help="also count instructions (needs valgrind)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = environment(Path(tmp) / "cache")
        todo = commands(Path(tmp))
        for name, command in todo.items():  # compiles and caches byte code, fills the file cache
            timed(command, env[name])
        runs: dict[str, list[tuple[float, float]]] = {name: [] for name in todo}
        for _ in range(args.runs):
            for name, command in todo.items():
                runs[name].append(timed(command, env[name]))
        traced = ("ours", "first", "bare") if args.imports else ()
        imports = {name: import_ms(todo[name], env[name]) for name in traced}
        counted = {name: instructions(todo[name], env[name]) for name in (todo if args.instructions else ())}

    print(
        f"cold start, {args.runs} rounds of fresh processes ({os.cpu_count()} CPUs, Python {sys.version.split()[0]}):"
    )
    print(f"  {'':<6} {'wall median':>11} {'min':>7} {'CPU median':>11} {'min':>7}")
    median: dict[str, tuple[float, float]] = {}
    for name, times in runs.items():
        wall, cpu = ([t[i] * 1000 for t in times] for i in (0, 1))
        median[name] = (statistics.median(wall), statistics.median(cpu))
        print(f"  {name:<6} {median[name][0]:>8.0f} ms {min(wall):>4.0f} ms {median[name][1]:>8.0f} ms "
              f"{min(cpu):>4.0f} ms   {LABELS[name]}")  # fmt: skip
    for mine in ("ours", "first"):
        for i, what in enumerate(("wall", "CPU")):
            ours, bare, floor = (median[name][i] for name in (mine, "bare", "floor"))
            print(f"  {mine} / bare ({what}): {ours / bare:.2f}x  (above the interpreter's own start: "
                  f"{(ours - floor) / (bare - floor):.2f}x)")  # fmt: skip
    if counted:
        print("  instructions: " + ", ".join(f"{name} {count / 1e9:.3f} G" for name, count in counted.items()))
        for mine in ("ours", "first"):
            print(f"  {mine} / bare (instructions): {counted[mine] / counted['bare']:.2f}x")
    for name, (total, shares) in imports.items():
        print(f"\nimports of {name}: {total:.0f} ms")
        for package, ms in shares.most_common(12):
            print(f"  {package:<20} {ms:6.1f} ms")


if __name__ == "__main__":
    main()
