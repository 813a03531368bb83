"""Our own check of a tagged handout, with pikepdf and pypdf: it reads the structure
tree and the marked content of every page and compares both with the handout model, so
an empty or partial tree cannot pass.

- Catalog: /StructTreeRoot with a /ParentTree, /MarkInfo /Marked true, /Lang, the
  DisplayDocTitle preference, XMP with dc:title, dc:language and pdfuaid:part 1; PDF 1.7.
- Pages: /StructParents and /Tabs /S; every painting operator inside a marked-content
  sequence with an MCID or inside an /Artifact, no MCID nested in another or in an
  artifact; every MCID of every page reached from the tree exactly once, and every
  content item the tree names present on the page it names; the parent tree maps each
  MCID back to the element that holds it.
- Roles and text: the tree, read in order, is the handout model (brand block, H1 title,
  P summary, a Sect per section with its H2, H3 per subhead, L > LI > Lbl + LBody per
  bullet, a Sect per warning box with its label, a P with a Link (and its OBJR) for
  the brand's link; a personal handout's "For:" P and its
  schedule: Table > TR > TH/TD, in reading order also in Arabic), each element's text equal to the
  author's text: read from the page for unshaped scripts, from the /ActualText of its
  Spans for shaped ones (so the ActualText of shaped lines, joined, is the source).
- Artifacts: "Page X of Y" on every page, the header and footer on every page after
  the first, the DRAFT mark on every page of a draft; the brand's phone number is
  content on page 1 only.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import pikepdf

from handouts import l10n
from handouts.model import BulletList, Callout, Day, Handout, Paragraph, Schedule, Subhead, plain
from handouts.pdf.schedule import table_days
from handouts.pdf.styles import BULLET
from handouts.wordbreak import MARK

PAINTING = {b"Tj", b"TJ", b"'", b'"', b"Do", b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*", b"S", b"s", b"sh"}
_BIDI = dict.fromkeys(map(ord, "\u2066\u2067\u2068\u2069\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u200b"))


def norm(text: str) -> str:
    """Text as compared: NFC, without white space, break marks and bidi controls."""
    text = unicodedata.normalize("NFC", text).translate(_BIDI).replace(MARK, "")
    return "".join(ch for ch in text if not ch.isspace())


@dataclass
class Node:
    """A structure element as read back."""

    role: str
    obj: Any
    kids: list[Node] = field(default_factory=list)
    content: list[tuple[int, int]] = field(default_factory=list)  # (page, mcid) in /K order
    objr: int = 0

    def walk(self):
        yield self
        for kid in self.kids:
            yield from kid.walk()


@dataclass
class Page:
    """What one page's content stream marks: MCIDs with their tag and text, artifacts
    with their type and text, and painting operators that are in neither."""

    mcids: dict[int, str] = field(default_factory=dict)  # mcid -> tag
    text: dict[int, str] = field(default_factory=dict)  # mcid -> extracted text
    artifacts: list[tuple[str, str]] = field(default_factory=list)  # (Type/Subtype, text)
    unmarked: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


class _Reader:
    """Walks content streams (forms included, as drawn) with pikepdf, decoding text
    through each font's ToUnicode CMap; much faster than a general text extractor."""

    def __init__(self) -> None:
        self._cmaps: dict[tuple[int, int], dict[int, str]] = {}

    def cmap(self, font: Any) -> dict[int, str]:
        key = font.objgen
        if key not in self._cmaps:
            found: dict[int, str] = {}
            if "/ToUnicode" in font:
                data = font.ToUnicode.read_bytes().decode("latin-1")
                entries = data.split("endcodespacerange")[-1]
                for code, text in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", entries):
                    found[int(code, 16)] = bytes.fromhex(text).decode("utf-16-be")
            self._cmaps[key] = found
        return self._cmaps[key]

    def page(self, page: pikepdf.Page) -> Page:
        out = Page()
        self._walk(page.obj, page.obj.get("/Resources", pikepdf.Dictionary()), [], out, 0)
        return out

    def _walk(
        self, owner: Any, resources: Any, stack: list[tuple[str, int | None, int]], out: Page, depth: int
    ) -> None:
        font: dict[int, str] = {}
        opened = len(stack)
        for instr in pikepdf.parse_content_stream(owner):
            if isinstance(instr, pikepdf.ContentStreamInlineImage):
                if not _marked(stack):
                    out.unmarked.append("inline image")
                continue
            op, args = bytes(instr.operator), instr.operands
            if op in (b"BDC", b"BMC"):
                tag = str(args[0])
                props = args[1] if op == b"BDC" else None
                mcid = int(props["/MCID"]) if isinstance(props, pikepdf.Dictionary) and "/MCID" in props else None
                artifact = -1
                if tag == "/Artifact":
                    kind = str(props.get("/Type", "")) + str(props.get("/Subtype", "")) if props is not None else ""
                    out.artifacts.append((kind, ""))
                    artifact = len(out.artifacts) - 1
                if mcid is not None:
                    if _marked(stack):
                        out.problems.append(f"MCID {mcid} nested in marked content {stack}")
                    if mcid in out.mcids:
                        out.problems.append(f"MCID {mcid} used twice")
                    if depth:
                        out.problems.append(f"MCID {mcid} inside a form XObject")
                    out.mcids[mcid] = tag
                    out.text[mcid] = ""
                stack.append((tag, mcid, artifact))
            elif op == b"EMC":
                if len(stack) <= opened:
                    out.problems.append("EMC without its BDC")
                else:
                    stack.pop()
            elif op == b"Tf":
                name = args[0]
                font = self.cmap(resources.Font[name]) if name in resources.get("/Font", {}) else {}
            if op in PAINTING and not _marked(stack):
                out.unmarked.append(op.decode())
            if op in (b"Tj", b"'", b'"', b"TJ"):
                strings = [a for a in (args[0] if op == b"TJ" else args[-1:]) if isinstance(a, pikepdf.String)]
                text = "".join(font.get(b, "") for a in strings for b in bytes(a))
                _attribute(stack, out, text)
            elif op == b"Do":
                xobj = resources.get("/XObject", {}).get(args[0])
                if xobj is not None and xobj.get("/Subtype") == "/Form" and depth < 5:
                    self._walk(xobj, xobj.get("/Resources", resources), stack, out, depth + 1)
        if len(stack) != opened:
            out.problems.append(f"marked content left open: {stack[opened:]}")
            del stack[opened:]


