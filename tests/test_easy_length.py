"""The easy handout is short enough to be read (issue 16, part 5): at most 4 pages on
Letter and A4 in every shipped language, key points included and no patient plan, with
its body text never under 13 pt (``test_pdf.test_type_sizes``) and its reading-level
targets still met (``test_readability``, ``.ci/run``). Below the limit there is room for
a patient's schedule (about a page) within 5."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest
from reading import render

from handouts import build
from handouts.library import Library
from handouts.pdf import MARGIN, margin
from handouts.pdf.styles import TYPOGRAPHY

REPO = Path(__file__).resolve().parents[1]
LANGS = sorted(p.stem for p in (REPO / "content" / "medicines" / "baclofen").glob("*.yaml"))
LIBRARY = Library.with_content(None)
EASY_PAGES = 4


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("lang", LANGS)
def test_easy_fits_in_four_pages(lang, paper):
    handout = build.prepare(LIBRARY, build.Request("baclofen", lang, "easy", paper=paper))
    assert handout.key_points is not None  # the box counts: it is on page 1
    pdf = pdfium.PdfDocument(render(handout).data)
    assert len(pdf) <= EASY_PAGES, f"{lang} {paper}: {len(pdf)} pages"


def test_every_shipped_language_is_measured():
    assert len(LANGS) == 8


def test_easy_keeps_its_type_and_takes_space_from_the_margins_and_spacing():
    """Layout, not smaller type: easy body text is 13 pt on a line height of at least 1.3,
    in 13 mm margins; the other levels keep the 18 mm margins."""
    easy = TYPOGRAPHY["easy"]
    assert easy.body >= 13 and easy.leading / easy.body >= 1.3
    assert margin("easy") == pytest.approx(13 / 25.4 * 72)
    assert margin("standard") == margin("detailed") == MARGIN
