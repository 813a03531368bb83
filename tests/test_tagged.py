"""Tagged PDF/UA-1 for every shipped handout (8 languages x 3 levels x Letter and A4)
and the layout extremes of test_layout in every script: each PDF is rendered once and
checked by

- page-validation (profile ua1): compliant, 0 failed rules;
- pdfua: exit code 0 and 0 rules skipped (a rule that crashes is skipped: a failure);
- qpdf --check: no errors or warnings;
- tests/tagcheck.py, our own: the tree against the handout model, every MCID reached,
  artifacts, ActualText (see its docstring).

tagcheck itself is checked against PDFs spoiled on purpose, so an empty or partial tree
cannot pass it.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from dataclasses import replace
from functools import cache, lru_cache
from pathlib import Path

import page
import pdfua
import pikepdf
import pypdfium2 as pdfium
import pytest
import tagcheck
from reading import render
from test_layout import CASES, SENTENCES, handout, long_word, longest_brand, para, sentences

from handouts import build
from handouts.content import Library
from handouts.model import Handout, Section

LANGS = ("en", "es", "vi", "ru", "ar", "hi", "zh-Hans", "ko")
LEVELS = ("easy", "standard", "detailed")
SHIPPED = [(lang, level, paper) for lang in LANGS for level in LEVELS for paper in ("letter", "a4")]
EXTREMES = [(case, lang) for case in [*CASES, "longest brand"] for lang in SENTENCES]
REQUIRE_TOOLS = os.environ.get("HANDOUTS_REQUIRE_TOOLS") == "1"


@lru_cache(maxsize=1)
def _library() -> Library:
    return Library()


@cache
def shipped(lang: str, level: str, paper: str) -> tuple[Handout, bytes]:
    h = build.prepare(_library(), build.Request("baclofen", lang=lang, level=level, paper=paper))
    return h, render(h).data


@cache
def extreme(case: str, lang: str) -> tuple[Handout, bytes]:
    if case == "longest brand":
        s = SENTENCES[lang][0]
        h = handout(lang, [Section("s", s, (para(sentences(lang, 30)),))], "letter", longest_brand(lang))
    else:
        h = handout(lang, CASES[case](lang), "letter")
    if case == "long word":
        h = replace(h, title=long_word(lang), summary=f"{h.summary} {long_word(lang)}")
    if case in ("long warning", "empty section"):
        h = replace(h, draft=True)  # the DRAFT mark and notice on a long and a short handout
    return h, render(h).data


def qpdf_check(data: bytes, tmp_path: Path) -> str:
    """qpdf --check's complaints ("" when clean)."""
    if shutil.which("qpdf") is None:
        if REQUIRE_TOOLS:
            pytest.fail("qpdf is not installed and HANDOUTS_REQUIRE_TOOLS=1")
        pytest.skip("qpdf is not installed (apt-get install qpdf)")
    path = tmp_path / "x.pdf"
    path.write_bytes(data)
    done = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    return "" if done.returncode == 0 and not done.stderr else done.stdout + done.stderr


def pdfua_findings(data: bytes, tmp_path: Path) -> str:
    """pdfua's findings and skipped rules ("" when clean)."""
    path = tmp_path / "ua.pdf"
    path.write_bytes(data)
    report = pdfua.validate(str(path))
    out = [f"{f.rule_id}: {f.message}" for f in report.findings]
    out += [f"skipped {o.rule_id}: {o.skipped_reason}" for o in report.skipped]
    return "\n".join(out) if out or report.exit_code else ""


def check_all(h: Handout, data: bytes, tmp_path: Path) -> None:
    report = page.validate_pdf_bytes(data, profile="ua1")
    failed = sorted({f"{f.rule_id}: {f.message}" for f in report.failures})
    assert report.is_compliant and report.rules.failed == 0, failed[:10]
    assert tagcheck.check(h, data)[:10] == []
    assert qpdf_check(data, tmp_path) == ""


@pytest.mark.parametrize(("lang", "level", "paper"), SHIPPED)
def test_shipped_handout_is_tagged(lang, level, paper, tmp_path):
    check_all(*shipped(lang, level, paper), tmp_path)


@pytest.mark.parametrize(("lang", "level", "paper"), SHIPPED)
def test_shipped_handout_passes_pdfua(lang, level, paper, tmp_path):
    assert pdfua_findings(shipped(lang, level, paper)[1], tmp_path) == ""


