"""The shape of every YAML file authors write, as pydantic models.

Pydantic gives us typed validation with precise error locations (mapped back to
``file:line:col`` in validate.py), forbids unknown keys (typos are errors, not silently
ignored settings) and can emit a JSON Schema for editors. These models describe *source
files*; the resolved, renderer-neutral handout lives in model.py.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Generic, Literal, TypeAlias, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    model_validator,
)

from .l10n import UNITS
from .model import LEVELS as LEVELS

Level = Literal["easy", "standard", "detailed"]
Paper = Literal["letter", "a4"]

Text = Annotated[str, StringConstraints(strip_whitespace=False, min_length=1)]
SLUG = r"^[a-z][a-z0-9_]*$"  # the patterns are named so validate.py can explain a mismatch
LANG_CODE = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"
HEX_COLOR = r"^#[0-9A-Fa-f]{6}$"
Slug = Annotated[str, StringConstraints(pattern=SLUG)]
LangCode = Annotated[str, StringConstraints(pattern=LANG_CODE)]
HexColor = Annotated[str, StringConstraints(pattern=HEX_COLOR)]


def short(most: int) -> StringConstraints:
    """Text printed on every page (header, footer, marks), as ``Annotated[str, short(120)]``:
    at most ``most`` characters, so that however it is written the header and footer leave
    most of the page for the content (a 2,000-character clinic name would leave none)."""
    return StringConstraints(strip_whitespace=False, min_length=1, max_length=most)


T = TypeVar("T")


class Strict(BaseModel):
    """Unknown keys are errors and nothing is coerced: "5" stays text, 5 stays a number."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class ByLevel(Strict, Generic[T]):
    """One value per reading level; every level must be written."""

    easy: T
    standard: T
    detailed: T


def _level_tag(value: Any) -> str:
    return "by_level" if isinstance(value, dict) else "same"


Same = TypeVar("Same")
PerLevel = TypeVar("PerLevel")

# A value that is either the same for every level or written once per level, e.g.
# ``_Leveled[Text, ByLevel[Text]]``: to mypy the plain union ``str | ByLevel[str]``, to pydantic a
# union tagged by the value's shape. Both parameters are TypeVars because typing does not
# substitute a TypeVar inside a generic pydantic model (``ByLevel[T]`` would stay unfilled).
_Leveled = Annotated[
    Annotated[Same, Tag("same")] | Annotated[PerLevel, Tag("by_level")],
    Discriminator(_level_tag),
]


def _fact_tag(value: Any) -> str | None:
    if isinstance(value, bool):
        return None
    return {str: "text", int: "whole", float: "decimal", dict: "quantity"}.get(type(value))


Number = int | Annotated[float, Field(allow_inf_nan=False)]


class Quantity(Strict):
    """``{value: 5, unit: mg}`` or a range ``{value: 1, to: 2, unit: week}``: printed in each
    reader's language by l10n.quantity, so translations never retype a dose."""

    value: Number
    to: Number | None = None
    unit: Literal[tuple(UNITS)]  # type: ignore[valid-type]  # l10n's units, listed once; mypy wants literals


FactValue = Annotated[
    Annotated[Text, Tag("text")]
    | Annotated[int, Tag("whole")]
    | Annotated[float, Field(allow_inf_nan=False), Tag("decimal")]
    | Annotated[Quantity, Tag("quantity")],
    Discriminator(
        _fact_tag,
        custom_error_type="fact_kind",
        custom_error_message="a fact is text, a number, or {value: NUMBER, unit: UNIT}",
    ),
]


# --- blocks -------------------------------------------------------------------------

BLOCK_KEYS = ("p", "subhead", "list", "warning")


def _block_tag(value: Any) -> str | None:
    if isinstance(value, dict):
        return next((key for key in BLOCK_KEYS if key in value), None)
    return None


class Paragraph(Strict):
    p: Text


class Subhead(Strict):
    subhead: Text


class ParamRef(Strict):
    """``list: {param: withdrawal_signs}``: bullets taken from a list parameter of a template."""

    param: Slug


class BulletList(Strict):
    items: Annotated[list[Text], Field(min_length=1)] | ParamRef = Field(alias="list")


