"""The resolved handout: what a reader gets, independent of any output format.

Everything here is plain, frozen data: Jinja has run, the level and layout are chosen,
shared templates are expanded. Only the pdf package turns this into reportlab flowables, so
a future HTML or large-print renderer reuses all of it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

LEVELS: tuple[str, ...] = ("easy", "standard", "detailed")  # reading levels, easiest first
WEEK = 7  # days in a row of a check-off calendar: a table per week


@dataclass(frozen=True)
class Span:
    """A run of text; ``bold`` is the only inline style authors get."""

    text: str
    bold: bool = False


Inline = tuple[Span, ...]


@dataclass(frozen=True)
class Paragraph:
    spans: Inline


@dataclass(frozen=True)
class Subhead:
    text: str


@dataclass(frozen=True)
class BulletList:
    items: tuple[Inline, ...]


@dataclass(frozen=True)
class Callout:
    """A boxed warning with a label word, e.g. "Do not stop suddenly"."""

    label: str
    blocks: tuple[Block, ...]


Block = Paragraph | Subhead | BulletList | Callout


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    blocks: tuple[Block, ...]
    template: str | None = None  # the shared template it prints ("online_pharmacy_safety"), if any


@dataclass(frozen=True)
class KeyPoints:
    """ "Most important things to know": the box at the top of page 1, before the first
    section, titled in the handout's language."""

    title: str
    items: tuple[Inline, ...]


@dataclass(frozen=True)
class Brand:
    name: str
    primary: str
    accent: str
    logo: Path | None = None
    phone: str | None = None
    website: str | None = None
    address: str | None = None
    footer_note: str | None = None
    paper: str = "letter"
    hours: str | None = None
    emergency_number: str | None = None
    poison_control: str | None = None
    after_hours: str | None = None
    link: str | None = None  # the online handout's address, placeholders unfilled (``links``)
    lang: str = "en"
    # per-language texts (field, language, text), chosen by ``for_lang``
    localized: tuple[tuple[str, str, str], ...] = ()

    def for_lang(self, lang: str) -> Brand:
        """The brand as a reader of ``lang`` sees it: each per-language text in that
        language, else its base language (zh-Hans -> zh), else the brand's own."""
        wanted = [lang, lang.split("-")[0], self.lang]
        chosen: dict[str, Any] = {}
        for field_name in {name for name, _, _ in self.localized}:
            texts = {code: text for name, code, text in self.localized if name == field_name}
            chosen[field_name] = next(texts[code] for code in wanted if code in texts)
        return replace(self, **chosen)

    def lang_of(self, field_name: str, lang: str) -> str:
        """The language of ``field_name``'s text as ``for_lang(lang)`` chose it: a clinic
        name or address not translated for the reader is in the brand's own language."""
        codes = {code for name, code, _ in self.localized if name == field_name}
        return next((code for code in (lang, lang.split("-")[0]) if code in codes), self.lang)

    def variables(self) -> dict[str, str]:
        """What content may name as ``{{ brand.KEY }}``: only what this brand declares."""
        keys = ("name", "phone", "website", "emergency_number", "poison_control", "after_hours")
        return {key: getattr(self, key) for key in keys if getattr(self, key)}


@dataclass(frozen=True)
class Strings:
    """Interface text in the handout's language, placeholders still unfilled."""

    page: str
    revised: str
    version: str
    draft_mark: str
    draft_notice: str
    continued: str  # "{label} (continued)": the head of a warning box's part on a later page
    online: str = ""  # "Read this leaflet online:", before the link and its QR code
    key_points: str | None = None  # the key points box's title; None: this language has none yet


@dataclass(frozen=True)
class CardRow:
    """One step of a pill card: its days, and the dose at each time of day ("" for none)."""

    when: str
    doses: tuple[str, ...]  # one per ``Schedule.times``
    taper: bool = False


