"""The handout online: its address and a QR code of it, at the end of the body, under
a link annotation that opens it.

The QR code is drawn as vector paths (a filled rectangle per run of dark modules in a
row), not placed as an image: it stays sharp at any printer's resolution, and a phone
camera reads it from paper. The matrix comes from ``RenderCache.qr`` (``handouts.qr``).

Why the end of the body and not page 1: the top of page 1 holds what matters most (the
title, the key points); the last page's leftover space takes the code without a page
of its own in most handouts, and a reader who has finished is pointed to the version
that stays current.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfdoc import PDFString
from reportlab.platypus import Flowable

from ..qr import QrMatrix
from . import tagging
from .chrome import PagedCanvas, isolate
from .styles import Styles
from .writer import Writer

SIDE = 27 * mm  # the code with its quiet zone: ~0.65 mm a module for a short address (version 4)
MODULE = 0.5 * mm  # the smallest module a phone reads from paper at arm's length; a long address gets a larger code
QUIET = 4  # modules of white around the code, as ISO/IEC 18004 asks
GAP = 5 * mm  # between the code and the text beside it
INK = colors.black  # the darkest ink: a code must survive a pale toner


class OnlineLink(Flowable):
    """The QR code on the side a line starts (the right in Arabic), and beside it the
    words "Read this leaflet online:" and the address; one link annotation over both.

    Tagged, it is a P (the words) holding a Link (the address and the annotation, whose
    /Contents is what a screen reader says); the code is an artifact, since the address
    beside it says the same and a screen reader's user cannot scan it."""

    tags_itself = True  # ``tagging.place`` hands it its element; it marks its parts

    def __init__(self, url: str, matrix: QrMatrix, caption: str, st: Styles, writer: Writer):
        super().__init__()
        self.url, self.matrix, self.caption, self.rtl = url, matrix, caption, writer.script.rtl
        self.side = max(SIDE, (matrix.size + 2 * QUIET) * MODULE)
        self.style: ParagraphStyle = st.body  # what ``flow`` reads a unit's line height from
        self.spaceBefore = st.body.fontSize * 1.5
        self.texts = ([writer.text(caption, st.subhead)] if caption else []) + [
            writer.text(isolate(url, self.rtl, ltr=True), st.body)
        ]

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        self.text_height = sum(t.wrap(availWidth - self.side - GAP, 1e9)[1] for t in self.texts)
        self.height = max(self.side, self.text_height)
        return availWidth, self.height

    def draw(self) -> None:
        canv = self.canv
        tagger = tagging.of(canv)
        paragraph = tagger.current if tagger is not None else None
        link = paragraph.add("Link") if paragraph is not None else None
        x, y = self.width - self.side if self.rtl else 0.0, self.height - self.side
        with tagging.artifact(canv):
            self._code(x, y)
        if isinstance(canv, PagedCanvas):  # a draft's DRAFT mark must not pale the code's white
            canv.keep_clear(x, y, self.side, self.side)
        text_x = 0.0 if self.rtl else self.side + GAP
        y = self.height - (self.height - self.text_height) / 2  # the text centred beside the code
        for text, element in zip(self.texts, [paragraph] * (len(self.texts) - 1) + [link], strict=True):
            y -= text.height
            if tagger is None:
                text.drawOn(canv, text_x, y)
            else:
                tagger.place(canv, text, text_x, y, element)
        # /Contents: what a screen reader says for the link (PDF/UA asks every annotation for one)
        alt, rect = f"{self.caption} {self.url}".strip(), (0.0, 0.0, self.width, self.height)
        if tagger is not None and link is not None:
            tagger.link(canv, link, self.url, rect, alt)  # and an OBJR kid of the Link
        else:
            canv.linkURL(self.url, rect, relative=1, thickness=0, Contents=PDFString(alt))

    def _code(self, x: float, y: float) -> None:
        """The modules, one rectangle per run of dark ones in a row, in one path."""
        matrix = self.matrix
        module = self.side / (matrix.size + 2 * QUIET)
        top = y + self.side - QUIET * module
        path = self.canv.beginPath()
        for row, runs in enumerate(matrix.rows):
            for start, length in runs:
                path.rect(x + (QUIET + start) * module, top - (row + 1) * module, length * module, module)
        self.canv.saveState()
        self.canv.setFillColor(INK)
        self.canv.drawPath(path, stroke=0, fill=1)
        self.canv.restoreState()