# Blocks are told apart by their key (p, subhead, list, warning), so an error names the
# one kind the author meant instead of listing why each of the four did not fit.
_BLOCK_KIND = Discriminator(
    _block_tag,
    custom_error_type="block_kind",
    custom_error_message="a block needs one of the keys: " + ", ".join(BLOCK_KEYS),
)
InnerBlock = Annotated[
    Annotated[Paragraph, Tag("p")] | Annotated[Subhead, Tag("subhead")] | Annotated[BulletList, Tag("list")],
    _BLOCK_KIND,
]


class CalloutBody(Strict):
    label: Text
    body: Annotated[list[InnerBlock], Field(min_length=1)]


class Callout(Strict):
    """A boxed, labelled warning. Boxes do not nest: a box in a box reads as noise."""

    warning: CalloutBody


Block = Annotated[
    Annotated[Paragraph, Tag("p")]
    | Annotated[Subhead, Tag("subhead")]
    | Annotated[BulletList, Tag("list")]
    | Annotated[Callout, Tag("warning")],
    _BLOCK_KIND,
]
Body = Annotated[list[Block], Field(min_length=1)]
# A list parameter may be empty (``extra_red_flags: []``): the template's list prints nothing.
ParamValue = Text | list[Text]
LeveledText = _Leveled[Text, ByLevel[Text]]


# --- key points -----------------------------------------------------------------------
# "Most important things to know": a few short items in a box at the top of page 1. The
# limits keep the box a summary a patient reads first, not a second copy of the handout.

KEY_POINTS_MIN = 3
KEY_POINTS_MAX = 5
KEY_POINT_CHARS = 200  # as written, {{ ... }} included: two or three lines at the easy level


def _key_point(item: str) -> str:
    """One key point, source or translation: short (checked per item, so the error
    points at the item)."""
    if len(item) > KEY_POINT_CHARS:
        raise ValueError(
            f"a key point of {len(item)} characters; at most {KEY_POINT_CHARS}: keep it short, "
            "the details belong in the sections"
        )
    return item


def _key_point_count(items: list[str]) -> list[str]:
    """Messages that say what to do (pydantic's own: "List should have at least 3 items")."""
    if not KEY_POINTS_MIN <= len(items) <= KEY_POINTS_MAX:
        raise ValueError(
            f"{len(items)} key points; write {KEY_POINTS_MIN} to {KEY_POINTS_MAX} short items "
            "(the most important things a patient must do or watch for)"
        )
    return items


# The limits also go into the JSON Schema, so an editor flags a sixth item as it is typed.
KeyPoint = Annotated[Text, AfterValidator(_key_point), Field(json_schema_extra={"maxLength": KEY_POINT_CHARS})]
KeyPoints = Annotated[
    list[KeyPoint],
    AfterValidator(_key_point_count),
    Field(json_schema_extra={"minItems": KEY_POINTS_MIN, "maxItems": KEY_POINTS_MAX}),
]
LeveledKeyPoints = _Leveled[KeyPoints, ByLevel[KeyPoints]]
LeveledBody = _Leveled[Body, ByLevel[Body]]
LeveledParam = _Leveled[ParamValue, ByLevel[ParamValue]]


# --- files --------------------------------------------------------------------------


class SectionSource(Strict):
    """A section either writes its own title and body or takes them from a shared template."""

    required: bool = False
    title: LeveledText | None = None
    body: LeveledBody | None = None
    template: Slug | None = None
    params: dict[Slug, LeveledParam] = {}

    @model_validator(mode="after")
    def _body_or_template(self) -> SectionSource:
        if self.template is None:
            if self.body is None:
                raise ValueError("a section needs a 'body' (or a 'template' to take it from)")
            if self.title is None:
                raise ValueError("a section needs a 'title'")
            if self.params:
                raise ValueError("'params' only makes sense with a 'template'")
        elif self.body is not None:
            raise ValueError("a section takes its body from 'template' or writes 'body', not both")
        return self


class NameForms(Strict):
    """How the medicine's name reads inside a sentence of this language. ``name`` is the
    form for a heading or the start of a sentence ("Baclofen"); shared templates print
    ``medicine.name_in_sentence`` mid-sentence ("Stopping baclofen") and, in languages with
    case, the case their sentence needs (Russian "Не бросайте баклофен", "Покупка
    баклофена"). A form left out falls back to ``in_sentence``, and that to ``name``."""

    in_sentence: Text | None = Field(default=None, description="the name mid-sentence, e.g. baclofen")
    accusative: Text | None = Field(default=None, description="direct object, e.g. ru баклофен")
    genitive: Text | None = Field(default=None, description="'of the medicine', e.g. ru баклофена")

    def variables(self, name: str) -> dict[str, str]:
        """``name_in_sentence``, ``name_accusative``, ``name_genitive`` with their fallbacks."""
        in_sentence = self.in_sentence or name
        return {
            "name_in_sentence": in_sentence,
            "name_accusative": self.accusative or in_sentence,
            "name_genitive": self.genitive or in_sentence,
        }


