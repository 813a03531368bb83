"""Filling variables without Jinja gives what Jinja gives, or leaves the text to Jinja.

text.render fills plain ``{{ name.key }}`` texts itself so that a cold build need not
import Jinja (docs/performance.md); sandbox.py stays the authority. Generated texts mix
the pieces where the two could part ways (braces, Jinja's other tags and whitespace
control, line ends, names Jinja reads as constants or as the template itself, keys that
lead to lists, numbers or nothing), and whatever the fast path prints must be exactly
what sandboxed Jinja prints for the same text and values.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handouts import sandbox, text
from handouts.errors import ContentError
from handouts.loader import Source

SOURCE = Source(Path("medicine.yaml"), None)
CONTEXT = {
    "facts": {"dose": "5\u00a0mg", "true": "T", "self": "S", "n": 5, "signs": ["a", "b"], "group": {"k": "v"}},
    "medicine": {"name": "Baclofen", "id": "baclofen"},
    "params": {"phone": "911", "empty": ""},
    "self": {"dose": "not this"},
    "true": {"dose": "not this"},
    "none": "not this",
}
PIECES = [
    "{{", "}}", "{", "}", "{%", "%}", "{#", "#}", "{{-", "-}}", " ", "\t", "\n", "\r\n", "\r", ".", "[", "]",
    "'", "facts", "medicine", "params", "self", "true", "none", "dose", "name", "phone", "empty", "n", "signs",
    "group", "k", "x", "1", "Take ", "é", "**", "<", "&",
]  # fmt: skip


def jinja(raw: str) -> str | None:
    """What sandboxed Jinja prints, or None when it refuses the text (a text without any
    brace was never given to Jinja)."""
    if "{" not in raw:
        return raw
    try:
        return sandbox.render(raw, CONTEXT, SOURCE, ("p",))
    except ContentError:
        return None


@settings(derandomize=True, database=None, max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=12).map("".join))
def test_plain_fill_prints_what_jinja_prints(raw):
    expected = jinja(raw)
    filled = text._plain_fill(raw, CONTEXT)
    if filled is not None:
        assert filled == expected or not text.unmark(filled).strip()  # an empty result goes to Jinja for its error
    if expected is None:
        with pytest.raises(ContentError):
            text.render(raw, CONTEXT, SOURCE, ("p",))
    else:
        assert text.render(raw, CONTEXT, SOURCE, ("p",)) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Take {{ facts.dose }} twice.", "Take 5\u00a0mg twice."),
        ("{{medicine.name}} and {{\tparams.phone }}", "Baclofen and 911"),
        ("{{ facts.true }} {{ facts.self }}", "T S"),  # keys, not Jinja's constants
        ("a } b {{ medicine.id }}}", "a } b baclofen}"),
    ],
)
def test_plain_texts_are_filled_without_jinja(raw, expected):
    filled = text._plain_fill(raw, CONTEXT)
    assert filled == jinja(raw)
    assert text.unmark(filled) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "{{ facts.n }}",  # a number: Jinja says "variable is not text"
        "{{ facts.signs }}",  # a list
        "{{ facts.missing }}",  # unknown: Jinja words the error and the did-you-mean
        "{{ true.dose }}",  # a constant to Jinja, refused
        "{{ self.dose }}",  # the template itself to Jinja
        "{{ facts['dose'] }}",
        "{{- facts.dose }}",  # refused by Jinja: it joins the value to the words
        "{{ facts.a.b.c.d.e.f.g.h.i.j }}",  # more steps than Jinja is given
        "{% if x %}{% endif %}",
        "{ {{ facts.dose }}",
        "{{ facts.dose }}\n",  # Jinja drops one final newline
        "a\r\n{{ facts.dose }}",  # Jinja writes line ends as \n
    ],
)
def test_anything_else_is_left_to_jinja(raw):
    assert text._plain_fill(raw, CONTEXT) is None
