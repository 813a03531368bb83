"""Tagged PDF (PDF/UA-1): the structure tree of a handout and the marked content that
ties every painted thing on a page either to an element of that tree or to an artifact.

reportlab writes no tags, so this module does it in the same pass as the drawing, for
about a tenth of the render's instructions (docs/accessibility.md): a flowable is drawn between
``BDC``/``EMC`` operators added to the canvas's content stream, each with a marked-content
id (MCID) that the element it belongs to lists, and at save time ``write`` writes the
elements, the /StructTreeRoot and its /ParentTree (page -> MCID -> element) as
ready-made object bytes (``rawobjects``), and sets on reportlab's own objects /MarkInfo,
the XMP metadata a PDF/UA checker reads, and each page's /StructParents and /Tabs.

The API, for whoever adds something to a page:

- The body's structure is built from the handout model before layout (``story``): each
  unit of the flow carries its ``Element``, made where the unit is made
  (``parent.add("P")``, ``Element(role, alt=...)`` for a Figure); a unit without one is
  drawn as a layout artifact.
- ``Tagger.place(canv, flowable, x, y, element)`` draws a flowable as that element's
  content, marked whole; a flowable with ``tags_itself = True``, or drawn as a list
  item (LI: its bullet is the Lbl, its text the LBody), marks its own parts
  (``Tagger.mark`` with child elements it makes with ``Element.add``): a shaped
  paragraph gives each page's lines a Span with /ActualText, a list item its label and
  body, a table its cells.
- ``Tagger.artifact(canv, kind, subtype)`` wraps drawing that is not content
  (a rule, a repeated header, a page number, the DRAFT mark, an icon); nothing inside
  it is marked.
- A link: ``Tagger.link(canv, element, url, rect, text)`` makes the annotation and ties
  it to its Link element (an /OBJR kid; the annotation gets its /StructParent).

``Tagger`` is per document; a canvas without one (``tagger`` None) draws untagged.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html import escape
from operator import attrgetter
from typing import Any

from reportlab.pdfbase import pdfdoc

from . import rawobjects

_REF = attrgetter("ref")
BIDI_CONTROLS = dict.fromkeys(map(ord, "\u2066\u2067\u2068\u2069\u200e\u200f\u202a\u202b\u202c\u202d\u202e"))


@dataclass(eq=False, slots=True)
class Content:
    """A marked-content sequence on another page than its element's /Pg (an MCR kid):
    MCID ``mcid`` on page ``page`` (0-based). On the element's own page a kid is just
    the MCID, an int."""

    page: int
    mcid: int


@dataclass(eq=False, slots=True)
class Annotation:
    """An annotation (a link) that belongs to an element: an /OBJR kid. Its
    dictionary gets its /StructParent key when the tree is written."""

    page: int
    obj: pdfdoc.PDFDictionary


@dataclass(eq=False, slots=True)
class Element:
    """One structure element: its standard role (PDF 1.7, 14.8.4), its kids in
    reading order, and what a screen reader needs besides the page content."""

    role: str
    parent: Element | None = None
    kids: list[Element | int | Content | Annotation] = field(default_factory=list)  # int: an MCID on its /Pg
    alt: str | None = None  # /Alt of a Figure
    actual_text: str | None = None  # the logical text of shaped glyphs
    lang: str | None = None  # BCP 47, only where it differs from the document's
    title: str | None = None  # /T, e.g. a warning box's label
    scope: str | None = None  # a TH's /Scope (Column, Row): which cells it heads
    page: int | None = None  # the page of its first content: its /Pg
    ref: str = ""  # a reference to it ("12 0 R"), given when the tree is written

    def add(self, role: str, **attrs: Any) -> Element:
        kid = Element(role, self, **attrs)
        self.kids.append(kid)
        return kid

    def part(self, role: str) -> Element:
        """The kid of that role (a list item's Lbl or LBody), made on first use."""
        for kid in self.kids:
            if type(kid) is Element and kid.role == role:
                return kid
        return self.add(role)

    def walk(self) -> list[Element]:
        """This element and every element under it, in reading order."""
        found, todo = [], [self]
        is_element = Element.__instancecheck__  # filter() calls it without a Python frame
        while todo:
            element = todo.pop()
            found.append(element)
            todo += filter(is_element, reversed(element.kids))  # type: ignore[arg-type]  # keeps Elements only
        return found


class _Marked:
    """The context of ``Tagger.mark`` (a class: a generator-based context manager costs
    several times more, and a handout opens hundreds)."""

    __slots__ = ("tagger", "canv", "element", "tag", "began")

    def __init__(self, tagger: Tagger, canv: Any, element: Element, tag: str | None):
        self.tagger, self.canv, self.element, self.tag, self.began = tagger, canv, element, tag, False

    def __enter__(self) -> None:
        self.began = self.tagger.begin(self.canv, self.element, self.tag)

    def __exit__(self, *exc: object) -> None:
        if self.began:
            self.canv._code.append("EMC")


class _Artifact:
    """The context of ``Tagger.artifact``: a class, as ``_Marked``; with ``tagger``
    None (inside an artifact or a form, or an untagged canvas) it does nothing."""

    __slots__ = ("tagger", "canv", "kind", "subtype")

    def __init__(self, tagger: Tagger | None, canv: Any, kind: str, subtype: str | None):
        self.tagger, self.canv, self.kind, self.subtype = tagger, canv, kind, subtype

    def __enter__(self) -> None:
        if self.tagger is not None:
            extra = f" /Subtype /{self.subtype}" if self.subtype else ""
            self.canv._code.append(f"/Artifact <</Type /{self.kind}{extra}>> BDC")
            self.tagger._quiet += 1

    def __exit__(self, *exc: object) -> None:
        if self.tagger is not None:
            self.tagger._quiet -= 1
            self.canv._code.append("EMC")


class Tagger:
    """The structure tree of one document and the marked content of its pages."""

    def __init__(self, lang: str):
        self.lang = lang
        self.root = Element("Document")
        self._mcids: dict[int, list[Element]] = {}  # page -> element of each MCID, in MCID order
        self._annotations: list[tuple[Annotation, Element]] = []
        self._quiet = 0  # inside an artifact or a form: nothing is marked
        self.current: Element | None = None  # the element a self-tagging flowable draws into

    def mark(self, canv: Any, element: Element, tag: str | None = None) -> _Marked:
        """``with tagger.mark(canv, element):`` content drawn inside is ``element``'s."""
        return _Marked(self, canv, element, tag)

    def begin(self, canv: Any, element: Element, tag: str | None = None) -> bool:
        """Opens a marked-content sequence of ``element`` on the current page; False
        (nothing opened) inside an artifact or a form."""
        if self._quiet:
            return False
        page = canv._pageNumber - 1
        mcids = self._mcids.get(page)
        if mcids is None:
            mcids = self._mcids[page] = []
        mcid = len(mcids)
        if element.page is None:
            element.page = page
        element.kids.append(mcid if element.page == page else Content(page, mcid))
        canv._code.append(f"/{tag or element.role} <</MCID {mcid}>> BDC")
        mcids.append(element)
        return True

    def artifact(self, canv: Any, kind: str = "Layout", subtype: str | None = None) -> _Artifact:
        """Drawing that is not content: pagination (a header, a footer, a page number, a
        watermark) or layout (a rule, a box's background)."""
        return _Artifact(None if self._quiet else self, canv, kind, subtype)

    @contextmanager
    def quiet(self) -> Iterator[None]:
        """Nothing drawn inside is marked: the inside of a form XObject (whose use on
        a page is marked instead)."""
        self._quiet += 1
        try:
            yield
        finally:
            self._quiet -= 1

    def place(self, canv: Any, flowable: Any, x: float, y: float, element: Element | None) -> None:
        """Draw ``flowable`` at (x, y) as ``element``'s content (a layout artifact when
        None). A flowable that tags itself, or a list item's (whose bullet is its Lbl),
        draws its parts into ``current``."""
        if element is None:
            with self.artifact(canv):
                flowable.drawOn(canv, x, y)
        elif element.role == "LI" or getattr(flowable, "tags_itself", False):
            outer, self.current = self.current, element
            try:
                flowable.drawOn(canv, x, y)
            finally:
                self.current = outer
        else:
            began = self.begin(canv, element)
            flowable.drawOn(canv, x, y)
            if began:
                canv._code.append("EMC")

    def link(self, canv: Any, element: Element, url: str, rect: tuple[float, float, float, float], text: str) -> None:
        """A link annotation to ``url`` over ``rect`` (x1, y1, x2, y2 in the current
        coordinates), tied to ``element`` (a Link, whose content is what is drawn under
        the link), with ``text`` as its /Contents: what a screen reader says for it."""
        canv.linkURL(url, rect, relative=1, Contents=pdfdoc.PDFString(text))
        if not self._quiet:
            self.annotation(canv, element, canv._doc.idToObject[canv._annotationrefs[-1].name])

    def annotation(self, canv: Any, element: Element, obj: pdfdoc.PDFDictionary) -> None:
        """Ties an annotation dictionary on the current page (a link) to ``element``."""
        note = Annotation(canv.getPageNumber() - 1, obj)
        element.kids.append(note)
        if element.page is None:
            element.page = note.page
        self._annotations.append((note, element))

    def write(self, doc: Any, pages: list[Any], title: str) -> None:
        """The structure tree, /MarkInfo, XMP metadata and the pages' keys, on ``doc``
        (``pages``: its PDFPage objects, in order).

        A handout has hundreds of elements, and reportlab's general formatting of as many
        dictionaries, then its registering and writing of as many objects, took most of
        the cost of tagging (docs/accessibility.md). So the elements, the root and the
        ParentTree get a block of object numbers and are written as ready-made bytes
        (``rawobjects``), each naming the others by those numbers."""
        elements = self.root.walk()
        numbers = rawobjects.reserve(doc, len(elements) + 2)
        refs = list(map("{} 0 R".format, numbers))
        for element, ref in zip(elements, refs, strict=False):
            element.ref = ref
        root_ref, tree_ref = refs[-2:]
        page_numbers = [_number(doc, doc.Reference(page)) for page in pages]
        objects = _elements(elements, root_ref, page_numbers, doc)
        nums: list[str] = []
        for page in range(len(pages)):
            marked = self._mcids.get(page)  # the element of each MCID on the page
            nums.append(f"{page} [{' '.join(map(_REF, marked)) if marked else ''}]")
            pages[page].StructParents = page
            pages[page].Tabs = pdfdoc.PDFName("S")
            pages[page].__NoDefault__ = [*pdfdoc.PDFPage.__NoDefault__, "StructParents", "Tabs"]
        for struct_parent, (note, element) in enumerate(self._annotations, start=len(pages)):
            note.obj["StructParent"] = struct_parent
            nums.append(f"{struct_parent} {element.ref}")
        objects.append(
            f"<< /Type /StructTreeRoot /K {self.root.ref} /ParentTree {tree_ref}"
            f" /ParentTreeNextKey {len(pages) + len(self._annotations)} >>".encode("ascii")
        )
        objects.append(f"<< /Nums [{' '.join(nums)}] >>".encode("ascii"))
        rawobjects.provide(doc, numbers, objects)
        catalog = doc.Catalog
        catalog.StructTreeRoot = pdfdoc.PDFObjectReference(doc.numberToId[numbers[-2]])
        catalog.MarkInfo = pdfdoc.PDFDictionary({"Marked": "true"})
        catalog.Metadata = doc.Reference(_xmp(title, self.lang))
        doc._pdfVersion = max(doc._pdfVersion, (1, 7))


def _elements(elements: list[Element], root_ref: str, page_numbers: list[int], doc: Any) -> list[bytes]:
    """The dictionaries of the structure elements, naming each other by their numbers:
    one loop, with no call per element in the usual case (a few hundred per handout),
    one kid (an element or an MCID) and no text attributes."""
    out = []
    on_page = [f" /Pg {number} 0 R" for number in page_numbers]
    for element in elements:
        parent = element.parent
        page = element.page
        head = f"<< /S /{element.role} /P {root_ref if parent is None else parent.ref}"
        if page is not None:
            head += on_page[page]
        kids = element.kids
        if len(kids) == 1:
            kid = kids[0]
            if type(kid) is int:
                head += f" /K {kid}"
            elif type(kid) is Element:
                head += f" /K {kid.ref}"
            else:
                head += f" /K {_kid(kid, page_numbers, doc)}"
        elif kids:
            refs = [
                kid.ref if type(kid) is Element else str(kid) if type(kid) is int else _kid(kid, page_numbers, doc)
                for kid in kids
            ]
            head += f" /K [{' '.join(refs)}]"
        if element.alt is not None:
            head += f" /Alt {_text(element.alt)}"
        if element.actual_text is not None:
            head += f" /ActualText {_text(element.actual_text)}"
        if element.title is not None:
            head += f" /T {_text(element.title)}"
        if element.lang:
            head += f" /Lang {_text(element.lang)}"
        if element.scope is not None:
            head += f" /A << /O /Table /Scope /{element.scope} >>"
        out.append((head + " >>").encode("ascii"))
    return out


def _kid(kid: Element | int | Content | Annotation, page_numbers: list[int], doc: Any) -> str:
    """A kid: an element, an MCID on its element's /Pg, content on another page (an
    MCR), or an annotation (OBJR)."""
    if isinstance(kid, Element):
        return kid.ref
    if isinstance(kid, int):
        return str(kid)
    if isinstance(kid, Annotation):
        obj = _number(doc, doc.Reference(kid.obj))
        return f"<< /Type /OBJR /Pg {page_numbers[kid.page]} 0 R /Obj {obj} 0 R >>"
    return f"<< /Type /MCR /Pg {page_numbers[kid.page]} 0 R /MCID {kid.mcid} >>"


def _number(doc: Any, ref: pdfdoc.PDFObjectReference) -> int:
    """The object number reportlab gave a registered object."""
    found: int = doc.idToObjectNumberAndVersion[ref.name][0]
    return found


def _text(text: str) -> str:
    """A PDF text string: bidi controls left out (they only steered the layout), as
    UTF-16BE hex with its byte-order mark, or as a literal string when it is plain ASCII."""
    text = text.translate(BIDI_CONTROLS)
    if text.isascii() and text.isprintable():
        return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def _xmp(title: str, lang: str) -> pdfdoc.PDFStream:
    """The XMP packet PDF/UA-1 asks for: the title (dc:title), the language
    (dc:language) and the PDF/UA part (pdfuaid:part 1), uncompressed as XMP readers
    expect."""
    packet = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">\n'
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}</rdf:li></rdf:Alt></dc:title>\n'
        f"<dc:language><rdf:Bag><rdf:li>{escape(lang)}</rdf:li></rdf:Bag></dc:language>\n"
        "<pdfuaid:part>1</pdfuaid:part>\n"
        "</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n"
        '<?xpacket end="w"?>\n'
    )
    return _PlainStream(
        pdfdoc.PDFDictionary({"Type": pdfdoc.PDFName("Metadata"), "Subtype": pdfdoc.PDFName("XML")}),
        packet.encode("utf-8"),
    )


class _PlainStream(pdfdoc.PDFStream):
    """A stream written as it is, with no /Filter (reportlab's would compress it)."""

    def format(self, document: pdfdoc.PDFDocument) -> bytes:
        dictionary = pdfdoc.PDFDictionary(self.dictionary.dict)
        dictionary["Length"] = len(self.content)
        head: bytes = pdfdoc.format(dictionary, document)
        body: bytes = self.content
        return head + b"\nstream\n" + body + b"endstream\n"


def of(canv: Any) -> Tagger | None:
    """The tagger of the document ``canv`` draws, if it is tagged and marking now."""
    tagger: Tagger | None = getattr(canv, "tagger", None)
    return tagger if tagger is not None and not tagger._quiet else None


def artifact(canv: Any, kind: str = "Layout", subtype: str | None = None) -> _Artifact:
    """``Tagger.artifact`` on ``canv``'s tagger; nothing on an untagged canvas."""
    return _Artifact(of(canv), canv, kind, subtype)
