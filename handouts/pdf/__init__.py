"""Handout -> PDF bytes with reportlab. The only package that knows reportlab.

Layout choices follow health-literacy print guidance: sans-serif, ragged right, body
never under 10 pt (12+ at the easy level), generous leading, bullets, warnings in a
labelled box, high contrast. One module per concern:

- ``engine``: reportlab as this process uses it (registered faces, shaped-glyph codes,
  the two reportlab settings we change), set up by the first ``RenderCache``;
- ``cache``: ``RenderCache``, what a process keeps from one handout for the next;
- ``subsets``: font subsets compressed once per process;
- ``styles``: paper sizes, margins, the paragraph styles of each reading level;
- ``flowables``: shaped paragraphs and reportlab paragraphs laid out once, shared;
- ``writer``: text -> flowables for one language (font runs, long words broken);
- ``story``: the body (title, sections, blocks, warning boxes) as units of a flow;
- ``flow``: the body broken into pages by the rules of a clean page, boxes drawn behind;
- ``icons``: small icons drawn with path operations (times of day, warning, phone, pharmacy);
- ``svg``: the same drawings as inline SVG, for the HTML page's pill card and calendars;
- ``online``: the brand's link at the end of the body: the address, its QR code, a link annotation;
- ``chrome``: header, footer, "Page X of Y" and the DRAFT mark, drawn per page;
- ``document``: the render entry.

Importing this package changes nothing in reportlab; creating a ``RenderCache`` does.
"""

from .cache import RenderCache
from .document import RenderedPdf, render
from .styles import BULLET, MARGIN, PAPER, margin

__all__ = ["BULLET", "MARGIN", "PAPER", "RenderCache", "RenderedPdf", "margin", "render"]
