"""Every shipped medicine x language x level, built and read back: nothing lost.

Characters are compared as a multiset after NFKC normalisation, with whitespace removed:
right-to-left text comes out of a PDF in visual order and shaped Arabic may extract as
presentation forms (NFKC folds them back to the letters), so order is checked elsewhere
(test_scripts.py, by glyph positions); here the question is only "is every character
the author wrote printed?".
"""

from __future__ import annotations

import unicodedata
from collections import Counter

import pytest
from pypdf import PdfReader
from reading import render

from handouts.build import Request, prepare
from handouts.content import Library
from handouts.model import block_texts
from handouts.schema import LEVELS

SHIPPED = sorted({(medicine, lang) for medicine, lang, _ in Library().medicines()})


def _chars(text: str) -> Counter[str]:
    return Counter(ch for ch in unicodedata.normalize("NFKC", text) if not ch.isspace())


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("medicine, lang", SHIPPED, ids=[f"{m}-{lang}" for m, lang in SHIPPED])
def test_every_character_is_printed(library, tmp_path, medicine, lang, level):
    handout = prepare(library, Request(medicine, lang, level))
    texts = [handout.title, handout.summary]
    for section in handout.sections:
        texts.append(section.title)
        texts += [t for block in section.blocks for t in block_texts(block)]
    pdf = tmp_path / "out.pdf"
    pdf.write_bytes(render(handout).data)
    reader = PdfReader(pdf)
    printed = _chars("".join(page.extract_text() for page in reader.pages))
    missing = _chars(" ".join(texts)) - printed
    assert not missing, f"{lang} {level}: not in the PDF: {dict(missing)}"
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/FontDescriptor"] if "/FontDescriptor" in font else None
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert descriptor is not None and "/FontFile2" in descriptor, f"{font['/BaseFont']} is not embedded"
            fonts.add(str(font["/BaseFont"]))
    assert fonts


@pytest.mark.parametrize("medicine, lang", SHIPPED)
def test_no_heading_repeats_the_label_of_its_warning_box(medicine, lang):
    """At the standard level "Do not stop suddenly" was printed twice, as the section
    heading and as the label of the box right under it: the box label is the warning
    word, the heading says what the section is about."""
    from handouts.model import Callout

    library = Library()
    for level in LEVELS:
        handout = prepare(library, Request(medicine, lang, level))
        for section in handout.sections:
            labels = [b.label for b in section.blocks if isinstance(b, Callout)]
            assert section.title.casefold() not in [label.casefold() for label in labels], (level, section.id)
