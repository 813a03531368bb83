"""The body of a handout: title, summary, sections and their blocks, warning boxes."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from ..model import Block, BulletList, Callout, Handout, Subhead
from ..model import Paragraph as ParagraphBlock
from .styles import BULLET, Styles
from .writer import Writer


def _blocks(blocks: tuple[Block, ...], st: Styles, width: float, w: Writer, continued: str) -> list[Flowable]:
    out: list[Flowable] = []
    for block in blocks:
        if isinstance(block, ParagraphBlock):
            out.append(w.para(block.spans, st.body))
        elif isinstance(block, Subhead):
            out.append(w.text(block.text, st.subhead))
        elif isinstance(block, BulletList):
            out.extend(w.para(item, st.bullet, bullet=BULLET) for item in block.items)
        elif isinstance(block, Callout):
            out.append(_callout(block, st, width, w, continued))
    return out


LABEL_LINES = 4  # a longer warning label is not repeated on every page its box runs on to


class Box(Table):
    """The warning box: a one-column table that reportlab splits between rows and inside
    a row. Every later part is built afresh by ``make`` with ``continued`` ("Get help
    now (continued)") as its head row, so no page shows an unlabelled box and none
    suggests a second, separate warning. (reportlab would repeat the head row itself,
    but at the height of the original head, so a longer head would overprint the text.)"""

    make: Callable[[list[list[Flowable]]], Box] | None = None
    continued: Flowable | None = None
    _cellvalues: list[list[Flowable]]  # reportlab's rows of a table; its split makes Boxes (self.__class__)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts = super().split(availWidth, availHeight)
        if len(parts) == 2 and self.make is not None and self.continued is not None and isinstance(parts[1], Box):
            rest = self.make([[self.continued]] + parts[1]._cellvalues[1:])
            rest.make, rest.continued = self.make, self.continued
            parts = [parts[0], rest]
        return parts


def _callout(block: Callout, st: Styles, width: float, w: Writer, continued: str) -> Table:
    """A boxed warning: one row per paragraph or bullet so a long box can split across
    pages (``Box``). A label longer than ``LABEL_LINES`` lines is a row of its own
    under an empty head, so it can split like any paragraph; its later parts then say
    only "(continued)"."""
    pad = 8
    label = w.text(block.label, st.label)
    tall = label.wrap(width - 2 * pad - 2, 1e6)[1] > LABEL_LINES * st.label.leading
    rows: list[list[Flowable]] = [[Spacer(0, 0)], [label]] if tall else [[label]]
    rows += [[flowable] for flowable in _blocks(block.blocks, st, width - 2 * pad, w, continued)]
    table = _box(rows, st, width, pad)
    table.make = partial(_box, st=st, width=width, pad=pad)
    table.continued = w.text(continued.format(label="" if tall else block.label).strip(), st.label)
    return table


def _box(rows: list[list[Flowable]], st: Styles, width: float, pad: float) -> Box:
    """The table of a warning box or of a later part of one. It splits inside a row first
    (``splitByRow=0``): split between rows, a part could end well above the foot of the
    page, and reportlab would then start the next part, a second box, on the same page."""
    table = Box(rows, colWidths=[width], repeatRows=1, splitByRow=0, splitInRow=1, hAlign="LEFT")
    table.spaceBefore = table.spaceAfter = st.body.fontSize * 0.6
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), st.body.fontName),  # else reportlab sets Helvetica, unembedded
                ("BOX", (0, 0), (-1, -1), 2.5, st.label.textColor),
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


def build_story(handout: Handout, st: Styles, width: float, w: Writer) -> list[Flowable]:
    story: list[Flowable] = [w.text(handout.title, st.title), w.text(handout.summary, st.summary)]
    for section in handout.sections:
        heading = w.text(section.title, st.heading)
        # our own attribute, which _Doc.afterFlowable turns into a PDF bookmark
        heading.outline = (f"section-{section.id}", section.title)  # type: ignore[attr-defined]
        story.append(heading)
        story.extend(_blocks(section.blocks, st, width, w, handout.strings.continued))
    story.append(Spacer(1, 1))
    return story
