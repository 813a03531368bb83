"""A patient's schedule as the page's template gets it: the pill card and a table per
week (or part of a week) of each check-off calendar, the tables and rows cut as the PDF
cuts them (``handouts/pdf/schedule.py``, whose ``table_days`` says how many days a
table holds), from the same ``Schedule``.

The tables are written in reading order; ``dir="rtl"`` on the page lays them out from
the right in Arabic (days column on the right, then morning), so nothing is reversed
here. Each table gets an id for its caption, which names it for a screen reader.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Day, Schedule
from ..pdf.icons import TIMES_OF_DAY
from ..pdf.svg import svg


@dataclass(frozen=True)
class Week:
    """One table of a calendar: its days across, a row per time of day in use."""

    id: str
    name: str  # its caption: "Dec 2 to Dec 8" (or "Dec 2 to Dec 5" for a week's first part)
    days: tuple[Day, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]  # (index of the time of day, its dose per day, "" for none)


@dataclass(frozen=True)
class CalendarView:
    title: str
    weeks: tuple[Week, ...]
    per_table: int  # days in a full table; a shorter one (the end of a week) is narrower


@dataclass(frozen=True)
class ScheduleView:
    schedule: Schedule
    icons: tuple[str, ...]  # per time of day: the PDF's drawing as inline SVG (markup), hidden from screen readers
    calendars: tuple[CalendarView, ...]


def _breakable(dose: str) -> str:
    """A calendar's dose with an ordinary space between number and unit: kept on one line
    by CSS, but free to break there in a cell too narrow for both (large print on paper),
    as the PDF breaks it, never inside the unit."""
    return dose.replace("\u00a0", " ")


def view(schedule: Schedule, table_days: tuple[int, ...]) -> ScheduleView:
    """``table_days``: days per table of each calendar, as the PDF prints them."""
    calendars = []
    for c, (calendar, per_table) in enumerate(zip(schedule.calendars, table_days, strict=True), start=1):
        used = calendar.times_used(len(schedule.times))
        weeks = tuple(
            Week(
                f"calendar-{c}-week-{w}",
                calendar.name(days),
                days,
                tuple((i, tuple(_breakable(day.doses[i]) for day in days)) for i in used),
            )
            for w, days in enumerate(calendar.weeks(per_table), start=1)
        )
        calendars.append(CalendarView(calendar.title, weeks, per_table))
    icons = tuple(svg(name) for name in TIMES_OF_DAY)
    return ScheduleView(schedule, icons, tuple(calendars))
