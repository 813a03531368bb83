"""The shape of every YAML file authors write, as pydantic models.

Pydantic gives us typed validation with precise error locations (mapped back to
``file:line:col`` in validate.py), forbids unknown keys (typos are errors, not silently
ignored settings) and can emit a JSON Schema for editors. These models describe *source
files*; the resolved, renderer-neutral handout lives in model.py.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Generic, Literal, TypeVar, Union

from pydantic import BaseModel, ConfigDict, Discriminator, Field, StringConstraints, Tag, model_validator

LEVELS: tuple[str, ...] = ("easy", "standard", "detailed")
Level = Literal["easy", "standard", "detailed"]
Paper = Literal["letter", "a4"]

Text = Annotated[str, StringConstraints(strip_whitespace=False, min_length=1)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
LangCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]
HexColor = Annotated[str, StringConstraints(pattern=r"^#[0-9A-Fa-f]{6}$")]

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


def leveled(inner: Any) -> Any:
    """A value that is either the same for every level or written once per level."""
    return Annotated[
        Union[Annotated[inner, Tag("same")], Annotated[ByLevel[inner], Tag("by_level")]],
        Discriminator(_level_tag),
    ]


def _fact_tag(value: Any) -> str | None:
    if isinstance(value, bool):
        return None
    return {str: "text", int: "whole", float: "decimal"}.get(type(value))


FactValue = Annotated[
    Union[
        Annotated[Text, Tag("text")],
        Annotated[int, Tag("whole")],
        Annotated[float, Field(allow_inf_nan=False), Tag("decimal")],
    ],
    Discriminator(_fact_tag, custom_error_type="fact_kind", custom_error_message="a fact is text or a number"),
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
    items: Union[Annotated[list[Text], Field(min_length=1)], ParamRef] = Field(alias="list")


def _block_union(*members: tuple[type, str]) -> Any:
    return Annotated[
        Union[tuple(Annotated[cls, Tag(tag)] for cls, tag in members)],
        Discriminator(
            _block_tag,
            custom_error_type="block_kind",
            custom_error_message="a block needs one of the keys: " + ", ".join(BLOCK_KEYS),
        ),
    ]


InnerBlock = _block_union((Paragraph, "p"), (Subhead, "subhead"), (BulletList, "list"))


class CalloutBody(Strict):
    label: Text
    body: Annotated[list[InnerBlock], Field(min_length=1)]


class Callout(Strict):
    """A boxed, labelled warning. Boxes do not nest: a box in a box reads as noise."""

    warning: CalloutBody


Block = _block_union((Paragraph, "p"), (Subhead, "subhead"), (BulletList, "list"), (Callout, "warning"))
Body = Annotated[list[Block], Field(min_length=1)]
ParamValue = Union[Text, Annotated[list[Text], Field(min_length=1)]]


# --- files --------------------------------------------------------------------------


class SectionSource(Strict):
    """A section either writes its own title and body or takes them from a shared template."""

    required: bool = False
    title: leveled(Text) | None = None
    body: leveled(Body) | None = None
    template: Slug | None = None
    params: dict[Slug, leveled(ParamValue)] = {}

    @model_validator(mode="after")
    def _body_or_template(self) -> "SectionSource":
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


class MedicineFile(Strict):
    """``content/medicines/<id>/<lang>.yaml``."""

    medicine: Slug
    name: Text
    lang: LangCode
    status: Literal["draft", "reviewed"]
    revised: datetime.date
    summary: leveled(Text)
    facts: dict[Slug, FactValue] = {}
    sections: Annotated[dict[Slug, SectionSource], Field(min_length=1)]


class TemplateFile(Strict):
    """``templates/<name>/<lang>.yaml``: a section shared by many medicines."""

    template: Slug
    params: dict[Slug, Text] = Field(default_factory=dict, description="parameter name -> what authors put there")
    title: leveled(Text)
    body: leveled(Body)


class BrandColors(Strict):
    primary: HexColor = Field(description="headings, the organisation name and rules, on white paper")
    accent: HexColor = Field(description="warning boxes: border and label")


class BrandFile(Strict):
    """``content/brands/<name>.yaml``: who hands the leaflet out."""

    name: Text
    logo: Text | None = None
    colors: BrandColors
    phone: Text | None = None
    website: Text | None = None
    address: Text | None = None
    footer_note: Text | None = None
    paper: Paper = "letter"


class LayoutFile(Strict):
    """Which sections appear, in which order."""

    sections: Annotated[list[Slug], Field(min_length=1)]


class StringsFile(Strict):
    """Interface text per language: nothing a reader sees is an English literal in Python."""

    lang: LangCode
    page: Text = Field(description="footer page label; must contain {page} and {pages}")
    revised: Text = Field(description="must contain {date}")
    version: Text = Field(description="must contain {version}")
    draft_mark: Text = Field(description="the large watermark word on draft pages")
    draft_notice: Text = Field(description="one line under the header of draft pages")
