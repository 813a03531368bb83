"""Character codes for shaped glyphs, and the ToUnicode map that gives their text back."""

from __future__ import annotations

from reportlab.pdfbase import pdfmetrics, ttfonts

from .. import shaping

PUA_START = 0xF0000  # Supplementary Private Use Area-A: no bundled font maps it
_glyph_codes: dict[tuple[str, int, str], int] = {}
_code_text: dict[int, str] = {}


def glyph_code(face: str, glyph: shaping.Glyph) -> int:
    """The character code reportlab should use for a shaped glyph. reportlab maps text to
    glyphs through the font's cmap, but a conjunct or a final form has no code point of
    its own, so we give it a private one. Its ToUnicode entry is the text the glyph
    stands for, so copying from the PDF gives the Arabic or Hindi the author wrote."""
    font = pdfmetrics.getFont(face).face
    if len(glyph.text) == 1 and font.charToGlyph.get(ord(glyph.text)) == glyph.gid:
        return ord(glyph.text)
    key = (face, glyph.gid, glyph.text)
    if key not in _glyph_codes:
        code = PUA_START + len(_code_text)
        _glyph_codes[key] = code
        _code_text[code] = glyph.text
        font.charToGlyph[code] = glyph.gid
        font.charWidths[code] = glyph.width
    return _glyph_codes[key]


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode CMap, but a private code maps to the text of its glyph
    (several characters for a ligature; a glyph standing for none maps to U+200B ZERO
    WIDTH SPACE, since an empty mapping makes viewers misread the rest of the CMap)."""
    lines = ttfonts._rl_to_unicode_cmap(fontname, [0] * len(subset)).split("\n")
    start = lines.index(f"{len(subset)} beginbfchar") + 1
    for i, cp in enumerate(subset):
        text = _code_text.get(cp, chr(cp)) or "\u200b"
        lines[start + i] = f"<{i:02X}> <{text.encode('utf-16-be').hex().upper()}>"
    return "\n".join(lines)


if not hasattr(ttfonts, "_rl_to_unicode_cmap"):
    ttfonts._rl_to_unicode_cmap = ttfonts.makeToUnicodeCMap
    ttfonts.makeToUnicodeCMap = _to_unicode_cmap