@pytest.mark.parametrize(("case", "lang"), EXTREMES)
def test_extreme_is_tagged(case, lang, tmp_path):
    check_all(*extreme(case, lang), tmp_path)


@pytest.mark.parametrize(("case", "lang"), EXTREMES)
def test_extreme_passes_pdfua(case, lang, tmp_path):
    assert pdfua_findings(extreme(case, lang)[1], tmp_path) == ""


def test_pdfua_command_exits_0(tmp_path):
    """The command line too, as a CI job would call it."""
    path = tmp_path / "en.pdf"
    path.write_bytes(shipped("en", "standard", "letter")[1])
    done = subprocess.run(["pdfua", "check", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout


def test_untagged_baseline_fails_every_check(tmp_path):
    """The benchmark's untagged render is what main printed before: no checker passes it."""
    h, _ = shipped("en", "standard", "letter")
    data = build.render(h, build.render_cache(), tagged=False).data
    assert not page.validate_pdf_bytes(data, profile="ua1").is_compliant
    assert "no /StructTreeRoot" in " ".join(tagcheck.check(h, data))
    assert pdfua_findings(data, tmp_path)


def _spoil(data: bytes, change) -> bytes:
    pdf = pikepdf.open(io.BytesIO(data))
    change(pdf)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _elements(pdf: pikepdf.Pdf, role: str) -> list[pikepdf.Dictionary]:
    found, todo = [], [pdf.Root.StructTreeRoot.K]
    while todo:
        node = todo.pop()
        if isinstance(node, pikepdf.Array):
            todo += list(node)
        elif isinstance(node, pikepdf.Dictionary) and node.get("/Type") != "/MCR":
            if node.get("/S") == role:
                found.append(node)
            if "/K" in node:
                todo.append(node.K)
    return found


def _no_footer_artifact(pdf: pikepdf.Pdf) -> None:
    """The page number drawn as plain content: its BDC and EMC left out."""
    page_ = pdf.pages[0]
    ops = list(pikepdf.parse_content_stream(page_))
    start = next(i for i, op in enumerate(ops) if str(op.operator) == "BDC" and "/Footer" in str(op.operands))
    end = next(i for i in range(start, len(ops)) if str(ops[i].operator) == "EMC")
    del ops[end], ops[start]
    page_.Contents = pdf.make_stream(pikepdf.unparse_content_stream(ops))


SPOILS = {
    "empty tree": (lambda pdf: pdf.Root.StructTreeRoot.K.__setitem__("/K", pikepdf.Array()), "Document holds"),
    "title not reached": (lambda pdf: _elements(pdf, "/H1")[0].__delitem__("/K"), "not reached from the tree"),
    "heading made a paragraph": (lambda pdf: _elements(pdf, "/H2")[0].__setitem__("/S", pikepdf.Name.P), "differs"),
    "an item lost": (
        lambda pdf: next(e for e in _elements(pdf, "/L") if isinstance(e.K, pikepdf.Array)).K.__delitem__(0),
        "differs",
    ),
    "logo without alt": (lambda pdf: _elements(pdf, "/Figure")[0].__delitem__("/Alt"), "logo figures"),
    "page number as content": (_no_footer_artifact, "painting outside marked content"),
}


@pytest.mark.parametrize("spoil", SPOILS)
def test_tagcheck_catches_a_spoiled_tree(spoil):
    h, data = shipped("en", "standard", "letter")
    change, message = SPOILS[spoil]
    problems = tagcheck.check(h, _spoil(data, change))
    assert any(message in p for p in problems), problems


@pytest.mark.parametrize("lang", ["ar", "hi", "zh-Hans"])
def test_tagcheck_catches_wrong_actual_text(lang):
    """Shaped lines are read through their ActualText: a wrong one is caught."""
    h, data = shipped(lang, "standard", "letter")

    def change(pdf):
        span = _elements(pdf, "/H1")[0].K  # the title's one Span
        span.ActualText = pikepdf.String(str(span.ActualText)[::-1] + "x")

    assert any("reads" in p for p in tagcheck.check(h, _spoil(data, change)))


def test_rtl_actual_text_is_in_logical_order():
    """ActualText holds the text as written (logical order, PDF 32000-1 14.9.4), not
    the glyphs' visual order: the first Arabic word of the title comes first."""
    h, data = shipped("ar", "standard", "letter")
    pdf = pikepdf.open(io.BytesIO(data))
    title = _elements(pdf, "/H1")[0]
    span = title.K if title.K.get("/S") == "/Span" else None
    assert span is not None and str(span.ActualText).startswith(h.title.split()[0])


def test_to_unicode_maps_no_forbidden_character():
    """PDF/UA-1 7.21.7: no ToUnicode entry maps to U+0000, U+FEFF or U+FFFE, in any
    script (reportlab maps its unused codes to U+0000)."""
    for lang in LANGS:
        pdf = pikepdf.open(io.BytesIO(shipped(lang, "standard", "letter")[1]))
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and "/ToUnicode" in obj:
                cmap = obj.ToUnicode.read_bytes().decode("latin-1").upper()
                for bad in ("<0000>", "<FEFF>", "<FFFE>"):
                    assert bad not in cmap.split("ENDCODESPACERANGE")[-1], (lang, bad)


@pytest.mark.parametrize("lang", ["en", "ar", "hi", "zh-Hans"])
def test_tagging_changes_no_pixel(lang):
    """Marked content, artifacts and the per-piece header forms change nothing a
    reader sees: every page renders exactly as the untagged PDF's (pdfium, 50 dpi)."""
    h, data = shipped(lang, "standard", "letter")
    plain = build.render(h, build.render_cache(), tagged=False).data
    tagged_pages, plain_pages = pdfium.PdfDocument(data), pdfium.PdfDocument(plain)
    assert len(tagged_pages) == len(plain_pages)
    for a, b in zip(tagged_pages, plain_pages, strict=True):
        one, other = (p.render(scale=50 / 72).to_pil().tobytes() for p in (a, b))
        assert one == other


def test_untranslated_brand_texts_carry_their_language():
    """The sample brand is English: on the Arabic handout its name and address are
    English spans of an Arabic document (/Lang en), on the English one they need none."""
    for lang, want in (("ar", "en"), ("en", None)):
        h, data = shipped(lang, "standard", "letter")
        pdf = pikepdf.open(io.BytesIO(data))
        brand_block = pdf.Root.StructTreeRoot.K.K[0]
        name = next(k for k in brand_block.K if k.S == "/P")
        assert (str(name.Lang) if "/Lang" in name else None) == want, lang
        assert str(name.ActualText if "/ActualText" in name else "") in ("", h.brand.name)


def test_a_link_is_tied_to_its_link_element(tmp_path):
    """``Tagger.link``: the annotation is an /OBJR kid of its Link element, has its
    /StructParent in the parent tree and /Contents; the page passes page-validation
    and pdfua."""
    from reportlab.pdfgen.canvas import Canvas

    from handouts.pdf.tagging import Tagger

    face = build.render_cache().engine.register("NotoSans-Regular")
    out = io.BytesIO()
    canv = Canvas(out, lang="en", invariant=1)
    canv.setTitle("Links")
    canv.setViewerPreference("DisplayDocTitle", "true")
    canv.tagger = tagger = Tagger("en")
    link = tagger.root.add("P").add("Link")
    with tagger.mark(canv, link):
        canv.setFont(face, 12)
        canv.drawString(72, 700, "example.org")
    tagger.link(canv, link, "https://example.org/", (72, 695, 150, 712), "Our website, example.org")
    canv.showPage()
    tagger.write(canv._doc, canv._doc.Pages.pages, "Links")
    canv.save()
    data = out.getvalue()
    pdf = pikepdf.open(io.BytesIO(data))
    annot = pdf.pages[0].Annots[0]
    element = _elements(pdf, "/Link")[0]
    objr = next(k for k in element.K if isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/OBJR")
    assert objr.Obj.objgen == annot.objgen and str(annot.Contents) == "Our website, example.org"
    nums = list(pdf.Root.StructTreeRoot.ParentTree.Nums)
    assert nums[nums.index(int(annot.StructParent)) + 1].objgen == element.objgen
    report = page.validate_pdf_bytes(data, profile="ua1")
    assert report.is_compliant, sorted({f.rule_id for f in report.failures})
    assert pdfua_findings(data, tmp_path) == ""
