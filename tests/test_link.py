"""A brand's link: the handout's address online and its QR code at the end of the body,
read back as a reader's phone and PDF viewer read them: the page rendered (pdftoppm)
and the code decoded (zbarimg) in every shipped language, the link annotation's /URI
(pypdf), the address as printed text; and a bad link refused with file:line:col."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
import tagcheck
from conftest import make_pdf
from PIL import ImageChops
from pypdf import PdfReader
from reading import chars, render
from test_clean_pages import LANGS

from handouts import build, qr
from handouts.build import Request, prepare
from handouts.cli import main
from handouts.pdf import MARGIN, PAPER, RenderCache
from handouts.pdf.cache import QR_CODES
from handouts.pdf.online import GAP, SIDE

SAMPLE_LINK = "https://example.org/leaflets/{medicine}/{lang}/{level}"  # content/brands/default/brand.yaml


def tool(name: str) -> str:
    """The path of a system tool, or a skip that says which is missing; with
    HANDOUTS_REQUIRE_TOOLS=1 (.ci/run) a missing tool fails instead."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed (Debian: apt-get install zbar-tools poppler-utils)"
        if os.environ.get("HANDOUTS_REQUIRE_TOOLS") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return path


def decoded(pdf: bytes, page: int, tmp_path: Path) -> list[str]:
    """What a QR reader finds on page ``page`` (1-based), printed at 150 dpi."""
    (tmp_path / "h.pdf").write_bytes(pdf)
    png = tmp_path / "page"
    subprocess.run(
        [
            tool("pdftoppm"),
            "-r",
            "150",
            "-gray",
            "-png",
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(tmp_path / "h.pdf"),
            str(png),
        ],
        check=True,
    )
    run = subprocess.run(
        [tool("zbarimg"), "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", f"{png}.png"],
        capture_output=True,
        text=True,
    )
    assert run.returncode in (0, 4), run.stderr  # 4: no symbol found
    return run.stdout.split()


@pytest.mark.parametrize("lang", LANGS)
def test_the_qr_code_decodes_to_the_handouts_address_in_every_language(lang, library, tmp_path):
    handout = prepare(library, Request(medicine="baclofen", lang=lang, level="easy"))
    expected = f"https://example.org/leaflets/baclofen/{lang}/easy"
    assert handout.link == expected
    rendered = render(handout)
    assert decoded(rendered.data, rendered.pages, tmp_path) == [expected]
    assert decoded(rendered.data, 1, tmp_path) == []  # on the last page only


def test_the_link_annotation_opens_the_address_and_covers_the_code_and_the_printed_address(library, tmp_path):
    handout, reader, data = make_pdf(library, tmp_path, medicine="baclofen", lang="en", level="standard")
    last = reader.pages[-1]
    links = [a.get_object() for a in last.get("/Annots", [])]
    uris = [a["/A"]["/URI"] for a in links if a.get("/Subtype") == "/Link" and a["/A"]["/S"] == "/URI"]
    assert uris == ["https://example.org/leaflets/baclofen/en/standard"]
    assert links[0]["/Contents"] == "Read this leaflet online: https://example.org/leaflets/baclofen/en/standard"
    left, bottom, right, top = (float(v) for v in links[0]["/Rect"])
    page = chars(data)[-1]
    text = "".join(c.text for c in page)
    start = text.index("https://example.org/leaflets/baclofen/en/standard")
    printed = page[start : start + len(uris[0])]
    assert all(left <= c.left and c.right <= right and bottom <= c.bottom and c.top <= top for c in printed)
    assert right - left > 200 and top - bottom >= 27 * 72 / 25.4 - 0.01  # the code's width and height too
    for page_index in range(len(reader.pages) - 1):
        assert "/Annots" not in reader.pages[page_index]


def test_the_address_is_printed_after_the_words_that_introduce_it(library, tmp_path):
    _, reader, _ = make_pdf(library, tmp_path, medicine="baclofen", lang="es", level="detailed")
    text = reader.pages[-1].extract_text()
    assert "Lea este folleto en internet:\nhttps://example.org/leaflets/baclofen/es/detailed" in text


