"""A checked plan -> the schedule as printed, every text in the handout's language.

The pill card has a row per step and a column per time of day; the check-off calendars
cover the first weeks of starting the medicine and the days of lowering it to stop, a
day per column, a box per dose. Dates and doses come from Babel (``l10n``), the words
around them from the language's strings file, so nothing here is English.
"""

from __future__ import annotations

import datetime

from . import l10n, schema
from .content import Loaded
from .errors import ContentError
from .model import WEEK, Calendar, CardRow, Day, Schedule
from .patient import Plan, Step

CALENDAR_DAYS = 21  # a calendar covers at most three weeks
_KEYS = (
    "patient_for",
    "patient_details",
    "schedule_title",
    "schedule_when",
    "schedule_from",
    "schedule_range",
    "schedule_stop",
    "calendar_start",
    "calendar_taper",
    *(f"time_{t}" for t in schema.TIMES),
)


def schedule(plan: Plan, strings: Loaded[schema.StringsFile], lang: str) -> Schedule:
    """The printed schedule of ``plan``; ContentError naming the strings file when it
    lacks a text a personal handout prints."""
    doc = strings.doc
    missing = [key for key in _KEYS if getattr(doc, key) is None]
    if missing:
        raise ContentError(
            [
                strings.source.error(
                    (),
                    f"no '{key}' here, which a personal handout (--patient) prints",
                    "add it; strings/en.yaml has every key with its English text",
                )
                for key in missing
            ]
        )
    text = {key: str(getattr(doc, key)) for key in _KEYS}
    titration = [s for s in plan.steps if not s.taper]
    taper = [s for s in plan.steps if s.taper]
    calendars = []
    if titration:
        calendars.append(_calendar(text["calendar_start"], titration, plan.steps, text, lang))
    if taper:
        calendars.append(_calendar(text["calendar_taper"], taper, plan.steps, text, lang))
    last = plan.steps[-1].last
    return Schedule(
        for_line=text["patient_for"].format(name=plan.name),
        details=text["patient_details"].format(
            prescriber=plan.prescriber, number=plan.prescription, date=l10n.date(plan.dispensed, lang)
        ),
        title=text["schedule_title"],
        when=text["schedule_when"],
        times=tuple(text[f"time_{t}"] for t in schema.TIMES),
        rows=tuple(CardRow(_when(step, text, lang), _doses(step, lang), step.taper) for step in plan.steps),
        stop=text["schedule_stop"].format(date=l10n.date(last, lang)) if last is not None else "",
        calendars=tuple(calendars),
    )


def _when(step: Step, text: dict[str, str], lang: str) -> str:
    if step.last is None:
        return text["schedule_from"].format(date=l10n.day_month(step.first, lang))
    return _span(step.first, step.last, text, lang)


def _span(first: datetime.date, last: datetime.date, text: dict[str, str], lang: str) -> str:
    """ "Dec 2 to Dec 4", or "Dec 2" for one day."""
    start = l10n.day_month(first, lang)
    if last == first:
        return start
    return text["schedule_range"].format(start=start, end=l10n.day_month(last, lang))


def _doses(step: Step, lang: str) -> tuple[str, ...]:
    dose = l10n.quantity(step.dose.value, step.dose.unit, lang)
    return tuple(dose if t in step.times else "" for t in schema.TIMES)


def _calendar(title: str, part: list[Step], steps: tuple[Step, ...], text: dict[str, str], lang: str) -> Calendar:
    """Every day from the first step of ``part`` to its end, at most ``CALENDAR_DAYS``;
    each day's doses from the step it falls in. A last step that goes on (the dose to
    keep taking) is shown to the end of the calendar's week it starts in: every change
    of dose is on the calendar, in whole weeks."""
    first, last_step = part[0].first, part[-1]
    weeks = (last_step.first - first).days // WEEK + 1
    last = last_step.last or first + datetime.timedelta(days=weeks * WEEK - 1)
    last = min(last, first + datetime.timedelta(days=CALENDAR_DAYS - 1))
    days = []
    for n in range((last - first).days + 1):
        date = first + datetime.timedelta(days=n)
        step = next(s for s in steps if s.first <= date and (s.last is None or date <= s.last))
        days.append(Day(date, l10n.weekday(date, lang), l10n.day_month(date, lang), _doses(step, lang)))
    return Calendar(title, tuple(days), text["schedule_range"])
