"""The baseline of bench_coldstart.py: what a plain reportlab script costs to start and print
a handout-sized document.

Usage: python benchmarks/bare_reportlab.py OUT.pdf

It does what ``python generate.py build baclofen`` does minus everything of ours: the
bundled Noto Sans (regular, bold, italic) registered as TrueType fonts and embedded as
subsets, headings, paragraphs with bold and italic, bullet lists, boxed warnings (a
table), a header and a page footer on every page, invariant output, about 1,400 words on
five Letter pages, like the baclofen handout at the standard level. It imports nothing from
``handouts``, reads no YAML and validates nothing: the floor a reportlab program stands on.
"""

from __future__ import annotations

import sys
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import BaseDocTemplate, Frame, ListFlowable, PageTemplate, Paragraph, Spacer, Table

FONTS = Path(__file__).resolve().parent.parent / "fonts"
SENTENCES = (
    "Take each dose with a glass of water at about the same times every day.",
    "Your <b>doctor</b> may start with a low dose and raise it slowly over a few weeks.",
    "Some people feel <i>sleepy, dizzy or weak</i> during the first days; this often gets better.",
    "Do not drive or use machines until you know how this medicine affects you.",
    "Tell your pharmacist about every other medicine you take, including ones you buy yourself.",
    "Keep the tablets in their box, away from heat and out of the reach of children.",
)


def story(body: ParagraphStyle, heading: ParagraphStyle, label: ParagraphStyle) -> list:
    """Eight sections, each a heading, two paragraphs and a bullet list; every third has a boxed warning."""
    flowables: list = []
    for number in range(8):
        flowables.append(Paragraph(f"Question {number + 1}: what should I know about this?", heading))
        for start in (0, 3):
            flowables.append(Paragraph(" ".join(SENTENCES[(start + number + k) % 6] for k in range(4)), body))
        items = [Paragraph(SENTENCES[(number + k) % 6], body) for k in range(3)]
        flowables.append(ListFlowable(items, bulletType="bullet", start="\u2022", leftIndent=14, bulletFontName="Noto"))
        if number % 3 == 0:
            box = Table(
                [[Paragraph("Warning", label)], [Paragraph(" ".join(SENTENCES[:3]), body)]],
                colWidths=[6.5 * inch],
                style=[("BOX", (0, 0), (-1, -1), 2, colors.darkred), ("LEFTPADDING", (0, 0), (-1, -1), 8)],
            )
            flowables += [Spacer(1, 6), box]
        flowables.append(Spacer(1, 8))
    return flowables


def chrome(canvas, doc) -> None:
    """Header and footer of every page."""
    canvas.saveState()
    canvas.setFont("Noto-Bold", 12)
    canvas.drawString(inch, 10.4 * inch, "Sample Clinic - Patient information")
    canvas.setFont("Noto", 9)
    canvas.drawRightString(7.5 * inch, 0.6 * inch, f"Page {doc.page}")
    canvas.restoreState()


def main(out: str) -> None:
    for name, file in (("Noto", "Regular"), ("Noto-Bold", "Bold"), ("Noto-Italic", "Italic")):
        pdfmetrics.registerFont(TTFont(name, str(FONTS / f"NotoSans-{file}.ttf")))
    pdfmetrics.registerFontFamily("Noto", normal="Noto", bold="Noto-Bold", italic="Noto-Italic", boldItalic="Noto-Bold")
    body = ParagraphStyle("body", fontName="Noto", fontSize=12, leading=17, spaceAfter=8)
    heading = ParagraphStyle("heading", fontName="Noto-Bold", fontSize=15, leading=19, spaceBefore=6, spaceAfter=6)
    label = ParagraphStyle("label", fontName="Noto-Bold", fontSize=12, leading=15, textColor=colors.darkred)
    frame = Frame(inch, inch, 6.5 * inch, 9.2 * inch)
    doc = BaseDocTemplate(
        out, pagesize=letter, invariant=1, initialFontName="Noto", pageTemplates=[PageTemplate("page", [frame], chrome)]
    )
    doc.build(story(body, heading, label))


if __name__ == "__main__":
    main(sys.argv[1])
