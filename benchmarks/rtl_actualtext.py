"""Where /ActualText goes for right-to-left text, measured: what three extractors
(pypdf, pdfium via pypdfium2, poppler's pdftotext) return for the title of the Arabic
handout when its ActualText (logical order, as PDF 32000-1 14.9.4 defines it) is

- "tree": only on the structure tree's Span elements (what the renderer writes), or
- "content": also in the marked-content property list of the page (``/Span <</MCID n
  /ActualText ...>> BDC``), where extractors that honour ActualText read it, or
- "content, visual": in the property list but reversed (visual order), the workaround
  some tools use for extractors that reverse logical ActualText a second time.

Run from the repository root:  python benchmarks/rtl_actualtext.py [--lang ar]
Prints per variant and extractor whether the title comes out as written (logical),
reversed, or otherwise. No pass/fail: the table goes into docs/accessibility.md.
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout: its handouts first

import pikepdf
import pypdfium2 as pdfium
from pypdf import PdfReader

from handouts.build import Request, prepare, render, render_cache
from handouts.content import Library


def with_content_actual_text(data: bytes, reverse: bool) -> bytes:
    """``data`` with each Span's ActualText copied into its BDC property list on page 1."""
    pdf = pikepdf.open(io.BytesIO(data))
    page = pdf.pages[0]
    holders = pdf.Root.StructTreeRoot.ParentTree.Nums[1]  # page 1's MCID -> element
    ops = []
    for op in pikepdf.parse_content_stream(page):
        operands = list(op.operands)
        if str(op.operator) == "BDC" and isinstance(operands[1], pikepdf.Dictionary) and "/MCID" in operands[1]:
            element = holders[int(operands[1].MCID)]
            if "/ActualText" in element:
                text = str(element.ActualText)
                props = pikepdf.Dictionary(operands[1])
                props.ActualText = pikepdf.String(text[::-1] if reverse else text)
                operands[1] = props
        ops.append(pikepdf.ContentStreamInstruction(operands, op.operator))
    page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(ops))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def extracted(data: bytes) -> dict[str, str]:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        poppler = subprocess.run(["pdftotext", "-f", "1", "-l", "1", f.name, "-"], capture_output=True, text=True)
    return {
        "pypdf": PdfReader(io.BytesIO(data)).pages[0].extract_text(),
        "pdfium": pdfium.PdfDocument(data)[0].get_textpage().get_text_range(),
        "pdftotext": poppler.stdout,
    }


def verdict(text: str, title: str) -> str:
    def squeeze(s: str) -> str:
        return "".join(ch for ch in unicodedata.normalize("NFC", s) if not ch.isspace())

    page, want = squeeze(text), squeeze(title)
    if want in page:
        return "logical (as written)"
    if want[::-1] in page:
        return "reversed"
    return "neither (broken or reordered by words)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", default="ar")
    args = parser.parse_args()
    handout = prepare(Library(), Request("baclofen", lang=args.lang))
    data = render(handout, render_cache()).data
    variants = {
        "tree": data,
        "content": with_content_actual_text(data, reverse=False),
        "content, visual": with_content_actual_text(data, reverse=True),
    }
    print(f"title: {handout.title}")
    for name, pdf in variants.items():
        for tool, text in extracted(pdf).items():
            print(f"{name:16} {tool:10} {verdict(text, handout.title)}")


if __name__ == "__main__":
    main()
