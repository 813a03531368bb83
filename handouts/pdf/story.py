"""The body of a handout: title, summary, sections and their blocks, warning boxes,
as the units of one ``flow`` that breaks them into pages."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from reportlab.platypus import Flowable

from ..model import Block, BulletList, Callout, Handout, Subhead, plain
from ..model import Paragraph as ParagraphBlock
from . import flow
from .styles import BULLET, Styles
from .writer import Writer

LABEL_LINES = 4  # a longer warning label is not repeated on every page its box runs on to
COLONS = (":", "：", "﹕")  # a lead-in ends with its script's colon (Arabic and Hindi use ":")


@dataclass
class _Body:
    """The units and boxes of a body, added block by block."""

    st: Styles
    w: Writer
    width: float
    continued: str  # "{label} (continued)"
    units: list[flow.Unit] = field(default_factory=list)
    boxes: list[flow.Box] = field(default_factory=list)
    lists: int = 0

    def blocks(self, blocks: tuple[Block, ...], box: int | None = None) -> None:
        st, w = self.st, self.w
        for i, block in enumerate(blocks):
            if isinstance(block, ParagraphBlock):
                lead_in = plain(block.spans).rstrip().endswith(COLONS) and _is_list(blocks, i + 1)
                self.units.append(flow.Unit(w.para(block.spans, st.body), "para", box, lead_in=lead_in))
            elif isinstance(block, Subhead):
                self.units.append(flow.Unit(w.text(block.text, st.subhead), "subhead", box))
            elif isinstance(block, BulletList):
                self.lists += 1
                items = [w.para(item, st.bullet, bullet=BULLET) for item in block.items]
                self.units += [flow.Unit(item, "item", box, group=self.lists) for item in items]
            elif isinstance(block, Callout):
                self.callout(block)

    def callout(self, block: Callout) -> None:
        """A boxed warning. A label longer than ``LABEL_LINES`` lines may split like a
        paragraph, and the box's later parts then say only "(continued)"."""
        st, w, number = self.st, self.w, len(self.boxes)
        box = flow.Box(st.callout_bg, st.label.textColor, w.text("", st.label), space=st.body.fontSize * 0.6)
        label = w.text(block.label, st.label)
        tall = label.wrap(box.inner(self.width), 1e6)[1] > LABEL_LINES * st.label.leading
        head = w.text(self.continued.format(label="" if tall else block.label).strip(), st.label)
        self.boxes.append(replace(box, continued=head))
        self.units.append(flow.Unit(label, "para" if tall else "label", number))
        self.blocks(block.blocks, number)


def _is_list(blocks: tuple[Block, ...], i: int) -> bool:
    return i < len(blocks) and isinstance(blocks[i], BulletList)


def build_story(handout: Handout, st: Styles, width: float, w: Writer) -> list[Flowable]:
    body = _Body(st, w, width, handout.strings.continued)
    body.units += [
        flow.Unit(w.text(handout.title, st.title), "title"),
        flow.Unit(w.text(handout.summary, st.summary), "summary"),
    ]
    for section in handout.sections:
        outline = (f"section-{section.id}", section.title)  # becomes a PDF bookmark
        body.units.append(flow.Unit(w.text(section.title, st.heading), "heading", outline=outline))
        body.blocks(section.blocks)
    return [flow.Flow(body.units, body.boxes)]
