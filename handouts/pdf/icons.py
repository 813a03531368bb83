"""Small drawn icons: times of day, a warning sign, a phone, a pharmacy sign.

Patient-education checklists (AHRQ PEMAT-P) ask for visual aids wherever they make it
easier to act; a pill card shows morning, noon, evening and bedtime as pictures. These
are drawn with path operations in the PDF, not placed as images: they stay sharp at any
zoom and on any printer, add a few hundred bytes, and take the colour they are given (a
brand colour, or black for a black and white laser printer).

Every icon is one colour and filled, without a white "cut-out" drawn over it: the
holes (the warning sign's exclamation mark, the pharmacy cross) are even-odd holes, so
an icon reads the same on a tinted warning box as on white paper.

Icons are decoration: the text beside them carries the meaning (``draw_icon`` draws an
artifact on a tagged page, which screen readers skip), so no icon is ever the only way
a reader learns something.

Use ``draw_icon(canvas, name, x, y, size, color)`` on a canvas, ``Icon`` as a
flowable (a table cell, a line of its own), or ``Lead`` for an icon before the first
line of a unit of the body (``story`` and ``flow`` place those).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, get_args

from reportlab.lib.colors import Color
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.pathobject import PDFPathObject
from reportlab.platypus import Flowable

from . import tagging

IconName = Literal["morning", "noon", "evening", "bedtime", "warning", "phone", "pharmacy"]
EVEN_ODD = 0  # reportlab.pdfgen.canvas.FILL_EVEN_ODD, which types-reportlab does not declare
ICONS: tuple[IconName, ...] = get_args(IconName)
TIMES_OF_DAY: tuple[IconName, ...] = ("morning", "noon", "evening", "bedtime")


def draw_icon(canv: Canvas, name: IconName, x: float, y: float, size: float, color: Color) -> None:
    """Draws icon ``name`` inside the square of side ``size`` whose lower left corner is
    (``x``, ``y``). Nothing is drawn outside the square; the canvas state (colours,
    line width, transform) is as before. On a tagged page it is an artifact."""
    with tagging.artifact(canv):  # decoration: the text beside it carries the meaning
        canv.saveState()
        canv.translate(x, y)
        canv.scale(size, size)  # each icon is drawn in a unit square
        canv.setFillColor(color)
        canv.setStrokeColor(color)
        canv.setLineCap(1)  # round
        canv.setLineJoin(1)
        _DRAW[name](canv)
        canv.restoreState()


class Icon(Flowable):
    """An icon as a flowable of ``size`` x ``size`` points (a pill-card cell)."""

    def __init__(self, name: IconName, size: float, color: Color):
        super().__init__()
        self.name, self.size, self.color = name, size, color
        self.width = self.height = size

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        draw_icon(self.canv, self.name, 0, 0, self.size, self.color)


@dataclass(frozen=True)
class Lead:
    """An icon at the start of a unit of text (a heading, a box label, a paragraph),
    in room the text's style leaves for it: ``offset`` points in from the unit's start
    edge (the right edge in a right-to-left language), centred on the first line,
    whose text centre lies ``center`` points below the unit's top."""

    name: IconName
    size: float
    color: Color
    offset: float
    center: float
    rtl: bool

    def draw(self, canv: Canvas, x: float, top: float, width: float) -> None:
        """Draws it for a unit placed at ``x`` with ``width``, its top at ``top``."""
        left = x + width - self.offset - self.size if self.rtl else x + self.offset
        draw_icon(canv, self.name, left, top - self.center - self.size / 2, self.size, self.color)


# The drawings, in a unit square (0, 0) - (1, 1). Strokes keep a margin of half their
# width plus their round caps from the square's edges.


def _polygon(path: PDFPathObject, points: list[tuple[float, float]]) -> None:
    """A closed polygon as a subpath of ``path``."""
    path.moveTo(*points[0])
    for point in points[1:]:
        path.lineTo(*point)
    path.close()


def _rays(canv: Canvas, cx: float, cy: float, angles: tuple[float, ...], inner: float, outer: float) -> None:
    canv.setLineWidth(0.08)
    for degrees in angles:
        a = math.radians(degrees)
        canv.line(
            cx + inner * math.cos(a), cy + inner * math.sin(a), cx + outer * math.cos(a), cy + outer * math.sin(a)
        )


