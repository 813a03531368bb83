"""Page breaking (handouts/pdf/flow.py): the work grows linearly with the body, and
the rules of a clean page hold on made-up extremes (the shipped handouts are checked
in test_clean_pages)."""

from __future__ import annotations

import pytest
from pages import RULES, read_lines, violations
from reading import render
from test_layout import CASES, SENTENCES, handout, para

from handouts.model import BulletList, Callout, Section, Span
from handouts.pdf import flowables


def test_each_block_of_a_long_box_is_laid_out_once(monkeypatch):
    """A warning box drawn as a reportlab Table was laid out again, row by row, for
    every page it ran on to: 5,000 bullets took 116 s. Each block is now laid out once,
    and once more only where a page breaks inside it."""
    calls = []
    wrap = flowables.SharedParagraph.wrap
    monkeypatch.setattr(flowables.SharedParagraph, "wrap", lambda self, *a: calls.append(1) or wrap(self, *a))
    s = SENTENCES["en"][0]
    items = tuple((Span(f"{i} {s}"),) for i in range(600))
    rendered = render(handout("en", [Section("s", s, (Callout(s, (BulletList(items),)),))], "letter"))
    assert rendered.pages >= 15
    assert len(calls) < 2 * 600


@pytest.mark.parametrize("lang", ["en", "ar", "zh-Hans", "hi"])
def test_a_box_after_a_long_paragraph_splits_with_its_rules(lang):
    """Text that fills most of a page, then a box of a page and a half of bullets and
    paragraphs after a lead-in: the box splits (it cannot move whole), each piece keeps
    two lines or more, the lead-in stays with its list, no page is more than 30% empty."""
    s = SENTENCES[lang][0]
    lead = para(s.rstrip("。.।") + ":")
    items = BulletList(tuple((Span(f"{i} {s}"),) for i in range(30)))
    box = Callout(s, (para(s * 3), lead, items, para(s * 2)))
    h = handout(lang, [Section("a", s, (para(" ".join([s] * 25)),)), Section("b", s, (box, para(s)))], "letter")
    rendered = render(h)
    found = violations(h, rendered)
    assert any(line.unit is None for line in read_lines(h, rendered)[1]), "the box is meant to split"
    assert {rule: places for rule, places in found.items() if places} == {}, RULES


@pytest.mark.parametrize("lang", ["en", "ar", "zh-Hans", "hi"])
@pytest.mark.parametrize("case", ["long warning", "500 bullets"])
def test_long_boxes_and_lists_keep_the_rules(case, lang):
    """A box of several pages (subheads, lists, a paragraph of pages on its own) and
    500 bullets: every page break keeps the rules, including breaks inside a paragraph
    that began on an earlier page."""
    h = handout(lang, CASES[case](lang), "letter")
    found = violations(h, render(h))
    assert {rule: places for rule, places in found.items() if places} == {}
