"""TrueType fonts whose embedded subsets are made once per process, not once per PDF.

reportlab embeds in every PDF a subset of each font it uses: the font file cut down to
the characters printed, then Flate-compressed. For an English handout that is about
2.5 ms of an 18 ms render. The handouts of a batch mostly print the same characters in
the same order (same text, another store), so the compressed subset for a list of
characters is kept and reused; the PDF bytes are the same as without it.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from functools import partial
from typing import Any

from cachetools import LRUCache
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.ttfonts import FF_NONSYMBOLIC, FF_SYMBOLIC, TTFont, TTFontFace

# ``_add_subset_objects`` copies TTFontFace.addSubsetObjects, and ``to_unicode_cmap``
# ttfonts.makeToUnicodeCMap, of this reportlab release;
# pyproject.toml admits only it, and tests/test_dependencies.py holds the two together
# (and each copied function to its source in that release; rawobjects copies one too).
CHECKED_REPORTLAB = "5.1"
SUBSETS_PER_FACE = 64  # a compressed Latin subset is ~20 KB, so ~1.3 MB per face at most


class SharedSubsetsTTFont(TTFont):
    """reportlab's TTFont, with its face's subsets made through ``_add_subset_objects``
    (set on the face object: reportlab builds the face itself)."""

    def __init__(self, name: str, filename: str):
        super().__init__(name, filename)
        self.packed: LRUCache[tuple[int, ...], tuple[int, bytes]] = LRUCache(SUBSETS_PER_FACE)
        # reportlab builds the face itself, so the method is replaced on this one face object
        self.face.addSubsetObjects = partial(_add_subset_objects, self.face, self.packed)  # type: ignore[method-assign]


def _add_subset_objects(
    face: TTFontFace,
    packed: LRUCache[tuple[int, ...], tuple[int, bytes]],
    doc: pdfdoc.PDFDocument,
    fontname: str,
    subset: list[int],
) -> Any:  # the descriptor's reference, as reportlab's own method returns it
    """TTFontFace.addSubsetObjects of reportlab 5.1, except that the font file comes
    from ``packed`` (character codes -> (uncompressed length, Flate data)) when this
    face has made the same subset before. The stream says it is already Flate-encoded,
    so reportlab writes it as it is."""
    key = tuple(subset)
    if key not in packed:
        data = face.makeSubset(subset)
        packed[key] = (len(data), zlib.compress(data))
    length, compressed = packed[key]
    font_file = pdfdoc.PDFStream(
        pdfdoc.PDFDictionary({"Length1": length, "Filter": pdfdoc.PDFArray([pdfdoc.PDFName("FlateDecode")])}),
        compressed,
    )
    font_file_ref = doc.Reference(font_file, f"fontFile:{face.filename}({fontname})")
    descriptor = pdfdoc.PDFDictionary(
        {
            "Type": "/FontDescriptor",
            "Ascent": face.ascent,
            "CapHeight": face.capHeight,
            "Descent": face.descent,
            "Flags": (face.flags & ~FF_NONSYMBOLIC) | FF_SYMBOLIC,
            "FontBBox": pdfdoc.PDFArray(face.bbox),
            "FontName": pdfdoc.PDFName(fontname),
            "ItalicAngle": face.italicAngle,
            "StemV": face.stemV,
            "FontFile2": font_file_ref,
            "MissingWidth": face.defaultWidth,
        }
    )
    return doc.Reference(descriptor, "fontDescriptor:" + fontname)


# Never in a ToUnicode entry (PDF/UA-1 7.21.7): what a reader's software would take for
# no text or a byte-order mark.
_FORBIDDEN = dict.fromkeys((0x0000, 0xFEFF, 0xFFFE))
_BFCHAR_BLOCK = 100  # entries per beginbfchar block, the most the CMap format allows


def to_unicode_cmap(fontname: str, subset: list[int], text: Callable[[int], str]) -> str:
    """The ToUnicode CMap of one subset, as reportlab 5.1's ``makeToUnicodeCMap`` writes
    it, except that a code's text is ``text(character)`` (a shaped glyph's private code
    stands for its cluster's text) and that no entry maps to U+0000, U+FEFF or U+FFFE:
    reportlab fills unused codes (0, the .notdef of every subset) with character 0, and
    those codes are left out since nothing is drawn with them. A glyph that stands for
    no character maps to U+200B ZERO WIDTH SPACE: an empty mapping makes viewers
    misread the rest of the CMap."""
    entries = []
    for code, char in enumerate(subset):
        if char == 0:
            continue
        mapped = text(char).translate(_FORBIDDEN) or "\u200b"
        entries.append(f"<{code:02X}> <{mapped.encode('utf-16-be').hex().upper()}>")
    blocks = []
    for i in range(0, len(entries), _BFCHAR_BLOCK):
        chunk = entries[i : i + _BFCHAR_BLOCK]
        blocks += [f"{len(chunk)} beginbfchar", *chunk, "endbfchar"]
    return "\n".join(
        [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            "/CIDSystemInfo",
            f"<< /Registry ({fontname})",
            f"/Ordering ({fontname})",
            "/Supplement 0",
            ">> def",
            f"/CMapName /{fontname} def",
            "/CMapType 2 def",
            "1 begincodespacerange",
            f"<00> <{len(subset) - 1:02X}>",
            "endcodespacerange",
            *blocks,
            "endcmap",
            "CMapName currentdict /CMap defineresource pop",
            "end",
            "end",
        ]
    )
