"""A patient's schedule as flow units: the pill card and the check-off calendars.

Both are tables, so each cell's text goes through the ``Writer`` like every other text
(font runs, HarfBuzz shaping and right-to-left order for Arabic, CJK line breaking).
In a right-to-left language the columns are mirrored: the days column of the pill card
and the times column of a calendar stand on the right, the morning column next to
them, and a calendar's days run from right to left.

Each table is one unit of kind ``figure``: a page never ends inside it; a calendar is a
table per week, so a long one moves to the next page a week at a time. A word in a cell
is never broken, and a header cell takes at most two lines where the page allows it:
columns are sized from the words, measured as drawn, and a week too wide for seven such
columns is printed as two or more tables (``_layout``, ``_card_widths``,
``days_per_table``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Table, TableStyle

from .. import linebreak
from ..colors import NO_DOSE, TABLE_HEAD_TINT, tint
from ..errors import ContentError, Diagnostic
from ..model import WEEK, Calendar, Handout, Schedule
from ..scripts import script_for
from . import flow, tagging
from .cache import RenderCache
from .icons import TIMES_OF_DAY, Icon
from .styles import PAPER, Styles, make_styles
from .writer import Writer

GRID = colors.HexColor("#666666")
SHADE = colors.HexColor(NO_DOSE)
PAD = 3.0
_Command = tuple[str, tuple[int, int], tuple[int, int], object]  # (command, first cell, last cell, value)


class _Figure(Flowable):
    """A table as a unit of the flow: laid out at the flow's width, never split.

    Tagged, it is a Table element with a TR per row and a TH (the header row and the
    first column: the times of day, the days) or TD per cell, in reading order (right to
    left in Arabic, where the columns are drawn mirrored); the grid and the shading are
    layout artifacts, the icons and tick boxes decoration (artifacts too), the cells'
    text the cells' content."""

    tags_itself = True

    def __init__(self, table: Table, columns: int, rtl: bool):
        super().__init__()
        self.table, self.columns, self.rtl = table, columns, rtl
        self.spaceBefore = self.spaceAfter = 4.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width, self.height = self.table.wrap(availWidth, availHeight)
        return self.width, self.height

    def draw(self) -> None:
        tagger = tagging.of(self.canv)
        element = tagger.current if tagger is not None else None
        if tagger is None or element is None:
            self.table.drawOn(self.canv, 0, 0)
            return
        state = vars(self.table)  # reportlab reads the callback from the instance; types-reportlab omits it
        state["_renderCB"] = _Tags(tagger, self.canv, element, self.columns, self.rtl)
        try:
            self.table.drawOn(self.canv, 0, 0)
        finally:
            state["_renderCB"] = None
            tagger.current = element


class _Tags:
    """reportlab's table callback (``Table._renderCB``), called as the table draws:
    the background and the grid become artifacts, each row a TR, each cell its TH or TD,
    made for a row in reading order before its cells are drawn in the page's order."""

    def __init__(self, tagger: tagging.Tagger, canv: Any, element: tagging.Element, columns: int, rtl: bool):
        self.tagger, self.canv, self.element, self.columns, self.rtl = tagger, canv, element, columns, rtl
        self.cells: list[tagging.Element] = []
        self.open: Any = None  # the artifact context of the background or the grid

    def __call__(self, table: Table, event: str, *args: Any) -> None:
        if event in ("startBG", "startLines"):
            self.open = self.tagger.artifact(self.canv)
            self.open.__enter__()
        elif event in ("endBG", "endLines"):
            self.open.__exit__(None, None, None)
        elif event == "startRow":
            row = self.element.add("TR")
            head = args[0] == 0  # the header row heads columns; the first column (days, times) rows
            self.cells = [
                row.add("TH", scope="Column") if head else row.add("TH", scope="Row") if col == 0 else row.add("TD")
                for col in range(self.columns)
            ]
        elif event == "startCell":
            column = args[1]
            self.tagger.current = self.cells[self.columns - 1 - column if self.rtl else column]
        elif event == "endCell":
            self.tagger.current = self.element


class _Text(Flowable):
    """A cell's text, drawn as the content of the cell's element (``tagger.current``)."""

    def __init__(self, inner: Flowable):
        super().__init__()
        self.inner = inner

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width, self.height = self.inner.wrap(availWidth, availHeight)
        return self.width, self.height

    def draw(self) -> None:
        tagger = tagging.of(self.canv)
        if tagger is None or tagger.current is None:
            self.inner.drawOn(self.canv, 0, 0)
        else:
            tagger.place(self.canv, self.inner, 0, 0, tagger.current)


