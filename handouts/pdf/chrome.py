"""Page chrome: brand header, footer with "Page X of Y", the DRAFT mark, drawn once the
page count is known by a deferred canvas."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING, Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import FILL_EVEN_ODD, Canvas  # type: ignore[attr-defined]  # not in types-reportlab
from reportlab.platypus import Flowable

from .. import fonts, l10n
from ..model import Handout
from . import tagging
from .styles import BOLD_STYLES, TYPOGRAPHY, Styles, chrome_at
from .writer import Writer

LOGO_BOX = (26 * mm, 16 * mm)  # the logo is scaled to fit this box, keeping its shape
LOGO_GAP = 4 * mm


@dataclass(frozen=True)
class Chrome:
    """Header and footer, laid out once before the body so the body frame never overlaps
    them however long an organisation name, address or footer note is."""

    paragraphs: tuple[tuple[str, Flowable, float, float], ...]  # (what it is, paragraph, x, y of its bottom)
    header_rule: float  # y of the rule under the header
    footer_rule: float  # y of the rule over the footer
    label_y: float  # baseline of "Page X of Y"
    label: ParagraphStyle  # of "Page X of Y": the size of the chrome's other text
    later: Chrome | None = None  # pages after the first, when they differ (large print: ``layout_running``)


def _foreign(text_lang: str, lang: str) -> str | None:
    """``text_lang`` where it is another language than the document's ``lang``."""
    return text_lang if text_lang.split("-")[0].lower() != lang.split("-")[0].lower() else None


@dataclass(frozen=True)
class ChromeTags:
    """Where the chrome's real content goes in the structure tree: the brand block
    before the title, the footer after the body. Drawn as content on page 1 only."""

    header: tagging.Element
    footer: tagging.Element

    def element(self, what: str, handout: Handout, para: Flowable) -> tagging.Element:
        """The element of one chrome paragraph, with its language where a brand text
        was not translated for the reader, and the logical text of shaped lines (drawn
        in a form, they cannot carry Spans of their own)."""
        brand, lang = handout.brand, handout.lang
        fields = {"name": ("name",), "address": ("address", "hours", "footer_note")}.get(what, ())
        langs = {_foreign(brand.lang_of(f, lang), lang) for f in fields if getattr(brand, f)}
        parent = self.header if what in ("name", "contact", "notice") else self.footer
        lines = getattr(para, "lines", None)  # a ShapedText, laid out by layout_chrome
        text = "".join(line.text for line in lines).strip() if lines else None
        return parent.add("P", lang=langs.pop() if len(langs) == 1 else None, actual_text=text)


def isolate(text: str, rtl: bool, ltr: bool = False) -> str:
    """Brand text on a right-to-left page, as a run in its own direction (UAX #9
    isolates): a Latin address or clinic name reads left to right as written, and a
    phone number or web address (``ltr``) is never reordered: without it "(555) 013-2468"
    printed as "013-2468 (555)". The marks are invisible (HarfBuzz draws nothing for
    them); a left-to-right page needs none, and reportlab would draw them as boxes."""
    if not rtl:
        return text
    return ("\u2066" if ltr else "\u2068") + text + "\u2069"  # LRI or FSI ... PDI


def layout_chrome(handout: Handout, st: Styles, page_w: float, page_h: float, w: Writer) -> Chrome:
    """Header and footer of page 1 and, in large print, of the later pages. Large print
    sets them at 18 pt, unless a brand's texts are so long that they would leave page 1
    less than a third of its height for the body: then at the reading level's size,
    as in normal print (brand.yaml lets each text run to a few hundred characters)."""
    chrome = _layout_full(handout, st, page_w, page_h, w)
    if handout.large_print:
        if chrome.header_rule - chrome.footer_rule < page_h / 3:
            chrome = _layout_full(handout, chrome_at(st, TYPOGRAPHY[handout.level].chrome), page_w, page_h, w)
        chrome = replace(chrome, later=layout_running(handout, st, page_w, page_h, w))
    return chrome