def test_a_brand_without_a_link_prints_no_code_and_no_annotation(library, tmp_path):
    handout = prepare(library, Request(medicine="baclofen", lang="en", level="easy", brand=Path("eu_example")))
    assert handout.link is None
    rendered = render(handout)
    reader = PdfReader(io.BytesIO(rendered.data))
    assert all("/Annots" not in page for page in reader.pages)
    assert "leaflets" not in "".join(page.extract_text() for page in reader.pages)
    assert decoded(rendered.data, rendered.pages, tmp_path) == []


def test_the_matrix_is_encoded_once_per_address_and_kept_by_the_render_cache(library, monkeypatch):
    calls: list[str] = []
    real = qr.encode
    monkeypatch.setattr("handouts.pdf.cache.encode", lambda url: calls.append(url) or real(url))
    cache = RenderCache()
    for paper in ("letter", "a4", "letter"):
        handout = prepare(library, Request(medicine="baclofen", lang="en", level="easy", paper=paper))
        build.render(handout, cache)
    assert calls == ["https://example.org/leaflets/baclofen/en/easy"]
    assert RenderCache().qr(calls[0]) == cache.qr(calls[0])  # a new owner encodes its own, the same
    assert QR_CODES >= 24  # every language and level of a medicine stays kept


@pytest.mark.parametrize(
    ("link", "where", "message", "hint"),
    [
        (
            '"https://example.org/{medcine}/{lang}"',
            "3:28",
            "unknown placeholder {medcine} in link",
            "did you mean 'medicine'?",
        ),
        (
            "https://example.org/{medicine}/{page}",
            "3:38",
            "unknown placeholder {page} in link",
            "expected one of: lang, level, medicine",
        ),
        ("https://example.org/{lang:>999}", "3:27", "placeholder {lang} in link has a format", "write {lang}"),
        ("http://example.org/{medicine}", "3:7", "link must be an https:// web address without spaces", SAMPLE_LINK),
        ("example.org/{medicine}", "3:7", "link must be an https:// web address without spaces", SAMPLE_LINK),
        ("'https://example.org/a b'", "3:8", "link must be an https:// web address without spaces", SAMPLE_LINK),
        ("https://example.org/{medicine", "3:7", "bad link", "placeholders look like {medicine}"),
    ],
)
def test_a_bad_link_is_refused_with_its_place_and_a_hint(tmp_path, capsys, link, where, message, hint):
    brand = tmp_path / "brand.yaml"
    brand.write_text(f'name: X\ncolors: {{primary: "#1F4E79", accent: "#A4161A"}}\nlink: {link}\n')
    out = tmp_path / "x.pdf"
    with pytest.raises(SystemExit) as exit:
        main(["build", "baclofen", "--brand", str(brand), "-o", str(out)])
    assert exit.value.code == 2
    err = capsys.readouterr().err
    assert f"brand.yaml:{where}: error: {message}" in err
    assert hint in err
    assert "Traceback" not in err
    assert not out.exists()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_code_stands_on_the_side_a_line_starts_and_the_address_beside_it(library, lang):
    handout = prepare(library, Request(medicine="baclofen", lang=lang, level="standard"))
    rendered = render(handout)
    page_w, page_h = PAPER[handout.paper]
    text = "".join(c.text for c in chars(rendered.data)[-1])
    start = text.index(str(handout.link))
    printed = chars(rendered.data)[-1][start : start + len(str(handout.link))]
    left, right = min(c.left for c in printed), max(c.right for c in printed)
    middle = (min(c.bottom for c in printed) + max(c.top for c in printed)) / 2
    image = pdfium.PdfDocument(rendered.data)[rendered.pages - 1].render(scale=1).to_pil().convert("L")
    code_x = (MARGIN, MARGIN + SIDE) if lang == "en" else (page_w - MARGIN - SIDE, page_w - MARGIN)
    band = range(round(page_h - middle - SIDE / 2), round(page_h - middle + SIDE / 2))
    dark = sum(1 for x in range(round(code_x[0]), round(code_x[1])) for y in band if image.getpixel((x, y)) < 128)
    assert dark > 0.25 * SIDE * SIDE  # a code: about half its modules are dark
    if lang == "en":
        assert left >= MARGIN + SIDE + GAP - 1
    else:
        assert right <= page_w - MARGIN - SIDE - GAP + 1