class _Cells:
    """The styles and helpers the schedule's tables share."""

    def __init__(self, st: Styles, w: Writer, head: colors.Color):
        self.st, self.w, self.head = st, w, head
        self.rtl = w.script.rtl
        self.shaped = w.script.shape or self.rtl  # laid out by ``shaping``, as ``Writer.para`` chooses
        self.center = ParagraphStyle("cell", parent=st.body, alignment=TA_CENTER, spaceAfter=0, spaceBefore=0)
        self.center_bold = ParagraphStyle("cell_head", parent=self.center, fontName=st.subhead.fontName)
        self.side = ParagraphStyle("cell_side", parent=st.body, spaceAfter=0, spaceBefore=0)
        self.side_bold = ParagraphStyle("cell_side_head", parent=self.side, fontName=st.subhead.fontName)
        self.icon_size = st.body.fontSize * 1.2

    def text(self, text: str, style: ParagraphStyle) -> Flowable:
        return _Text(self.w.text(text, style))

    def icon(self, index: int) -> Flowable:
        """The drawn picture of a time of day, in the brand's colour; decoration only."""
        return Icon(TIMES_OF_DAY[index], self.icon_size, self.st.heading.textColor)

    def time(self, index: int, label: str, style: ParagraphStyle) -> list[Flowable]:
        """An icon of the time of day above its name (the name carries the meaning)."""
        return [self.icon(index), self.text(label, style)]

    def beside(self, lead: Flowable, text: str, style: ParagraphStyle, room: float) -> Flowable:
        """``lead`` and ``text`` in a cell ``room`` wide (less padding); a dose too wide
        for it breaks between number and unit, never inside the unit."""
        width = self.width([text], style) - 2 * PAD
        if width > room - 2 * PAD:
            text, style = text.replace("\u00a0", " "), self.center_bold if style is self.side_bold else self.center
        return _Beside(lead, self.text(text, style), width, style.leading, self.rtl)

    def unbroken(self, texts: Iterable[str]) -> list[str]:
        """What a line in a cell must keep whole, so what a column must be wide enough
        for: each word (between spaces, no-break ones too), each run between ordinary
        spaces (reportlab keeps "5\u00a0mg" on one line), and in shaped scripts each
        run the line breaker will not cut (``linebreak``: a number keeps its unit, so
        Hindi's "5 मि॰ग्रा॰" is one; a CJK date such as "12月10日" is not, but is a word)."""
        out: list[str] = []
        for text in texts:
            out += text.split() + text.split(" ")
            if self.shaped and text:
                ends = linebreak.breaks(text, self.w.script.keep_all)
                out += [text[a:b] for a, b in zip([0, *ends[:-1]], ends, strict=True)]
        return list(dict.fromkeys(t.strip() for t in out if t.strip()))  # each measured once

    def width(self, texts: Sequence[str], style: ParagraphStyle) -> float:
        return max((self.w.width(t, style) for t in texts if t), default=0.0) + 2 * PAD + 2

    def two_lines(self, texts: Iterable[str], style: ParagraphStyle) -> float:
        """The narrowest column (padding included) that holds each of ``texts`` on at
        most two lines: for each text, its best single break (where a line may end: an
        ordinary space, or in shaped scripts where ``linebreak`` allows) measured as
        two lines. A line filled word by word at that width then needs no third line."""
        need = 0.0
        for text in texts:
            if self.shaped:
                ends = linebreak.breaks(text, self.w.script.keep_all)[:-1]
            else:
                ends = [i for i, ch in enumerate(text) if ch == " "]
            pairs = [(text[:i].strip(), text[i:].strip()) for i in ends]
            need = max(need, min([self.width([text], style)] + [self.width(pair, style) for pair in pairs]))
        return need

    def table(self, rows: list[list[object]], widths: list[float], extra: list[_Command]) -> _Figure:
        """``rows`` in reading order; mirrored for a right-to-left language."""
        if self.rtl:
            rows = [row[::-1] for row in rows]
            widths = widths[::-1]
            last = len(widths) - 1
            extra = [(cmd, (last - b[0], a[1]), (last - a[0], b[1]), value) for cmd, a, b, value in extra]
        style: list[Any] = [
            ("GRID", (0, 0), (-1, -1), 0.75, GRID),
            ("BACKGROUND", (0, 0), (-1, 0), self.head),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("ALIGN", (0, 0), (-1, -1), "CENTER"),
            ("LEFTPADDING", (0, 0), (-1, -1), PAD),
            ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
            ("TOPPADDING", (0, 0), (-1, -1), PAD),
            ("BOTTOMPADDING", (0, 0), (-1, -1), PAD),
            *extra,
        ]
        table = Table(rows, colWidths=widths, style=TableStyle(style), hAlign="RIGHT" if self.rtl else "LEFT")
        return _Figure(table, len(widths), self.rtl)


