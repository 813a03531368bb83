"""The key points box (issue 16, part 1): "Most important things to know", 3 to 5 short
items at the top of page 1, before the first section, in every shipped language; counted
in readability; translated, fingerprinted and checked like other text; dropped or required
by a layout; and every bad ``key_points`` an exact ``file:line:col`` error."""

from __future__ import annotations

import shutil
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import tagcheck
import yaml
from pages import read_lines
from reading import chars, fold, render
from test_errors import assert_build_fails, assert_validate_fails, build, change, invoke
from test_errors import content as content  # noqa: F401 (the fixture: a private copy of testamine)

from handouts import build as pipeline
from handouts import readability
from handouts.colors import CALLOUT_TINT, tint
from handouts.library import Library
from handouts.model import plain
from handouts.scripts import script_for
from handouts.skeleton import medicine_skeleton
from handouts.translate import source_of

REPO = Path(__file__).resolve().parents[1]
LANGS = sorted(p.stem for p in (REPO / "content" / "medicines" / "baclofen").glob("*.yaml"))
LIBRARY = Library.with_content(None)
TITLES = {
    lang: yaml.safe_load((REPO / "content" / "strings" / f"{lang}.yaml").read_text(encoding="utf-8"))["key_points"]
    for lang in LANGS
}
KEY_POINTS = """key_points:
  - Never stop it all at once.
  - Take it just the way your doctor says.
  - "Call {{ facts.emergency_number }} if you cannot breathe."
"""


def prepare(lang: str, level: str = "easy", layout: Path | None = None, paper: str = "letter"):
    return pipeline.prepare(LIBRARY, pipeline.Request("baclofen", lang, level, layout=layout, paper=paper))


def test_every_shipped_language_has_a_title_and_key_points():
    assert len(LANGS) == 8
    for lang in LANGS:
        for level in ("easy", "standard", "detailed"):
            handout = prepare(lang, level)
            assert handout.key_points is not None
            assert handout.key_points.title == TITLES[lang]
            assert 3 <= len(handout.key_points.items) <= 5


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_box_on_page_one_before_the_first_section(lang, paper):
    """Every line of the PDF read back and matched to the block it prints: the box's
    title and each item, in order, on page 1, after the summary and before the first
    section's heading; facts and the brand's number are filled in."""
    handout = prepare(lang, paper=paper)
    assert handout.key_points is not None
    found, lines = read_lines(handout, render(handout))
    kinds = [u.kind for u in found]
    box = kinds.index("summary") + 1
    assert found[box].kind == "label" and found[box].text == fold(handout.key_points.title, script_for(lang).rtl)
    items = range(box + 1, box + 1 + len(handout.key_points.items))
    assert all(found[i].kind == "item" and found[i].box == found[box].box for i in items)
    assert found[items[-1] + 1].kind == "heading"  # the first section
    printed = [line for line in lines if line.unit is not None]
    assert [line.unit for line in printed] == sorted(line.unit for line in printed)  # reading order
    assert {line.page for line in printed if box <= line.unit <= items[-1]} == {0}
    assert "{{" not in "".join(line.text for line in printed)


@pytest.mark.parametrize("lang", ["en", "es", "ru"])
def test_box_is_above_the_first_heading_and_drawn(lang):
    """Positions: the box's title stands above its first item, which stands above the
    first section's heading; the box's tinted background is drawn behind the items."""
    handout = prepare(lang)
    assert handout.key_points is not None
    data = render(handout).data
    page = [c for c in chars(data)[0] if c.text.strip()]
    text = "".join(c.text for c in page)

    def top_of(needle: str) -> float:
        i = text.find("".join(needle.split()))
        assert i >= 0, needle
        return page[i].top

    title = top_of(handout.key_points.title)
    first = top_of(plain(handout.key_points.items[0]))
    heading = top_of(handout.sections[0].title)
    assert title > first > heading  # PDF y grows upwards

    pdf_page = pdfium.PdfDocument(data)[0]
    image = pdf_page.render(scale=1).to_pil().convert("RGB")
    start = text.find("".join(plain(handout.key_points.items[0]).split()))
    box_x = round(page[start].left) - 30  # in the box, left of the bullet
    box_y = round(pdf_page.get_height() - page[start].bottom) + 2
    expected = tint(handout.brand.primary, CALLOUT_TINT).lstrip("#")
    pixel = image.getpixel((box_x, box_y))
    assert all(abs(a - int(expected[i : i + 2], 16)) <= 2 for i, a in zip((0, 2, 4), pixel, strict=True)), pixel