def _layout_full(handout: Handout, st: Styles, page_w: float, page_h: float, w: Writer) -> Chrome:
    """Logo, clinic name, phone and website (and the draft notice) above the body;
    address, revision and version below it, with "Page X of Y" beside the last line."""
    brand, strings = handout.brand, handout.strings
    width = page_w - 2 * st.margin
    placed: list[tuple[str, Flowable, float, float]] = []

    x = st.margin + (LOGO_BOX[0] + LOGO_GAP if brand.logo else 0)
    rtl = w.script.rtl
    header = [("name", w.text(isolate(brand.name, rtl), st.org))]
    contact = " · ".join(isolate(x, rtl, ltr=True) for x in (brand.phone, brand.website) if x)
    if contact:
        header.append(("contact", w.text(contact, st.chrome)))
    if handout.draft:
        header.append(("notice", w.text(strings.draft_notice, st.notice)))
    y = page_h - st.margin
    for what, para in header:
        y -= para.wrap(page_w - st.margin - x, page_h)[1]
        placed.append((what, para, x, y))
    header_rule = min(y, page_h - st.margin - (LOGO_BOX[1] if brand.logo else 0)) - 6

    # the page label sits at the right of the last footer line; the text beside it wraps short of it
    label_w = stringWidth(strings.page.format(page=888, pages=888), st.chrome.fontName, st.chrome.fontSize) + 12
    meta = " · ".join(
        (
            strings.revised.format(date=l10n.date(handout.revised, handout.lang)),
            strings.version.format(version=handout.version),
        )
    )
    footer = [("meta", w.text(meta, st.chrome), width - label_w)]
    address = " · ".join(isolate(x, rtl) for x in (brand.address, brand.hours, brand.footer_note) if x)
    if address:
        footer.insert(0, ("address", w.text(address, st.chrome), width))
    y = st.margin
    bottom_up = []
    for what, para, wrap_w in reversed(footer):
        bottom_up.append((what, para, st.margin, y))
        y += para.wrap(wrap_w, page_h)[1]
    placed += reversed(bottom_up)  # in reading order, as the tagged page 1 lists them
    label_y = st.margin + st.chrome.leading - st.chrome.fontSize
    return Chrome(tuple(placed), header_rule, y + 3, label_y, _label(st))


def layout_running(handout: Handout, st: Styles, page_w: float, page_h: float, w: Writer) -> Chrome:
    """The chrome of a large-print page after the first: the clinic's name on one line
    at the top, "Page X of Y" on one line at the foot, both 18 pt like the body.

    The whole brand block and footer at 18 pt take a third of a page, which page 1 can
    give once (they are content there, read once by a screen reader); repeated on every
    page they left too little room for the clean-page rules and pushed the header and
    footer down to 14 pt. A reader leafing through still sees whose handout it is and
    where a page belongs; the phone number and address are on page 1."""
    name = w.text(isolate(handout.brand.name, w.script.rtl), st.running)
    y = page_h - st.margin - name.wrap(page_w - 2 * st.margin, page_h)[1]
    label_y = st.margin + st.chrome.leading - st.chrome.fontSize
    return Chrome((("name", name, st.margin, y),), y - 6, st.margin + st.chrome.leading + 3, label_y, _label(st))


def _label(st: Styles) -> ParagraphStyle:
    return ParagraphStyle("page_label", parent=st.chrome, alignment=TA_RIGHT)


_CHROME_FORM = "chrome"
_MARK_FORM = "draft-mark"
MARK_ALPHA = 0.13  # the DRAFT mark is unmistakable, yet the text under it stays readable