def _marked(stack: list[tuple[str, int | None, int]]) -> bool:
    return any(tag == "/Artifact" or mcid is not None for tag, mcid, _ in stack)


def _attribute(stack: list[tuple[str, int | None, int]], out: Page, text: str) -> None:
    """Text goes to the innermost MCID or artifact it is drawn in."""
    for _, mcid, artifact in reversed(stack):
        if mcid is not None:
            out.text[mcid] += text
            return
        if artifact >= 0:
            kind, old = out.artifacts[artifact]
            out.artifacts[artifact] = (kind, old + text)
            return


def _tree(pdf: pikepdf.Pdf, pages: dict[tuple[int, int], int], problems: list[str]) -> Node:
    root = pdf.Root.StructTreeRoot

    def page_of(obj: Any) -> int | None:
        pg = obj.get("/Pg")
        return pages.get(pg.objgen) if pg is not None else None

    def visit(obj: Any, depth: int) -> Node:
        node = Node(str(obj.get("/S")), obj)
        if depth > 50:
            problems.append("structure tree deeper than 50")
            return node
        kids = obj.get("/K")
        items = list(kids) if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]
        for kid in items:
            if isinstance(kid, int):
                page = page_of(obj)
                if page is None:
                    problems.append(f"{node.role}: MCID {kid} without /Pg")
                else:
                    node.content.append((page, int(kid)))
            elif kid.get("/Type") == "/MCR":
                page = page_of(kid) if "/Pg" in kid else page_of(obj)
                node.content.append((page if page is not None else -1, int(kid.MCID)))
            elif kid.get("/Type") == "/OBJR":
                node.objr += 1
            else:
                if kid.get("/P") is None or kid.P.objgen != obj.objgen:
                    problems.append(f"{kid.get('/S')}: /P is not its parent {node.role}")
                node.kids.append(visit(kid, depth + 1))
        return node

    top = root.K
    if isinstance(top, pikepdf.Array):
        problems.append("StructTreeRoot /K is not one Document element")
        top = top[0]
    return visit(top, 0)


