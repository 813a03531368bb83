"""The body of a handout: title, summary, sections and their blocks, warning boxes,
as the units of one ``flow`` that breaks them into pages."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from reportlab.lib.colors import Color
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, PageBreak

from ..model import Block, BulletList, Callout, Handout, Inline, KeyPoints, Section, Subhead, plain
from ..model import Paragraph as ParagraphBlock
from . import flow
from .icons import IconName, Lead
from .online import OnlineLink
from .schedule import schedule_units
from .styles import BULLET, Styles
from .tagging import Element
from .writer import Writer

LABEL_LINES = 4  # a longer warning label is not repeated on every page its box runs on to
COLONS = (":", "：", "﹕")  # a lead-in ends with its script's colon (Arabic and Hindi use ":")
# Sections that shared templates print, and the icon their heading gets
SECTION_ICONS: dict[str, IconName] = {"online_pharmacy_safety": "pharmacy"}
ICON_SIZE = 1.15  # an icon beside text, in ems of that text
ICON_GAP = 0.4  # ems between the icon and the text
ICON_CENTER = 0.62  # ems from the top of a line to the middle of its letters


@dataclass
class _Body:
    """The units and boxes of a body, added block by block."""

    st: Styles
    w: Writer
    width: float
    continued: str  # "{label} (continued)"
    emergency: str | None  # the brand's emergency number: a line that shows it gets a phone
    parent: Element  # where the structure elements of the blocks being added go
    units: list[flow.Unit] = field(default_factory=list)
    boxes: list[flow.Box] = field(default_factory=list)
    lists: int = 0
    _indented: dict[str, ParagraphStyle] = field(default_factory=dict)

    def lead(self, style: ParagraphStyle, name: IconName, color: Color) -> tuple[ParagraphStyle, Lead]:
        """``style`` with room at the start of its lines for icon ``name``, and the icon."""
        size, gap = style.fontSize * ICON_SIZE, style.fontSize * ICON_GAP
        indented = self._indented.get(style.name)
        if indented is None:  # one per style and handout: the writer keys its cache by style
            indented = ParagraphStyle(style.name, parent=style, leftIndent=style.leftIndent + size + gap)
            self._indented[style.name] = indented
        return indented, Lead(name, size, color, style.leftIndent, style.fontSize * ICON_CENTER, self.w.script.rtl)

    def para(self, spans: Inline, style: ParagraphStyle, bullet: str | None = None) -> tuple[Flowable, Lead | None]:
        """A paragraph or item, with a phone before it when it shows the emergency number."""
        if self.emergency is None or not shows_number(plain(spans), self.emergency):
            return self.w.para(spans, style, bullet), None
        style, icon = self.lead(style, "phone", self.st.label.textColor)
        return self.w.para(spans, style, bullet), icon

    def blocks(self, blocks: tuple[Block, ...], box: int | None = None) -> None:
        st, w, parent = self.st, self.w, self.parent
        for i, block in enumerate(blocks):
            if isinstance(block, ParagraphBlock):
                lead_in = plain(block.spans).rstrip().endswith(COLONS) and _is_list(blocks, i + 1)
                para, icon = self.para(block.spans, st.body)
                element = parent.add("P")
                self.units.append(flow.Unit(para, "para", box, lead_in=lead_in, icon=icon, element=element))
            elif isinstance(block, Subhead):
                self.units.append(flow.Unit(w.text(block.text, st.subhead), "subhead", box, element=parent.add("H3")))
            elif isinstance(block, BulletList):
                self.lists += 1
                items = [self.para(item, st.bullet, bullet=BULLET) for item in block.items]
                tagged = parent.add("L")
                self.units += [
                    flow.Unit(item, "item", box, group=self.lists, icon=icon, element=_item(tagged))
                    for item, icon in items
                ]
            elif isinstance(block, Callout):
                self.callout(block)

    def callout(self, block: Callout) -> None:
        """A boxed warning. A label longer than ``LABEL_LINES`` lines may split like a
        paragraph, and the box's later parts then say only "(continued)". In the tree,
        a Sect holding its label and its blocks."""
        st, w, number = self.st, self.w, len(self.boxes)
        box = flow.Box(st.callout_bg, st.label.textColor, w.text("", st.label), space=st.body.fontSize * 0.6)
        style, icon = self.lead(st.label, "warning", st.label.textColor)
        label = w.text(block.label, style)
        tall = label.wrap(box.inner(self.width), 1e6)[1] > LABEL_LINES * st.label.leading
        head = w.text(self.continued.format(label="" if tall else block.label).strip(), st.label)
        self.boxes.append(replace(box, continued=head))
        outer = self.parent
        self.parent = outer.add("Sect", title=block.label)
        kind: flow.Kind = "para" if tall else "label"
        self.units.append(flow.Unit(label, kind, number, icon=icon, element=self.parent.add("P")))
        self.blocks(block.blocks, number)
        self.parent = outer

    def key_points(self, points: KeyPoints, document: Element) -> None:
        """The "most important things to know" box: a title and a list, in the brand's
        primary colour where a warning box has its accent, so the two read apart. In the
        tree, a Sect of its own before the sections': its title an H2, its items an L."""
        st, w, number = self.st, self.w, len(self.boxes)
        head = w.text(self.continued.format(label=points.title), st.key_title)
        self.boxes.append(flow.Box(st.key_bg, st.key_title.textColor, head, space=st.body.fontSize * 0.6))
        group = document.add("Sect", title=points.title)
        self.units.append(flow.Unit(w.text(points.title, st.key_title), "label", number, element=group.add("H2")))
        self.lists += 1
        items = [self.para(item, st.bullet, bullet=BULLET) for item in points.items]  # a phone by "Call 911"
        tagged = group.add("L")
        self.units += [
            flow.Unit(item, "item", number, group=self.lists, icon=icon, element=_item(tagged)) for item, icon in items
        ]

    def heading(self, section: Section, document: Element) -> None:
        """A section's heading, a bookmark, and the icon of its shared template if it has
        one; its Sect in the tree, where the section's blocks go."""
        st, outline = self.st, (f"section-{section.id}", section.title)
        name = SECTION_ICONS.get(section.template or "")
        style, icon = (st.heading, None) if name is None else self.lead(st.heading, name, st.heading.textColor)
        self.parent = document.add("Sect")
        heading = self.w.text(section.title, style)
        self.units.append(flow.Unit(heading, "heading", outline=outline, icon=icon, element=self.parent.add("H2")))