def _sun_on_horizon(canv: Canvas, rays: tuple[float, ...], arrow_up: bool) -> None:
    """Half a sun on the horizon, its rays, and under the horizon an arrow: up for
    sunrise (morning), down for sunset (evening)."""
    horizon = 0.36
    path = canv.beginPath()
    path.arc(0.28, horizon - 0.22, 0.72, horizon + 0.22, 0, 180)
    path.close()
    canv.drawPath(path, stroke=0, fill=1)
    _rays(canv, 0.5, horizon, rays, 0.31, 0.44)
    canv.setLineWidth(0.07)
    canv.line(0.06, horizon, 0.94, horizon)
    tip, base = (0.27, 0.06) if arrow_up else (0.06, 0.27)
    arrow = canv.beginPath()
    _polygon(arrow, [(0.5, tip), (0.36, base), (0.64, base)])
    canv.drawPath(arrow, stroke=0, fill=1)


def _morning(canv: Canvas) -> None:
    _sun_on_horizon(canv, (20, 55, 90, 125, 160), arrow_up=True)


def _evening(canv: Canvas) -> None:
    _sun_on_horizon(canv, (45, 90, 135), arrow_up=False)


def _noon(canv: Canvas) -> None:
    canv.circle(0.5, 0.5, 0.2, stroke=0, fill=1)
    _rays(canv, 0.5, 0.5, tuple(range(0, 360, 45)), 0.3, 0.44)


def _moon(canv: Canvas) -> None:
    """A crescent: the outer circle's arc away from a second circle, back along the
    second circle's arc inside the first, and a small star in its hollow."""
    (cx, cy, big), (ix, iy, small) = (0.44, 0.46, 0.38), (0.62, 0.62, 0.32)
    d = math.hypot(ix - cx, iy - cy)
    # in whole degrees, as reportlab's arcs are typed; close() joins the ends
    toward = round(math.degrees(math.atan2(iy - cy, ix - cx)))
    half_outer = round(math.degrees(math.acos((big**2 + d**2 - small**2) / (2 * big * d))))
    half_inner = round(math.degrees(math.acos((small**2 + d**2 - big**2) / (2 * small * d))))
    path = canv.beginPath()
    path.arc(cx - big, cy - big, cx + big, cy + big, toward + half_outer, 360 - 2 * half_outer)
    path.arcTo(ix - small, iy - small, ix + small, iy + small, toward + 180 + half_inner, -2 * half_inner)
    path.close()
    canv.drawPath(path, stroke=0, fill=1)
    sx, sy, r, w = 0.72, 0.68, 0.1, 0.03  # a four-pointed star: centre, point, waist
    star = canv.beginPath()
    _polygon(
        star,
        [(sx, sy + r), (sx + w, sy + w), (sx + r, sy), (sx + w, sy - w)]
        + [(sx, sy - r), (sx - w, sy - w), (sx - r, sy), (sx - w, sy + w)],
    )
    canv.drawPath(star, stroke=0, fill=1)


def _warning(canv: Canvas) -> None:
    """A triangle with an exclamation mark cut out of it (even-odd)."""
    path = canv.beginPath()
    _polygon(path, [(0.5, 0.95), (0.03, 0.08), (0.97, 0.08)])
    _polygon(path, [(0.445, 0.72), (0.555, 0.72), (0.53, 0.38), (0.47, 0.38)])
    path.circle(0.5, 0.24, 0.06)
    canv.drawPath(path, stroke=0, fill=1, fillMode=EVEN_ODD)


def _phone(canv: Canvas) -> None:
    """A handset: a curved handle between an ear piece (top left) and a mouth piece."""
    handle = canv.beginPath()
    handle.arc(0.25, 0.25, 1.25, 1.25, 180, 90)  # quarter circle about (0.75, 0.75)
    canv.setLineWidth(0.16)
    canv.drawPath(handle, stroke=1, fill=0)
    pads = canv.beginPath()
    pads.roundRect(0.06, 0.68, 0.36, 0.24, 0.08)
    pads.roundRect(0.68, 0.06, 0.24, 0.36, 0.08)
    canv.drawPath(pads, stroke=0, fill=1)


def _pharmacy(canv: Canvas) -> None:
    """A rounded square with a Greek cross cut out of it (even-odd), the sign that
    pharmacies in much of the world hang outside."""
    path = canv.beginPath()
    path.roundRect(0.05, 0.05, 0.9, 0.9, 0.14)
    a, b, lo, hi = 0.38, 0.62, 0.18, 0.82  # arm edges, cross ends
    _polygon(
        path, [(a, lo), (b, lo), (b, a), (hi, a), (hi, b), (b, b), (b, hi), (a, hi), (a, b), (lo, b), (lo, a), (a, a)]
    )
    canv.drawPath(path, stroke=0, fill=1, fillMode=EVEN_ODD)


_DRAW: dict[IconName, Callable[[Canvas], None]] = {
    "morning": _morning,
    "noon": _noon,
    "evening": _evening,
    "bedtime": _moon,
    "warning": _warning,
    "phone": _phone,
    "pharmacy": _pharmacy,
}
