"""Handout -> PDF bytes with reportlab. The only package that knows reportlab.

Layout choices follow health-literacy print guidance: sans-serif, ragged right, body
never under 10 pt (12+ at the easy level), generous leading, bullets, warnings in a
labelled box, high contrast. One module per concern:

- ``styles``: paper sizes, margins, the paragraph styles of each reading level;
- ``glyphs``: character codes for shaped glyphs and their ToUnicode text;
- ``subsets``: font subsets compressed once per process;
- ``flowables``: shaped paragraphs and reportlab paragraphs laid out once, shared;
- ``writer``: text -> flowables for one language (font runs, long words broken);
- ``story``: the body (title, sections, blocks, warning boxes);
- ``chrome``: header, footer, "Page X of Y" and the DRAFT mark, drawn per page;
- ``document``: the render entry.
"""

from .document import RenderedPdf, render
from .flowables import forget_shared
from .styles import BULLET, MARGIN, PAPER

__all__ = ["BULLET", "MARGIN", "PAPER", "RenderedPdf", "forget_shared", "render"]