class MedicineFile(Strict):
    """``content/medicines/<id>/<lang>.yaml``."""

    medicine: Slug
    name: Text
    name_forms: NameForms = Field(default_factory=NameForms)
    lang: LangCode
    status: Literal["draft", "reviewed"]
    revised: datetime.date
    summary: LeveledText
    key_points: LeveledKeyPoints | None = Field(
        default=None, description="3 to 5 short items printed in a box at the top of page 1, per level"
    )
    facts: dict[Slug, FactValue] = {}
    sections: Annotated[dict[Slug, SectionSource], Field(min_length=1)]


class TemplateFile(Strict):
    """``templates/<name>/<lang>.yaml``: a section shared by many medicines."""

    template: Slug
    params: dict[Slug, Text] = Field(default_factory=dict, description="parameter name -> what authors put there")
    title: LeveledText
    body: LeveledBody


class BrandColors(Strict):
    primary: HexColor = Field(description="headings, the organisation name and rules, on white paper")
    accent: HexColor = Field(description="warning boxes: border and label")


# Brand text a patient reads: one text, or one per language code, which must include the
# brand's own ``lang`` (the fallback for every other language). A generic alias, e.g.
# ``PerLanguage[Annotated[str, short(150)]]``, so mypy reads it as ``str | dict[str, str]``.
PerLanguage: TypeAlias = T | Annotated[dict[LangCode, T], Field(min_length=1)]


Phone = Annotated[str, short(40)]


class BrandFile(Strict):
    """``content/brands/<name>.yaml``: who hands the leaflet out, and the numbers a
    patient calls where they live: content never types an emergency number, it writes
    ``{{ brand.emergency_number }}``."""

    name: Annotated[str, short(120)]
    lang: LangCode = Field(default="en", description="the brand's own language: the fallback of per-language texts")
    logo: Text | None = None
    colors: BrandColors
    phone: Annotated[str, short(40)] | None = None
    website: Annotated[str, short(80)] | None = None
    address: PerLanguage[Annotated[str, short(150)]] | None = None
    hours: PerLanguage[Annotated[str, short(150)]] | None = Field(
        default=None, description="opening hours, printed with the address"
    )
    footer_note: PerLanguage[Annotated[str, short(300)]] | None = None
    emergency_number: Phone | None = Field(default=None, description="the local emergency line, e.g. 911 or 112")
    poison_control: Phone | None = Field(default=None, description="the poison control line, if there is one")
    after_hours: Phone | None = Field(default=None, description="the clinic's or pharmacy's after-hours line")
    link: Annotated[str, short(200)] | None = Field(
        default=None,
        description="https address of each handout online, printed with a QR code; "
        "placeholders {medicine} {lang} {level}, e.g. https://example.org/leaflets/{medicine}/{lang}/{level}",
    )
    paper: Paper = "letter"


class LayoutFile(Strict):
    """Which sections appear, in which order, and whether the key points box does."""

    sections: Annotated[list[Slug], Field(min_length=1)]
    key_points: Literal["include", "require", "omit"] = Field(
        default="include",
        description="include: print the medicine's key points when it has them; require: a medicine without "
        "them at the level is an error; omit: never print them",
    )


# --- batch manifests -------------------------------------------------------------------
# A pharmacy's batch: explicit jobs and/or a matrix expanded to its cross product. Brand
# and layout are names in the content library or paths relative to the manifest.

OutputPattern = Annotated[str, StringConstraints(pattern=r"\.(pdf|html)$")]  # confined to --out by manifest.py
Format = Literal["pdf", "html"]


class ManifestJob(Strict):
    """One handout to print; unset fields take the same defaults as ``build``."""

    medicine: Slug
    lang: LangCode = "en"
    level: Level = "standard"
    brand: Text | None = None
    paper: Paper | None = None
    layout: Text | None = None
    patient: Text | None = Field(
        default=None, description="a patient's plan (YAML) relative to the manifest: a personal handout"
    )
    format: Format = Field(default="pdf", description="pdf, or html: the accessible web page of the same handout")
    large_print: bool = Field(default=False, description="18 pt and larger type for low vision (build --large-print)")
    output: OutputPattern | None = Field(
        default=None, description="path inside --out (.pdf, or .html for format html); default from 'output'"
    )