def test_key_points_are_counted_in_readability():
    """The key points are a part of their own in the report, and their words are in the
    level's total."""
    with_points = readability.measure(prepare("en"))
    names = [name for name, _ in with_points.sections]
    assert names[0] == readability.KEY_POINTS
    without = readability.measure(prepare("en", layout=REPO / "content" / "layouts" / "essentials.yaml"))
    assert with_points.total is not None and without.total is not None
    points = dict(with_points.sections)[readability.KEY_POINTS]
    handout = prepare("en")
    assert handout.key_points is not None
    assert points.words == sum(len(readability.words(plain(item))) for item in handout.key_points.items)


def test_layout_may_omit_them(tmp_path):
    layout = tmp_path / "short.yaml"
    required = ("what_it_is", "how_to_take", "do_not_stop", "side_effects", "buying_online")
    layout.write_text("key_points: omit\nsections:\n" + "".join(f"  - {s}\n" for s in required))
    handout = prepare("es", layout=layout)
    assert handout.key_points is None
    page1 = "".join(c.text for c in chars(render(handout).data)[0])
    assert "".join(TITLES["es"].split()) not in "".join(page1.split())


def test_translate_init_writes_them_with_fingerprints():
    """The skeleton has a key_points unit per level: a list of empty items, each under the
    source text as a comment, and the fingerprint of the source list."""
    source = yaml.safe_load((REPO / "content" / "medicines" / "baclofen" / "en.yaml").read_text(encoding="utf-8"))
    doc = source_of(LIBRARY, "baclofen", "en").doc
    text = medicine_skeleton(doc, "fr", {}, "2026-11-29")
    skeleton = yaml.safe_load(text)
    assert skeleton["key_points"]["easy"]["list"] == [""] * len(source["key_points"]["easy"])
    es = yaml.safe_load((REPO / "content" / "medicines" / "baclofen" / "es.yaml").read_text(encoding="utf-8"))
    for level in ("easy", "standard", "detailed"):
        assert skeleton["key_points"][level]["src"] == es["key_points"][level]["src"]  # es is current
    assert f"# en: {source['key_points']['easy'][0].split()[0]}" in text


def test_translate_status_has_a_key_points_row():
    result = invoke("translate", "status", "baclofen")
    assert result.exit_code == 0, result.output
    rows = [line.split() for line in result.stdout.splitlines() if "(key points)" in line]
    assert sorted(row[1] for row in rows) == [lang for lang in LANGS if lang != "en"]
    assert all(row[-4:] == ["complete"] * 3 + ["required"] for row in rows)  # built into every handout


# --- bad key points: one change, one exact message -------------------------------------

M = "content/medicines/testamine/en.yaml"
SUMMARY = "summary: A short test leaflet about a made-up medicine.\n"


@pytest.mark.parametrize("command", ["build", "validate"])
@pytest.mark.parametrize(
    "points, expected",
    [
        pytest.param(
            KEY_POINTS + "  - Keep it dry.\n  - Keep it cool.\n  - Keep it away from children.\n",
            f"{M}:10:3: error: 6 key points; write 3 to 5 short items (the most important things a patient "
            "must do or watch for) (at key_points)",
            id="too-many",
        ),
        pytest.param(
            "key_points:\n  - Never stop it all at once.\n  - Take it as your doctor says.\n",
            f"{M}:10:3: error: 2 key points; write 3 to 5 short items (the most important things a patient "
            "must do or watch for) (at key_points)",
            id="too-few",
        ),
        pytest.param(
            KEY_POINTS.replace("Take it just the way your doctor says.", "Take it. " * 23),
            f"{M}:11:5: error: a key point of 206 characters; at most 200: keep it short, the details belong "
            "in the sections (at key_points[1])",
            id="too-long",
        ),
        pytest.param(
            "key_points:\n  easy: [One., Two., Three.]\n  standard: [One., Two., Three.]\n",
            f"{M}:10:3: error: missing required key 'detailed' (at key_points)\n"
            "  hint: add 'detailed:' here; see docs/authoring.md",
            id="level-missing",
        ),
        pytest.param(
            "key_points: Never stop it.\n",
            f"{M}:9:13: error: expected a list (lines starting with '- '), found text ('Never stop it.') "
            "(at key_points)",
            id="not-a-list",
        ),
    ],
)
def test_bad_key_points(content, command, points, expected):
    change(content / "medicines" / "testamine" / "en.yaml", SUMMARY, SUMMARY + points)
    if command == "build":
        assert_build_fails(content, expected)
    else:
        assert_validate_fails(content, "medicines/testamine/en.yaml", expected)


