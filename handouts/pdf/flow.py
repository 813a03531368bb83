"""The body of a handout as one flow of blocks, broken into pages by the rules of a
clean page. Internal to the PDF renderer, not public API.

Why not reportlab's own page breaking: it knows a flowable's height and whether it
may split, not what it is. ``keepWithNext`` keeps a heading with the whole of what
follows, so a warning box that did not fit took its heading to the next page and left
the page half empty; a box drawn as a Table was split by re-laying out every row after
the break on every page (5,000 bullets in a box: 116 s); and nothing kept a lead-in
line with its list or a list's last line from standing alone at the top of a page.

Here the body is a list of ``Unit``\\ s (title, summary, heading, subhead, paragraph,
list item, box label, figure), each a laid-out reportlab flowable that knows its kind, its box
and its list. A page takes units from the top until one does not fit, collecting the
places it may end (``_Candidate``): between two units, or between two lines of a
paragraph or item. The rules decide which places are allowed (``_allowed``) and which
allowed place is best (``_choose``):

- a heading, subhead or box label never ends a page; a lead-in ending in a colon
  stays with the first item of its list;
- a paragraph, a list and a box split across pages keep ``MIN_LINES`` lines of text
  on each side of the break (counted in lines as laid out, so a CJK line is a line);
- a box that does not fit splits, preferably between two of its blocks, and its later
  part starts with the "(continued)" head; unless moving it whole (with its heading)
  leaves the page at most ``MOVE_EMPTY`` empty, then it moves.

When no place is allowed (a heading taller than a page), the fullest place that fits
is taken: breaking a rule beats losing text. Each page looks only at the units it
holds, so the cost is linear in the length of the handout. A box is drawn as a
background and a border behind its units on each page, not as a table, so paragraphs
in a box are spaced like paragraphs outside it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, PageBreak
from reportlab.platypus.doctemplate import LayoutError

from . import tagging
from .icons import Lead

# a "figure" (a table of a patient's schedule) counts as one line: a page never ends inside it
Kind = Literal["title", "summary", "heading", "subhead", "para", "item", "label", "figure"]
KEEP_WITH_NEXT: frozenset[str] = frozenset({"title", "heading", "subhead", "label"})
# split only when taller than a page (a figure, the QR code and its address or a schedule table, never is)
WHOLE: frozenset[str] = frozenset({"title", "heading", "subhead", "label", "figure"})
MIN_LINES = 2  # lines of a paragraph, list or box on each side of a page break
# A page whose content ends higher than this share of its body, left empty to move a
# box whole, is too empty; a little under the 30% of the rule, since the rule is read
# from the lowest glyph and this from the foot of the last line box.
MOVE_EMPTY = 0.28
# A box splits between two of its blocks rather than inside a paragraph when that
# leaves no more than this share of the page empty.
BOUNDARY_EMPTY = 0.12


@dataclass
class Unit:
    """One block of the body as laid out: a reportlab flowable and what it is."""

    flowable: Flowable
    kind: Kind
    box: int | None = None  # index in the boxes, for units inside a warning box
    group: int | None = None  # list items of one list share it
    lead_in: bool = False  # a paragraph ending in a colon, followed by its list
    outline: tuple[str, str] | None = None  # (key, title) of the bookmark at a heading
    icon: Lead | None = None  # drawn before its first line, in room its style leaves
    element: tagging.Element | None = None  # its element in the structure tree (every part of it)
    # set by ``Flow`` when it lays the units out:
    height: float = 0.0
    lines: int = 1
    leading: float = 0.0


@dataclass(frozen=True)
class Box:
    """A warning box: its colours, its paddings, and the head of its later parts."""

    background: colors.Color
    border: colors.Color
    continued: Flowable  # "Label (continued)", laid out at the box's inner width
    space: float  # above and below the box
    pad: float = 8.0
    border_width: float = 2.5
    label_gap: float = 4.0  # between the label (or head) and the first block

    @property
    def left(self) -> float:
        return self.pad + 2

    def inner(self, width: float) -> float:
        return width - self.left - self.pad

    @property
    def top(self) -> float:
        return self.pad

    @property
    def bottom(self) -> float:
        return self.pad * 0.75


@dataclass
class _Placed:
    """A unit, or the part of it, drawn on a page: its flowable, its x and the y of its
    top below the top of the page's body."""

    flowable: Flowable
    x: float
    top: float
    height: float
    outline: tuple[str, str] | None = None
    icon: Lead | None = None
    width: float = 0.0
    element: tagging.Element | None = None  # None: drawn as an artifact (a "(continued)" head)


