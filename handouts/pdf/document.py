"""The render entry: a resolved handout -> PDF bytes."""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import partial

from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from .. import __version__
from ..model import Handout
from ..scripts import script_for
from .cache import RenderCache
from .chrome import Chrome, ChromeTags, PagedCanvas, layout_chrome
from .story import build_story
from .styles import PAPER, make_styles
from .tagging import Tagger
from .writer import Writer

Area = tuple[float, float, float, float]  # (left, bottom, right, top) in points


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    pages: int
    body: Area  # where the body text lies on page 1, and on every page unless ``later`` says otherwise
    later: Area | None = None  # on pages after the first, when their chrome is smaller (large print)

    def area(self, page: int) -> Area:
        """Where the body text lies on page ``page`` (0 is the first)."""
        return self.later if page and self.later is not None else self.body


def render(handout: Handout, cache: RenderCache, tagged: bool = True) -> RenderedPdf:
    """The PDF for a resolved handout. Deterministic: the same handout gives the same
    bytes, whatever ``cache`` holds from earlier handouts. Tagged PDF/UA-1 unless
    ``tagged`` is False (only the benchmark's baseline asks for that)."""
    cache.engine.codes.trim()  # between documents, never inside one
    page_w, page_h = PAPER[handout.paper]
    script = script_for(handout.lang)
    writer = Writer(script, cache)
    st = make_styles(handout, script, writer.register)
    width = page_w - 2 * st.margin
    chrome = layout_chrome(handout, st, page_w, page_h, writer)
    body = _body(chrome, st.margin, width)
    later = _body(chrome.later, st.margin, width) if chrome.later is not None else None
    templates = [PageTemplate("page", [_frame(body)], autoNextPageTemplate="later" if later else None)]
    if later is not None:
        templates.append(PageTemplate("later", [_frame(later)]))
    tagger = Tagger(handout.lang)
    tags = ChromeTags(tagger.root.add("Div"), tagger.root.add("Div"))  # the footer Div moves last below
    story = build_story(handout, st, width, writer, tagger.root)
    tagger.root.kids.append(tagger.root.kids.pop(1))  # reading order: brand block, body, footer
    out = io.BytesIO()
    doc = BaseDocTemplate(
        out,
        pagesize=(page_w, page_h),
        pageTemplates=templates,
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
    doc.build(
        story,
        canvasmaker=partial(
            PagedCanvas,
            handout=handout,
            chrome=chrome,
            styles=st,
            writer=writer,
            tagger=tagger if tagged else None,
            tags=tags if tagged else None,
        ),
    )
    return RenderedPdf(out.getvalue(), doc.page, body, later)


def _body(chrome: Chrome, margin: float, width: float) -> Area:
    """The body area between a page's header and footer rules, 5 mm clear of each."""
    gap = 5 * mm
    return (margin, chrome.footer_rule + gap, margin + width, chrome.header_rule - gap)


def _frame(area: Area) -> Frame:
    left, bottom, right, top = area
    pad = {"leftPadding": 0, "rightPadding": 0, "topPadding": 0, "bottomPadding": 0}
    return Frame(left, bottom, right - left, top - bottom, id="body", **pad)
