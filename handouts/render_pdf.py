"""Handout -> PDF bytes with reportlab. The only module that knows reportlab.

Layout choices follow health-literacy print guidance: sans-serif, ragged right, body
never under 10 pt (12+ at the easy level), generous leading, bullets, warnings in a
labelled box, high contrast. Page decorations (brand header, footer with "Page X of Y",
draft mark) are drawn once the page count is known, by a deferred canvas.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import partial
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, Spacer, Table, TableStyle

from . import __version__, fonts
from .colors import tint
from .content import CALLOUT_TINT
from .model import Block, BulletList, Callout, Handout, Inline, Section, Subhead
from .model import Paragraph as ParagraphBlock

PAPER = {"letter": LETTER, "a4": A4}
MARGIN = 18 * mm
TEXT_COLOR = colors.HexColor("#111111")
MUTED = colors.HexColor("#333333")


@dataclass(frozen=True)
class Typography:
    """Sizes in points for one reading level."""

    body: float
    leading: float
    heading: float
    title: float
    chrome: float = 10.0  # header and footer text: never under the 10 pt minimum


TYPOGRAPHY = {
    "easy": Typography(body=13, leading=19, heading=18, title=26),
    "standard": Typography(body=11, leading=16, heading=15, title=24),
    "detailed": Typography(body=10, leading=14.5, heading=13.5, title=22),
}


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
    callout_bg: colors.Color


def _styles(handout: Handout) -> Styles:
    family = fonts.register()
    t = TYPOGRAPHY[handout.level]
    primary = colors.HexColor(handout.brand.primary)
    accent = colors.HexColor(handout.brand.accent)
    body = ParagraphStyle(
        "body",
        fontName=family.regular,
        fontSize=t.body,
        leading=t.leading,
        textColor=TEXT_COLOR,
        alignment=TA_LEFT,
        spaceAfter=t.body * 0.5,
        splitLongWords=True,
        bulletFontName=family.regular,
        bulletFontSize=t.body,
    )
    return Styles(
        body=body,
        bullet=ParagraphStyle(
            "bullet", parent=body, leftIndent=t.body * 1.6, bulletIndent=t.body * 0.4, spaceAfter=t.body * 0.3
        ),
        subhead=ParagraphStyle(
            "subhead",
            parent=body,
            fontName=family.bold,
            spaceBefore=t.body * 0.4,
            spaceAfter=t.body * 0.3,
            keepWithNext=True,
        ),
        heading=ParagraphStyle(
            "heading",
            parent=body,
            fontName=family.bold,
            fontSize=t.heading,
            leading=t.heading * 1.25,
            textColor=primary,
            spaceBefore=t.heading * 0.9,
            spaceAfter=t.heading * 0.35,
            keepWithNext=True,
        ),
        title=ParagraphStyle(
            "title",
            parent=body,
            fontName=family.bold,
            fontSize=t.title,
            leading=t.title * 1.2,
            textColor=primary,
            spaceAfter=t.body * 0.4,
        ),
        summary=ParagraphStyle(
            "summary",
            parent=body,
            fontName=family.italic,
            fontSize=t.body + 1,
            leading=t.leading + 1,
            spaceAfter=t.body * 0.6,
        ),
        label=ParagraphStyle(
            "label",
            parent=body,
            fontName=family.bold,
            fontSize=t.body + 2,
            leading=(t.body + 2) * 1.3,
            textColor=accent,
            spaceAfter=0,
        ),
        chrome=ParagraphStyle(
            "chrome",
            fontName=family.regular,
            fontSize=t.chrome,
            leading=t.chrome * 1.3,
            textColor=MUTED,
            splitLongWords=True,
        ),
        notice=ParagraphStyle(
            "notice",
            fontName=family.bold,
            fontSize=t.chrome,
            leading=t.chrome * 1.3,
            textColor=accent,
            splitLongWords=True,
        ),
        org=ParagraphStyle(
            "org", fontName=family.bold, fontSize=14, leading=17, textColor=primary, splitLongWords=True
        ),
        callout_bg=colors.HexColor(tint(handout.brand.accent, CALLOUT_TINT)),
    )


def _markup(spans: Inline) -> str:
    """Spans -> reportlab paragraph markup. Author text is always escaped: '<' and '&'
    print literally and can never become tags."""
    return "".join(f"<b>{escape(s.text)}</b>" if s.bold else escape(s.text) for s in spans)


def _text(text: str) -> str:
    return escape(text)


class _Heading(Paragraph):
    """A section heading that also becomes a PDF bookmark."""

    def __init__(self, section: Section, style: ParagraphStyle):
        super().__init__(_text(section.title), style)
        self.outline = (f"section-{section.id}", section.title)


def _blocks(blocks: tuple[Block, ...], st: Styles, width: float) -> list[Flowable]:
    out: list[Flowable] = []
    for block in blocks:
        if isinstance(block, ParagraphBlock):
            out.append(Paragraph(_markup(block.spans), st.body))
        elif isinstance(block, Subhead):
            out.append(Paragraph(_text(block.text), st.subhead))
        elif isinstance(block, BulletList):
            out.extend(Paragraph(_markup(item), st.bullet, bulletText="•") for item in block.items)
        elif isinstance(block, Callout):
            out.append(_callout(block, st, width))
    return out


def _callout(block: Callout, st: Styles, width: float) -> Table:
    """A boxed warning: one table row per paragraph or bullet so a long box can split
    across pages; the label row repeats on every part so no page shows an unlabelled box."""
    accent = st.label.textColor
    pad = 8
    rows = [[Paragraph(_text(block.label), st.label)]]
    rows += [[flowable] for flowable in _blocks(block.blocks, st, width - 2 * pad)]
    table = Table(rows, colWidths=[width], repeatRows=1, splitByRow=1, splitInRow=1, hAlign="LEFT")
    table.spaceBefore = table.spaceAfter = st.body.fontSize * 0.6
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), st.body.fontName),  # else reportlab sets Helvetica, unembedded
                ("BOX", (0, 0), (-1, -1), 2.5, accent),
                ("BACKGROUND", (0, 0), (-1, -1), st.callout_bg),
                ("LEFTPADDING", (0, 0), (-1, -1), pad + 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), pad),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ("TOPPADDING", (0, 0), (-1, 0), pad),
                ("BOTTOMPADDING", (0, 0), (-1, 0), pad * 0.5),
                ("BOTTOMPADDING", (0, -1), (-1, -1), pad * 0.5),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _story(handout: Handout, st: Styles, width: float) -> list[Flowable]:
    story: list[Flowable] = [Paragraph(_text(handout.title), st.title), Paragraph(_text(handout.summary), st.summary)]
    for section in handout.sections:
        story.append(_Heading(section, st.heading))
        story.extend(_blocks(section.blocks, st, width))
    story.append(Spacer(1, 1))
    return story


LOGO_BOX = (26 * mm, 16 * mm)  # the logo is scaled to fit this box, keeping its shape
LOGO_GAP = 4 * mm


@dataclass(frozen=True)
class _Chrome:
    """Header and footer, laid out once before the body so the body frame never overlaps
    them however long an organisation name, address or footer note is."""

    paragraphs: tuple[tuple[Paragraph, float, float], ...]  # (paragraph, x, y of its bottom)
    header_rule: float  # y of the rule under the header
    footer_rule: float  # y of the rule over the footer
    label_y: float  # baseline of "Page X of Y"


def _chrome(handout: Handout, st: Styles, page_w: float, page_h: float) -> _Chrome:
    brand, strings = handout.brand, handout.strings
    width = page_w - 2 * MARGIN
    placed: list[tuple[Paragraph, float, float]] = []

    x = MARGIN + (LOGO_BOX[0] + LOGO_GAP if brand.logo else 0)
    header = [Paragraph(_text(brand.name), st.org)]
    contact = " · ".join(x for x in (brand.phone, brand.website) if x)
    if contact:
        header.append(Paragraph(_text(contact), st.chrome))
    if handout.draft:
        header.append(Paragraph(_text(strings.draft_notice), st.notice))
    y = page_h - MARGIN
    for para in header:
        y -= para.wrap(page_w - MARGIN - x, page_h)[1]
        placed.append((para, x, y))
    header_rule = min(y, page_h - MARGIN - (LOGO_BOX[1] if brand.logo else 0)) - 6

    # the page label sits at the right of the last footer line; the text beside it wraps short of it
    label_w = stringWidth(strings.page.format(page=888, pages=888), st.chrome.fontName, st.chrome.fontSize) + 12
    meta = " · ".join(
        (strings.revised.format(date=handout.revised.isoformat()), strings.version.format(version=handout.version))
    )
    footer = [(Paragraph(_text(meta), st.chrome), width - label_w)]
    address = " · ".join(x for x in (brand.address, brand.footer_note) if x)
    if address:
        footer.insert(0, (Paragraph(_text(address), st.chrome), width))
    y = MARGIN
    for para, wrap_w in reversed(footer):
        placed.append((para, MARGIN, y))
        y += para.wrap(wrap_w, page_h)[1]
    return _Chrome(tuple(placed), header_rule, y + 3, MARGIN + st.chrome.leading - st.chrome.fontSize)


class _PagedCanvas(Canvas):
    """Defers page output until the total is known, then draws every page's header,
    footer ("Page X of Y") and draft mark (reportlab's standard two-phase recipe).

    Bookmarks are deferred with their page: registered early they would all point at
    page 1, because the document has not received any page yet."""

    def __init__(self, *args, handout: Handout, chrome: _Chrome, styles: Styles, **kwargs):
        super().__init__(*args, **kwargs)
        self._saved: list[dict] = []
        self._bookmarks: list[tuple[str, dict]] = []
        self._handout = handout
        self._chrome = chrome
        self._st = styles

    def bookmarkPage(self, key, **kw):
        self._bookmarks.append((key, kw))

    def showPage(self):
        self._saved.append(dict(self.__dict__))
        self._bookmarks = []
        self._startPage()

    def save(self):
        total = len(self._saved)
        for state in self._saved:
            self.__dict__.update(state)
            for key, kw in state["_bookmarks"]:
                super().bookmarkPage(key, **kw)
            self._decorate(total)
            super().showPage()
        super().save()

    def _decorate(self, total: int) -> None:
        h, chrome, st = self._handout, self._chrome, self._st
        page_w, page_h = self._pagesize
        self.saveState()
        if h.draft:
            self._watermark(page_w, page_h)
        if h.brand.logo:
            w, lh = LOGO_BOX
            self.drawImage(
                str(h.brand.logo),
                MARGIN,
                page_h - MARGIN - lh,
                width=w,
                height=lh,
                preserveAspectRatio=True,
                anchor="nw",
                mask="auto",
            )
        for para, x, y in chrome.paragraphs:
            para.drawOn(self, x, y)
        self.setStrokeColor(colors.HexColor(h.brand.primary))
        self.setLineWidth(1.5)
        self.line(MARGIN, chrome.header_rule, page_w - MARGIN, chrome.header_rule)
        self.setLineWidth(0.5)
        self.line(MARGIN, chrome.footer_rule, page_w - MARGIN, chrome.footer_rule)
        self.setFont(st.chrome.fontName, st.chrome.fontSize)
        self.setFillColor(st.chrome.textColor)
        self.drawRightString(page_w - MARGIN, chrome.label_y, h.strings.page.format(page=self._pageNumber, pages=total))
        self.restoreState()

    def _watermark(self, page_w: float, page_h: float) -> None:
        """A large diagonal mark on every draft page: unmistakable, yet text stays readable."""
        self.saveState()
        self.setFillColor(colors.Color(0.75, 0.1, 0.1, alpha=0.13))
        self.setFont(fonts.BODY.bold, 110)
        self.translate(page_w / 2, page_h / 2)
        self.rotate(45)
        self.drawCentredString(0, -40, self._handout.strings.draft_mark)
        self.restoreState()


class _Doc(BaseDocTemplate):
    def afterFlowable(self, flowable: Flowable) -> None:
        outline = getattr(flowable, "outline", None)
        if outline:
            key, title = outline
            self.canv.bookmarkHorizontal(key, 0, self.frame._y + flowable.height + flowable.getSpaceBefore())
            self.canv.addOutlineEntry(title, key, level=0)
            self.canv.showOutline()


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    pages: int


def render(handout: Handout) -> RenderedPdf:
    """The PDF for a resolved handout. Deterministic: the same handout gives the same bytes."""
    page_w, page_h = PAPER[handout.paper]
    width = page_w - 2 * MARGIN
    st = _styles(handout)
    chrome = _chrome(handout, st, page_w, page_h)
    gap = 5 * mm
    frame = Frame(
        MARGIN,
        chrome.footer_rule + gap,
        width,
        chrome.header_rule - chrome.footer_rule - 2 * gap,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    out = io.BytesIO()
    doc = _Doc(
        out,
        pagesize=(page_w, page_h),
        pageTemplates=[PageTemplate("page", [frame])],
        title=handout.title,
        author=handout.brand.name,
        subject=handout.summary,
        creator=f"handouts {__version__}",
        keywords=[handout.level, handout.version],
        lang=handout.lang,
        invariant=1,
        displayDocTitle=1,
        initialFontName=st.body.fontName,
        initialFontSize=st.body.fontSize,
    )
    doc.build(_story(handout, st, width), canvasmaker=partial(_PagedCanvas, handout=handout, chrome=chrome, styles=st))
    return RenderedPdf(out.getvalue(), doc.page)
