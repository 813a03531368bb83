"""The render state has one owner: a ``RenderCache`` the caller makes and passes to every
render. Separate caches give the same bytes, every cache is bounded, and reportlab is
changed only when the first cache is made, once."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from reportlab import rl_config
from reportlab.pdfbase import ttfonts

from handouts import coverage, fonts
from handouts.build import Request, prepare, render
from handouts.content import Library
from handouts.pdf import RenderCache, engine
from handouts.pdf.ink import Ink

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = Library()


def baclofen(lang: str, level: str = "standard", paper: str = "letter"):
    return prepare(LIBRARY, Request("baclofen", lang, level, paper=paper))


def test_separate_caches_give_the_same_bytes():
    """A handout rendered with a fresh cache, and with a cache that has already rendered
    other handouts in other scripts, is the same PDF, byte for byte."""
    handouts = [baclofen(lang) for lang in ("ar", "en", "hi", "zh-Hans")]
    alone = [render(h, RenderCache()).data for h in handouts]
    busy = RenderCache()
    for h in reversed(handouts):
        render(h, busy)
    assert [render(h, busy).data for h in handouts] == alone
    assert len(busy.paragraphs) and len(busy.shaped)


def test_a_cache_is_bounded_by_the_characters_it_holds():
    """Every kind of kept layout stays under the cap, however many handouts pass through;
    what it keeps still gives the same bytes."""
    cap = 3000
    capped, roomy = RenderCache(kept_chars=cap), RenderCache()
    for lang in ("en", "ar", "ru", "hi"):
        for level in ("easy", "standard", "detailed"):
            h = baclofen(lang, level)
            assert render(h, capped).data == render(h, roomy).data
            assert 0 < capped.paragraphs.currsize <= cap and capped.shaped.currsize <= cap
    assert roomy.paragraphs.currsize > 10 * cap and roomy.shaped.currsize > 10 * cap


def test_glyph_codes_are_given_back_between_documents(monkeypatch):
    """The private codes of shaped glyphs are bounded: over the limit, they are all given
    back before the next document (never inside one), which changes no byte."""
    cache = RenderCache()
    h = baclofen("ar")
    expected = render(h, cache).data
    used = len(cache.engine.codes)
    monkeypatch.setattr(cache.engine.codes, "limit", 10)
    for _ in range(2):
        assert render(h, cache).data == expected
        assert 10 < len(cache.engine.codes) <= used  # this document's own codes, made afresh


def _reportlabs_own_drawing(ink, canv, run, size, x, y):
    """How ShapedText drew a run before ink.py: reportlab's text object, glyph by glyph."""
    face = ink.engine.register(run.face)
    text = "".join(chr(ink.engine.codes.code(face, g)) for g in run.glyphs)
    shape = [ttfonts.ShapeData(i, g.advance, 0, g.dx, g.dy, g.width) for i, g in enumerate(run.glyphs)]
    tx = canv.beginText(x, y)
    tx.setFont(face, size)
    tx.textOut(ttfonts.ShapedStr(text, shape))
    canv.drawText(tx)


def test_kept_run_operators_are_the_bytes_reportlab_writes(monkeypatch):
    """Shaped runs drawn from their kept operators (ink.py), in a cache that drew them
    before in other handouts, give the PDF reportlab's own text objects give."""
    handouts = [baclofen(lang, level) for lang in ("ar", "hi", "zh-Hans", "ko") for level in ("easy", "detailed")]
    handouts.append(prepare(LIBRARY, Request("baclofen", "ar", "standard", large_print=True)))
    kept = RenderCache()
    for h in reversed(handouts):
        render(h, kept)
    drawn_again = [render(h, kept).data for h in handouts]
    assert len(kept.ink) > 1000  # the runs of nine handouts, kept
    with monkeypatch.context() as patch:
        patch.setattr(Ink, "draw", _reportlabs_own_drawing)
        assert drawn_again == [render(h, RenderCache()).data for h in handouts]


def test_logos_are_decoded_once_and_bounded(tmp_path):
    logo = (ROOT / "content/brands/default/logo.png").read_bytes()
    first, second = tmp_path / "a.png", tmp_path / "b.png"
    first.write_bytes(logo)
    second.write_bytes(logo)
    cache = RenderCache(logos=1)
    kept = cache.logo(first)
    assert cache.logo(first) is kept  # decoded once
    cache.logo(second)
    assert cache.logo(first) is not kept  # one logo kept: the first was dropped


IMPORTS_CHANGE_NOTHING = """
from reportlab import rl_config
from reportlab.pdfbase import ttfonts
original = ttfonts.makeToUnicodeCMap
import handouts.build, handouts.cli, handouts.pdf, handouts.worker
assert rl_config.useA85 == 1, "importing changed rl_config.useA85"
assert ttfonts.makeToUnicodeCMap is original, "importing replaced makeToUnicodeCMap"
handouts.pdf.RenderCache()
assert rl_config.useA85 == 0 and ttfonts.makeToUnicodeCMap is not original
print("ok")
"""


def test_importing_the_renderer_changes_nothing_in_reportlab():
    """In a fresh process: importing the package leaves reportlab as it is; making the
    first RenderCache installs our two changes."""
    run = subprocess.run(
        [sys.executable, "-c", IMPORTS_CHANGE_NOTHING], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert run.stdout.strip() == "ok", run.stderr


def test_installing_twice_changes_nothing_more():
    first = engine.setup()
    patched = ttfonts.makeToUnicodeCMap
    RenderCache()
    engine.install(first.codes)
    assert engine.setup() is first
    assert ttfonts.makeToUnicodeCMap is patched and rl_config.useA85 == 0
    cmap = ttfonts.makeToUnicodeCMap("F", [0x41])
    assert cmap.count("<00> <0041>") == 1


def test_memos_of_the_bundled_fonts_are_bounded(monkeypatch):
    """The clean-character memo (coverage) and the per-family code point memo (fonts)
    are emptied when full, so text full of rare characters cannot grow them."""
    monkeypatch.setattr(coverage, "CLEAN_MAX", 100)
    monkeypatch.setattr(fonts, "KNOWN_MAX", 100)
    rare = "".join(chr(cp) for cp in range(0x4E00, 0x4E00 + 1000))  # CJK ideographs, all printable
    for start in range(0, len(rare), 50):
        assert coverage.problems(rare[start : start + 50]) == []
        assert len(coverage._CLEAN) <= 100 + 50
    family = fonts.coverage("NotoSansSC")
    assert len(family._known) <= 100 + 1


def test_only_the_pdf_package_imports_reportlab():
    """reportlab stays confined to handouts/pdf/: the model, resolve, checks and batch
    code never touch it (an HTML renderer would then reuse all of them)."""
    package = ROOT / "handouts"
    found = []
    for path in sorted(package.rglob("*.py")):
        if path.is_relative_to(package / "pdf"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            found += [f"{path.relative_to(ROOT)}: {n}" for n in names if n.split(".")[0] == "reportlab"]
    assert found == []


VALIDATE = """
import sys
from click.testing import CliRunner
from handouts.cli import main
result = CliRunner().invoke(main, ["validate"])
print(result.exit_code, "reportlab" in sys.modules)
"""


def test_validate_never_imports_reportlab():
    """Commands that make no PDF skip reportlab's ~125 ms import (build._pdf is the one
    deferred import of the renderer)."""
    run = subprocess.run([sys.executable, "-c", VALIDATE], cwd=ROOT, capture_output=True, text=True, check=False)
    assert run.stdout.split() == ["0", "False"], run.stderr