class ManifestMatrix(Strict):
    """Every combination of the listed values; ``all`` = every shipped language (of each
    medicine), every level, every brand in the library, or both papers."""

    medicine: Annotated[list[Slug], Field(min_length=1)]
    lang: Annotated[list[LangCode], Field(min_length=1)] | Literal["all"] = ["en"]
    level: Annotated[list[Level], Field(min_length=1)] | Literal["all"] = ["standard"]
    brand: Annotated[list[Text], Field(min_length=1)] | Literal["all"] | None = None
    paper: Annotated[list[Paper], Field(min_length=1)] | Literal["all"] | None = None
    layout: Annotated[list[Text], Field(min_length=1)] | None = None
    format: Annotated[list[Format], Field(min_length=1)] | None = None
    large_print: Annotated[list[bool], Field(min_length=1)] | None = None


class ManifestFile(Strict):
    """``python generate.py batch MANIFEST``: what to print, and where."""

    output: OutputPattern = Field(
        default="{medicine}-{lang}-{level}{-brand}{-paper}{-layout}{-patient}{-large}.{format}",
        description="name of each output inside --out; fields {medicine} {lang} {level} {brand} {paper} {layout} "
        "{format} {patient} (line + the manifest line of a personal job, never the patient's name); "
        "{-brand} etc. add '-value' only when the job sets it, {-large} adds '-large' for large print",
    )
    jobs: list[ManifestJob] = []
    matrix: (
        Annotated[
            Annotated[ManifestMatrix, Tag("one")] | Annotated[list[ManifestMatrix], Tag("many")],
            Discriminator(lambda value: "many" if isinstance(value, list) else "one"),
        ]
        | None
    ) = None

    @model_validator(mode="after")
    def _something_to_do(self) -> ManifestFile:
        if not self.jobs and self.matrix is None:
            raise ValueError("a manifest needs 'jobs' or 'matrix' (or both)")
        return self


class StringsFile(Strict):
    """Interface text per language: nothing a reader sees is an English literal in Python."""

    lang: LangCode
    page: Annotated[str, short(60)] = Field(description="footer page label; must contain {page} and {pages}")
    revised: Annotated[str, short(60)] = Field(description="must contain {date}")
    version: Annotated[str, short(60)] = Field(description="must contain {version}")
    draft_mark: Annotated[str, short(30)] = Field(description="the large watermark word on draft pages")
    draft_notice: Annotated[str, short(120)] = Field(description="one line under the header of draft pages")
    continued: Annotated[str, short(60)] = Field(
        default="{label}",  # a strings file written before this key repeats the bare label, as it did then
        description=(
            "label of a warning box on the page it runs on to, e.g. '{label} (continued)'; must contain {label}"
        ),
    )
    online: Annotated[str, short(80)] = Field(
        default="",  # a strings file written before this key prints the address alone
        description="the words before the brand's link and its QR code, e.g. 'Read this leaflet online:'",
    )
    # Only a personal handout (``build --patient``) prints these; a strings file without them
    # still serves every other handout, and a personal one names the missing key.
    patient_for: Annotated[str, short(60)] | None = Field(
        default=None, description="page 1 of a personal handout, e.g. 'For: {name}'; must contain {name}"
    )
    patient_details: Annotated[str, short(160)] | None = Field(
        default=None, description="must contain {prescriber}, {number} (the prescription number) and {date} (dispensed)"
    )
    schedule_title: Annotated[str, short(60)] | None = Field(default=None, description="heading of the dose schedule")
    schedule_when: Annotated[str, short(30)] | None = Field(default=None, description="pill card: the dates column")
    schedule_from: Annotated[str, short(40)] | None = Field(
        default=None, description="a step with no end, e.g. 'From {date}'; must contain {date}"
    )
    schedule_range: Annotated[str, short(40)] | None = Field(
        default=None, description="a step's days, e.g. '{start} to {end}'; must contain {start} and {end}"
    )
    schedule_stop: Annotated[str, short(80)] | None = Field(
        default=None, description="under a plan that ends, e.g. 'Last dose: {date}. Then stop.'; must contain {date}"
    )
    calendar_start: Annotated[str, short(100)] | None = Field(
        default=None, description="heading of the check-off calendar of the first weeks"
    )
    calendar_taper: Annotated[str, short(100)] | None = Field(
        default=None, description="heading of the check-off calendar of lowering the dose to stop"
    )
    time_morning: Annotated[str, short(20)] | None = None
    time_noon: Annotated[str, short(20)] | None = None
    time_evening: Annotated[str, short(20)] | None = None
    time_bedtime: Annotated[str, short(20)] | None = None
    key_points: Annotated[str, short(80)] | None = Field(
        default=None,  # needed only by a medicine with key_points: resolve says so then
        description="title of the key points box on page 1, e.g. 'Most important things to know'",
    )


