"""Measure one-handout build speed and output size.

Run from the repository root:  python benchmarks/bench_build.py [--lang zh-Hans] [--runs 20]
Prints: warm in-process timings (median of N) next to bare reportlab building the same
flowables, cold command-line timing (median of 5 fresh processes), and pages / size for
every level and paper. No pass/fail: the numbers go into docs/performance.md and the issue notes.

"Bare reportlab" is what a plain reportlab script costs for the same document: making
the very Paragraphs our renderer makes (from the same markup and styles) and laying
them out, each warning box a plain Table, with a plain BaseDocTemplate with the same body frame, and no
header, footer, draft mark, bookmarks or page count. Ours is everything: resolve (YAML
cached, Jinja, checks) + our markup + the flowables + layout + page chrome + PDF, both
one-off (nothing shared from earlier builds) and again (paragraph layouts and font
subsets kept from the build before, as in a batch).
"""

from __future__ import annotations

import argparse
import gc
import io
import statistics
import subprocess
import sys
import tempfile
import time
from itertools import groupby
from operator import attrgetter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout: its handouts first

from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph, Table

from handouts.build import Request, prepare, render
from handouts.content import Library
from handouts.pdf import RenderCache, chrome, flow, story, styles, writer
from handouts.schema import LEVELS
from handouts.scripts import script_for

ROOT = Path(__file__).resolve().parent.parent

WARM_RUNS = 30


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        gc.collect()  # each run starts from the same heap, in ours and in bare reportlab
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def _paragraphs(flowables):
    """Every Paragraph of a story: the units of its flow."""
    for flowable in flowables:
        for f in (u.flowable for u in flowable.units) if isinstance(flowable, flow.Flow) else [flowable]:
            if isinstance(f, Paragraph):
                yield f


def _plain(flowables, made, width: float):
    """Our story as a plain reportlab script builds it: each of our paragraphs replaced
    by the plain Paragraph made from the same markup (``made``: id of ours -> plain),
    one after the other, and each warning box a plain one-column table of them in its
    colours, split by reportlab. So nothing of ours, and nothing shared between builds,
    is left in the bare build."""
    out = []
    for f in flowables:
        for box, units in groupby(f.units, key=attrgetter("box")):
            cells = [made.get(id(u.flowable), u.flowable) for u in units]
            if box is None:
                out += cells
                continue
            style = f.boxes[box]
            table = Table([[c] for c in cells], colWidths=[width], splitInRow=1, hAlign="LEFT")
            table.setStyle([("BOX", (0, 0), (-1, -1), style.border_width, style.border),
                            ("BACKGROUND", (0, 0), (-1, -1), style.background)])  # fmt: skip
            out.append(table)
    return out


def ours_vs_bare_ms(library: Library, request: Request, runs: int) -> tuple[float, float, float, float]:
    """Medians of (ours one-off, ours again, bare: making the Paragraphs, bare: building
    the story), timed in turn within each run so that load from other processes hits all
    alike. "One-off" starts with nothing shared (a new RenderCache, no font subsets
    kept); "again" follows it with the same cache, as the next handout of a batch that
    prints the same text does."""
    handout = prepare(library, request)
    page_w, page_h = styles.PAPER[handout.paper]
    script = script_for(handout.lang)
    once, again, make, build = [], [], [], []
    for _ in range(runs):
        cache = RenderCache()
        cache.engine.forget_subsets()
        for times in (once, again):
            gc.collect()
            start = time.perf_counter()
            render(prepare(library, request), cache)
            times.append(time.perf_counter() - start)

        w = writer.Writer(script, cache)
        st = styles.make_styles(handout, script, w.register)
        laid = chrome.layout_chrome(handout, st, page_w, page_h, w)
        flowables = story.build_story(handout, st, page_w - 2 * styles.MARGIN, w)
        sources = [(id(p), p.text, p.style, p.bulletText) for p in _paragraphs(flowables)]
        frame = Frame(styles.MARGIN, laid.footer_rule + 14, page_w - 2 * styles.MARGIN,
                      laid.header_rule - laid.footer_rule - 28, leftPadding=0, rightPadding=0, topPadding=0,
                      bottomPadding=0)  # fmt: skip
        doc = BaseDocTemplate(io.BytesIO(), pagesize=(page_w, page_h), pageTemplates=[PageTemplate("p", [frame])],
                              invariant=1)  # fmt: skip
        gc.collect()
        start = time.perf_counter()
        made = {key: Paragraph(text, style, bulletText=bullet) for key, text, style, bullet in sources}
        make.append(time.perf_counter() - start)
        plain = _plain(flowables, made, page_w - 2 * styles.MARGIN)
        cache.engine.forget_subsets()  # bare reportlab makes its own every time
        gc.collect()
        start = time.perf_counter()
        doc.build(plain)
        build.append(time.perf_counter() - start)
    return tuple(statistics.median(t) * 1000 for t in (once, again, make, build))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", default="en")
    parser.add_argument("--runs", type=int, default=WARM_RUNS, help="warm runs per median")
    args = parser.parse_args()
    lang, runs = args.lang, args.runs
    library = Library()
    request = Request("baclofen", lang)
    cache = RenderCache()  # kept by the cold and size runs below, as by one command
    handout = prepare(library, request)  # warms caches: files parsed, fonts registered
    render(handout, cache)
    print(f"warm, in process, baclofen {lang} standard letter (median of {runs}):")
    print(f"  resolve (YAML cached, Jinja, checks)   {median_ms(lambda: prepare(library, request), runs):7.1f} ms")
    once, again, make, build = ours_vs_bare_ms(library, request, runs)
    print(f"  ours, one-off (nothing shared)         {once:7.1f} ms")
    print(f"  ours, again (paragraphs, subsets kept) {again:7.1f} ms")
    print(f"  bare reportlab: make the Paragraphs    {make:7.1f} ms")
    print(f"  bare reportlab: build the story        {build:7.1f} ms")
    bare = make + build
    print(f"  ours one-off / bare reportlab          {once / bare:7.2f}x   (/ build alone: {once / build:.2f}x)")
    print(f"  ours again / bare reportlab            {again / (make + build):7.2f}x")

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
        f"cold 'python generate.py build baclofen --lang {lang}' (median of 5 processes): "
        f"{statistics.median(cold):.2f} s"
    )

    short = render(prepare(Library.with_content(ROOT / "tests/data/content"), Request("testamine")), cache)
    print(f"\na short English handout (the test medicine 'testamine', standard): {short.pages} pages, "
          f"{len(short.data) / 1024:.0f} KB")  # fmt: skip

    print("\nlevel     paper   pages   size")
    for level in LEVELS:
        for paper in ("letter", "a4"):
            pdf = render(prepare(library, Request("baclofen", lang, level=level, paper=paper)), cache)
            print(f"{level:<9} {paper:<7} {pdf.pages:>5} {len(pdf.data) / 1024:>5.0f} KB")


if __name__ == "__main__":
    main()