def expected(handout: Handout) -> list[tuple[int, str, str | None]]:
    """The body of the tree the model asks for, in reading order: (depth, role, text)
    with depth 1 under Document; text None for a grouping element."""
    out: list[tuple[int, str, str | None]] = [(1, "/H1", handout.title), (1, "/P", handout.summary)]
    if handout.schedule is not None:  # a personal handout: "For: NAME" on page 1
        out.append((1, "/P", handout.schedule.for_line))

    def blocks(found, depth: int) -> None:
        for block in found:
            if isinstance(block, Paragraph):
                out.append((depth, "/P", plain(block.spans)))
            elif isinstance(block, Subhead):
                out.append((depth, "/H3", block.text))
            elif isinstance(block, BulletList):
                out.append((depth, "/L", None))
                for item in block.items:
                    out.extend(
                        [
                            (depth + 1, "/LI", None),
                            (depth + 2, "/Lbl", BULLET),
                            (depth + 2, "/LBody", plain(item)),
                        ]
                    )
            elif isinstance(block, Callout):
                out.extend([(depth, "/Sect", None), (depth + 1, "/P", block.label)])
                blocks(block.blocks, depth + 1)

    if handout.key_points is not None:  # a Sect of its own: the box's title, then its items as a list
        out += [(1, "/Sect", None), (2, "/H2", handout.key_points.title), (2, "/L", None)]
        for item in handout.key_points.items:
            out += [(3, "/LI", None), (4, "/Lbl", BULLET), (4, "/LBody", plain(item))]
    for section in handout.sections:
        out += [(1, "/Sect", None), (2, "/H2", section.title)]
        blocks(section.blocks, 2)
    if handout.link:  # the brand's link: its words, and in them a Link with the address
        out += [(1, "/P", handout.strings.online or None), (2, "/Link", handout.link)]
    if handout.schedule is not None:
        out += schedule_tree(handout.schedule, table_days(handout))
    return out


def schedule_tree(schedule: Schedule, table_days: tuple[int, ...]) -> list[tuple[int, str, str | None]]:
    """A personal handout's schedule page: a Sect with its heading, who it is for, the
    pill card and each calendar's tables (TH: the header row and the first column; an
    empty cell holds nothing). ``table_days``: days per table of each calendar (7, or
    fewer where a week is cut for its words to fit, ``pdf.schedule.table_days``); the
    tables hold the calendar's days in order, a week's days never in two weeks' table."""

    def table(rows: list[list[str]]) -> list[tuple[int, str, str | None]]:
        out: list[tuple[int, str, str | None]] = [(2, "/Table", None)]
        for r, row in enumerate(rows):
            out.append((3, "/TR", None))
            out += [(4, "/TH" if r == 0 or c == 0 else "/TD", text or None) for c, text in enumerate(row)]
        return out

    out = [(1, "/Sect", None), (2, "/H2", schedule.title), (2, "/P", schedule.for_line), (2, "/P", schedule.details)]
    out += table([[schedule.when, *schedule.times], *([row.when, *row.doses] for row in schedule.rows)])
    if schedule.stop:
        out.append((2, "/P", schedule.stop))
    for calendar, per_table in zip(schedule.calendars, table_days, strict=True):
        out.append((2, "/H3", calendar.title))
        used = [i for i in range(len(schedule.times)) if any(day.doses[i] for day in calendar.days)]
        for days in _tables(calendar.days, per_table):
            out += table(
                [["", *(day.weekday + day.label for day in days)]]
                + [[schedule.times[i], *(day.doses[i] for day in days)] for i in used]
            )
    return out


def _tables(days: tuple[Day, ...], per_table: int) -> list[tuple[Day, ...]]:
    """The days of each table, worked out here apart from the model's ``weeks``: each
    run of 7 days cut into the fewest tables of at most ``per_table`` days, the longer
    first, sizes differing by at most one."""
    out = []
    for start in range(0, len(days), 7):
        week = list(days[start : start + 7])
        parts = (len(week) + per_table - 1) // per_table
        while week:
            n = (len(week) + parts - 1) // parts
            out.append(tuple(week[:n]))
            week, parts = week[n:], parts - 1
    return out