# --- a patient's own plan --------------------------------------------------------------
# ``build --patient FILE``: personal health information, validated like content but never
# quoted back (validate.check(..., redact=True)); see patient.py and docs/personal.md.

TIMES: tuple[str, ...] = ("morning", "noon", "evening", "bedtime")  # the pill card's columns, in order
TimeOfDay = Literal["morning", "noon", "evening", "bedtime"]
MAX_STEPS = 12  # titration and taper steps together: the pill card fits on one page
MAX_PLAN_DAYS = 366
Positive = Annotated[int, Field(gt=0)] | Annotated[float, Field(gt=0, allow_inf_nan=False)]


class Dose(Strict):
    """``{value: 5, unit: mg}``: one dose, taken at each time the step lists."""

    value: Positive
    unit: Literal["mg", "mcg", "g", "ml"]


class PlanStep(Strict):
    """One step of a plan: from ``day`` N of the plan (day 1 = ``start``) or from ``date``,
    ``dose`` at each of ``times``, until the next step starts, or for ``days`` days,
    or ``until`` a date (the last day it is taken)."""

    day: Annotated[int, Field(ge=1, le=MAX_PLAN_DAYS)] | None = Field(default=None, description="day 1 = start")
    date: datetime.date | None = None
    dose: Dose
    times: Annotated[list[TimeOfDay], Field(min_length=1, max_length=4)]
    days: Annotated[int, Field(ge=1, le=MAX_PLAN_DAYS)] | None = Field(
        default=None, description="how many days this step lasts"
    )
    until: datetime.date | None = Field(default=None, description="the last day of this step")

    @model_validator(mode="after")
    def _one_start_one_end(self) -> PlanStep:
        if (self.day is None) == (self.date is None):
            raise ValueError("a step starts on a 'day' of the plan or on a 'date': give one of them")
        if self.days is not None and self.until is not None:
            raise ValueError("a step ends after 'days' or on 'until': give one of them, not both")
        if len(set(self.times)) != len(self.times):
            raise ValueError("a time of day is listed twice in 'times'")
        return self


class PatientFile(Strict):
    """``build --patient FILE``: who the handout is for and their dose plan."""

    medicine: Slug = Field(description="the medicine this plan is for; must match the handout's")
    name: Annotated[str, short(80)] = Field(description="the patient's name, printed as 'For: NAME'")
    prescriber: Annotated[str, short(80)]
    prescription: Annotated[str, short(40)] = Field(description="the pharmacy's prescription number")
    dispensed: datetime.date
    start: datetime.date | None = Field(default=None, description="day 1 of the plan; default: the day dispensed")
    steps: list[PlanStep] = Field(default=[], description="starting and raising the dose (titration)")
    taper: list[PlanStep] = Field(
        default=[], description="lowering the dose to stop; its last step must end (days or until)"
    )

    @model_validator(mode="after")
    def _has_steps(self) -> PatientFile:
        if not self.steps and not self.taper:
            raise ValueError("a plan needs 'steps' (or 'taper' steps to stop)")
        if len(self.steps) + len(self.taper) > MAX_STEPS:
            raise ValueError(f"at most {MAX_STEPS} steps (steps and taper together) fit on a pill card")
        return self


# --- translations -------------------------------------------------------------------
# A translation mirrors its source file key for key. Every unit of text carries ``src``,
# the fingerprint of the source text it was translated from (written by `translate
# init`), so a later change to the source shows up as "stale". An empty text is a unit
# not translated yet. Facts, required flags and template choices are not repeated: they
# come from the source, so a dose is never retyped.

Fingerprint = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{8}$")]
Draft = Annotated[str, StringConstraints(strip_whitespace=False)]  # "" = not translated yet