def schedule_units(
    schedule: Schedule, st: Styles, w: Writer, width: float, primary: str, document: tagging.Element
) -> list[flow.Unit]:
    """The schedule page: its heading, who it is for, the pill card, the last day of a
    plan that ends, and a calendar per part of the plan; in the tree a Sect of
    ``document`` (H2, P, Table, P, then H3 and a Table per week of each calendar)."""
    cells = _Cells(st, w, colors.HexColor(tint(primary, TABLE_HEAD_TINT)))
    sect = document.add("Sect")
    units = [
        flow.Unit(
            w.text(schedule.title, st.heading), "heading", outline=("schedule", schedule.title), element=sect.add("H2")
        ),
        flow.Unit(w.text(schedule.for_line, st.subhead), "para", element=sect.add("P")),
        flow.Unit(w.text(schedule.details, st.chrome), "para", element=sect.add("P")),
        flow.Unit(_pill_card(schedule, cells, width), "figure", element=sect.add("Table")),
    ]
    if schedule.stop:
        units.append(flow.Unit(w.text(schedule.stop, st.subhead), "para", element=sect.add("P")))
    for calendar in schedule.calendars:
        units.append(flow.Unit(w.text(calendar.title, st.subhead), "subhead", element=sect.add("H3")))
        units += [
            flow.Unit(week, "figure", element=sect.add("Table")) for week in _weeks(calendar, schedule, cells, width)
        ]
    return units


def _pill_card(schedule: Schedule, cells: _Cells, width: float) -> _Figure:
    """A row per step: its days, then the dose at each time of day (shaded when none).
    The four dose columns share one width, the days column takes the rest (``_card_widths``)."""
    widths = _card_widths(schedule, cells, width)
    head: list[object] = [cells.text(schedule.when, cells.side_bold)]
    head += [cells.time(i, label, cells.center_bold) for i, label in enumerate(schedule.times)]
    rows = [head]
    extra: list[_Command] = [("ALIGN", (0, 0), (0, -1), "RIGHT" if cells.rtl else "LEFT")]
    for r, row in enumerate(schedule.rows, start=1):
        rows.append([cells.text(row.when, cells.side)] + [cells.text(d, cells.center) if d else [] for d in row.doses])
        extra += [("BACKGROUND", (c, r), (c, r), SHADE) for c, d in enumerate(row.doses, start=1) if not d]
    return cells.table(rows, widths, extra)


def _card_widths(schedule: Schedule, cells: _Cells, width: float) -> list[float]:
    """The pill card's column widths: the days column, then four equal dose columns.

    Both kinds of column are headers (a step's days head its row, a time of day its
    column), and a header over three lines makes the card tall and hard to follow
    (Spanish large print on A4 set "Del 10 ene al 13 ene" a word a line, five lines,
    beside dose columns as wide as "Al acostarse"). So the widths are the first of: each
    on one line; the days on one line, the times on at most two; the days on two, the
    times on one; both on at most two; measured with the real fonts (``_Cells.two_lines``),
    the dose columns as wide as they may be within that. A dose ("15 mg") stays on one
    line in all of these. Only when none fits, the dose columns give way down to their
    widest word so that the days column holds its longest text on one line if it can.
    Never so narrow that a word breaks: ``CalendarTooNarrow`` instead."""
    doses = [d for row in schedule.rows for d in row.doses]
    days = [row.when for row in schedule.rows]
    icon = cells.icon_size + 2 * PAD
    dose_one = max(cells.width(doses, cells.center), icon)
    times = (
        max(cells.width(schedule.times, cells.center_bold), dose_one),
        max(cells.two_lines(schedule.times, cells.center_bold), dose_one),
    )
    steps = (
        max(cells.width([schedule.when], cells.side_bold), cells.width(days, cells.side)),
        max(cells.two_lines([schedule.when], cells.side_bold), cells.two_lines(days, cells.side)),
    )
    for step_lines, time_lines in ((0, 0), (0, 1), (1, 0), (1, 1)):
        dose_w = min(times[0], (width - steps[step_lines]) / 4)
        if dose_w >= times[time_lines]:
            return [width - 4 * dose_w] + [dose_w] * 4
    least = max(
        cells.width(cells.unbroken(schedule.times), cells.center_bold),
        cells.width(cells.unbroken(doses), cells.center),
        icon,
    )
    days_least = max(
        cells.width(cells.unbroken([schedule.when]), cells.side_bold), cells.width(cells.unbroken(days), cells.side)
    )
    dose_w = (width - max(days_least, min(steps[0], width - 4 * least))) / 4
    if dose_w < least or width - 4 * dose_w < days_least:
        raise CalendarTooNarrow(max(least, days_least), width / 5)
    return [width - 4 * dose_w] + [dose_w] * 4


