"""Page sizes, margins and the paragraph styles of each reading level, and of large print.

Sizes follow health-literacy print guidance: body never under 10 pt (12+ at the easy
level), generous leading, headings in the brand colour, high contrast. Large print
follows the low-vision guidance of APH and ACB (docs/accessibility.md): every text at
18 pt or more, headings larger, lines 1.5 apart and no longer than 6 inches, no italics.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from .. import fonts
from ..colors import CALLOUT_TINT, tint
from ..model import Handout
from ..scripts import Script

PAPER = {"letter": LETTER, "a4": A4}
MARGIN = 18 * mm
TEXT_COLOR = colors.HexColor("#111111")
MUTED = colors.HexColor("#333333")
BULLET = "•"
Pairs = Sequence[tuple[str, bool]]  # (text, bold) runs of one paragraph


@dataclass(frozen=True)
class Typography:
    """Sizes in points for one reading level; spaces as shares of the body (or heading) size."""

    body: float
    leading: float
    heading: float
    title: float
    chrome: float = 10.0  # header and footer text: never under the 10 pt minimum
    subhead: float | None = None  # None: the body size
    spacing: float = 0.0  # the least line spacing of any style, as a multiple of its size (0: each its own)
    italic: bool = True  # the summary is set in italic
    margin: float = MARGIN  # page margin on every side, header and footer included
    para_space: float = 0.5  # below a paragraph
    item_space: float = 0.3  # below a list item
    heading_space: tuple[float, float] = (0.9, 0.35)  # above and below a section heading

    def leading_of(self, size: float, usual: float) -> float:
        """The leading of a style of ``size`` points usually set ``usual`` times its size."""
        return size * max(usual, self.spacing)


# The easy level keeps its large type (13 pt, never smaller) and fits in 4 pages by
# layout as well as by content: a line height of 1.3 rather than 1.46, tighter spaces
# between items and around headings, and 13 mm margins (the standard 18 mm would leave
# the longest translations a fifth page). Its lines stay short enough at 13 pt: about
# 80 characters on Letter, where 18 mm at 11 pt gives 95 (docs/reading-levels.md).
TYPOGRAPHY = {
    "easy": Typography(
        body=13,
        leading=17,
        heading=16,
        title=24,
        margin=13 * mm,
        para_space=0.3,
        item_space=0.1,
        heading_space=(0.4, 0.2),
    ),
    "standard": Typography(body=11, leading=16, heading=15, title=24),
    "detailed": Typography(body=10, leading=14.5, heading=13.5, title=22),
}
# Every level in large print: APH sets most large print at 18 pt; ACB's guidelines ask 18 pt
# for all text (headers, footers and page numbers too), 20-22 pt headings, flush-left text
# and no italics; lines no longer than 6 inches, 1.5 apart (>= 1.4, issue 15). The chrome
# is 18 pt too: page 1 carries the whole brand block and footer, later pages one line
# above and one below (``chrome.layout_running``), so the body keeps its room.
LARGE_PRINT = Typography(body=18, leading=27, heading=22, title=28, chrome=18, subhead=20, spacing=1.4, italic=False)
ITALIC_STYLES = {"summary"}  # a large-print summary is named "summary-upright"


def typography(handout: Handout) -> Typography:
    return LARGE_PRINT if handout.large_print else TYPOGRAPHY[handout.level]


def chrome_at(st: Styles, size: float) -> Styles:
    """``st`` with the header and footer styles at ``size`` points (the clinic's name 4
    points larger), each keeping its line spacing."""

    def at(style: ParagraphStyle, points: float) -> ParagraphStyle:
        leading = points * style.leading / style.fontSize
        return ParagraphStyle(style.name, parent=style, fontSize=points, leading=leading)

    return replace(st, chrome=at(st.chrome, size), notice=at(st.notice, size), org=at(st.org, size + 4))


def margin(level: str) -> float:
    """The page margin of a reading level, in points."""
    return TYPOGRAPHY[level].margin


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    bullet: ParagraphStyle
    subhead: ParagraphStyle
    heading: ParagraphStyle
    title: ParagraphStyle
    summary: ParagraphStyle
    label: ParagraphStyle
    chrome: ParagraphStyle
    notice: ParagraphStyle
    org: ParagraphStyle
    running: ParagraphStyle  # the clinic's name atop the later pages of large print, at the chrome's size
    key_title: ParagraphStyle  # the key points box's title, in the brand's primary colour
    callout_bg: colors.Color
    key_bg: colors.Color  # the key points box: the primary colour as the warnings' accent
    margin: float  # the level's page margin (``Typography.margin``)


def make_styles(handout: Handout, script: Script, register: Callable[[str], str]) -> Styles:
    """Styles whose fontName is the face of the language's own family; per-character
    fallback happens in ``Writer``. Right-to-left languages are right-aligned."""
    family = fonts.FAMILIES[script.fonts[0]]
    regular, bold, italic = (register(f) for f in (family.regular, family.bold, family.face(italic=True)))
    t = typography(handout)
    primary = colors.HexColor(handout.brand.primary)
    accent = colors.HexColor(handout.brand.accent)
    body = ParagraphStyle(
        "body",
        fontName=regular,
        fontSize=t.body,
        leading=t.leading,
        textColor=TEXT_COLOR,
        alignment=TA_RIGHT if script.rtl else TA_LEFT,
        spaceAfter=t.body * t.para_space,
        splitLongWords=True,
        bulletFontName=register((fonts.family_for(BULLET, script.fonts) or family).regular),
        bulletFontSize=t.body,
    )
    family = fonts.Family(family.name, regular, bold, italic)
    return Styles(
        body=body,
        bullet=ParagraphStyle(
            "bullet", parent=body, leftIndent=t.body * 1.6, bulletIndent=t.body * 0.4, spaceAfter=t.body * t.item_space
        ),
        subhead=ParagraphStyle(
            "subhead",
            parent=body,
            fontName=family.bold,
            fontSize=t.subhead or t.body,
            leading=t.leading_of(t.subhead, t.leading / t.body) if t.subhead else t.leading,
            spaceBefore=t.body * 0.4,
            spaceAfter=t.body * 0.3,
        ),
        heading=ParagraphStyle(
            "heading",
            parent=body,
            fontName=family.bold,
            fontSize=t.heading,
            leading=t.leading_of(t.heading, 1.25),
            textColor=primary,
            spaceBefore=t.heading * t.heading_space[0],
            spaceAfter=t.heading * t.heading_space[1],
        ),
        title=ParagraphStyle(
            "title",
            parent=body,
            fontName=family.bold,
            fontSize=t.title,
            leading=t.leading_of(t.title, 1.2),
            textColor=primary,
            spaceAfter=t.body * 0.4,
        ),
        summary=ParagraphStyle(
            "summary" if t.italic else "summary-upright",
            parent=body,
            fontName=italic if t.italic else regular,
            fontSize=t.body + (1 if t.italic else 0),  # large print: the size of the body, upright
            leading=t.leading + (1 if t.italic else 0),
            spaceAfter=t.body * 0.6,
        ),
        label=ParagraphStyle(
            "label",
            parent=body,
            fontName=family.bold,
            fontSize=t.body + 2,
            leading=t.leading_of(t.body + 2, 1.3),
            textColor=accent,
            spaceAfter=0,
        ),
        chrome=ParagraphStyle(
            "chrome",
            parent=body,
            spaceAfter=0,
            fontName=family.regular,
            fontSize=t.chrome,
            leading=t.leading_of(t.chrome, 1.3),
            textColor=MUTED,
            splitLongWords=True,
        ),
        notice=ParagraphStyle(
            "notice",
            parent=body,
            spaceAfter=0,
            fontName=family.bold,
            fontSize=t.chrome,
            leading=t.leading_of(t.chrome, 1.3),
            textColor=accent,
            splitLongWords=True,
        ),
        org=ParagraphStyle(
            "org",
            parent=body,
            fontName=family.bold,
            fontSize=t.chrome + 4,
            leading=t.leading_of(t.chrome + 4, 17 / 14),
            textColor=primary,
            spaceAfter=0,
        ),
        running=ParagraphStyle(
            "running",
            parent=body,
            fontName=family.bold,
            fontSize=t.chrome,
            leading=t.leading_of(t.chrome, 1.3),
            textColor=primary,
            spaceAfter=0,
            splitLongWords=True,
        ),
        key_title=ParagraphStyle(
            "key_title",
            parent=body,
            fontName=family.bold,
            fontSize=t.body + 2,
            leading=(t.body + 2) * 1.3,
            textColor=primary,
            spaceAfter=0,
        ),
        callout_bg=colors.HexColor(tint(handout.brand.accent, CALLOUT_TINT)),
        key_bg=colors.HexColor(tint(handout.brand.primary, CALLOUT_TINT)),
        margin=t.margin,
    )


BOLD_STYLES = {"subhead", "heading", "title", "label", "key_title", "notice", "org", "running"}