def _same_as_source() -> Any:
    """``same_as_source: true`` on a unit: its text is the source's on purpose (a brand
    name, an abbreviation such as "MS"), so the QA's "identical to the source" warning
    stops for it. On a warning box it applies to the label."""
    return Field(default=False, description="the text is the source's on purpose (a name, an abbreviation)")


class Unit(Strict):
    text: Draft
    src: Fingerprint
    same_as_source: bool = _same_as_source()


class ListUnit(Strict):
    items: list[Draft] = Field(alias="list")
    src: Fingerprint
    same_as_source: bool = _same_as_source()


class SomeLevels(Strict, Generic[T]):
    """Per-level values of a translation; a level not translated yet may be left out."""

    easy: T | None = None
    standard: T | None = None
    detailed: T | None = None


def _some_levels_tag(value: Any) -> str:
    return "by_level" if isinstance(value, dict) and set(value) & set(LEVELS) else "same"


# A translation's _Leveled: the same for every level, or the levels translated so far.
_SomeLeveled = Annotated[
    Annotated[Same, Tag("same")] | Annotated[PerLevel, Tag("by_level")],
    Discriminator(_some_levels_tag),
]


class TParagraph(Strict):
    p: Draft
    src: Fingerprint
    same_as_source: bool = _same_as_source()


class TSubhead(Strict):
    subhead: Draft
    src: Fingerprint
    same_as_source: bool = _same_as_source()


class TBulletList(Strict):
    items: list[Draft] | ParamRef = Field(alias="list")
    src: Fingerprint | None = None  # none for {param: ...}: nothing to translate there
    same_as_source: bool = _same_as_source()


class TCalloutBody(Strict):
    label: Draft
    src: Fingerprint
    same_as_source: bool = _same_as_source()
    body: list[TInnerBlock]


class TCallout(Strict):
    warning: TCalloutBody


TInnerBlock = Annotated[
    Annotated[TParagraph, Tag("p")] | Annotated[TSubhead, Tag("subhead")] | Annotated[TBulletList, Tag("list")],
    _BLOCK_KIND,
]
TBlock = Annotated[
    Annotated[TParagraph, Tag("p")]
    | Annotated[TSubhead, Tag("subhead")]
    | Annotated[TBulletList, Tag("list")]
    | Annotated[TCallout, Tag("warning")],
    _BLOCK_KIND,
]
TCalloutBody.model_rebuild()


def _param_tag(value: Any) -> str | None:
    return "list" if isinstance(value, dict) and "list" in value else "text"


TParam = Annotated[Annotated[Unit, Tag("text")] | Annotated[ListUnit, Tag("list")], Discriminator(_param_tag)]
SomeLeveledUnit = _SomeLeveled[Unit, SomeLevels[Unit]]


class KeyPointsUnit(Strict):
    """Translated key points: the same count as the source (checked when paired), each as
    short as the source's must be."""

    items: list[Annotated[Draft, AfterValidator(_key_point)]] = Field(alias="list")
    src: Fingerprint
    same_as_source: bool = _same_as_source()


SomeLeveledKeyPoints = _SomeLeveled[KeyPointsUnit, SomeLevels[KeyPointsUnit]]
SomeLeveledBody = _SomeLeveled[list[TBlock], SomeLevels[list[TBlock]]]
SomeLeveledParam = _SomeLeveled[TParam, SomeLevels[TParam]]


class SectionTranslation(Strict):
    title: SomeLeveledUnit | None = None
    body: SomeLeveledBody | None = None
    params: dict[Slug, SomeLeveledParam] = {}


class MedicineTranslation(Strict):
    """``content/medicines/<id>/<lang>.yaml`` with ``translation_of: en``."""

    medicine: Slug
    lang: LangCode
    translation_of: LangCode = Field(description="language of the source file this translates, e.g. en")
    status: Literal["draft", "reviewed"]
    revised: datetime.date
    name: Unit
    name_forms: NameForms = Field(
        default_factory=NameForms, description="this language's own forms of the name; never inherited from the source"
    )
    summary: SomeLeveledUnit
    key_points: SomeLeveledKeyPoints | None = None
    sections: dict[Slug, SectionTranslation] = {}


class TemplateTranslation(Strict):
    """``templates/<name>/<lang>.yaml`` with ``translation_of: en``."""

    template: Slug
    translation_of: LangCode
    title: SomeLeveledUnit
    body: SomeLeveledBody