class PagedCanvas(Canvas):
    """Defers page output until the total is known, then draws every page's header,
    footer ("Page X of Y") and draft mark (reportlab's standard two-phase recipe).

    Bookmarks are deferred with their page: registered early they would all point at
    page 1, because the document has not received any page yet.

    Tagged (``tagger``), page 1 shows the brand block and the footer as content of the
    ``tags`` elements, and later pages show them as one artifact, so a screen reader
    reads the clinic's phone number once; rules, page numbers and the DRAFT mark are
    artifacts on every page. The structure tree is written at save."""

    # reportlab's own state, which the deferred pages read (not in types-reportlab)
    _pagesize: tuple[float, float]
    _pageNumber: int
    _doc: Any  # reportlab's PDFDocument (its Pages and Catalog are not in types-reportlab)

    if TYPE_CHECKING:

        def _startPage(self) -> None: ...

    def __init__(
        self,
        *args: Any,
        handout: Handout,
        chrome: Chrome,
        styles: Styles,
        writer: Writer,
        tagger: tagging.Tagger | None = None,
        tags: ChromeTags | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.tagger, self._tags = tagger, tags
        self._saved: list[dict[str, Any]] = []
        self._bookmarks: list[tuple[str, dict[str, Any]]] = []
        self._clear: list[tuple[float, float, float, float]] = []  # this page's keep_clear rectangles
        self._handout = handout
        self._chrome = chrome
        self._st = styles
        self._writer = writer

    def bookmarkPage(self, key: str, **kw: Any) -> None:  # type: ignore[override]  # deferred: nothing to return yet
        self._bookmarks.append((key, kw))

    def keep_clear(self, x: float, y: float, width: float, height: float) -> None:
        """A rectangle of this page (in the current coordinates) that the DRAFT mark passes
        around: a QR code, which a phone reads by the contrast of its modules and of its
        quiet zone. The mark stays on the rest of the page."""
        (x0, y0), (x1, y1) = self.absolutePosition(x, y), self.absolutePosition(x + width, y + height)
        self._clear.append((min(x0, x1), min(y0, y1), abs(x1 - x0), abs(y1 - y0)))

    def showPage(self) -> None:
        self._saved.append(dict(self.__dict__))
        self._bookmarks = []
        self._clear = []
        self._startPage()

    def save(self) -> None:
        total = len(self._saved)
        for state in self._saved:
            self.__dict__.update(state)
            for key, kw in state["_bookmarks"]:
                super().bookmarkPage(key, **kw)
            self._decorate(total)
            super().showPage()
        if self.tagger is not None:
            self.tagger.write(self._doc, self._doc.Pages.pages, self._handout.title)
        super().save()

    def _form(self, name: str, draw: Callable[[], object]) -> None:
        """Show form ``name``, drawn by ``draw`` on first use; nothing in it is marked
        (its use on the page is)."""
        if not self.hasForm(name):
            self.beginForm(name)
            if self.tagger is None:
                draw()
            else:
                with self.tagger.quiet():
                    draw()
            self.endForm()
        self.doForm(name)

    def _decorate(self, total: int) -> None:
        h, chrome, form = self._handout, self._chrome, _CHROME_FORM
        if self._pageNumber > 1 and chrome.later is not None:
            chrome, form = chrome.later, _CHROME_FORM + "-later"
        page_w, page_h = self._pagesize
        tags = self._tags if self._pageNumber == 1 and tagging.of(self) is not None else None
        with nullcontext() if tags else tagging.artifact(self, "Pagination"):
            self._same_on_every_page(chrome, form, page_w, page_h, tags)
        if h.draft:  # its own form, shown see-through: a form's content takes the page's alpha
            with tagging.artifact(self, "Pagination", "Watermark"):
                self.saveState()
                self._clip_out(self._clear, page_w, page_h)
                self.setFillAlpha(MARK_ALPHA)
                self._form(_MARK_FORM, lambda: self._watermark(page_w, page_h))
                self.restoreState()
        with tagging.artifact(self, "Pagination", "Footer"):
            self.saveState()
            label = h.strings.page.format(page=l10n.number(self._pageNumber, h.lang), pages=l10n.number(total, h.lang))
            self._line(label, chrome.label, self._st.margin, page_w - self._st.margin, chrome.label_y)
            self.restoreState()

    def _clip_out(self, holes: list[tuple[float, float, float, float]], page_w: float, page_h: float) -> None:
        """Clip to the page less each of ``holes`` (even-odd: a rectangle inside the page's
        is outside the clip); nothing when there are none, so most pages are as before."""
        if not holes:
            return
        path = self.beginPath()
        path.rect(0, 0, page_w, page_h)
        for hole in holes:
            path.rect(*hole)
        self.clipPath(path, stroke=0, fill=0, fillMode=FILL_EVEN_ODD)

    def _same_on_every_page(
        self, chrome: Chrome, form: str, page_w: float, page_h: float, tags: ChromeTags | None
    ) -> None:
        """Logo, header, footer and rules of ``chrome``, each drawn once into a form
        XObject (named from ``form``) that every page with that chrome shows, so a
        five-page handout lays them out and stores them once. With ``tags`` (page 1),
        each form's use is the content of its element in the brand block or the footer;
        on later pages all are inside one artifact. The logo is in the full chrome only."""
        h = self._handout
        if h.brand.logo and chrome is self._chrome:
            logo = h.brand.logo
            w, lh = LOGO_BOX
            figure = tags.header.add("Figure", alt=f"{h.brand.name} logo") if tags else None
            self._piece(
                form + "-logo",
                lambda: self.drawImage(
                    self._writer.cache.logo(logo),
                    self._st.margin,
                    page_h - self._st.margin - lh,
                    width=w,
                    height=lh,
                    preserveAspectRatio=True,
                    anchor="nw",
                    mask="auto",
                ),
                figure,
            )
        for i, (what, para, x, y) in enumerate(chrome.paragraphs):
            element = tags.element(what, h, para) if tags else None
            self._piece(f"{form}-{i}", partial(para.drawOn, self, x, y), element)
        with tagging.artifact(self):
            self._form(form + "-rules", lambda: self._rules(chrome, page_w))

    def _piece(self, name: str, draw: Callable[[], object], element: tagging.Element | None) -> None:
        """Form ``name``, shown as ``element``'s content (as it is when None)."""
        tagger = tagging.of(self)
        if tagger is None or element is None:
            self._form(name, draw)
        else:
            with tagger.mark(self, element):
                self._form(name, draw)

    def _rules(self, chrome: Chrome, page_w: float) -> None:
        self.setStrokeColor(colors.HexColor(self._handout.brand.primary))
        self.setLineWidth(1.5)
        self.line(self._st.margin, chrome.header_rule, page_w - self._st.margin, chrome.header_rule)
        self.setLineWidth(0.5)
        self.line(self._st.margin, chrome.footer_rule, page_w - self._st.margin, chrome.footer_rule)

    def _line(self, text: str, style: ParagraphStyle, left: float, right: float, baseline: float) -> None:
        """Text in the handout's language (shaped, in bidi order), aligned by the style
        between left and right, its first baseline at ``baseline``."""
        chain = self._writer.script.fonts
        opaque = getattr(style.textColor, "alpha", None) in (None, 1)  # the DRAFT mark keeps its Paragraph
        if opaque and not self._writer.script.shape and fonts.in_family(chain[0], text):  # one font, one line
            face = self._writer.register(fonts.FAMILIES[chain[0]].face(style.name in BOLD_STYLES, False))
            if stringWidth(text, face, style.fontSize) <= right - left:
                self.setFont(face, style.fontSize)
                self.setFillColor(style.textColor)
                draw: dict[object, tuple[Callable[[float, float, str], object], float]] = {
                    TA_RIGHT: (self.drawRightString, right),
                    TA_CENTER: (self.drawCentredString, (left + right) / 2),
                }
                method, x = draw.get(style.alignment, (self.drawString, left))
                method(x, baseline, text)
                return
        para = self._writer.text(text, style)
        _, height = para.wrap(right - left, 1e6)
        para.drawOn(self, left, baseline + style.fontSize - height)

    def _watermark(self, page_w: float, page_h: float) -> None:
        """A large diagonal mark on every draft page: unmistakable, yet text stays readable.
        A long mark (some languages' word for DRAFT) is set smaller than 110 pt, so that
        the line and its height, turned 45 degrees, stay inside the margins."""
        mark = self._handout.strings.draft_mark
        style = ParagraphStyle(
            "mark",
            parent=self._st.org,
            fontSize=110,
            alignment=TA_CENTER,
            spaceAfter=0,
            textColor=colors.Color(0.75, 0.1, 0.1),  # opaque here; shown at MARK_ALPHA
        )
        per_point = self._writer.width(mark, style) / style.fontSize
        height = 1.3  # ems from the lowest descender to the highest accent
        style.fontSize = min(
            style.fontSize, 2**0.5 * (min(page_w, page_h) - 2 * self._st.margin) / (per_point + height)
        )
        style.leading = style.fontSize * 1.2
        self.saveState()
        self.translate(page_w / 2, page_h / 2)
        self.rotate(45)
        self._line(mark, style, -page_h, page_h, -0.36 * style.fontSize)
        self.restoreState()
