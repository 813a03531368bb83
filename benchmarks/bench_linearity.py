"""Layout cost must grow linearly with the text: double the input, about double the time.

Run from the repository root:  python benchmarks/bench_linearity.py [--quick]
Four series, each input doubled twice:
- 1,000, 2,000 and 4,000 bullets in one warning box (English);
- one word of 10,000, 20,000 and 40,000 letters in Arabic, Hindi (a conjunct with its
  vowel sign, repeated) and Chinese (one ideograph, repeated).
Each size is rendered in a fresh process (nothing shared between sizes), after a small
handout in the same script has loaded the fonts; the time is the render alone, the
memory is the growth of the process's peak RSS during it. Printed per series: seconds
and MB per size, and the ratio of each size to the one before (about 2 when the cost
is linear, about 4 when it is quadratic). ``--quick`` halves every size; ``--series
bullets`` or ``--series word`` runs one kind only.
No pass/fail: the numbers go into docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SERIES = {
    "bullets in a box (en)": ("bullets", "en", (1000, 2000, 4000)),
    "one word (ar)": ("word", "ar", (10_000, 20_000, 40_000)),
    "one word (hi)": ("word", "hi", (10_000, 20_000, 40_000)),
    "one word (zh-Hans)": ("word", "zh-Hans", (10_000, 20_000, 40_000)),
}
LETTERS = {"ar": "ب", "hi": "क्षि", "zh-Hans": "药", "en": "a"}
SENTENCE = {
    "en": "Take one tablet with water every morning.",
    "ar": "خذ قرصا واحدا مع الماء كل صباح.",
    "hi": "हर सुबह पानी के साथ एक गोली लें।",
    "zh-Hans": "每天早上用水服用一片药。",
}


def handout(kind: str, lang: str, n: int):
    from handouts.model import Brand, BulletList, Callout, Handout, Paragraph, Section, Span, Strings

    s = SENTENCE[lang]
    if kind == "bullets":
        blocks = (Callout(s, (BulletList(tuple((Span(f"{i} {s}"),) for i in range(n))),)),)
    else:
        unit = LETTERS[lang]
        blocks = (Paragraph((Span(unit * (n // len(unit))),)),)
    return Handout(
        medicine="x",
        title=s[:8],
        summary=s,
        lang=lang,
        level="standard",
        draft=False,
        revised=datetime.date(2026, 1, 2),
        version="abc12345",
        sections=(Section("s", s, blocks),),
        brand=Brand("Clinic", "#1F4E79", "#A4161A"),
        strings=Strings("{page} / {pages}", "{date}", "v{version}", "DRAFT", "draft", "{label} (continued)"),
        paper="letter",
    )


def one(kind: str, lang: str, n: int) -> dict[str, float]:
    """Render one size in this process; seconds and peak-RSS growth in MB."""
    from handouts.build import render, render_cache

    cache = render_cache()
    render(handout(kind, lang, 10), cache)  # loads fonts, shaping and line breaking
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    pages = render(handout(kind, lang, n), cache).pages
    seconds = time.perf_counter() - start
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    return {"seconds": seconds, "mb": grown, "pages": pages}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="half the sizes")
    parser.add_argument("--series", choices=("bullets", "word"), help="only this kind of series")
    parser.add_argument("--one", nargs=3, metavar=("KIND", "LANG", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        kind, lang, n = args.one
        print(json.dumps(one(kind, lang, int(n))))
        return
    print(f"{'series':24} {'size':>7} {'pages':>6} {'seconds':>8} {'ratio':>6} {'MB':>7} {'ratio':>6}")
    for name, (kind, lang, sizes) in SERIES.items():
        if args.series and kind != args.series:
            continue
        last = None
        for n in sizes:
            n = n // 2 if args.quick else n
            out = subprocess.run(
                [sys.executable, __file__, "--one", kind, lang, str(n)], capture_output=True, text=True, check=True
            )
            got = json.loads(out.stdout)
            ratio = f"{got['seconds'] / last['seconds']:6.2f}" if last else " " * 6
            mem = f"{got['mb'] / last['mb']:6.2f}" if last and last["mb"] > 1 else " " * 6
            print(f"{name:24} {n:7,} {got['pages']:6} {got['seconds']:8.2f} {ratio} {got['mb']:7.0f} {mem}", flush=True)
            last = got


if __name__ == "__main__":
    main()
