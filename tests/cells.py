"""A personal handout's schedule tables (the pill card, the check-off calendars) as
printed, cell by cell and line by line.

The tagged PDF's structure tree gives the cells (each calendar table's TH and TD, in
reading order, also in Arabic); each cell's marked content is read from the page with
the text position of every run, so a cell's text comes back as the lines it is drawn on.
A cell's words are compared with the model's (weekday and date for a day's head, the
time of day, the dose): a line that ends inside a word is a broken word, whether the
break carries a hyphen (``wordbreak.MARK``) or not (a CJK word may break without one).

Shaped scripts are drawn as glyphs in visual order; their ToUnicode text is compared by
the number of characters, which does not depend on that order: each line must hold
whole words. A cell whose characters do not add up to its words is reported too (the
reading could not tell), so a cell is never passed unread.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import pikepdf
import tagcheck

from handouts.model import Calendar, Handout
from handouts.wordbreak import MARK

_MOVES = {b"Td", b"TD"}


@dataclass(frozen=True)
class Cell:
    """One calendar cell: the words it should hold and the lines it shows."""

    table: int  # index among the schedule's tables in reading order: 0 the pill card, then the calendars'.
    row: int
    column: int  # in reading order: 0 is the corner or the time of day
    words: tuple[str, ...]
    lines: tuple[str, ...]

    def broken(self) -> list[str]:
        """The words of this cell that a line break cuts, each once."""
        ends = _running([len(tagcheck.norm(word)) for word in self.words])
        cut: list[str] = []
        at = 0
        for line in self.lines[:-1]:
            at += len(tagcheck.norm(line))
            if at and at not in ends:
                word = next(w for w, end in zip(self.words, ends, strict=True) if end > at)
                if word not in cut:
                    cut.append(word)
        return cut

    def readable(self) -> bool:
        """Whether the lines hold as many characters as the words (and no hyphen mark
        without a cut): the count above can only be trusted then."""
        drawn = sum(len(tagcheck.norm(line)) for line in self.lines)
        marks = sum(line.count(MARK) for line in self.lines)
        return drawn == sum(len(tagcheck.norm(w)) for w in self.words) and marks <= max(len(self.lines) - 1, 0)


def _running(sizes: list[int]) -> list[int]:
    out, total = [], 0
    for size in sizes:
        total += size
        out.append(total)
    return out


def schedule_cells(handout: Handout, data: bytes) -> list[Cell]:
    """Every cell of the pill card and of every calendar table of ``handout``'s PDF
    ``data``. The days of each calendar table are taken from the calendar in order, as
    many as the table has day columns, so a table that does not hold the next days
    shows as words that do not match its lines (``Cell.readable``)."""
    assert handout.schedule is not None
    pdf = pikepdf.open(io.BytesIO(data))
    pages = {p.obj.objgen: i for i, p in enumerate(pdf.pages)}
    problems: list[str] = []
    tree = tagcheck._tree(pdf, pages, problems)
    assert not problems, problems
    reader = _Lines()
    lines = [reader.page(page) for page in pdf.pages]
    tables = [n for n in tree.walk() if n.role == "/Table"]
    schedule = handout.schedule
    card = [[schedule.when, *schedule.times], *([row.when, *row.doses] for row in schedule.rows)]
    plan = _sources(schedule.calendars, schedule.times)
    out: list[Cell] = []
    for t, table in enumerate(tables):
        rows = [kid for kid in table.kids if kid.role == "/TR"]
        texts = plan(len(rows[0].kids) - 1, len(rows) - 1) if t else card
        for r, row in enumerate(rows):
            for c, cell in enumerate(row.kids):
                items = list(cell.content) + [item for kid in cell.kids for item in kid.content]
                drawn = tuple(line for page, mcid in items for line in lines[page].get(mcid, []))
                out.append(Cell(t, r, c, tuple(texts[r][c].split()), drawn))
    return out


def _sources(calendars: tuple[Calendar, ...], times: tuple[str, ...]) -> Any:
    """A function giving the next table's cell texts (rows of reading-order cells) for a
    table of ``days`` day columns and ``rows`` rows of times, the days taken in order
    from each calendar (a new calendar starts where a table holds fewer rows)."""
    queue = [(calendar, list(calendar.days)) for calendar in calendars]

    def take(days: int, rows: int) -> list[list[str]]:
        while queue and not queue[0][1]:
            queue.pop(0)
        calendar, left = queue[0]
        chosen, left[:] = left[:days], left[days:]
        used = calendar.times_used(len(times))
        head = [""] + [f"{d.weekday} {d.label}" for d in chosen]
        body = [[times[i]] + [d.doses[i] for d in chosen] for i in used]
        assert len(body) == rows, (len(body), rows)
        return [head, *body]

    return take


class _Lines:
    """Each MCID's text on a page as the lines it is drawn on: runs grouped by their
    baseline (the text matrix's y after the page's transformations), top line first."""

    def __init__(self) -> None:
        self._reader = tagcheck._Reader()

    def page(self, page: pikepdf.Page) -> dict[int, list[str]]:
        runs: dict[int, list[tuple[float, str]]] = {}
        self._walk(page.obj, page.obj.get("/Resources", pikepdf.Dictionary()), runs)
        out = {}
        for mcid, found in runs.items():
            ys: dict[float, list[str]] = {}
            for y, text in found:
                ys.setdefault(round(y, 1), []).append(text)
            out[mcid] = ["".join(ys[y]) for y in sorted(ys, reverse=True)]
        return out

    def _walk(self, owner: Any, resources: Any, runs: dict[int, list[tuple[float, str]]]) -> None:
        font: dict[int, str] = {}
        ctm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
        saved: list[list[float]] = []
        stack: list[int | None] = []
        line = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
        leading = 0.0
        for instr in pikepdf.parse_content_stream(owner):
            if isinstance(instr, pikepdf.ContentStreamInlineImage):
                continue
            op, args = bytes(instr.operator), instr.operands
            if op == b"q":
                saved.append(ctm)
            elif op == b"Q":
                ctm = saved.pop()
            elif op == b"cm":
                ctm = _times([float(a) for a in args], ctm)
            elif op in (b"BDC", b"BMC"):
                props = args[1] if op == b"BDC" else None
                has = isinstance(props, pikepdf.Dictionary) and "/MCID" in props
                stack.append(int(props["/MCID"]) if has else None)  # type: ignore[index]
            elif op == b"EMC":
                stack.pop()
            elif op == b"BT":
                line = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
            elif op == b"Tm":
                line = [float(a) for a in args]
            elif op in _MOVES:
                line = _times([1, 0, 0, 1, float(args[0]), float(args[1])], line)
                if op == b"TD":
                    leading = -float(args[1])
            elif op == b"TL":
                leading = float(args[0])
            elif op in (b"T*", b"'", b'"'):
                line = _times([1, 0, 0, 1, 0, -leading], line)
            elif op == b"Tf":
                name = args[0]
                font = self._reader.cmap(resources.Font[name]) if name in resources.get("/Font", {}) else {}
            if op in (b"Tj", b"'", b'"', b"TJ"):
                strings = [a for a in (args[0] if op == b"TJ" else args[-1:]) if isinstance(a, pikepdf.String)]
                text = "".join(font.get(b, "") for a in strings for b in bytes(a))
                mcid = next((m for m in reversed(stack) if m is not None), None)
                if mcid is not None:
                    y = _times(line, ctm)[5]
                    runs.setdefault(mcid, []).append((y, text))


def _times(a: list[float], b: list[float]) -> list[float]:
    """The PDF matrix product a x b (a applied first)."""
    return [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
