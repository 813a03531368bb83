"""Reading a handout's pages back as a print shop looks at them: which line of which
block sits where on which page, and what breaks the rules of a clean page.

Every body line of the PDF (``reading``: pdfium for most scripts, pypdf's runs for the
shaped ones, where pdfium drops or reorders lines) is matched with the block of the
handout it prints: the written text, folded as ``reading`` folds it, is consumed line
by line, each line taking as many characters as it holds. That gives, for every line,
its page, baseline, block (title, summary, heading, subhead, paragraph, list item, box
label) and place in that block, from which the rules of issue 13 are counted
(``violations``).
"""

from __future__ import annotations

import io
import itertools
import statistics
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from pypdf import PdfReader
from reading import SAME_LINE, TOLERANCE, _read_rtl, body_chars, continued_heads, fold

from handouts.model import BulletList, Callout, Handout, Paragraph, Subhead, plain
from handouts.pdf.chrome import isolate
from handouts.scripts import script_for
from handouts.wordbreak import MARK

EMPTY = 0.30  # no page but the last may leave more than this share of its body empty, large print too
MIN_LINES = 2  # lines a split paragraph, list or box keeps on each side of a page break
COLONS = (":", "：", "﹕", "︓")  # a lead-in ends with its script's colon
RULES = (
    "page too empty (30%)",
    "box piece under 2 lines",
    "widow or orphan",
    "lead-in apart from its list",
    "heading ends a page",
    "lone CJK character",
    "box paragraph spacing",
)


@dataclass(frozen=True)
class Unit:
    """One block as laid out: a paragraph, an item, a heading, a box label."""

    kind: str  # title, summary, heading, subhead, para, item, label, figure
    text: str  # folded as the PDF is read back
    box: int | None = None  # which warning box it is in
    group: int | None = None  # which list an item belongs to
    lead_in: bool = False  # a paragraph ending in a colon, right before a list


@dataclass(frozen=True)
class Line:
    page: int
    baseline: float
    text: str  # folded
    unit: int | None  # index in the units; None for a "(continued)" head
    first: bool  # the unit's first line
    last: bool  # the unit's last line


def units(handout: Handout) -> list[Unit]:
    rtl = script_for(handout.lang).rtl
    out = [Unit("title", fold(handout.title, rtl)), Unit("summary", fold(handout.summary, rtl))]
    groups = iter(range(1_000_000))
    boxes = iter(range(1_000_000))

    def add(blocks, box: int | None) -> None:
        for i, block in enumerate(blocks):
            if isinstance(block, Paragraph):
                text = plain(block.spans).rstrip()
                lead = text.endswith(COLONS) and i + 1 < len(blocks) and isinstance(blocks[i + 1], BulletList)
                out.append(Unit("para", fold(text, rtl), box, lead_in=lead))
            elif isinstance(block, Subhead):
                out.append(Unit("subhead", fold(block.text, rtl), box))
            elif isinstance(block, BulletList):
                group = next(groups)
                out.extend(Unit("item", fold("• " + plain(item), rtl), box, group) for item in block.items)
            elif isinstance(block, Callout):
                number = next(boxes)
                out.append(Unit("label", fold(block.label, rtl), number))
                add(block.blocks, number)

    if handout.key_points is not None:  # a box of its own, before the first section
        number, group = next(boxes), next(groups)
        out.append(Unit("label", fold(handout.key_points.title, rtl), number))
        out.extend(Unit("item", fold("• " + plain(item), rtl), number, group) for item in handout.key_points.items)
    for section in handout.sections:
        out.append(Unit("heading", fold(section.title, rtl)))
        add(section.blocks, None)
    if handout.link:  # the brand's link at the end: its words and the address beside the QR code
        words = [handout.strings.online] if handout.strings.online else []
        out += [Unit("figure", fold(text, rtl)) for text in [*words, isolate(handout.link, rtl, ltr=True)]]
    return out


def _raw_lines(handout: Handout, rendered) -> Iterator[tuple[int, float, str]]:
    """(page, baseline, text) of every body line, top to bottom."""
    script = script_for(handout.lang)
    if script.shape:
        for number, page in enumerate(PdfReader(io.BytesIO(rendered.data)).pages):
            runs: list[tuple[float, float, str]] = []
            left, bottom, right, top = rendered.area(number)

            def visit(text, cm, tm, font, size, runs=runs, left=left, bottom=bottom, right=right, top=top):
                x, y = tm[4] * cm[0] + tm[5] * cm[2] + cm[4], tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                text = text.replace(MARK, "")
                turned = abs(tm[0] * cm[1] + tm[1] * cm[3]) > 1e-6  # the DRAFT mark
                if text.strip() and not turned and left - TOLERANCE <= x <= right + TOLERANCE and bottom <= y <= top:
                    runs.append((y, x, text))

            page.extract_text(visitor_text=visit)
            yield from _grouped(number, runs, script.rtl)
        return
    by_page: dict[int, list[tuple[float, float, str]]] = defaultdict(list)
    for c in body_chars(rendered):
        if c.text.strip() and c.upright:
            by_page[c.page].append((c.baseline, c.left, c.text.replace("\ufffe", "-").replace(MARK, "")))
    for number in sorted(by_page):
        yield from _grouped(number, by_page[number], script.rtl)


