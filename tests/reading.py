"""Reading a PDF back as a reader's software does (pypdfium2): where every character
is drawn, and the body text in reading order, to compare with what the author wrote.

Used by the layout, property and matrix tests. The comparison is exact, character for
character in order, after removing only what the renderer adds on purpose: white
space (line breaks), the break mark at the end of a broken word's pieces and the
"Label (continued)" head of a warning box's later parts.
"""

from __future__ import annotations

import ctypes
import io
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pypdf import PdfReader

from handouts import build
from handouts.model import BulletList, Callout, Handout, Paragraph, Subhead, plain
from handouts.pdf import BULLET, PAPER, RenderCache, RenderedPdf, margin
from handouts.pdf.chrome import isolate
from handouts.scripts import script_for
from handouts.wordbreak import MARK

# pdfium extracts right-to-left text in logical order but mirrors brackets, and writes
# a lam-alef ligature's two letters in the opposite order; both are folded alike.
_MIRRORED = {closing: opening for opening, closing in ("()", "<>", "[]", "{}", "«»")}
CACHE = RenderCache()  # the tests' own, as a command or a batch worker owns one
TOLERANCE = 3.0  # points: stacked accents above a first line may rise this far above its box
SAME_LINE = 3.0  # points between two baselines of one line; lines of text are 13 points apart or more


def render(handout: Handout) -> RenderedPdf:
    """The PDF of a handout, through the one render entry, with the tests' cache."""
    return build.render(handout, CACHE)


@dataclass(frozen=True)
class Char:
    page: int
    text: str
    left: float
    bottom: float
    right: float
    top: float
    baseline: float = 0.0
    upright: bool = True  # False for turned text: the diagonal DRAFT mark


@lru_cache(maxsize=4)  # one PDF is read by several checks in a row
def chars(data: bytes) -> list[list[Char]]:
    """Every character pdfium finds, per page, in its extraction order (line breaks it
    infers included, as "\\r" and "\\n" without a box)."""
    pages = []
    for number, page in enumerate(pdfium.PdfDocument(data)):
        textpage = page.get_textpage()
        text = textpage.get_text_range()
        assert len(text) == textpage.count_chars()  # one UTF-16 unit per character: no astral characters here
        found = []
        for i, ch in enumerate(text):
            if not ch.strip():
                found.append(Char(number, ch, 0.0, 0.0, 0.0, 0.0))
                continue
            x, y = ctypes.c_double(), ctypes.c_double()
            pdfium_c.FPDFText_GetCharOrigin(textpage.raw, i, x, y)
            upright = pdfium_c.FPDFText_GetCharAngle(textpage.raw, i) == 0
            found.append(Char(number, ch, *textpage.get_charbox(i), baseline=y.value, upright=upright))
        pages.append(found)
    return pages


def outside_page_margins(data: bytes, paper: str, level: str = "standard") -> list[Char]:
    """Characters (other than white space) not wholly inside the page margins of the level."""
    width, height = PAPER[paper]
    edge = margin(level)
    return [
        c
        for page in chars(data)
        for c in page
        if c.text.strip()
        and (
            c.left < edge - TOLERANCE
            or c.right > width - edge + TOLERANCE
            or c.bottom < edge - TOLERANCE
            or c.top > height - edge + TOLERANCE
        )
    ]


def outside_body(rendered: RenderedPdf, body: list[Char]) -> list[Char]:
    def outside(c: Char) -> bool:
        left, bottom, right, top = rendered.area(c.page)
        return (
            c.left < left - TOLERANCE
            or c.right > right + TOLERANCE
            or c.bottom < bottom - TOLERANCE
            or c.top > top + TOLERANCE
        )

    return [c for c in body if outside(c)]


def overprinted(data: bytes) -> list[tuple[int, tuple[float, ...], tuple[float, ...]]]:
    """Lines of text drawn over other lines: two lines whose boxes overlap by more than a
    point across and more than a third of the lower one's height. (page, box, box) for
    each. A line is the characters whose baselines lie within ``SAME_LINE`` points of
    each other, counting only glyphs that stand on their baseline: combining marks and
    the glyphs shaping moves up or down (the alef of an Arabic lam-alef, a hamza) are
    left out, as their letters show where the line is. Turned
    text (the translucent DRAFT mark across the page) is meant to lie over the text and
    is left out."""
    found = []
    for number, page in enumerate(chars(data)):
        drawn = sorted((c for c in page if c.text.strip() and _on_baseline(c)), key=lambda c: c.baseline)
        boxes: list[list[float]] = []
        last = None
        for c in drawn:
            if last is None or c.baseline - last > SAME_LINE:
                boxes.append([c.left, c.bottom, c.right, c.top])
            box = boxes[-1]
            box[:] = min(box[0], c.left), min(box[1], c.bottom), max(box[2], c.right), max(box[3], c.top)
            last = c.baseline
        for i, (l1, b1, r1, t1) in enumerate(boxes):
            for l2, b2, r2, t2 in boxes[i + 1 :]:
                across, up = min(r1, r2) - max(l1, l2), min(t1, t2) - max(b1, b2)
                if across > 1 and up > min(t1 - b1, t2 - b2) / 3:
                    found.append((number, (l1, b1, r1, t1), (l2, b2, r2, t2)))
    return found