def _text(node: Node, texts: list[dict[int, str]]) -> str:
    """An element's text: its /ActualText, or that of its Span kids where it has them
    (shaped lines), else what the page shows of its content."""
    if "/ActualText" in node.obj:
        return str(node.obj.ActualText)
    spans = [k for k in node.kids if k.role == "/Span"]
    if spans:
        return "".join(str(k.obj.get("/ActualText", "")) for k in spans)
    return "".join(texts[p].get(m, "") for p, m in node.content)


def _flatten(node: Node, depth: int, out: list[tuple[int, Node]]) -> None:
    out.append((depth, node))
    for kid in node.kids:
        if kid.role != "/Span":
            _flatten(kid, depth + 1, out)


def check(handout: Handout, data: bytes) -> list[str]:
    """Every way the tagged PDF differs from what the handout asks for ([] when none)."""
    problems: list[str] = []
    pdf = pikepdf.open(io.BytesIO(data))
    root = pdf.Root
    if pdf.pdf_version != "1.7":
        problems.append(f"PDF version {pdf.pdf_version}")
    if "/StructTreeRoot" not in root or "/ParentTree" not in root.StructTreeRoot:
        return [*problems, "no /StructTreeRoot with a /ParentTree"]
    if not root.get("/MarkInfo") or root.MarkInfo.get("/Marked") is not True:
        problems.append("/MarkInfo /Marked is not true")
    if str(root.get("/Lang")) != handout.lang:
        problems.append(f"/Lang {root.get('/Lang')}")
    if root.get("/ViewerPreferences", {}).get("/DisplayDocTitle") is not True:
        problems.append("DisplayDocTitle is not true")
    with pdf.open_metadata() as meta:
        if meta.get("dc:title") != handout.title:
            problems.append(f"XMP dc:title {meta.get('dc:title')!r}")
        if handout.lang not in (meta.get("dc:language") or []):
            problems.append(f"XMP dc:language {meta.get('dc:language')!r}")
    xmp = bytes(root.Metadata.read_bytes()).decode()
    if not re.search(r"<pdfuaid:part>1</pdfuaid:part>|pdfuaid:part=\"1\"", xmp):
        problems.append("XMP has no pdfuaid:part 1")

    page_index = {p.obj.objgen: i for i, p in enumerate(pdf.pages)}
    reader = _Reader()
    marked: list[Page] = []
    for i, page in enumerate(pdf.pages):
        if page.obj.get("/Tabs") != "/S":
            problems.append(f"page {i + 1}: /Tabs is not /S")
        if page.obj.get("/StructParents") is None:
            problems.append(f"page {i + 1}: no /StructParents")
        found = reader.page(page)
        problems += [f"page {i + 1}: {p}" for p in found.problems]
        if found.unmarked:
            problems.append(f"page {i + 1}: painting outside marked content: {found.unmarked[:5]}")
        marked.append(found)

    tree = _tree(pdf, page_index, problems)
    if tree.role != "/Document":
        problems.append(f"the tree starts with {tree.role}, not /Document")
    nodes = list(tree.walk())
    reached: dict[tuple[int, int], Node] = {}
    for node in nodes:
        for item in node.content:
            if item in reached:
                problems.append(f"MCID {item} reached twice")
            reached[item] = node
            page, mcid = item
            if page < 0 or mcid not in marked[page].mcids:
                problems.append(f"{node.role} claims MCID {mcid} on page {page + 1}, which has no such content")
    for i, found in enumerate(marked):
        missed = sorted(m for m in found.mcids if (i, m) not in reached)
        if missed:
            problems.append(f"page {i + 1}: MCIDs {missed[:10]} not reached from the tree")
    nums = list(root.StructTreeRoot.ParentTree.get("/Nums", []))
    parents = {int(nums[k]): nums[k + 1] for k in range(0, len(nums), 2)}
    for (page, mcid), node in reached.items():
        if page < 0:
            continue
        key = int(pdf.pages[page].obj.get("/StructParents", -1))
        holders = parents.get(key)
        if holders is None or mcid >= len(holders) or holders[mcid].objgen != node.obj.objgen:
            problems.append(f"parent tree: page {page + 1} MCID {mcid} does not map back to its {node.role}")

    texts = [found.text for found in marked]
    problems += _roles(handout, tree, texts)
    problems += _artifacts(handout, marked)
    return problems


