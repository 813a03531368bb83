"""Handout -> one self-contained, accessible HTML page: the companion of the PDF.

Made from the same resolved handout (``build.prepare``), never from the PDF, with Jinja2
templates shipped in this package (``templates/``). The page is one file a clinic can
e-mail or put on a web site: styles inline, the logo as a ``data:`` URI, no script, no
font or image fetched from anywhere (a Content-Security-Policy says so to the browser).
What it promises and how the tests check it in Chromium with axe-core:
docs/accessibility.md.

- ``page``: the render entry and what the templates are given;
- ``schedule``: a patient's schedule (``build --patient``) cut into the tables the PDF has,
  with the PDF's time-of-day drawings as inline SVG (``handouts/pdf/svg.py``);
- ``templates/handout.html.j2``: the structure (landmarks, headings, lists, warning boxes);
- ``templates/schedule.html.j2``: the pill card and the check-off calendars;
- ``templates/handout.css.j2``: screen, print and large-print styles.
"""

from .page import CONTRAST, RenderedHtml, render

__all__ = ["CONTRAST", "RenderedHtml", "render"]