@dataclass
class _Candidate:
    """A place a page may end: before unit ``index`` (``lines`` 0) or after ``lines``
    lines of it. ``used``: the height the page's content takes then."""

    index: int
    lines: int
    used: float
    allowed: bool


@dataclass
class _State:
    """Where the flow stands: the first unit still to place and, when a page broke
    inside it, the flowable of its remaining lines."""

    index: int = 0
    rest: Flowable | None = None
    rest_lines: int = 0


@dataclass
class _Layout:
    """What every part of one flow shares: the units, the boxes, and per unit the sums
    the rules look up, so that judging a place costs the same wherever it is."""

    units: list[Unit]
    boxes: list[Box]
    width: float
    lines_before: list[int] = field(default_factory=list)  # lines of units[:i]
    group_start: list[int] = field(default_factory=list)  # first unit of its list (or itself)
    group_end: list[int] = field(default_factory=list)  # the unit after its list (or after itself)
    box_start: list[int] = field(default_factory=list)  # its box's label (or itself)
    box_end: list[int] = field(default_factory=list)  # the unit after its box (or after itself)
    box_height: dict[int, float] = field(default_factory=dict)  # a whole box on a page of its own


@dataclass
class _Page:
    """One page of the flow as ``_fill`` laid it out: its units (or parts of them), the
    box backgrounds behind them (box, top, bottom), its height, and where the next
    page starts."""

    placed: list[_Placed]
    backgrounds: list[tuple[int, float, float]]
    used: float
    after: _State


class Flow(Flowable):
    """The whole body; ``split`` gives one page and the flow of the rest."""

    def __init__(self, units: list[Unit], boxes: list[Box], state: _State | None = None, layout: _Layout | None = None):
        super().__init__()
        self.units, self.boxes = units, boxes  # shared by every part of the flow: not copied per page
        self._layout = layout
        self._state = state or _State()
        self._page: _Page | None = None
        self._avail = -1.0

    def _laid_out(self, availWidth: float, availHeight: float) -> tuple[_Layout, _Page]:
        """The units laid out (once per flow) and this page filled (once per height)."""
        if self._layout is None:
            self._layout = _measure(self.units, self.boxes, availWidth)
        if self._page is None or availHeight != self._avail:
            self._page, self._avail = _fill(self._layout, self._state, availHeight), availHeight
        return self._layout, self._page

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        layout, page = self._laid_out(availWidth, availHeight)
        self.width = availWidth
        done = page.after.index >= len(layout.units)
        self.height = page.used if done else availHeight + 1  # more than the frame holds: "split me"
        return availWidth, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        layout, page = self._laid_out(availWidth, availHeight)
        if page.after.index >= len(layout.units):
            return [_Part(page, layout)]
        return [_Part(page, layout), PageBreak(), Flow(layout.units, layout.boxes, page.after, layout)]

    def draw(self) -> None:
        layout, page = self._laid_out(self.width, self._avail)
        _Part(page, layout).drawOn(self.canv, 0, 0)


class _Part(Flowable):
    """One page of the flow: box backgrounds first, then the units, top to bottom."""

    def __init__(self, page: _Page, layout: _Layout):
        super().__init__()
        self.page, self.layout = page, layout
        self.height = page.used

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        return availWidth, self.height

    def draw(self) -> None:
        canv = self.canv
        for number, top, bottom in self.page.backgrounds:
            box = self.layout.boxes[number]
            with tagging.artifact(canv):  # the box is a Sect in the tree; its paint is layout
                canv.saveState()
                canv.setFillColor(box.background)
                canv.setStrokeColor(box.border)
                canv.setLineWidth(box.border_width)
                canv.rect(0, self.height - bottom, self.layout.width, bottom - top, fill=1, stroke=1)
                canv.restoreState()
        tagger = tagging.of(canv)
        for p in self.page.placed:
            if tagger is None:
                p.flowable.drawOn(canv, p.x, self.height - p.top - p.height)
            else:
                tagger.place(canv, p.flowable, p.x, self.height - p.top - p.height, p.element)
            if p.icon:
                p.icon.draw(canv, p.x, self.height - p.top, p.width)
            if p.outline:
                key, title = p.outline
                canv.bookmarkHorizontal(key, 0, self.height - p.top)
                canv.addOutlineEntry(title, key, level=0)
                canv.showOutline()


