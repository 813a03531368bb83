"""Render every shipped handout and check each PDF as a reader's software would open it.

Run from the repository root (CI runs it after the tests):  python .ci/render_matrix.py

Every medicine x language x level x paper (letter, a4) in the built-in content library,
rendered in this process and checked:

- qpdf (pikepdf) opens it and its check finds nothing: every stream decodes, every
  page's content parses;
- every font on every page is embedded (a FontFile, FontFile2 or FontFile3 stream);
- the extracted text (pdfium) is not empty and contains the medicine's name in the
  handout's language;
- every character lies inside the page margins and no text is drawn over other text
  (tests/reading.py), DRAFT mark included.

Prints each problem, then one line: how many PDFs, how many problems, how long. Exit 1
if there is any problem.
"""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium

# Run from a checkout: the checkout's handouts and the tests' PDF readers come first.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reading import fold, outside_page_margins, overprinted

from handouts.build import Request, prepare, render, render_cache
from handouts.content import Library
from handouts.pdf import RenderedPdf
from handouts.schema import LEVELS
from handouts.scripts import script_for

PAPERS = ("letter", "a4")
FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")


def problems(rendered: RenderedPdf, name: str, lang: str, paper: str, level: str) -> list[str]:
    found = []
    with pikepdf.open(io.BytesIO(rendered.data)) as pdf:
        found += pdf.check_pdf_syntax()
        for number, page in enumerate(pdf.pages, start=1):
            for key, font in page.resources.get("/Font", {}).items():
                if not _embedded(font):
                    found.append(f"page {number}: font {key} ({font.get('/BaseFont')}) is not embedded")
    text = "".join(page.get_textpage().get_text_range() for page in pdfium.PdfDocument(rendered.data))
    rtl = script_for(lang).rtl
    if not text.strip():
        found.append("no text can be extracted")
    elif fold(name, rtl) not in fold(text, rtl):
        found.append(f"the medicine's name {name!r} is not in the extracted text")
    found += [
        f"page {c.page + 1}: {c.text!r} outside the margins" for c in outside_page_margins(rendered.data, paper, level)
    ]
    found += [f"page {page + 1}: text drawn over text at {a}" for page, a, _ in overprinted(rendered.data)]
    return found


def _embedded(font: pikepdf.Dictionary) -> bool:
    if font.get("/Subtype") == "/Type0":
        font = font["/DescendantFonts"][0]
    descriptor = font.get("/FontDescriptor")
    return descriptor is not None and any(key in descriptor for key in FONT_FILES)


def main() -> int:
    start = time.perf_counter()
    library = Library()
    cache = render_cache()
    shipped = sorted((medicine, lang) for medicine, lang, _ in library.medicines())
    count = failures = 0
    for medicine, lang in shipped:
        for level in LEVELS:
            for paper in PAPERS:
                handout = prepare(library, Request(medicine, lang, level, paper=paper))
                found = problems(render(handout, cache), handout.title, lang, paper, level)
                count += 1
                failures += len(found)
                for problem in found:
                    print(f"{medicine}-{lang}-{level}-{paper}: {problem}")
    medicines = len({m for m, _ in shipped})
    print(
        f"render matrix: {count} PDFs ({len(shipped)} medicine-language files of {medicines} medicine(s) "
        f"x {len(LEVELS)} levels x {len(PAPERS)} papers), {failures} problem(s), {time.perf_counter() - start:.1f} s"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
