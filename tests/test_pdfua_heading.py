"""Why content may not hold a heading longer than limits.MAX_HEADING_CHARS (resolve refuses
it, so no heading's content is on two pages): pdfua 0.1.3 cannot read any heading whose
content is on two pages, whatever shape its structure takes.

Its heading rule (UA-14-001, rules/structure.py ``EmptyHeadingRule._marks_content``)
follows the heading's /K: a number or an /MCR answers at once, a dictionary is followed,
and anything else goes to ``as_integer``, which calls ``getattr(value, "is_integer",
False)``; on a pikepdf 10 Array that raises ValueError instead of giving False, and
pdfua skips the rule. A chain of single kids reaches one marked-content sequence only,
so content on two pages (two MCIDs, one per page: marked content cannot cross a page)
puts an array somewhere under the heading, and the rule reaches it before any number.

These tests take the long heading as we write it in Latin and Cyrillic script (H2 /K
[MCID, MCR]) and the two other shapes PDF/UA allows (a Span per page, which is how
shaped scripts such as Arabic and Hindi already write it, each Span with its lines'
/ActualText; one Span holding both pieces), check that each is valid PDF/UA-1 for
page-validation and qpdf, and that pdfua skips its heading rule on every one, and only
that: when a pdfua release reads them, these fail, and the limit may be raised. The
headings here are built as a model by hand (test_layout.over_long_heading).
"""

from __future__ import annotations

import io
from dataclasses import replace
from functools import cache
from pathlib import Path

import page
import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name
from reading import render
from test_layout import SENTENCES, case_longest_heading, handout, over_long_heading
from test_tagged import pdfua_findings, qpdf_check


@cache
def over_long(lang: str) -> bytes:
    """A tagged handout whose section title and subhead each run over a page."""
    return render(handout(lang, over_long_heading(lang), "letter")).data


CRASH = (
    "skipped UA-14-001: rule raised ValueError: pikepdf.Object is not a Dictionary or Stream:"
    " cannot get key '/is_integer' on object of type array"
)


def _long_heading(pdf: pikepdf.Pdf) -> Dictionary:
    """The H2 with content on two pages: /K [MCID on its /Pg, MCR on the next page], or
    [Span, Span] in a shaped script."""
    todo = [pdf.Root.StructTreeRoot.K]
    while todo:
        node = todo.pop()
        kids = node.get("/K")
        if node.get("/S") == Name.H2 and isinstance(kids, Array) and len(kids) == 2:
            return node
        todo += [k for k in (kids if isinstance(kids, Array) else [kids]) if isinstance(k, Dictionary) and "/S" in k]
    raise AssertionError("no heading over two pages")


def _reparent(pdf: pikepdf.Pdf, page: Dictionary, mcid: int, element: Dictionary) -> None:
    """The ParentTree entry of MCID ``mcid`` on ``page`` now names ``element``."""
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    key = nums.index(page.StructParents)
    nums[key + 1][mcid] = element


def reshaped(data: bytes, shape: str) -> bytes:
    """The long heading's structure in another shape PDF/UA-1 allows."""
    pdf = pikepdf.open(io.BytesIO(data))
    heading = _long_heading(pdf)
    first, rest = heading.K[0], heading.K[1]
    first_page, next_page, next_mcid = heading.Pg, rest.Pg, int(rest.MCID)
    if shape == "a Span per page":
        spans = [
            pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Span, P=heading, Pg=pg, K=mcid))
            for pg, mcid in ((first_page, int(first)), (next_page, next_mcid))
        ]
        heading.K = Array(spans)
        _reparent(pdf, first_page, int(first), spans[0])
        _reparent(pdf, next_page, next_mcid, spans[1])
    else:  # "one Span holding both"
        span = pdf.make_indirect(
            Dictionary(Type=Name.StructElem, S=Name.Span, P=heading, Pg=first_page, K=Array([first, rest]))
        )
        heading.K = span
        _reparent(pdf, first_page, int(first), span)
        _reparent(pdf, next_page, next_mcid, span)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("shape", ["as written", "a Span per page", "one Span holding both"])
def test_pdfua_cannot_read_a_heading_on_two_pages_in_any_shape(shape: str, lang: str, tmp_path: Path) -> None:
    data = over_long(lang)
    if shape != "as written":
        data = reshaped(data, shape)
    report = page.validate_pdf_bytes(data, profile="ua1")
    assert report.is_compliant and report.rules.failed == 0, [f.rule_id for f in report.failures][:10]
    assert qpdf_check(data, tmp_path) == ""
    assert pdfua_findings(data, tmp_path) == CRASH


@pytest.mark.parametrize("lang", ["ar", "hi"])
def test_shaped_scripts_already_write_a_span_per_page(lang: str, tmp_path: Path) -> None:
    pdf = pikepdf.open(io.BytesIO(over_long(lang)))
    spans = list(_long_heading(pdf).K)
    assert [span.S for span in spans] == [Name.Span, Name.Span]
    assert spans[0].Pg != spans[1].Pg
    assert all(isinstance(span.K, int) for span in spans)  # one MCID each: no array below
    assert all(str(span.ActualText) for span in spans)


@pytest.mark.parametrize("lang", list(SENTENCES))
def test_long_heading_fails_pdfua_only_by_its_crash(lang: str, tmp_path: Path) -> None:
    """The crash is pdfua's only finding on these files: the limit is the only reason."""
    assert pdfua_findings(over_long(lang), tmp_path) == CRASH


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("lang", list(SENTENCES))
def test_the_longest_heading_allowed_fits_one_page_in_large_print(lang: str, paper: str, tmp_path: Path) -> None:
    """The limit holds at the largest type: a title and a subhead of MAX_HEADING_CHARS,
    large print (28/22/20 pt), each on one page, so pdfua reads them."""
    h = replace(handout(lang, case_longest_heading(lang), paper), large_print=True)
    assert pdfua_findings(render(h).data, tmp_path) == ""