@dataclass(frozen=True)
class Day:
    """One day of a check-off calendar: weekday and date as the language writes them,
    and the dose due at each time of day ("" for none), a box to tick beside each."""

    date: datetime.date
    weekday: str
    label: str
    doses: tuple[str, ...]


@dataclass(frozen=True)
class Calendar:
    """Check-off days, printed a week (``WEEK`` days) to a table, or a week in a few
    tables where a day's words need wider columns (``weeks``); a last week may be short."""

    title: str
    days: tuple[Day, ...]
    # the language's "{start} to {end}": with a table's first and last day ("Dec 2 to
    # Dec 8"), the name of its table for a screen reader (the HTML page's captions); the
    # PDF shows the dates in the table itself
    span: str = "{start} to {end}"

    def weeks(self, per_table: int = WEEK) -> list[tuple[Day, ...]]:
        """The days of each table, in order, every day once: a week (``WEEK`` days from
        the first) to a table, or with ``per_table`` fewer than a week, each week cut
        into the fewest tables of at most ``per_table`` days, as even as possible and
        the longer first (7 days at 4 a table: 4 + 3; at 3: 3 + 2 + 2). Why: a day's
        column must be as wide as its widest word (weekday, date, dose), and a word is
        never broken in a calendar; seven large-print columns are narrower than one
        Arabic weekday. A table never holds days of two weeks, so a week stays a unit
        to the eye and its tables' columns line up."""
        if not 1 <= per_table <= WEEK:
            raise ValueError(f"a calendar table holds 1 to {WEEK} days, not {per_table}")
        out: list[tuple[Day, ...]] = []
        for start in range(0, len(self.days), WEEK):
            week = self.days[start : start + WEEK]
            parts = -(-len(week) // per_table)
            size, longer = divmod(len(week), parts)
            at = 0
            for k in range(parts):
                n = size + (k < longer)
                out.append(week[at : at + n])
                at += n
        return out

    def name(self, days: tuple[Day, ...]) -> str:
        """A table's name from its first and last day: "Dec 2 to Dec 8", or "Dec 2"."""
        if len(days) == 1:
            return days[0].label
        return self.span.format(start=days[0].label, end=days[-1].label)

    def times_used(self, times: int) -> list[int]:
        """The times of day (indexes of ``Schedule.times``, ``times`` of them) with a dose
        on some day: a row each; a time never used gets none."""
        return [i for i in range(times) if any(day.doses[i] for day in self.days)]


@dataclass(frozen=True)
class Schedule:
    """A patient's own plan as printed (``build --patient``): personal health information,
    every text already in the handout's language."""

    for_line: str  # "For: NAME", on page 1
    details: str  # prescriber, prescription number, date dispensed
    title: str
    when: str  # the head of the pill card's column of days
    times: tuple[str, ...]  # the names of the four times of day, in schema.TIMES order
    rows: tuple[CardRow, ...]
    stop: str  # "Last dose: DATE. Then stop." when the plan ends, else ""
    calendars: tuple[Calendar, ...]


@dataclass(frozen=True)
class Handout:
    medicine: str
    title: str
    summary: str
    lang: str
    level: str
    draft: bool
    revised: datetime.date
    version: str
    sections: tuple[Section, ...]
    brand: Brand
    strings: Strings
    paper: str
    schedule: Schedule | None = None  # only with --patient
    link: str | None = None  # this handout's address online, from the brand's link
    large_print: bool = False  # type and spacing for low vision (docs/accessibility.md); same text
    key_points: KeyPoints | None = None  # None: the medicine has none at this level, or the layout omits them


def block_texts(block: Block) -> list[str]:
    """Plain text of a block, one entry per sentence-like unit (paragraph, item, label)."""
    if isinstance(block, Paragraph):
        return [plain(block.spans)]
    if isinstance(block, Subhead):
        return [block.text]
    if isinstance(block, BulletList):
        return [plain(item) for item in block.items]
    return [block.label] + [text for inner in block.blocks for text in block_texts(inner)]


def plain(spans: Inline) -> str:
    return "".join(span.text for span in spans)
