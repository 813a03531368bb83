"""Measure bidi level resolution: python-bidi's Rust engine (what handouts.bidi uses)
beside its legacy pure-Python ``bidi.algorithm`` (what it used before), on the same text.

Run from the repository root:  python benchmarks/bench_bidi.py [--runs 20]
The text is every translated paragraph, item and title of the shipped Arabic baclofen
leaflet, each resolved as a right-to-left paragraph. Prints the median time per pass
over all of them. No pass/fail: the numbers go into docs/scripts-and-fonts.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bidi import algorithm as legacy  # noqa: E402

from handouts import bidi  # noqa: E402
from handouts.loader import load_yaml, texts  # noqa: E402


def legacy_levels(text: str) -> list[int]:
    """The code handouts.bidi ran before (python-bidi's pure-Python UAX #9)."""
    storage = legacy.get_empty_storage()
    storage["base_level"], storage["base_dir"] = 1, "R"
    legacy.get_embedding_levels(text, storage)
    legacy.explicit_embed_and_overrides(storage)
    legacy.resolve_weak_types(storage)
    legacy.resolve_neutral_types(storage, False)
    legacy.resolve_implicit_levels(storage, False)
    return [ch["level"] for ch in storage["chars"]]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs
    source = load_yaml(ROOT / "content" / "medicines" / "baclofen" / "ar.yaml")
    paragraphs = [text for keypath, text in texts(source.data) if keypath[-1] != "src" and text.strip()]
    chars = sum(map(len, paragraphs))
    print(f"{len(paragraphs)} Arabic texts, {chars:,} characters, median of {runs} passes")
    for name, resolve in (("legacy pure-Python", legacy_levels), ("Rust (handouts.bidi)", None)):
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            for text in paragraphs:
                resolve(text) if resolve else bidi.levels(text, True)
            times.append(time.perf_counter() - started)
        print(f"  {name:<22} {statistics.median(times) * 1000:8.1f} ms per pass")


if __name__ == "__main__":
    main()