def _on_baseline(c: Char) -> bool:
    upright_letter = c.upright and unicodedata.category(c.text)[0] != "M"
    return upright_letter and c.bottom - 1 <= c.baseline <= c.top + 1


@lru_cache(maxsize=4)  # one PDF is read by several checks in a row
def body_chars(rendered: RenderedPdf) -> list[Char]:
    """The characters whose middle lies in the body area (give or take ``TOLERANCE``:
    reportlab lets a Chinese full stop hang a little past the end of a line), in
    extraction order: the text without header, footer and page numbers."""
    out = []
    for number, page in enumerate(chars(rendered.data)):
        left, bottom, right, top = rendered.area(number)
        for c in page:
            x, y = (c.left + c.right) / 2, (c.bottom + c.top) / 2
            if not c.text.strip():
                out.append(c)  # keeps line breaks, so a break mark can be told from a hyphen
            elif left - TOLERANCE <= x <= right + TOLERANCE and bottom - TOLERANCE <= y <= top + TOLERANCE:
                out.append(c)
    return out


def run_lines(rendered: RenderedPdf, page: int, rtl: bool) -> list[str]:
    """The body lines of a page laid out by ``shaping`` (Arabic, Hindi, CJK), read run
    by run. pdfium is not used there: it leaves out a line of Devanagari that repeats
    the line above it (it takes the two for one text drawn twice, as in fake bold), and
    in a right-to-left line that mixes directions it reverses the order of the words and
    even a Latin run. pypdf gives the runs as drawn (the renderer draws each run at one
    bidi level; pypdf returns each in logical order, with its position). A line is read
    left to right, or for right-to-left text from its rightmost run to its leftmost,
    except that a stretch of left-to-right runs (and the spaces between them) is read
    left to right. Break marks are left out here (pypdf puts one inside a right-to-left
    run as it pleases); test_layout checks where they are drawn."""
    left, bottom, right, top = rendered.area(page)
    runs: list[tuple[float, float, str]] = []

    def visit(text, cm, tm, font, size):
        x, y = tm[4] * cm[0] + tm[5] * cm[2] + cm[4], tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        text = text.replace(MARK, "")  # break marks (test texts have no U+2010 of their own)
        if text.strip() and left - TOLERANCE <= x <= right + TOLERANCE and bottom <= y <= top:
            runs.append((y, x, text))

    PdfReader(io.BytesIO(rendered.data)).pages[page].extract_text(visitor_text=visit)
    lines: list[list[tuple[float, float, str]]] = []
    for run in runs:
        if lines and abs(lines[-1][0][0] - run[0]) < 2:
            lines[-1].append(run)
        else:
            lines.append([run])
    ordered = ([text for _, _, text in sorted(line, key=lambda r: r[1])] for line in lines)
    return ["".join(_read_rtl(texts) if rtl else texts) for texts in ordered]


def _read_rtl(runs: list[str]) -> list[str]:
    """Runs of one line, given left to right, in the order a reader of a right-to-left
    paragraph reads them."""
    order, out, i = runs[::-1], [], 0
    while i < len(order):
        if _direction(order[i]) != "L":
            out.append(order[i])
            i += 1
            continue
        end = i  # the last left-to-right run of the stretch starting at i
        for k in range(i + 1, len(order)):
            if _direction(order[k]) == "R":
                break
            if _direction(order[k]) == "L":
                end = k
        out += order[i : end + 1][::-1]
        i = end + 1
    return out


def _direction(text: str) -> str:
    classes = {unicodedata.bidirectional(ch) for ch in text}
    return "R" if classes & {"R", "AL"} else "L" if classes & {"L", "EN"} else "N"


def fold(text: str, rtl: bool, keep_space: bool = False) -> str:
    """NFC text without white space or U+200B (a glyph that stands for no character);
    for right-to-left text, mirrored pairs and lam-alef folded as pdfium extracts them."""
    text = "".join(
        ch for ch in unicodedata.normalize("NFC", text) if (keep_space or not ch.isspace()) and ch != "\u200b"
    )
    if rtl:
        text = "".join(_MIRRORED.get(ch, ch) for ch in text.replace("\u0644\u0627", "\u0627\u0644"))
    return text


