"""A check-off calendar never breaks a word: weekday, date and dose stay whole in every
language, print size and paper, because a week too narrow for its words is printed as
more tables (``pdf.schedule.days_per_table``, ``model.Calendar.weeks``). Read back from
the tagged PDF, cell by cell and line by line (``cells``)."""

from __future__ import annotations

import datetime
import functools
from dataclasses import replace
from pathlib import Path
from typing import Any

import cells
import pytest
import tagcheck

from handouts.build import Request, prepare
from handouts.model import WEEK, Calendar, Day
from handouts.pdf.cache import RenderCache
from handouts.pdf.document import render
from handouts.pdf.schedule import CalendarTooNarrow, days_per_table, table_days
from handouts.wordbreak import MARK

LANGS = ["en", "es", "ru", "vi", "zh-Hans", "ko", "ar", "hi"]
PLANS = [Path("examples/patient-titration.yaml"), Path("examples/patient-taper.yaml")]
CACHE = RenderCache()


def _handout(library, lang: str, large: bool, paper: str, plan: Path):
    return prepare(library, Request("baclofen", lang, "easy", paper=paper, patient=plan, large_print=large))


@functools.cache
def _read(library, lang: str, large: bool, paper: str, plan: Path) -> tuple[Any, bytes, list[cells.Cell]]:
    """The handout, its PDF and its schedule's cells; each combination rendered once for
    the tests of this module that read the whole matrix."""
    handout = _handout(library, lang, large, paper, plan)
    data = render(handout, CACHE).data
    return handout, data, cells.schedule_cells(handout, data)


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
@pytest.mark.parametrize("lang", LANGS)
def test_no_schedule_word_is_broken(library, lang, large, paper):
    """Every word of every calendar cell and pill card cell is on one line, read from
    the PDF (before: 405 calendar words broken in zh-Hans, ar and hi large print, one
    in the Spanish pill card, and Vietnamese large print did not render at all); the
    tree still matches the model, each day once and in order."""
    for plan in PLANS:
        handout, data, found = _read(library, lang, large, paper, plan)
        assert found and all(c.readable() for c in found), [c for c in found if not c.readable()][:3]
        assert [(c.table, c.row, c.column, c.broken()) for c in found if c.broken()] == []
        assert not [c for c in found if any(MARK in line for line in c.lines)]
        assert tagcheck.check(handout, data) == []


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
@pytest.mark.parametrize("lang", LANGS)
def test_no_schedule_head_takes_more_than_two_lines(library, lang, large, paper):
    """Every header cell of the pill card (its steps' days, its times of day) and of
    every calendar table (a day's weekday over its date, the times of day) is on at most
    two lines, read from the PDF: a calendar day's head is its weekday on one line and its
    date on the next. Before (both plans, 8 languages, both sizes and papers): up to 5
    lines; Vietnamese large print on A4 stacked "Thứ 2 / 11 thg 1" over 5 lines and
    Spanish large print on A4 set the pill card's "Del 10 ene al 13 ene" a word a line;
    en, ko, ru, vi large print day heads took 3 or 4, es, ru pill cards 3 to 5."""
    for plan in PLANS:
        handout, _, found = _read(library, lang, large, paper, plan)
        heads = [c for c in found if c.row == 0 or c.column == 0]
        assert heads
        assert [(c.table, c.row, c.column, len(c.lines)) for c in heads if len(c.lines) > 2] == []
        days = [c for c in heads if c.table and c.row == 0 and c.column]
        assert len(days) == sum(len(calendar.days) for calendar in handout.schedule.calendars)
        assert all(len(c.lines) == 2 for c in days)


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_arabic_large_print_headers_are_whole_words(library, paper):
    """The defect as reported: "الخمي-س", "دي-سمبر". Each day's head now shows its
    weekday on a line of its own and its date on the next, whole; a week is two tables
    (4 + 3 days) and every day of the plan heads exactly one column, in order."""
    handout, _, found = _read(library, "ar", True, paper, PLANS[0])
    heads = [c for c in found if c.table and c.row == 0 and c.column]
    (calendar,) = handout.schedule.calendars
    assert len(heads) == len(calendar.days)
    for cell, day in zip(heads, calendar.days, strict=True):
        # glyphs come back in visual order: compared as the letters each line holds
        assert [sorted(tagcheck.norm(line)) for line in cell.lines] == [
            sorted(tagcheck.norm(day.weekday)),
            sorted(tagcheck.norm(day.label)),
        ]
    sizes = [sum(1 for c in heads if c.table == t) for t in sorted({c.table for c in heads})]
    assert sizes == [4, 3, 4, 3]