def _measure(units: list[Unit], boxes: list[Box], width: float) -> _Layout:
    """Lays every unit out once at its width (the box's inner width in a box) and works
    out the sums the rules need, so a page never looks past its own units."""
    layout = _Layout(units, boxes, width)
    total = 0
    for unit in units:
        w = width if unit.box is None else boxes[unit.box].inner(width)
        _, unit.height = unit.flowable.wrap(w, 1e9)
        unit.leading = unit.height if unit.kind == "figure" else _leading(unit.flowable)
        unit.lines = max(1, round(unit.height / unit.leading))
        layout.lines_before.append(total)
        total += unit.lines
    layout.lines_before.append(total)
    layout.group_start, layout.group_end = _runs(units, lambda u: u.group)
    layout.box_start, layout.box_end = _runs(units, lambda u: u.box)
    for i, u in enumerate(units):
        if u.box is not None and layout.box_start[i] == i:
            layout.box_height[u.box] = _height(layout, i, layout.box_end[i])
    return layout


def _leading(flowable: Flowable) -> float:
    """Line height of a unit: a reportlab Paragraph or a ShapedText, both with a style."""
    style: ParagraphStyle = vars(flowable)["style"]
    return style.leading


def _runs(units: list[Unit], key: Callable[[Unit], int | None]) -> tuple[list[int], list[int]]:
    """Per unit, the first unit and the unit after the run of units sharing its key
    (a list, a box); a unit without one is a run of its own."""
    starts, ends = list(range(len(units))), [i + 1 for i in range(len(units))]
    for i in range(1, len(units)):
        if key(units[i]) is not None and key(units[i]) == key(units[i - 1]):
            starts[i] = starts[i - 1]
    for i in range(len(units) - 2, -1, -1):
        if key(units[i]) is not None and key(units[i]) == key(units[i + 1]):
            ends[i] = ends[i + 1]
    return starts, ends


def _gap(prev: Unit | None, unit: Unit, boxes: list[Box]) -> float:
    """Space between the foot of ``prev`` and the top of ``unit`` on one page, the
    paddings of a box included; at the top of a page (no ``prev``), a box's top padding."""
    if prev is None:
        return boxes[unit.box].top if unit.box is not None else 0.0
    after, before = prev.flowable.getSpaceAfter(), unit.flowable.getSpaceBefore()
    if prev.box == unit.box:
        return boxes[unit.box].label_gap if unit.box is not None and prev.kind == "label" else max(after, before)
    gap = 0.0
    if prev.box is not None:  # leaving a box
        gap, after = boxes[prev.box].bottom, boxes[prev.box].space
    if unit.box is not None:  # entering one
        return gap + max(after, boxes[unit.box].space) + boxes[unit.box].top
    return gap + max(after, before)


def _closing(unit: Unit | None, boxes: list[Box]) -> float:
    """What a page ending after ``unit`` adds below it: the foot of its box."""
    return boxes[unit.box].bottom if unit is not None and unit.box is not None else 0.0


def _height(layout: _Layout, start: int, end: int) -> float:
    """Height of units[start:end] on a page of their own (a whole box, say)."""
    used, prev = 0.0, None
    for unit in layout.units[start:end]:
        used += _gap(prev, unit, layout.boxes) + unit.height
        prev = unit
    return used + _closing(prev, layout.boxes)


@dataclass
class _Scan:
    """A page being filled: where each unit it reached starts, and where it may end."""

    state: _State
    head: float  # a continued box's top padding, "(continued)" head and gap; else 0
    tops: list[float] = field(default_factory=list)  # per unit from state.index
    candidates: list[_Candidate] = field(default_factory=list)


def _fill(layout: _Layout, state: _State, avail: float, look_ahead: bool = True) -> _Page:
    """One page of height ``avail`` from ``state``; ``look_ahead``: see ``_next_fits``."""
    units, boxes = layout.units, layout.boxes
    scan = _Scan(state, _head(layout, state))
    used, prev = scan.head, None
    for i in range(state.index, len(units)):
        unit = units[i]
        first = i == state.index
        lines = state.rest_lines if first and state.rest is not None else unit.lines
        top = used + (0.0 if first and scan.head else _gap(prev, unit, boxes))
        scan.tops.append(top)
        if not first:
            scan.candidates.append(_Candidate(i, 0, used + _closing(prev, boxes), _allowed(layout, state, i, 0)))
        for k in range(1, lines):
            end = top + k * unit.leading + _closing(unit, boxes)
            if end > avail:
                break
            scan.candidates.append(_Candidate(i, k, end, _allowed(layout, state, i, k)))
        height = lines * unit.leading if first and state.rest is not None else unit.height
        if top + height + _closing(unit, boxes) > avail + 1e-6:
            return _place(layout, scan, _end(layout, scan, avail, look_ahead))
        used, prev = top + height, unit
    return _place(layout, scan, _Candidate(len(units), 0, used + _closing(prev, boxes), True))