def test_a_long_address_gets_a_larger_code_that_still_decodes(library, tmp_path):
    """A 212-character address (a brand's link may have 200 before it is filled in) makes
    a code of version 10 or so; its modules stay at least 0.5 mm, so the code grows past
    27 mm and still reads."""
    handout = prepare(library, Request(medicine="baclofen", lang="en", level="easy"))
    url = "https://example.org/" + "/".join(["leaflets-for-patients"] * 8) + "/baclofen/en/easy"
    rendered = render(replace(handout, link=url))
    assert decoded(rendered.data, rendered.pages, tmp_path) == [url]
    reader = PdfReader(io.BytesIO(rendered.data))
    left, bottom, right, top = (float(v) for v in reader.pages[-1]["/Annots"][0].get_object()["/Rect"])
    assert top - bottom > SIDE + 1


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_link_is_a_tagged_link_element_with_its_annotation(library, lang):
    """In the structure tree: a P with the words, holding a Link whose text is the address
    and whose OBJR kid is the annotation (which points back with /StructParent); the code
    itself is an artifact. tagcheck compares the whole tree with the model."""
    handout = prepare(library, Request(medicine="baclofen", lang=lang, level="easy"))
    rendered = render(handout)
    assert tagcheck.check(handout, rendered.data) == []
    pdf = pikepdf.open(io.BytesIO(rendered.data))
    annotation = pdf.pages[-1].obj.Annots[0]
    links = [e for e in _elements(pdf.Root.StructTreeRoot) if e.get("/S") == "/Link"]
    assert len(links) == 1
    kids = links[0].K if isinstance(links[0].K, pikepdf.Array) else [links[0].K]
    objrs = [k for k in kids if isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/OBJR"]
    assert [o.Obj.objgen for o in objrs] == [annotation.objgen]
    assert "/StructParent" in annotation
    assert str(annotation.Contents).endswith(str(handout.link))


def _elements(node):
    """Every structure element under ``node``, depth first."""
    kids = node.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield kid
            yield from _elements(kid)


# handouts (all drafts, as shipped) whose QR code lands where the diagonal DRAFT mark passes
MARKED_CODES = [
    ("vi", "detailed", "a4", False),
    ("ru", "standard", "letter", False),
    ("es", "easy", "letter", False),
    ("es", "easy", "letter", True),
    ("ru", "easy", "a4", True),
]


def _tint(image, box: tuple[int, int, int, int]) -> int:
    """The most red any pixel in ``box`` is over its green: the DRAFT mark's tint (the
    code and the text are black, grey at their edges, on white: red == green)."""
    red, green, _ = image.crop(box).split()
    return int(ImageChops.subtract(red, green).getextrema()[1])


def test_the_draft_mark_leaves_the_code_untinted_and_it_decodes(library, tmp_path):
    """A phone reads a code by the contrast of its modules and its quiet zone: the DRAFT
    mark, drawn over the page, passes around the code's square (its quiet zone too), not
    over it. In handouts where the mark runs by the code (tinted pixels in a ring just
    outside its square), nothing inside the square is tinted, and the code decodes."""
    scale = 150 / 72
    passing_by = []
    for lang, level, paper, large in MARKED_CODES:
        handout = prepare(library, Request("baclofen", lang, level, paper=paper, large_print=large))
        assert handout.draft
        rendered = render(handout)
        reader = PdfReader(io.BytesIO(rendered.data))
        left, _, _, top = (float(v) for v in reader.pages[-1]["/Annots"][0].get_object()["/Rect"])
        page_h = float(reader.pages[-1].mediabox.height)  # left to right: the code at the link's top left
        square = [round(v * scale) for v in (left, page_h - top, left + SIDE, page_h - top + SIDE)]
        image = pdfium.PdfDocument(rendered.data)[rendered.pages - 1].render(scale=scale).to_pil().convert("RGB")
        ring = round(6 * 72 / 25.4 * scale)  # 6 mm
        around = (square[0] - ring, square[1] - ring, square[2] + ring, square[3] + ring)
        if _tint(image, around) > 15:
            passing_by.append(lang)
        inside = (square[0] + 1, square[1] + 1, square[2] - 1, square[3] - 1)
        assert _tint(image, inside) <= 4, (lang, level, paper, large)
        assert decoded(rendered.data, rendered.pages, tmp_path) == [handout.link]
    assert passing_by, "the DRAFT mark passes by none of these codes now: list handouts where it does"