def _days(n: int) -> tuple[Day, ...]:
    first = datetime.date(2026, 12, 2)
    return tuple(Day(first + datetime.timedelta(days=k), f"d{k}", f"l{k}", ("5 mg", "", "", "")) for k in range(n))


@pytest.mark.parametrize("per_table", range(1, WEEK + 1))
def test_the_split_keeps_every_day_once_in_order(per_table):
    """For every calendar length up to three weeks: the tables hold all days once, in
    order; none more than ``per_table``; none holds days of two weeks; a week takes the
    fewest tables, their sizes differing by at most one, the longer first."""
    for n in range(1, 22):
        calendar = Calendar("t", _days(n))
        tables = calendar.weeks(per_table)
        assert [d for table in tables for d in table] == list(calendar.days)
        assert all(1 <= len(table) <= per_table for table in tables)
        for table in tables:
            assert len({(d.date - calendar.days[0].date).days // WEEK for d in table}) == 1
        for start in range(0, n, WEEK):
            week = [t for t in tables if (t[0].date - calendar.days[0].date).days // WEEK == start // WEEK]
            sizes = [len(t) for t in week]
            assert len(sizes) == -(-min(WEEK, n - start) // per_table)
            assert sizes == sorted(sizes, reverse=True) and max(sizes) - min(sizes) <= 1
    assert [len(t) for t in Calendar("t", _days(14)).weeks(4)] == [4, 3, 4, 3]
    assert [len(t) for t in Calendar("t", _days(7)).weeks(3)] == [3, 2, 2]
    with pytest.raises(ValueError):
        Calendar("t", _days(7)).weeks(0)


def test_days_per_table_takes_the_fewest_tables_whose_columns_fit():
    assert days_per_table(50, 7 * 50) == 7
    assert days_per_table(51, 7 * 50) == 4  # two tables, 4 + 3
    assert days_per_table(100, 350) == 3
    assert days_per_table(175, 350) == 2
    assert days_per_table(350, 350) == 1
    with pytest.raises(CalendarTooNarrow) as refused:
        days_per_table(351, 350)
    assert "never broken" in str(refused.value)


def test_a_word_too_wide_for_one_day_is_refused_not_broken(library):
    """A weekday wider than the whole page (no language has one): the render refuses
    with an error naming the option to change, not a PDF with the word broken, and no
    patient data in the message."""
    handout = _handout(library, "en", True, "letter", PLANS[0])
    (calendar,) = handout.schedule.calendars
    days = tuple(replace(d, weekday="W" * 60) for d in calendar.days)
    wide = replace(handout, schedule=replace(handout.schedule, calendars=(replace(calendar, days=days),)))
    with pytest.raises(CalendarTooNarrow) as refused:
        render(wide, CACHE)
    text = str(refused.value)
    assert "--paper" in text and "never broken" in text and "Alex" not in text and "RX-" not in text
    with pytest.raises(CalendarTooNarrow):
        table_days(wide)


def test_the_html_page_splits_its_tables_as_the_pdf(library):
    """Arabic large print: the page's calendar tables hold the PDF's days (4 + 3 a week),
    each captioned with its own first and last day."""
    from handouts.html.page import render as render_html
    from handouts.html.schedule import view

    handout = _handout(library, "ar", True, "a4", PLANS[0])
    (per_table,) = table_days(handout)
    assert per_table == 4
    (calendar,) = view(handout.schedule, (per_table,)).calendars
    assert [len(w.days) for w in calendar.weeks] == [4, 3, 4, 3]
    page = render_html(handout).data.decode()
    for week in calendar.weeks:
        assert f'id="{week.id}" class="visually-hidden">{week.name}</caption>' in page
        assert week.days[0].label in week.name and week.days[-1].label in week.name


def test_a_pill_card_step_too_long_for_two_lines_wraps_whole_words(library):
    """A step's days text no column width can hold on two lines (40 words): the pill
    card falls back to dose columns as narrow as their widest word, the step wraps over
    more lines, and still no word is broken; a time of day wider than the page is
    refused, not broken."""
    handout = _handout(library, "en", True, "letter", PLANS[0])
    schedule = handout.schedule
    rows = (replace(schedule.rows[0], when=" ".join(["Dec"] * 40)), *schedule.rows[1:])
    long = replace(handout, schedule=replace(schedule, rows=rows))
    found = cells.schedule_cells(long, render(long, CACHE).data)
    step = next(c for c in found if c.table == 0 and c.row == 1 and c.column == 0)
    assert len(step.lines) > 2 and step.readable() and step.broken() == []
    wide = replace(handout, schedule=replace(schedule, times=("W" * 60, *schedule.times[1:])))
    with pytest.raises(CalendarTooNarrow):
        render(wide, CACHE)