class _Box(Flowable):
    """An empty square to tick."""

    def __init__(self, size: float):
        super().__init__()
        self.width = self.height = size

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        with tagging.artifact(self.canv):  # the dose beside it is the content
            self.canv.saveState()
            self.canv.setLineWidth(1.2)
            self.canv.setStrokeColor(colors.black)
            self.canv.rect(0, 0, self.width, self.height, stroke=1, fill=0)
            self.canv.restoreState()


class _Beside(Flowable):
    """A square to tick or an icon, and a text beside it on the reading side (after it
    in reading order), centred in its cell, the lead centred on the text's first line.
    Where the cell is too narrow for both on one line (Hindi's "मि॰ग्रा॰"), the lead
    stands above the text instead, and the text may wrap."""

    def __init__(self, lead: Flowable, text: Flowable, text_width: float, line: float, rtl: bool):
        super().__init__()
        self.lead, self.text, self.text_width, self.line, self.rtl = lead, text, text_width, line, rtl

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.lead_width, self.lead_height = self.lead.wrap(availWidth, availHeight)
        self.gap = self.lead_width * 0.25
        self.width = availWidth
        self.stacked = self.lead_width + self.gap + self.text_width > availWidth
        self.room = min(self.text_width, availWidth if self.stacked else availWidth - self.lead_width - self.gap)
        _, text_height = self.text.wrap(self.room, availHeight)
        self.height = text_height + self.lead_height + 2 if self.stacked else max(text_height, self.lead_height)
        return availWidth, self.height

    def draw(self) -> None:
        if self.stacked:
            self.lead.drawOn(self.canv, (self.width - self.lead_width) / 2, self.height - self.lead_height)
            self.text.drawOn(self.canv, (self.width - self.room) / 2, 0)
            return
        x = (self.width - self.lead_width - self.gap - self.room) / 2
        lead_x, text_x = (x + self.room + self.gap, x) if self.rtl else (x, x + self.lead_width + self.gap)
        lead_y = self.height - (self.line + self.lead_height) / 2  # centred on the first line
        self.lead.drawOn(self.canv, lead_x, max(0.0, lead_y))
        self.text.drawOn(self.canv, text_x, self.height - self.text.height)


def _weeks(calendar: Calendar, schedule: Schedule, cells: _Cells, width: float) -> list[_Figure]:
    """A table per week, or per part of a week where seven columns are too narrow for
    a day's words (``_layout``): the days across, a row per time of day the plan uses, a
    box and the dose in each cell where a dose is due."""
    used = calendar.times_used(len(TIMES_OF_DAY))
    side, per_table = _layout(calendar, schedule, cells, width)
    day_w = (width - side) / per_table
    box = cells.st.body.fontSize * 0.75
    out = []
    for days in calendar.weeks(per_table):
        head: list[object] = [[]]
        head += [[cells.text(d.weekday, cells.center_bold), cells.text(d.label, cells.center)] for d in days]
        rows = [head]
        extra: list[_Command] = []
        for r, i in enumerate(used, start=1):
            row: list[object] = [cells.beside(cells.icon(i), schedule.times[i], cells.side_bold, side)]
            for c, day in enumerate(days, start=1):
                dose = day.doses[i]
                row.append(cells.beside(_Box(box), dose, cells.side, day_w) if dose else [])
                if not dose:
                    extra.append(("BACKGROUND", (c, r), (c, r), SHADE))
            rows.append(row)
        out.append(cells.table(rows, [side] + [day_w] * len(days), extra))  # a short table is narrower
    return out