def _roles(handout: Handout, tree: Node, texts: list[dict[int, str]]) -> list[str]:
    problems = []
    kids = tree.kids
    if len(kids) < 3 or kids[0].role != "/Div" or kids[-1].role != "/Div":
        return [f"Document holds {[k.role for k in kids]}: not brand block, body, footer"]
    header, footer = kids[0], kids[-1]
    figures = [n for n in tree.walk() if n.role == "/Figure"]
    if handout.brand.logo:
        alts = [str(f.obj.get("/Alt", "")) for f in figures]
        if alts != [f"{handout.brand.name} logo"] or header.kids[0].role != "/Figure":
            problems.append(f"logo figures {alts}, expected one with the brand name")
        if figures and not all(p == 0 for p, _ in figures[0].content) or not figures[0].content:
            problems.append("the logo is not content on page 1")
    elif figures:
        problems.append("a Figure without a logo")
    brand_texts = [norm(_text(k, texts)) for k in header.kids if k.role == "/P"]
    if not brand_texts or brand_texts[0] != norm(handout.brand.name):
        problems.append(f"brand block starts {brand_texts[:1]}, not the brand name")
    if handout.brand.phone and not any(norm(handout.brand.phone) in t for t in brand_texts):
        problems.append("the brand block has no phone number")
    for node in [*header.walk(), *footer.walk()]:
        if any(p != 0 for p, _ in node.content):
            problems.append(f"chrome {node.role} has content after page 1")
    if handout.brand.address and not any(norm(handout.brand.address) in norm(_text(k, texts)) for k in footer.kids):
        problems.append("the footer has no address")

    body: list[tuple[int, Node]] = []
    for kid in kids[1:-1]:
        _flatten(kid, 1, body)
    want = expected(handout)
    got = [(d, n.role, n) for d, n in body]
    if [(d, r) for d, r, _ in want] != [(d, r) for d, r, _ in got]:
        first = next(
            (i for i, (a, b) in enumerate(zip(want, got, strict=False)) if a[:2] != b[:2]), min(len(want), len(got))
        )
        problems.append(
            f"tree differs from the model at element {first}: want {[w[:2] for w in want[first : first + 3]]}, "
            f"got {[g[:2] for g in got[first : first + 3]]} ({len(want)} vs {len(got)} elements)"
        )
        return problems
    for (_, role, text), (_, _, node) in zip(want, got, strict=True):
        if text is None:
            if node.content:
                problems.append(f"grouping {role} holds content itself")
            continue
        if not node.content and not any(k.content for k in node.kids):
            problems.append(f"{role} {text[:30]!r} has no content on any page")
        if norm(_text(node, texts)) != norm(text):
            problems.append(f"{role} reads {_text(node, texts)[:60]!r}, written {text[:60]!r}")
        if role == "/Link" and node.objr != 1:
            problems.append(f"Link {text[:30]!r} holds {node.objr} link annotations (OBJR), not 1")
    return problems


def _artifacts(handout: Handout, pages: list[Page]) -> list[str]:
    problems = []
    total = len(pages)
    phone = norm(handout.brand.phone or "")
    body = norm("".join(text or "" for _, _, text in expected(handout)))
    once = phone and phone not in body  # a phone number the body repeats may well be content
    for i, found in enumerate(pages):
        page_texts, artifacts = found.text, found.artifacts
        number = l10n.number(i + 1, handout.lang)
        label = handout.strings.page.format(page=number, pages=l10n.number(total, handout.lang))
        kinds = {kind for kind, _ in artifacts}
        joined = norm("".join(t for _, t in artifacts))
        if not any(sorted(norm(label)) == sorted(norm(t)) for _, t in artifacts):
            problems.append(f"page {i + 1}: no artifact reads {label!r}")
        if handout.draft and "/Pagination/Watermark" not in kinds:
            problems.append(f"page {i + 1}: no watermark artifact")
        if i and handout.large_print:  # later pages: the clinic's name alone on top (chrome.layout_running)
            if norm(handout.brand.name) not in joined:
                problems.append(f"page {i + 1}: the running head is not an artifact")
        elif i and phone and phone not in joined:
            problems.append(f"page {i + 1}: the header is not an artifact")
        if i and once and any(phone in norm(t) for t in page_texts.values()):
            problems.append(f"page {i + 1}: the phone number is content again")
        if i and not handout.large_print and handout.brand.address and norm(handout.brand.address) not in joined:
            problems.append(f"page {i + 1}: the footer is not an artifact")
    return problems
