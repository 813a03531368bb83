"""Objects given to reportlab as bytes (handouts/pdf/rawobjects.py): the file writer is a
copy of reportlab's, so without raw objects it must write the very same bytes, and with
them a file whose cross-reference table finds every object where it is."""

from __future__ import annotations

import io

import pikepdf
import pytest
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas

from handouts.pdf import rawobjects


def _canvas(text: str = "hello") -> Canvas:
    canv = Canvas(io.BytesIO(), invariant=1)
    canv.setFont("Helvetica", 12)
    canv.drawString(72, 720, text)
    canv.showPage()
    return canv


def test_without_raw_objects_the_bytes_are_reportlabs() -> None:
    theirs = _canvas().getpdfdata()
    canv = _canvas()
    rawobjects.reserve(canv._doc, 0)  # type: ignore[attr-defined]  # reportlab's document
    assert type(canv._doc) is rawobjects.ReservedDocument  # type: ignore[attr-defined]
    assert canv.getpdfdata() == theirs


def test_raw_objects_are_where_the_cross_reference_table_says() -> None:
    canv = _canvas()
    doc = canv._doc  # type: ignore[attr-defined]
    numbers = rawobjects.reserve(doc, 3)
    later = rawobjects.reserve(doc, 1)  # a second block goes on from the first
    assert list(later) == [numbers[-1] + 1]
    first, second, third = numbers
    rawobjects.provide(doc, numbers, [b"<< /Next %d 0 R >>" % second, b"[1 2 (three)]", b"(\xfe\xff\x00A)"])
    rawobjects.provide(doc, later, [b"42"])
    doc.Catalog.SpiderInfo = pdfdoc.PDFObjectReference(doc.numberToId[first])
    data = canv.getpdfdata()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert pdf.check_pdf_syntax() == []
        head = pdf.Root.SpiderInfo
        assert head.objgen == (first, 0)
        assert [int(n) for n in head.Next[:2]] == [1, 2] and str(head.Next[2]) == "three"
        assert str(pdf.get_object((third, 0))) == "A"
        assert int(pdf.get_object((later[0], 0))) == 42
    # reportlab's objects after the block (fonts, made at save) keep their own numbers
    assert b"/BaseFont /Helvetica" in data


def test_every_reserved_object_must_be_provided() -> None:
    canv = _canvas()
    doc = canv._doc  # type: ignore[attr-defined]
    numbers = rawobjects.reserve(doc, 2)
    with pytest.raises(ValueError):
        rawobjects.provide(doc, numbers, [b"1"])
    rawobjects.provide(doc, numbers[:1], [b"1"])
    with pytest.raises(ValueError, match=f"object {numbers[1]} was reserved but not provided"):
        canv.getpdfdata()


def test_only_plain_documents_are_adopted() -> None:
    class Other(pdfdoc.PDFDocument):
        pass

    with pytest.raises(TypeError, match="Other"):
        rawobjects.reserve(Other(), 1)
