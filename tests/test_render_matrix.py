"""The CI render matrix (.ci/render_matrix.py) reports what it is meant to catch."""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path

from reading import render
from reportlab.pdfgen.canvas import Canvas

from handouts.build import Request, prepare
from handouts.pdf import RenderedPdf

SCRIPT = Path(__file__).parents[1] / ".ci" / "render_matrix.py"
spec = importlib.util.spec_from_file_location("render_matrix", SCRIPT)
matrix = importlib.util.module_from_spec(spec)
spec.loader.exec_module(matrix)


def test_a_shipped_handout_has_no_problem(library):
    handout = prepare(library, Request("baclofen", "ar", "easy", paper="a4"))
    assert matrix.problems(render(handout), handout.title, "ar", "a4", "easy") == []


def test_unembedded_font_missing_name_and_text_off_the_page_are_reported():
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=(612, 792))
    canvas.setFont("Helvetica", 12)  # a standard font: reportlab does not embed it
    canvas.drawString(72, 700, "Ibuprofen")
    canvas.drawString(590, 400, "cut off")
    canvas.save()
    found = matrix.problems(RenderedPdf(buf.getvalue(), 1, (0, 0, 612, 792)), "Baclofen", "en", "letter", "standard")
    assert "page 1: font /F1 (/Helvetica) is not embedded" in found
    assert "the medicine's name 'Baclofen' is not in the extracted text" in found
    assert any("outside the margins" in problem for problem in found)