def written(handout: Handout) -> str:
    """All body text of a handout in reading order: title, summary, the key points box
    (its title, a bullet before each item), and per section its title and blocks, a bullet
    before each item, a warning's label before its blocks; at the end the brand's link,
    its words and the address."""
    parts = [handout.title, handout.summary]
    if handout.key_points is not None:
        parts.append(handout.key_points.title)
        parts += [BULLET + " " + plain(item) for item in handout.key_points.items]
    for section in handout.sections:
        parts.append(section.title)
        parts += _blocks(section.blocks)
    if handout.link:  # on a right-to-left page the address is a left-to-right isolate, as in the header
        parts += [handout.strings.online, isolate(handout.link, script_for(handout.lang).rtl, ltr=True)]
    return " ".join(parts)


def _blocks(blocks) -> list[str]:
    out = []
    for block in blocks:
        if isinstance(block, Paragraph):
            out.append(plain(block.spans))
        elif isinstance(block, Subhead):
            out.append(block.text)
        elif isinstance(block, BulletList):
            out += [BULLET + " " + plain(item) for item in block.items]
        elif isinstance(block, Callout):
            out += [block.label] + _blocks(block.blocks)
    return out


def continued_heads(handout: Handout) -> list[str]:
    """The head a warning box's later parts may start with: "Label (continued)", or the
    bare "(continued)" of a label too long to repeat."""
    labels = [b.label for s in handout.sections for b in s.blocks if isinstance(b, Callout)]
    if handout.key_points is not None:  # a box too: it could run on to page 2
        labels.append(handout.key_points.title)
    heads = {handout.strings.continued.format(label=label) for label in labels}
    heads.add(handout.strings.continued.format(label="").strip())
    return sorted(heads, key=len, reverse=True)


def printed(handout: Handout, rendered: RenderedPdf, by_runs: bool | None = None) -> str:
    """The body text as extracted, folded like ``written``: break marks at a line's end
    removed, and the head of a continued warning box where it stands, at the top of a
    page. ``by_runs`` reads every page with ``run_lines`` (pypdf), as shaped scripts
    always are."""
    rtl = script_for(handout.lang).rtl
    by_runs = script_for(handout.lang).shape if by_runs is None else by_runs
    heads = [fold(head, rtl) for head in continued_heads(handout)]
    pages = [""] * rendered.pages
    for c in body_chars(rendered):
        pages[c.page] += c.text
    out = []
    for page in range(rendered.pages):
        if by_runs:
            lines = run_lines(rendered, page, rtl)
        else:  # pdfium reports a "-" that ends a line as U+FFFE (a hyphen it takes for a soft one)
            lines = pages[page].replace("\r", "").replace("\ufffe", "-").split("\n")
        lines = [line.strip().removesuffix(MARK).removeprefix(MARK) for line in lines]
        text = fold("".join(lines), rtl)
        out.append(next((text[len(h) :] for h in heads if _starts_with(text, h, rtl)), text))
    return "".join(out)


def _starts_with(text: str, head: str, rtl: bool) -> bool:
    """In right-to-left text the numbers of a head may come out in either order ("0 5")."""
    return sorted(text[: len(head)]) == sorted(head) if rtl else text.startswith(head)


def missing_or_reordered(handout: Handout, rendered: RenderedPdf) -> str:
    """Empty when the body text reads as written, else where the two first differ.

    Left-to-right text must read exactly as written. Right-to-left text is read back
    line by line (``run_lines``), and where a line mixes directions the order of
    numbers and Latin words among themselves depends on the characters around them in
    the whole paragraph, which one printed line no longer shows ("0 1" in Arabic text
    is drawn "1 0"). So when the exact comparison fails there, what a reader's software
    can still prove is required: the same characters, as many of each; the Arabic
    (right-to-left) letters in written order; and every Latin word and number whole."""
    rtl = script_for(handout.lang).rtl
    text = written(handout)
    want, got = fold(text, rtl), printed(handout, rendered)
    if want == got or (rtl and _same_rtl(fold(text, False, keep_space=True), want, got)):
        return ""
    if not script_for(handout.lang).shape and want == printed(handout, rendered, by_runs=True):
        return ""  # pdfium left out a line that repeats the line above it (see run_lines); pypdf reads it
    i = next((i for i, (a, b) in enumerate(zip(want, got, strict=False)) if a != b), min(len(want), len(got)))
    near = slice(max(0, i - 20), i + 20)
    return f"differs at {i} of {len(want)}: written {want[near]!r}, printed {got[near]!r}"


def _same_rtl(text: str, want: str, got: str) -> bool:
    """``text`` as written (with its spaces), ``want`` and ``got`` folded."""

    def rtl_letters(text: str) -> str:
        return "".join(ch for ch in text if unicodedata.bidirectional(ch) in ("R", "AL"))

    ltr_words = re.findall(r"[^\W_]+", "".join(ch if _direction(ch) == "L" else " " for ch in text))
    return (
        Counter(want) == Counter(got)
        and rtl_letters(want) == rtl_letters(got)
        and all(word in got for word in ltr_words)
    )