def _grouped(page: int, runs: list[tuple[float, float, str]], rtl: bool) -> Iterator[tuple[int, float, str]]:
    runs = sorted(runs, key=lambda r: -r[0])
    lines: list[list[tuple[float, float, str]]] = []
    for run in runs:
        if lines and abs(lines[-1][0][0] - run[0]) < SAME_LINE:
            lines[-1].append(run)
        else:
            lines.append([run])
    for line in lines:
        texts = [text for _, _, text in sorted(line, key=lambda r: r[1])]
        yield page, line[0][0], fold("".join(_read_rtl(texts) if rtl else texts), rtl)


@lru_cache(maxsize=64)  # the test reads each PDF twice: the spacing outside boxes first
def read_lines(handout: Handout, rendered) -> tuple[list[Unit], list[Line]]:
    """Every body line with the block it prints (see the module docstring)."""
    rtl = script_for(handout.lang).rtl
    found = units(handout)
    heads = [fold(head, rtl) for head in continued_heads(handout)]
    raw = list(_raw_lines(handout, rendered))
    out: list[Line] = []
    u, used = 0, 0  # the unit being read and how many of its characters are read
    for page in range(rendered.pages):
        on_page = [(b, t) for p, b, t in raw if p == page]
        text = "".join(t for _, t in on_page)
        while u < len(found) and used == len(found[u].text):
            u, used = u + 1, 0
        continues = u < len(found) and found[u].box is not None and (used or found[u].kind != "label")
        head = next((len(h) for h in heads if sorted(text[: len(h)]) == sorted(h)), 0) if continues else 0
        for baseline, line in on_page:
            if head >= len(line):
                head -= len(line)
                out.append(Line(page, baseline, line, None, False, False))
                continue
            line, head = line[head:], 0
            while u < len(found) and used == len(found[u].text):
                u, used = u + 1, 0
            assert u < len(found), f"page {page + 1}: a line beyond the handout's text: {line!r}"
            unit = found[u]
            assert len(line) <= len(unit.text) - used, f"page {page + 1}: {line!r} runs past its block {unit.text!r}"
            written = unit.text[used : used + len(line)]  # a lam-alef across two lines folds apart: 1 letter
            assert sum((Counter(line) - Counter(written)).values()) <= 1, (
                f"page {page + 1}: {line!r} is not the text of {written!r}"
            )
            out.append(Line(page, baseline, line, u, used == 0, used + len(line) == len(unit.text)))
            used += len(line)
    return found, out


def empty_share(rendered, page: int) -> float:
    """How much of a page's body lies below its lowest character (the DRAFT mark aside)."""
    _, bottom, _, top = rendered.area(page)
    drawn = [c.bottom for c in body_chars(rendered) if c.page == page and c.text.strip() and c.upright]
    return (min(drawn, default=top) - bottom) / (top - bottom)


def _cjk(ch: str) -> bool:
    return unicodedata.name(ch, "").startswith(("CJK", "HANGUL", "HIRAGANA", "KATAKANA"))


@dataclass(frozen=True)
class _Read:
    handout: Handout
    rendered: object
    units: list[Unit]
    lines: list[Line]

    def on(self, page: int) -> list[Line]:
        return [line for line in self.lines if line.page == page]


def violations(handout: Handout, rendered, gaps: dict | None = None) -> dict[str, list[str]]:
    """Each rule of issue 13 (``RULES``) with a line per place it is broken.

    ``gaps``: the baseline distances between two paragraphs or items outside boxes,
    per (level, large print, kind, kind), from every PDF checked (``outside_gaps``); paragraphs in a
    box must be as far apart. Without it, this PDF's own distances are used."""
    read = _Read(handout, rendered, *read_lines(handout, rendered))
    checks = (_empty, _box_pieces, _widows_and_orphans, _lead_ins, _heading_ends, _lone_cjk)
    out = {rule: check(read) for rule, check in zip(RULES[:6], checks, strict=True)}
    out[RULES[6]] = _box_spacing(read, gaps)
    return out


def _empty(read: _Read) -> list[str]:
    shares = [(page, empty_share(read.rendered, page)) for page in range(read.rendered.pages - 1)]
    return [f"page {page + 1}: {share:.0%} empty" for page, share in shares if share > EMPTY]