def _head(layout: _Layout, state: _State) -> float:
    """Height above the first unit of a page that continues a box: padding, the
    "(continued)" head, the gap under it."""
    if state.index >= len(layout.units):
        return 0.0
    unit = layout.units[state.index]
    if unit.box is None or (layout.box_start[state.index] == state.index and state.rest is None):
        return 0.0
    box = layout.boxes[unit.box]
    return box.top + box.continued.wrap(box.inner(layout.width), 1e9)[1] + box.label_gap


def _done(layout: _Layout, state: _State) -> int:
    """Lines of the page's first unit placed on earlier pages."""
    return layout.units[state.index].lines - state.rest_lines if state.rest is not None else 0


def _lines(layout: _Layout, a: int, a_lines: int, b: int, b_lines: int) -> int:
    """Lines from after line ``a_lines`` of unit ``a`` to line ``b_lines`` of unit ``b``."""
    return layout.lines_before[b] + b_lines - layout.lines_before[a] - a_lines


def _text_lines(layout: _Layout, a: int, a_lines: int, b: int, b_lines: int) -> int:
    """``_lines`` without those of a box's label (the first unit of its box)."""
    total = _lines(layout, a, a_lines, b, b_lines)
    label = layout.units[a]
    if label.kind == "label" and layout.box_start[a] == a:
        total -= (label.lines if b > a else b_lines) - a_lines
    return total


def _allowed(layout: _Layout, state: _State, i: int, k: int) -> bool:
    """Whether the rules let a page that started at ``state`` end before unit ``i``
    (``k`` 0) or after ``k`` lines of it."""
    units, start, done = layout.units, state.index, _done(layout, state)
    unit = units[i]
    if k:  # inside a unit
        left = unit.lines - (done if i == start else 0)
        if unit.kind in WHOLE or k < MIN_LINES or left - k < MIN_LINES:
            return False
    else:
        prev = units[i - 1]
        if prev.kind in KEEP_WITH_NEXT or (prev.lead_in and unit.group is not None):
            return False
        if unit.group is not None and prev.group == unit.group:  # between two items of a list
            g0 = max(start, layout.group_start[i])
            before = _lines(layout, g0, done if g0 == start else 0, i, 0)
            if before < MIN_LINES or _lines(layout, i, 0, layout.group_end[i], 0) < MIN_LINES:
                return False
    if unit.box is not None and (k or units[i - 1].box == unit.box):  # inside a box
        b0, at = max(start, layout.box_start[i]), k + (done if i == start else 0)  # at: counted from the unit's top
        before = _text_lines(layout, b0, done if b0 == start else 0, i, at)
        if before < MIN_LINES or _text_lines(layout, i, at, layout.box_end[i], 0) < MIN_LINES:
            return False
    return True


def _choose(layout: _Layout, scan: _Scan, avail: float) -> _Candidate:
    """The place to end a page: the fullest the rules allow, except that a box moves
    whole when that leaves little empty, and splits between its blocks rather than in
    a paragraph when that leaves little empty. With no place allowed, the fullest."""
    allowed = [c for c in scan.candidates if c.allowed]
    if not allowed:
        if not scan.candidates:
            raise LayoutError("not one line of the handout's body fits on a page")  # not with our sizes
        return scan.candidates[-1]
    best, units = allowed[-1], layout.units
    unit = units[best.index]
    if unit.box is None or not (best.lines or units[best.index - 1].box == unit.box):
        return best  # the page does not end inside a box
    label = layout.box_start[best.index]
    if label > scan.state.index:  # the box starts on this page: may it move whole?
        before = [c for c in allowed if (c.index, c.lines) <= (label, 0)]
        if before and (avail - before[-1].used) / avail <= MOVE_EMPTY:
            if _height(layout, before[-1].index, layout.box_end[label]) <= avail:
                return before[-1]
    if best.lines:
        bounds = [c for c in allowed if not c.lines and c.index > label + 1 and units[c.index].box == unit.box]
        if bounds and (avail - bounds[-1].used) / avail <= BOUNDARY_EMPTY:
            return bounds[-1]
    return best