def _layout(calendar: Calendar, schedule: Schedule, cells: _Cells, width: float) -> tuple[float, int]:
    """The width of ``calendar``'s first column (its times of day) and its days per
    table at ``width``, from its words measured as drawn (the real fonts, shaped).

    A day's head is its weekday above its date; a column too narrow for either on one
    line stacks a word a line (Vietnamese large print on A4: "Thứ 2" over "11 thg 1" in
    five lines) and the table grows tall and hard to read. So each day's column is
    wide enough for its weekday and its date each on one line, and the first column
    gives way for it: its longest time of day on one line beside its icon, or else on
    at most two lines below it ("Trước khi / ngủ"), whichever leaves a week whole or
    cut into fewer tables (``days_per_table``; the one-line column when both do). Only
    when not even one day a table can hold those lines whole, the columns are sized
    from the widest single word instead (a head then takes more lines; still no word is
    broken)."""
    used = calendar.times_used(len(TIMES_OF_DAY))
    times = [schedule.times[i] for i in used]
    days = calendar.days
    widest = max(
        cells.width(cells.unbroken(d.weekday for d in days), cells.center_bold),
        cells.width(cells.unbroken(d.label for d in days), cells.center),
        # a dose may break between number and unit where the layout allows it (``beside``)
        cells.width(cells.unbroken(d.doses[i].replace("\u00a0", " ") for d in days for i in used), cells.side),
    )
    heads = max(
        cells.width([d.weekday for d in days], cells.center_bold), cells.width([d.label for d in days], cells.center)
    )
    beside = cells.width(times, cells.side_bold) + cells.icon_size * 1.3
    below = max(cells.two_lines(times, cells.side_bold), cells.icon_size + 2 * PAD)
    best: tuple[float, int] | None = None
    for side in (beside, below):
        try:
            per_table = days_per_table(max(heads, widest), width - side)
        except CalendarTooNarrow:
            continue
        if best is None or per_table > best[1]:
            best = side, per_table
    return best if best is not None else (beside, days_per_table(widest, width - beside))


class CalendarTooNarrow(ContentError):
    """Even a table of one day (or the pill card's narrowest columns) is narrower than a
    word of the schedule: refused, not broken."""

    def __init__(self, widest: float, room: float):
        super().__init__(
            [
                Diagnostic(
                    Path("--paper"),
                    0,
                    0,
                    f"a word of this language's dose schedule is {widest:.0f} pt wide, more than its"
                    f" column can be ({room:.0f} pt) on this paper at this size; words on a"
                    " medicine schedule are never broken",
                    hint="use the wider paper, or normal print (without --large-print)",
                )
            ]
        )


def days_per_table(widest: float, room: float) -> int:
    """The most days a calendar table can hold so that each day's column, sharing
    ``room`` points equally with the others, is at least ``widest`` (the widest word any
    day shows, padding included): ``WEEK`` when a week fits, else the size of the
    largest table when a week is cut into 2, 3 ... tables (4, 3, 2, 1). Why: a word cut
    over two lines on a medicine schedule is text printed wrong (Arabic is never
    hyphenated, a broken "Thursday" or "mg" misleads), so the calendar takes more
    tables rather than narrower columns. Raises ``CalendarTooNarrow`` when not even one
    day fits, rather than print a broken word (no shipped language comes near)."""
    for parts in range(1, WEEK + 1):
        per_table = -(-WEEK // parts)
        if room / per_table >= widest:
            return per_table
    raise CalendarTooNarrow(widest, room)


def table_days(handout: Handout, cache: RenderCache | None = None) -> tuple[int, ...]:
    """Days per table of each of ``handout``'s calendars, as its PDF prints them: what
    the HTML page follows, so its tables and the PDF's match. () without a schedule."""
    if handout.schedule is None:
        return ()
    schedule = handout.schedule
    script = script_for(handout.lang)
    writer = Writer(script, cache if cache is not None else RenderCache())
    st = make_styles(handout, script, writer.register)
    width = PAPER[handout.paper][0] - 2 * st.margin
    cells = _Cells(st, writer, colors.black)
    return tuple(_layout(calendar, schedule, cells, width)[1] for calendar in schedule.calendars)