def _box_pieces(read: _Read) -> list[str]:
    """A box on several pages has at least MIN_LINES lines of text (its label and
    "(continued)" head aside) on each."""
    out = []
    for box in {unit.box for unit in read.units if unit.box is not None}:
        mine = [line for line in read.lines if line.unit is not None and read.units[line.unit].box == box]
        pages = Counter(line.page for line in mine)
        text = Counter(line.page for line in mine if read.units[line.unit].kind != "label")
        if len(pages) > 1:
            out += [f"box {box + 1}, page {p + 1}: {text[p]} lines" for p in pages if text[p] < MIN_LINES]
    return out


def _breaks(read: _Read) -> Iterator[tuple[int, Line, Line]]:
    """(page, its last line, the next page's first line that is not a head)."""
    for page in range(read.rendered.pages - 1):
        here, there = read.on(page), [line for line in read.on(page + 1) if line.unit is not None]
        if here and there and here[-1].unit is not None:
            yield page, here[-1], there[0]


def _widows_and_orphans(read: _Read) -> list[str]:
    """A paragraph, or a list, split by a page break keeps MIN_LINES lines on each side."""
    out = []
    for page, last, first in _breaks(read):
        a, b = read.units[last.unit], read.units[first.unit]
        if last.unit == first.unit:
            members = {last.unit}
        elif a.group is not None and a.group == b.group:
            members = {i for i, unit in enumerate(read.units) if unit.group == a.group}
        else:
            continue
        before = sum(1 for line in read.on(page) if line.unit in members)
        after = sum(1 for line in read.lines if line.page > page and line.unit in members)
        if before < MIN_LINES or after < MIN_LINES:
            out.append(f"page {page + 1}/{page + 2}: {before} line(s) before, {after} after: {b.text[:20]!r}")
    return out


def _lead_ins(read: _Read) -> list[str]:
    """A paragraph ending in a colon is on the page where its list starts."""
    last = {line.unit: line.page for line in read.lines if line.last}
    first = {line.unit: line.page for line in read.lines if line.first}
    return [
        f"page {last.get(i, -1) + 1}: {unit.text[-30:]!r}"
        for i, unit in enumerate(read.units)
        if unit.lead_in and last.get(i) != first.get(i + 1)
    ]


def _heading_ends(read: _Read) -> list[str]:
    return [
        f"page {page + 1} ends with {read.units[last.unit].kind} {read.units[last.unit].text[:30]!r}"
        for page, last, _ in _breaks(read)
        if read.units[last.unit].kind in ("heading", "subhead")
    ]


def _lone_cjk(read: _Read) -> list[str]:
    """No line of a paragraph of several lines holds one CJK character and punctuation only."""
    count = Counter(line.unit for line in read.lines)
    out = []
    for line in read.lines:
        letters = [ch for ch in line.text if unicodedata.category(ch)[0] != "P" and ch != "•"]
        if line.unit is not None and count[line.unit] > 1 and len(letters) == 1 and _cjk(letters[0]):
            out.append(f"page {line.page + 1}: {line.text!r}")
    return out


def _box_spacing(read: _Read, gaps: dict | None) -> list[str]:
    inside, outside = _gaps(read.units, read.lines)
    out = []
    for key, values in inside.items():
        want = (gaps or {}).get((*_typography(read.handout), *key)) or outside.get(key)
        if not want:
            continue
        usual = statistics.median(want)
        out += [
            f"{key[0]} then {key[1]} in a box: {value:.1f} pt apart, outside {usual:.1f}"
            for value in values
            if abs(value - usual) > 1.5
        ]
    return out


def _gaps(found: list[Unit], lines: list[Line]) -> tuple[dict, dict]:
    """Baseline distances from a paragraph's or item's last line to the next block's
    first line on the same page, in boxes and outside, by (kind, kind)."""
    inside: dict[tuple[str, str], list[float]] = defaultdict(list)
    outside: dict[tuple[str, str], list[float]] = defaultdict(list)
    for a, b in itertools.pairwise(lines):
        if a.unit is None or b.unit is None or a.page != b.page or not (a.last and b.first) or b.unit != a.unit + 1:
            continue
        ua, ub = found[a.unit], found[b.unit]
        if ua.kind not in ("para", "item") or ub.kind not in ("para", "item") or ua.box != ub.box:
            continue
        (inside if ua.box is not None else outside)[(ua.kind, ub.kind)].append(a.baseline - b.baseline)
    return inside, outside


def outside_gaps(handout: Handout, rendered) -> dict[tuple, list[float]]:
    """This PDF's distances between blocks outside boxes, keyed by (level, large print, kind, kind)."""
    found, lines = read_lines(handout, rendered)
    return {(*_typography(handout), *key): values for key, values in _gaps(found, lines)[1].items()}


def _typography(handout: Handout) -> tuple[str, bool]:
    """What sets the sizes and spacing of a handout's blocks."""
    return handout.level, handout.large_print
