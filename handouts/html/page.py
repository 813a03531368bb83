"""The render entry: a resolved handout -> one HTML page (bytes, UTF-8).

The templates get a small view of the handout (``_Node`` trees with their heading
levels and ids worked out here), so the templates hold markup only, no logic beyond
loops. Jinja escapes every text (``autoescape``); the only values written unescaped are
our own font stack (``FONT_STACKS``), in the style sheet, and our own icons' SVG
(``handouts/pdf/svg.py``), drawn from numbers, with no text of any file in them.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
from markupsafe import Markup

from .. import __version__, l10n
from ..colors import CALLOUT_TINT, NO_DOSE, TABLE_HEAD_TINT, WHITE, readable, tint
from ..fonts import FAMILIES
from ..model import Block, Brand, BulletList, Callout, Handout, Inline, Paragraph, Span, Subhead
from ..scripts import script_for

if TYPE_CHECKING:
    from .schedule import ScheduleView

TEMPLATES = Path(__file__).parent / "templates"
TEXT = "#111111"  # body text, as in the PDF
MUTED = "#333333"  # header and footer details, as in the PDF
CONTRAST = 4.5  # WCAG 2.1 AA for normal-size text; every text colour here reaches it, large or not

# The family the PDF embeds first (used where it is installed), then each platform's own
# font for the script: Windows, macOS/iOS, Android/Linux. No font is embedded in the page:
# every system a patient reads on ships a font for each of our scripts (docs/accessibility.md).
FONT_STACKS = {
    "NotoSans": '"Noto Sans", "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
    "NotoSansArabic": '"Noto Sans Arabic", "Segoe UI", Tahoma, "Geeza Pro", "Noto Naskh Arabic", sans-serif',
    "NotoSansHebrew": '"Noto Sans Hebrew", "Segoe UI", Arial, "Arial Hebrew", sans-serif',
    "NotoSansDevanagari": '"Noto Sans Devanagari", "Nirmala UI", "Kohinoor Devanagari", "Devanagari Sangam MN", '
    "sans-serif",
    "NotoSansSC": '"Noto Sans SC", "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", "Source Han Sans SC", '
    "sans-serif",
    "NotoSansTC": '"Noto Sans TC", "Noto Sans CJK TC", "Microsoft JhengHei", "PingFang TC", sans-serif',
    "NotoSansJP": '"Noto Sans JP", "Noto Sans CJK JP", "Yu Gothic", "Hiragino Sans", Meiryo, sans-serif',
    "NotoSansKR": '"Noto Sans KR", "Noto Sans CJK KR", "Malgun Gothic", "Apple SD Gothic Neo", sans-serif',
}
_LOGO_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


@dataclass(frozen=True)
class Palette:
    """The page's colours. Brand colours are kept where they reach ``CONTRAST`` on their
    background and darkened in their own hue where they do not (``adjusted`` names them)."""

    heading: str  # title, section headings, the clinic's name: brand primary on white
    label: str  # a warning box's heading: brand accent on the box's tint
    box: str  # the warning box's background
    border: str  # the warning box's border and the draft notice: brand accent
    notice: str  # the draft notice text: accent on white
    head: str  # a schedule table's header row (body text on it): brand primary, tinted as in the PDF
    adjusted: tuple[str, ...] = ()

    def pairs(self) -> list[tuple[str, str, str]]:
        """(what, text colour, background) of every coloured text, for the tests and docs."""
        return [
            ("headings", self.heading, WHITE),
            ("body", TEXT, WHITE),
            ("details", MUTED, WHITE),
            ("warning label", self.label, self.box),
            ("warning text", TEXT, self.box),
            ("draft notice", self.notice, WHITE),
            ("table header", TEXT, self.head),
        ]


def palette(brand: Brand) -> Palette:
    box = tint(brand.accent, CALLOUT_TINT)
    chosen = {
        "heading": (brand.primary, readable(brand.primary, WHITE, CONTRAST)),
        "label": (brand.accent, readable(brand.accent, box, CONTRAST)),
        "notice": (brand.accent, readable(brand.accent, WHITE, CONTRAST)),
    }
    adjusted = tuple(f"{name} {was} -> {now}" for name, (was, now) in chosen.items() if was.upper() != now.upper())
    return Palette(
        heading=chosen["heading"][1],
        label=chosen["label"][1],
        box=box,
        border=brand.accent,
        notice=chosen["notice"][1],
        head=tint(brand.primary, TABLE_HEAD_TINT),
        adjusted=adjusted,
    )


@dataclass(frozen=True)
class RenderedHtml:
    data: bytes
    palette: Palette


@dataclass
class _Node:
    """One block as the template writes it: ``kind`` p, h, ul or box."""

    kind: str
    spans: Inline = ()
    level: int = 0  # of a heading (h) or of a box's heading
    items: tuple[Inline, ...] = ()
    id: str = ""
    children: list[_Node] = field(default_factory=list)


def _nodes(blocks: tuple[Block, ...], level: int, boxes: list[int]) -> list[_Node]:
    """Blocks of a section (``level`` 3: its subheads are h3) or of a box (one deeper).
    ``boxes`` counts the warning boxes of the page, for their ids."""
    out = []
    for block in blocks:
        if isinstance(block, Paragraph):
            out.append(_Node("p", block.spans))
        elif isinstance(block, Subhead):
            out.append(_Node("h", (Span(block.text),), level=level))
        elif isinstance(block, BulletList):
            out.append(_Node("ul", items=block.items))
        elif isinstance(block, Callout):
            boxes.append(len(boxes) + 1)
            box = _Node("box", (Span(block.label),), level=level, id=f"warning-{boxes[-1]}")
            box.children = _nodes(block.blocks, min(level + 1, 6), boxes)
            out.append(box)
    return out


def _text_lang(brand: Brand, name: str, lang: str) -> str | None:
    """The language of a brand text on a page in ``lang``: None when it is in the page's
    language (given per language for it, or the brand's own language is the page's),
    else the brand's own language, for a ``lang`` attribute: a screen reader reads an
    English clinic name on an Arabic page with English rules."""
    given = {code for field_name, code, _ in brand.localized if field_name == name}
    base = lang.split("-")[0]
    if lang in given or base in given or brand.lang.split("-")[0] == base:
        return None
    return brand.lang


_SPACES = re.compile(r"(\s+)")


def words(text: str) -> Markup:
    """``text`` with each word (a run between white space, as tests/cells.py reads the
    PDF's schedule cells) in a span kept on one line (CSS ``.word``), for the schedule's
    cells: a line there ends only between words, in every script. CSS alone does not
    promise it: Chromium ends a Korean line inside "2일~12월" (at the tilde) in a phone's
    narrow pill card."""
    return Markup("").join(
        part if part.isspace() else Markup('<span class="word">{}</span>').format(part)
        for part in _SPACES.split(text)
        if part
    )


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    """Our own templates, loaded once per process; every value is escaped."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["words"] = words
    return env


def _logo(path: Path | None) -> str | None:
    """The logo as a ``data:`` URI: the page fetches nothing. Content checks it is a
    PNG or JPEG inside the brand's folder."""
    if path is None:
        return None
    kind = _LOGO_TYPES.get(path.suffix.lower(), "image/png")
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _plan(handout: Handout) -> ScheduleView | None:
    """The patient's schedule for the template; its module (and reportlab, for the
    icons and for measuring the calendar's words as the PDF does) is imported only for
    a personal handout."""
    if handout.schedule is None:
        return None
    from ..pdf.schedule import table_days
    from .schedule import view

    return view(handout.schedule, table_days(handout))


def render(handout: Handout) -> RenderedHtml:
    """The HTML page of a resolved handout. Deterministic: the same handout gives the same bytes."""
    script = script_for(handout.lang)
    brand, strings = handout.brand, handout.strings
    colours = palette(brand)
    boxes: list[int] = []
    sections = [(s, _nodes(s.blocks, 3, boxes)) for s in handout.sections]
    meta = " · ".join(
        (
            strings.revised.format(date=l10n.date(handout.revised, handout.lang)),
            strings.version.format(version=handout.version),
        )
    )
    page = (
        _environment()
        .get_template("handout.html.j2")
        .render(
            h=handout,
            brand=brand,
            strings=strings,
            sections=sections,
            meta=meta,
            logo=_logo(brand.logo),
            lang_of=lambda name: _text_lang(brand, name, handout.lang),
            direction=script.direction,
            font_stack=FONT_STACKS.get(script.fonts[0], FONT_STACKS["NotoSans"]),
            keep_all=script.keep_all,
            # italic as in the PDF: only where the script has an italic face, never in large print
            summary_italic=FAMILIES[script.fonts[0]].italic is not None and not handout.large_print,
            colours=colours,
            text=TEXT,
            muted=MUTED,
            generator=f"handouts {__version__}",
            plan=_plan(handout),
            no_dose=NO_DOSE,
        )
    )
    return RenderedHtml(page.encode("utf-8"), colours)