def test_a_fact_typed_in_a_key_point_is_refused(content):
    """Key points get the checks of other source text: a dose is a fact, not typed."""
    typed = KEY_POINTS.replace("Call {{ facts.emergency_number }}", "Take 20 mg")
    change(content / "medicines" / "testamine" / "en.yaml", SUMMARY, SUMMARY + typed)
    result, _ = build(content)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{M}:12:11: error: number '20' written in the text (at key_points[2])\n")


def test_strings_without_a_title(content):
    change(content / "medicines" / "testamine" / "en.yaml", SUMMARY, SUMMARY + KEY_POINTS)
    change(content / "strings" / "en.yaml", "key_points: Most important things to know\n", "")
    assert_build_fails(
        content,
        f"{M}:9:1: error: the interface strings of 'en' have no title for the key points box (at key_points)\n"
        "  hint: add 'key_points: ...' (e.g. Most important things to know) to strings/en.yaml",
    )


def test_layout_requires_them(content):
    (content / "layouts").mkdir()
    sections = ["what_it_is", "how_to_take", "side_effects", "do_not_stop", "buying_online"]
    (content / "layouts" / "mine.yaml").write_text(
        "key_points: require\nsections:\n" + "".join(f"  - {s}\n" for s in sections)
    )
    assert_build_fails(
        content,
        "content/layouts/mine.yaml:1:13: error: this layout requires key points, but 'testamine' (en) has none "
        "(at key_points)\n  hint: add key_points: to en.yaml, or use 'key_points: include'",
        "--layout",
        "mine",
    )
    change(content / "medicines" / "testamine" / "en.yaml", SUMMARY, SUMMARY + KEY_POINTS)
    result, out = build(content, "--layout", "mine")
    assert result.exit_code == 0, result.stderr
    assert (out / "handout.pdf").is_file()


def test_translation_with_a_different_count(tmp_path, monkeypatch):
    """A translation has one item per source item: dropping one is an error at its list."""
    root = tmp_path / "content"
    for part in ("medicines", "strings", "brands/default"):
        shutil.copytree(REPO / "content" / part, root / part)
    es = root / "medicines" / "baclofen" / "es.yaml"
    text = es.read_text(encoding="utf-8")
    drop = '      - "Tómelo tal como le diga su médico. No cambie la dosis por su cuenta."\n'
    assert text.count(drop) == 1
    es.write_text(text.replace(drop, ""), encoding="utf-8")
    lines = text.splitlines()
    start = lines.index("key_points:")
    at = next(i for i in range(start, len(lines)) if lines[i].startswith("      - ")) + 1  # the list's first item
    monkeypatch.chdir(tmp_path)
    result = invoke("--content", root, "build", "baclofen", "--lang", "es", "--level", "easy", "-o", tmp_path / "x.pdf")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"content/medicines/baclofen/es.yaml:{at}:7: error: 3 key points here but 4 in the source "
        "(at key_points.easy.list)\n  hint: translate each source key point as one item, in the same order\n"
    )
    assert not (tmp_path / "x.pdf").exists()


def test_primary_colour_readable_on_the_box(content):
    """The box's title is the brand's primary colour on its 90% tint: a primary that
    passes on white paper but not on the box is refused, once, for the box."""
    change(content / "brands" / "default" / "brand.yaml", '"#1F4E79"', '"#707070"')
    assert_validate_fails(
        content,
        "brands/default/brand.yaml",
        "content/brands/default/brand.yaml:6:13: error: colour #707070 gives the title of the key points box a "
        "contrast of 4.38:1; at least 4.5:1 is needed (at colors.primary)\n"
        "  hint: pick a darker shade: leaflets are printed on black-and-white lasers",
    )


@pytest.mark.parametrize("lang", ["en", "ar", "zh-Hans"])
def test_box_is_tagged_as_a_section_with_a_heading_and_a_list(lang):
    """Tagged PDF: the box is a Sect before the sections', its title an H2, its items
    L/LI (Lbl bullet, LBody text), as the tree read back from the PDF shows."""
    handout = prepare(lang)
    assert handout.key_points is not None
    wanted = tagcheck.expected(handout)
    at = wanted.index((2, "/H2", handout.key_points.title))
    assert wanted[at - 1] == (1, "/Sect", None) and wanted[at + 1] == (2, "/L", None)
    assert [w for w in wanted if w[1] == "/LBody"][: len(handout.key_points.items)] == [
        (4, "/LBody", plain(item)) for item in handout.key_points.items
    ]
    assert tagcheck.check(handout, render(handout).data) == []
