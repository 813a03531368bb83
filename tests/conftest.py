"""Shared helpers: build PDFs through the library and read them back with pypdf, the
way a reader's software would."""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader
from reading import render

from handouts.build import Request, prepare
from handouts.content import Library
from handouts.model import Handout, block_texts

# Tests edit content and patch the pipeline in place: a handout kept from an earlier test
# would hide both. tests/test_prepared.py turns the cache on where it tests it.
os.environ["HANDOUTS_CACHE_DIR"] = "off"

DATA = Path(__file__).parent / "data"
TEST_CONTENT = DATA / "content"
WORD = re.compile(r"\w+", re.UNICODE)


@pytest.fixture(scope="session")
def library() -> Library:
    return Library()


@pytest.fixture(scope="session")
def test_library() -> Library:
    """The built-in library plus tests/data/content (the fictional 'testamine')."""
    return Library.with_content(TEST_CONTENT)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def make_pdf(library: Library, tmp_path: Path, **request) -> tuple[Handout, PdfReader, bytes]:
    """Resolve and render one handout; return the model, a reader on the PDF and its bytes."""
    req = Request(**request)
    handout = prepare(library, req)
    data = render(handout).data
    path = tmp_path / f"{req.medicine}-{req.level}-{req.paper}.pdf"
    path.write_bytes(data)
    return handout, PdfReader(path), data


def pdf_text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def words(text: str) -> Counter:
    return Counter(WORD.findall(text))


def content_words(handout: Handout) -> Counter:
    """Every word a reader must find: title, summary, headings, all block text."""
    texts = [handout.title, handout.summary]
    for section in handout.sections:
        texts.append(section.title)
        texts += [t for block in section.blocks for t in block_texts(block)]
    return words(" ".join(texts))


def text_runs(reader: PdfReader, page_index: int) -> list[tuple[str, float, float, float]]:
    """(text, effective font size, x, y) of every text run drawn on a page."""
    runs: list[tuple[str, float, float, float]] = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            scale = (tm[0] ** 2 + tm[1] ** 2) ** 0.5 * (cm[0] ** 2 + cm[1] ** 2) ** 0.5
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            runs.append((text.strip(), size * scale, x, y))

    reader.pages[page_index].extract_text(visitor_text=visit)
    return runs
