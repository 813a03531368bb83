"""A patient's own plan (``build --patient FILE``): loaded, checked and put on dates.

The file is personal health information. It is checked like content (``file:line:col``
errors with hints, exit 2), but no message quotes a value from it: validation runs with
``redact`` and every loader message is scrubbed of quoted text (``_scrubbed``), so a name
or a dose never reaches a terminal, a log or a batch report. The position and the key
path say where to look; the operator opens the file to see what is there.

A plan is a list of steps (starting and raising the dose) and optional ``taper`` steps
(lowering it to stop). Each step starts on a ``day`` of the plan (day 1 = ``start``) or
a ``date``, and lasts until the next one starts, for ``days`` days or ``until`` a date.
Steps follow each other without gaps or overlaps; a taper ends on a last day.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path

from . import schema
from .coverage import coverage_check
from .errors import ContentError, Diagnostic
from .limits import check_limits
from .loader import KeyPath, Source, load_yaml
from .validate import KNOWN_KEYS, check

# grams per unit: a dose and the medicine's max_daily_dose are compared in one unit
_MASS = {"mcg": 0.000001, "mg": 0.001, "g": 1.0}


@dataclass(frozen=True)
class Step:
    """One step of the plan on the calendar: its first day and its last (None: it goes
    on, as a maintenance dose does), the dose at each of its times."""

    first: datetime.date
    last: datetime.date | None
    dose: schema.Dose
    times: tuple[str, ...]
    taper: bool


@dataclass(frozen=True)
class Plan:
    """A checked patient file: who it is for and the steps on dates."""

    name: str
    prescriber: str
    prescription: str
    dispensed: datetime.date
    start: datetime.date
    steps: tuple[Step, ...]


def load_plan(path: Path, medicine: str, facts: dict[str, schema.FactValue], facts_at: str) -> Plan:
    """The plan in ``path`` for ``medicine`` (whose ``facts`` give ``max_daily_dose``, written
    at ``facts_at`` for the hint), or ContentError with redacted messages."""
    try:
        source = load_yaml(path)
        check_limits(source)
        doc = check(source, schema.PatientFile, redact=True)
        return _dated(source, doc, medicine, facts, facts_at)
    except ContentError as exc:
        raise ContentError(_scrubbed(d) for d in exc.diagnostics) from None


def _dated(
    source: Source, doc: schema.PatientFile, medicine: str, facts: dict[str, schema.FactValue], facts_at: str
) -> Plan:
    problems: list[Diagnostic] = []
    if doc.medicine != medicine:
        problems.append(
            source.error(
                ("medicine",),
                "this plan is for another medicine than the handout",
                "build the handout of the medicine the plan names, or fix 'medicine:'",
            )
        )
    for key in ("name", "prescriber", "prescription"):
        try:
            coverage_check(source, getattr(doc, key), (key,))
        except ContentError as exc:
            problems.extend(exc.diagnostics)
    written = [(s, ("steps", i), False) for i, s in enumerate(doc.steps)]
    written += [(s, ("taper", i), True) for i, s in enumerate(doc.taper)]
    first_written = written[0][0]
    start = doc.start or first_written.date or doc.dispensed
    steps: list[Step] = []
    for n, (step, at, taper) in enumerate(written):
        first = step.date if step.date is not None else start + datetime.timedelta(days=(step.day or 1) - 1)
        where = at + (("date",) if step.date is not None else ("day",))
        last = first + datetime.timedelta(days=step.days - 1) if step.days else step.until
        if n == 0 and first != start:
            problems.append(source.error(where, "the first step must start on day 1 of the plan ('start')"))
        if last is not None and last < first:
            problems.append(source.error(at + ("until",), "this step ends before it starts"))
        if steps:
            before = steps[-1]
            if first <= before.first:
                problems.append(
                    source.error(where, "steps must be in order: this one starts on or before the one above")
                )
            elif before.last is None:
                steps[-1] = Step(
                    before.first, first - datetime.timedelta(days=1), before.dose, before.times, before.taper
                )
            elif first != before.last + datetime.timedelta(days=1):
                problems.append(
                    source.error(
                        where,
                        "this step must start the day after the step above ends (no gap, no overlap)",
                        "remove the end ('days' or 'until') of the step above, or change this step's start",
                    )
                )
        problems += _dose_problems(source, step, at, facts, facts_at)
        steps.append(Step(first, last, step.dose, tuple(t for t in schema.TIMES if t in step.times), taper))
    if doc.taper and steps[-1].last is None:
        at = ("taper", len(doc.taper) - 1)
        problems.append(source.error(at, "the last taper step must end", "add 'days:' or 'until:' to it"))
    end = steps[-1].last or steps[-1].first
    if (end - start).days >= schema.MAX_PLAN_DAYS:
        problems.append(source.error((), f"a plan lasts at most {schema.MAX_PLAN_DAYS} days"))
    if problems:
        raise ContentError(problems)
    return Plan(doc.name, doc.prescriber, doc.prescription, doc.dispensed, start, tuple(steps))


def _dose_problems(
    source: Source, step: schema.PlanStep, at: KeyPath, facts: dict[str, schema.FactValue], facts_at: str
) -> list[Diagnostic]:
    """The day's total of a step (dose x times) against the medicine's ``max_daily_dose``."""
    top = facts.get("max_daily_dose")
    if not isinstance(top, schema.Quantity):
        return []
    limit = f"the medicine's max_daily_dose ({top.value:g} {top.unit}, {facts_at})"
    unit = step.dose.unit
    if unit not in _MASS or top.unit not in _MASS:
        if unit == top.unit:
            grams, most = step.dose.value * len(step.times), top.value
        else:
            return [source.error(at + ("dose", "unit"), f"this unit cannot be compared with {limit}", "")]
    else:
        grams, most = step.dose.value * len(step.times) * _MASS[unit], top.value * _MASS[top.unit]
    if grams > most * (1 + 1e-9):
        return [
            source.error(
                at + ("dose",),
                f"the total a day of this step is above {limit}",
                "check the dose and the times of day with the prescriber",
            )
        ]
    return []


_QUOTED = re.compile(r"'([^']*)'")
_ALLOWED = KNOWN_KEYS | set(schema.TIMES) | {"YYYY-MM-DD"}


def _scrubbed(diag: Diagnostic) -> Diagnostic:
    """``diag`` with every quoted text that is not a known key or word replaced by '…':
    the loader quotes values it cannot read ("cannot read value '2026-02-30'"), and a
    value in a patient file may be part of a name or a plan."""

    def scrub(text: str) -> str:
        return _QUOTED.sub(lambda m: m[0] if m[1] in _ALLOWED else "'…'", text)

    known = all(part.isdigit() or part in KNOWN_KEYS for part in re.findall(r"[^.\[\]]+", diag.key))
    key = diag.key if known else ""
    return Diagnostic(
        diag.path, diag.line, diag.col, scrub(diag.message), key=key, hint=scrub(diag.hint), severity=diag.severity
    )