def _end(layout: _Layout, scan: _Scan, avail: float, look_ahead: bool) -> _Candidate:
    """Where the page ends: ``_choose``'s place, unless the next page would then be too
    empty and another allowed place leaves it fuller (``_next_empty``)."""
    end = _choose(layout, scan, avail)
    if not look_ahead or _next_empty(layout, scan, end, avail) <= MOVE_EMPTY:
        return end
    return min([end, *_alternatives(scan, end, avail)], key=lambda c: (_next_empty(layout, scan, c, avail), -c.used))


def _next_empty(layout: _Layout, scan: _Scan, end: _Candidate, avail: float) -> float:
    """The share of the next page left empty when this one ends at ``end`` (0 when that
    page is the last, which may be as short as it likes).

    Large print fills a page with fewer, taller blocks: a box moved whole, or a page
    filled to its last allowed line, can leave the next page no allowed end but one far
    up (a heading, its lead-in and two lines of its list do not fit under the rest of a
    box), where ending this page a few lines earlier fills both. So when the next page
    would be too empty, ``_end`` takes the place to end this page, among those that
    leave it at most ``MOVE_EMPTY`` empty, that leaves the next page fullest (fuller
    first on a tie): a look one page ahead, so the cost stays linear."""
    after = _place(layout, scan, end).after
    if after.index >= len(layout.units):
        return 0.0
    page = _fill(layout, after, avail, look_ahead=False)
    return 0.0 if page.after.index >= len(layout.units) else (avail - page.used) / avail


def _alternatives(scan: _Scan, end: _Candidate, avail: float) -> list[_Candidate]:
    """The other allowed places to end a page that leave it at most ``MOVE_EMPTY`` empty."""
    return [c for c in scan.candidates if c.allowed and c != end and (avail - c.used) / avail <= MOVE_EMPTY]


def _place(layout: _Layout, scan: _Scan, end: _Candidate) -> _Page:
    """The page's units from ``scan.state`` up to ``end``, split where ``end`` falls."""
    units, boxes, state = layout.units, layout.boxes, scan.state
    placed: list[_Placed] = []
    backgrounds: list[tuple[int, float, float]] = []
    if scan.head:
        number = units[state.index].box
        assert number is not None  # a head is drawn only where a box goes on
        box = boxes[number]
        placed.append(_Placed(box.continued, box.left, box.top, box.continued.height))
        backgrounds.append((number, 0.0, 0.0))
    after = _State(end.index)
    for n, i in enumerate(range(state.index, min(end.index + (1 if end.lines else 0), len(units)))):
        unit, top = units[i], scan.tops[n]
        rest = state.rest if i == state.index else None  # the lines left from the page before
        continues = rest is not None
        flowable = unit.flowable if rest is None else rest
        height = state.rest_lines * unit.leading if continues else unit.height
        if i == end.index:  # the page ends inside this unit
            flowable, rest = _split(flowable, end.lines, unit, layout)
            after = _State(i, rest, round(rest.height / unit.leading))
            height = end.lines * unit.leading
        x = 0.0 if unit.box is None else boxes[unit.box].left
        width = layout.width if unit.box is None else boxes[unit.box].inner(layout.width)
        outline, icon = (None, None) if continues else (unit.outline, unit.icon)  # with the first line only
        placed.append(_Placed(flowable, x, top, height, outline, icon, width, unit.element))
        if unit.box is None:
            continue
        if backgrounds and backgrounds[-1][0] == unit.box:
            backgrounds[-1] = (unit.box, backgrounds[-1][1], top + height)
        else:
            backgrounds.append((unit.box, top - boxes[unit.box].top, top + height))
    backgrounds = [(b, top, bottom + boxes[b].bottom) for b, top, bottom in backgrounds]
    return _Page(placed, backgrounds, end.used, after)


def _split(flowable: Flowable, lines: int, unit: Unit, layout: _Layout) -> tuple[Flowable, Flowable]:
    """The first ``lines`` lines of a laid-out paragraph, and the rest laid out."""
    width = layout.width if unit.box is None else layout.boxes[unit.box].inner(layout.width)
    if hasattr(flowable, "split_lines"):
        head, rest = flowable.split_lines(lines)
    else:  # a reportlab Paragraph: it splits after as many lines as the height holds
        vars(flowable).update(allowOrphans=1, allowWidows=1)  # exactly ``lines`` lines, no widow control
        head, rest = flowable.split(width, lines * unit.leading + 1e-3)  # two parts: 0 < lines < its lines
    head.wrap(width, 1e9)
    rest.wrap(width, 1e9)
    return head, rest
