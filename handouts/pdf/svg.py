"""The icons' drawings (``icons``) as inline SVG, for the web page (``handouts.html``).

The drawings are not copied: each icon's own drawing function runs against ``_Recorder``,
which takes the canvas calls the drawings make (paths, lines, circles, line widths) and
writes them as SVG paths, so the pill card on paper and on screen shows the same
pictures. It lives here because it needs reportlab (its path object turns arcs into
curves), which stays inside this package; the HTML page imports it only for a patient's
schedule. The SVG is in a unit square, coloured ``currentColor`` (the CSS colour of its
cell), and hidden from screen readers: as in the PDF, where icons are artifacts, the
word beside each icon carries the meaning.
"""

from __future__ import annotations

from functools import cache
from typing import cast

from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.pathobject import PDFPathObject

from .icons import _DRAW, EVEN_ODD, IconName

_ARGS = {"m": 2, "l": 2, "c": 6, "re": 4, "h": 0, "n": 0}  # the path operators PDFPathObject writes


def _number(value: float) -> str:
    """Three decimals of a unit square are a thousandth of the icon: finer than a pixel."""
    return f"{value:.3f}".rstrip("0").rstrip(".") or "0"


def _svg_path(code: str) -> str:
    """A PDF path (``PDFPathObject.getCode()``, y up) as SVG path data (y down)."""
    out: list[str] = []
    numbers: list[float] = []
    for token in code.split():
        if token not in _ARGS:
            numbers.append(float(token))
            continue
        if len(numbers) != _ARGS[token]:
            raise ValueError(f"path operator {token} with {len(numbers)} numbers")
        xs, ys = numbers[0::2], [1 - y for y in numbers[1::2]]
        points = " ".join(f"{_number(x)} {_number(y)}" for x, y in zip(xs, ys, strict=True))
        if token == "re":  # x, y, width, height (y flipped: the rectangle runs upwards)
            x, y, w, h = numbers
            out.append(f"M{_number(x)} {_number(1 - y)}h{_number(w)}v{_number(-h)}h{_number(-w)}Z")
        elif token != "n":
            out.append({"m": "M", "l": "L", "c": "C", "h": "Z"}[token] + points)
        numbers = []
    return "".join(out)


class _Recorder:
    """The part of a reportlab canvas the icon drawings use, writing SVG elements."""

    def __init__(self) -> None:
        self.elements: list[str] = []
        self.line_width = 1.0

    def beginPath(self) -> PDFPathObject:  # noqa: N802 - reportlab's name
        return PDFPathObject()

    def setLineWidth(self, width: float) -> None:  # noqa: N802
        self.line_width = width

    def line(self, x1: float, y1: float, x2: float, y2: float) -> None:
        path = PDFPathObject()
        path.moveTo(x1, y1)
        path.lineTo(x2, y2)
        self.drawPath(path, stroke=1, fill=0)

    def circle(self, x: float, y: float, r: float, stroke: int = 1, fill: int = 0) -> None:
        path = PDFPathObject()
        path.circle(x, y, r)
        self.drawPath(path, stroke=stroke, fill=fill)

    def drawPath(self, path: PDFPathObject, stroke: int = 1, fill: int = 0, fillMode: int | None = None) -> None:  # noqa: N802, N803
        """reportlab fills even-odd unless told otherwise; so does this."""
        data = _svg_path(path.getCode())
        if fill:
            rule = "evenodd" if fillMode in (None, EVEN_ODD) else "nonzero"
            self.elements.append(f'<path d="{data}" fill="currentColor" fill-rule="{rule}"/>')
        if stroke:
            self.elements.append(
                f'<path d="{data}" fill="none" stroke="currentColor" stroke-width="{_number(self.line_width)}" '
                'stroke-linecap="round" stroke-linejoin="round"/>'
            )

    def setFillColor(self, color: object) -> None:  # noqa: N802 - the SVG is currentColor
        pass

    def setStrokeColor(self, color: object) -> None:  # noqa: N802
        pass

    def setLineCap(self, cap: int) -> None:  # noqa: N802 - always round here, as the drawings ask
        pass

    def setLineJoin(self, join: int) -> None:  # noqa: N802
        pass


@cache
def svg(name: IconName) -> str:
    """Icon ``name`` as an inline ``<svg>`` element, hidden from assistive technology."""
    recorder = _Recorder()
    _DRAW[name](cast(Canvas, recorder))  # it draws with the canvas calls _Recorder has
    body = "".join(recorder.elements)
    return f'<svg class="icon" viewBox="0 0 1 1" aria-hidden="true" focusable="false">{body}</svg>'
