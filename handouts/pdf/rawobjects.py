"""PDF objects given to reportlab as ready-made bytes, written in one step each.

A tagged handout adds a few hundred small objects to its file: the structure elements
(three per bullet: LI, Lbl, LBody). Registered one by one (``PDFDocument.Reference``)
and written through reportlab's general loop (an indirect-object wrapper, its
``format``, the file's ``add``), each cost about 9 microseconds, more than a third of
the whole cost of tagging (docs/accessibility.md). Here a block of object numbers is
reserved at once, and the file writer takes each object's bytes as they are.

``ReservedDocument.format`` is reportlab 5.1's ``PDFDocument.format`` with that fast
path, trimmed to what our documents use (no encryption, no digital signature, no
comments: documents are ``invariant``); pyproject.toml admits only that release
(``subsets.CHECKED_REPORTLAB``), and tests/test_dependencies.py holds the installed
``PDFDocument.format`` to the one copied here (its source's hash, in ``COPIED`` with
subsets' copies): a reportlab that changes it fails there, naming this module.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import repeat
from typing import Any

from reportlab.pdfbase import pdfdoc


class ReservedDocument(pdfdoc.PDFDocument):
    """A reportlab document with objects given as bytes (``reserve``, ``provide``)."""

    raw: dict[int, bytes]  # object number -> the object's bytes, between "obj" and "endobj"

    def format(self) -> bytes:
        return _file(self)


def _file(doc: Any) -> bytes:
    """The whole file: reportlab's loop over the objects by number, the raw ones in one step."""
    if not isinstance(doc.encrypt, pdfdoc.NoEncryption) or getattr(doc, "_digiSigs", None):
        raise ValueError("encrypted or signed documents are not written here")
    cat, info, raw = doc.Catalog, doc.info, doc.raw
    doc.Reference(cat)
    doc.Reference(info)
    numbertoid, id_to_object, id_to_offset = doc.numberToId, doc.idToObject, doc.idToOffset
    out = pdfdoc.PDFFile(doc._pdfVersion)
    ids = []
    counter = 1
    while counter in numbertoid:  # objects may be registered while others are formatted
        oid = numbertoid[counter]
        data = raw.get(counter)
        if data is None:
            if oid not in id_to_object:
                raise ValueError(f"object {counter} was reserved but not provided")
            data = pdfdoc.PDFIndirectObject(oid, id_to_object[oid]).format(doc)
        else:
            data = b"%d 0 obj\n%s\nendobj\n" % (counter, data)
        id_to_offset[oid] = out.offset
        out.offset += len(data)
        out.write(data)
        ids.append(oid)
        counter += 1
    xref = pdfdoc.PDFCrossReferenceTable()
    xref.addsection(0, ids)
    xref_offset = out.add(xref.format(doc))
    trailer = pdfdoc.PDFTrailer(
        startxref=xref_offset,
        Size=len(numbertoid) + 1,
        Root=doc.Reference(cat),
        Info=doc.Reference(info),
        ID=doc.ID(),
    )
    out.add(trailer.format(doc))
    whole: bytes = out.format(doc)
    return whole


def reserve(doc: Any, count: int) -> range:
    """``count`` consecutive object numbers in ``doc`` (reportlab's PDFDocument, which
    becomes a ``ReservedDocument``) for objects ``provide`` gives before the file is
    written."""
    kind = type(doc)
    if kind is pdfdoc.PDFDocument:
        doc.__class__ = ReservedDocument  # the same object, with the fast path in its writer
        doc.raw = {}
    elif kind is not ReservedDocument:
        raise TypeError(f"cannot reserve objects in a {kind.__name__}")
    first = doc.objectcounter + 1
    numbers = range(first, first + count)
    doc.objectcounter += count
    # each object's id is its number: reportlab's own ids are names ("R12"), so none clash
    doc.numberToId.update(zip(numbers, numbers, strict=True))
    doc.idToObjectNumberAndVersion.update(zip(numbers, zip(numbers, repeat(0), strict=False), strict=True))
    return numbers


def provide(doc: Any, numbers: Sequence[int], objects: Sequence[bytes]) -> None:
    """The bytes of the objects reserved as ``numbers`` (a dictionary, an array: what
    goes between "N 0 obj" and "endobj")."""
    doc.raw.update(zip(numbers, objects, strict=True))
