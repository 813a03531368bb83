"""The form's patient fields -> the plan ``build --patient`` reads, and the library's
problems with it back to the field that caused them.

A front-desk person does not write YAML: the page offers the name, the prescription,
the dates, and a few step rows (a dose, the times of day, for how many days), in one
direction (starting or raising the dose, or lowering it to stop). When the page comes back
(a preview, a problem, no handout this time), every row comes back as it was sent, and
one empty row more when all rows are used, up to the plan's ``schema.MAX_STEPS``: a longer
plan grows a row at a time without JavaScript, and a step is never dropped unseen. Each row starts the
day after the row above ends, so its ``day`` is counted here, and the last row of a
start may be left open (the dose to keep taking). What is made is the dict the API's
``patient`` takes, checked by the same library code as a ``--patient`` file; this module
only catches what the library could not place on a field (a row left out in the middle,
a dose that is not a number), and says so without quoting the value.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .. import schema

ROWS = 6  # step rows on a fresh page: both example plans fit in four
MAX_ROWS = schema.MAX_STEPS  # rows the page grows to, one empty row at a time
UNITS = ("mg", "mcg", "g", "ml")
KINDS = ("steps", "taper")  # starting or raising the dose; lowering it to stop
USUAL_TIMES = ("morning", "noon", "evening")  # pre-ticked: three times a day is the usual start
PEOPLE = ("name", "prescriber", "prescription", "dispensed")  # required by a plan (schema.PatientFile)

_WHOLE = re.compile(r"[0-9]{1,4}")
_DECIMAL = re.compile(r"[0-9]{0,4}[.,][0-9]{1,3}")
_ROW_FIELD = re.compile(r"step([0-9]+)_(?:dose|unit|times|days)")
_ROW_KEY = re.compile(r"patient\.(?:steps|taper)\[([0-9]+)\](?:\.([a-z]+))?(?:\.([a-z]+))?")


@dataclass
class Row:
    """One step row as typed."""

    dose: str = ""
    unit: str = "mg"
    times: tuple[str, ...] = USUAL_TIMES
    days: str = ""

    def used(self) -> bool:
        return bool(self.dose.strip() or self.days.strip())


@dataclass
class PlanFields:
    """The patient part of the form, as typed (text, as the page shows it again)."""

    name: str = ""
    prescriber: str = ""
    prescription: str = ""
    dispensed: str = ""
    start: str = ""
    kind: str = "steps"
    rows: list[Row] = field(default_factory=lambda: [Row() for _ in range(ROWS)])
    beyond: bool = False  # a step typed past MAX_ROWS: refused, never dropped unseen

    def given(self) -> bool:
        """Anything typed that makes a plan (a prefilled date alone does not)."""
        return (
            bool(self.name.strip() or self.prescriber.strip() or self.prescription.strip())
            or any(r.used() for r in self.rows)
            or self.beyond
        )


def blank(today: datetime.date) -> PlanFields:
    """An empty plan whose medicine is handed out today."""
    return PlanFields(dispensed=today.isoformat())


def read(fields: Mapping[str, list[str]]) -> PlanFields:
    """The patient fields of a posted form (``parse_qs``'s shape). A row sent comes back
    as sent (an empty one too, with the times the person left ticked); a row not sent at
    all is a fresh one. The page shows ``ROWS`` rows, or every used row and one empty row
    after them, up to ``MAX_ROWS``."""

    def one(name: str) -> str:
        return fields.get(name, [""])[0].strip()

    sent = {int(match[1]) for match in map(_ROW_FIELD.fullmatch, fields) if match}
    rows = [
        Row(
            dose=one(f"step{n}_dose"),
            unit=one(f"step{n}_unit") or "mg",
            times=tuple(t for t in schema.TIMES if t in fields.get(f"step{n}_times", [])),
            days=one(f"step{n}_days"),
        )
        if n in sent
        else Row()
        for n in range(1, MAX_ROWS + 1)
    ]
    used = [n for n, row in enumerate(rows, 1) if row.used()]
    # a step past MAX_ROWS is a post the page never makes: said, so none is left out unseen
    beyond = any(one(f"step{n}_dose") or one(f"step{n}_days") for n in sent if n > MAX_ROWS)
    shown = MAX_ROWS if beyond else min(MAX_ROWS, max(ROWS, used[-1] + 1 if used else 0))
    return PlanFields(
        name=one("p_name"),
        prescriber=one("p_prescriber"),
        prescription=one("p_prescription"),
        dispensed=one("p_dispensed"),
        start=one("p_start"),
        kind=one("p_kind") or "steps",
        rows=rows[:shown],
        beyond=beyond,
    )


def patient(plan: PlanFields, medicine: str) -> tuple[dict[str, Any], dict[str, str]]:
    """The API's ``patient`` dict for ``plan``, and the problems found on the way, as
    field -> the interface's word key (``ui``). Dates stay ISO text, as JSON sends them."""
    problems: dict[str, str] = {}
    for key in PEOPLE:
        if not getattr(plan, key):
            problems[f"p_{key}"] = "plan_required"
    if plan.kind not in KINDS:
        problems["p_kind"] = "choose"
    used = [n for n, row in enumerate(plan.rows, 1) if row.used()]
    if not used:
        problems["step1_dose"] = "plan_no_steps"
    elif used != list(range(1, len(used) + 1)):
        gap = next(n for n in range(1, len(plan.rows) + 1) if n not in used)
        problems[f"step{gap}_dose"] = "plan_gap"
    if plan.beyond:
        problems.setdefault(f"step{len(plan.rows)}_dose", "plan_too_many")
    steps: list[dict[str, Any]] = []
    day = 1
    for n in used:
        row = plan.rows[n - 1]
        step: dict[str, Any] = {"day": day, "dose": {"value": _number(row.dose), "unit": row.unit}}
        step["times"] = list(row.times)
        if step["dose"]["value"] is None:
            problems[f"step{n}_dose"] = "plan_dose"
        if row.unit not in UNITS:
            problems[f"step{n}_unit"] = "choose"
        if not row.times:
            problems[f"step{n}_times"] = "plan_times"
        if row.days:
            days = _whole(row.days)
            if not days:
                problems[f"step{n}_days"] = "plan_days_number"
            else:
                step["days"] = days
                day += days
        elif n != used[-1]:
            problems[f"step{n}_days"] = "plan_days"  # the next row's first day is counted from this one's
        steps.append(step)
    found = {"medicine": medicine, **{key: getattr(plan, key) for key in PEOPLE}}
    if plan.start:
        found["start"] = plan.start
    found["taper" if plan.kind == "taper" else "steps"] = steps
    return found, problems


def _number(text: str) -> int | float | None:
    """A dose as typed: 5, 2.5 or 2,5 (a decimal comma, as many languages write it), in
    any one script's digits (٥ or ٢٫٥ on an Arabic keyboard: 5 and 2.5)."""
    text = _ascii_digits(text)
    if _WHOLE.fullmatch(text):
        return int(text)
    if _DECIMAL.fullmatch(text):
        return float(text.replace(",", "."))
    return None


def _whole(text: str) -> int | None:
    """A count of days as typed, in any one script's digits."""
    text = _ascii_digits(text)
    return int(text) if _WHOLE.fullmatch(text) else None


_DECIMAL_SEPARATORS = {"\u066b": "."}  # ARABIC DECIMAL SEPARATOR


def _ascii_digits(text: str) -> str:
    """``text`` with the digits of another script as 0-9, and the Arabic decimal
    separator as a point. Digits of two scripts in one number are left as they are (and
    so refused): that is a slip, and a dose is not guessed."""
    zeros = {ord(ch) - unicodedata.decimal(ch) for ch in text if unicodedata.decimal(ch, None) is not None}
    if len(zeros) != 1:
        return text
    return "".join(
        str(unicodedata.decimal(ch)) if unicodedata.decimal(ch, None) is not None else _DECIMAL_SEPARATORS.get(ch, ch)
        for ch in text
    )


def field_of(key: str) -> str | None:
    """The form field a library problem names (its ``key``, e.g. ``patient.steps[1].dose.value``),
    or None when no one field caused it (the plan as a whole)."""
    if key in ("patient", "patient.steps", "patient.taper"):
        return "step1_dose" if key != "patient" else None
    row = _ROW_KEY.fullmatch(key)
    if row:
        n = int(row[1]) + 1
        part = "unit" if row[3] == "unit" else row[2] if row[2] in ("dose", "times") else "days"
        return f"step{n}_{part}" if n <= MAX_ROWS else None  # a row's start and end are counted from its days
    top = key.removeprefix("patient.")
    return f"p_{top}" if top in (*PEOPLE, "start") else None