def _item(tagged_list: Element) -> Element:
    """A list item's element: its label (the bullet) and its body."""
    item = tagged_list.add("LI")
    item.add("Lbl")
    item.add("LBody")
    return item


def _is_list(blocks: tuple[Block, ...], i: int) -> bool:
    return i < len(blocks) and isinstance(blocks[i], BulletList)


def shows_number(text: str, number: str) -> bool:
    """Whether ``text`` prints ``number`` as a number of its own, not inside a longer
    one ("Call 911" shows 911; "19110" does not)."""
    start = text.find(number)
    while start >= 0:
        end = start + len(number)
        if not (text[start - 1 : start].isdigit() or text[end : end + 1].isdigit()):
            return True
        start = text.find(number, start + 1)
    return False


def build_story(handout: Handout, st: Styles, width: float, w: Writer, document: Element) -> list[Flowable]:
    """The flow of the body; its structure elements are added to ``document`` in
    reading order: H1 title, P summary, the key points' Sect (H2, L), a Sect per section
    (H2, then its blocks)."""
    body = _Body(st, w, width, handout.strings.continued, handout.brand.emergency_number, document)
    body.units += [
        flow.Unit(w.text(handout.title, st.title), "title", element=document.add("H1")),
        flow.Unit(w.text(handout.summary, st.summary), "summary", element=document.add("P")),
    ]
    if handout.schedule is not None:  # "For: NAME" on page 1
        body.units.append(flow.Unit(w.text(handout.schedule.for_line, st.subhead), "para", element=document.add("P")))
    if handout.key_points is not None:
        body.key_points(handout.key_points, document)
    for section in handout.sections:
        body.heading(section, document)
        body.blocks(section.blocks)
    if handout.link:
        online = OnlineLink(handout.link, w.cache.qr(handout.link), handout.strings.online, st, w)
        body.units.append(flow.Unit(online, "figure", element=document.add("P")))
    story: list[Flowable] = [flow.Flow(body.units, body.boxes)]
    if handout.schedule is not None:  # the schedule on a page of its own, to keep by the pills
        units = schedule_units(handout.schedule, st, w, width, handout.brand.primary, document)
        story += [PageBreak(), flow.Flow(units, [])]
    return story
