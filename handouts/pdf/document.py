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
from .chrome import ChromeTags, PagedCanvas, layout_chrome
from .story import build_story
from .styles import PAPER, make_styles
from .tagging import Tagger
from .writer import Writer


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    pages: int
    body: tuple[float, float, float, float]  # (left, bottom, right, top) in points of the body text on every page


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
    gap = 5 * mm
    body = (st.margin, chrome.footer_rule + gap, st.margin + width, chrome.header_rule - gap)
    frame = Frame(
        body[0],
        body[1],
        width,
        body[3] - body[1],
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    tagger = Tagger(handout.lang)
    tags = ChromeTags(tagger.root.add("Div"), tagger.root.add("Div"))  # the footer Div moves last below
    story = build_story(handout, st, width, writer, tagger.root)
    tagger.root.kids.append(tagger.root.kids.pop(1))  # reading order: brand block, body, footer
    out = io.BytesIO()
    doc = BaseDocTemplate(
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
    return RenderedPdf(out.getvalue(), doc.page, body)
