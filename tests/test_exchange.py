"""translate export / import: XLIFF 1.2 and PO round trips of every shipped language, a
file edited the way a CAT tool edits it, translate-toolkit's own checks on what we
export, stale units with their earlier English, and refused imports that write nothing."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree
from translate.storage import pypo

from handouts.cli import main
from handouts.translate import fingerprint

REPO = Path(__file__).parents[1]
LANGS = ("ar", "es", "hi", "ko", "ru", "vi", "zh-Hans")
X = "{urn:oasis:names:tc:xliff:document:1.2}"


@pytest.fixture
def shipped(tmp_path: Path) -> Path:
    """A private copy of the shipped content, its templates inside it (a --content folder
    searched first, so every file read or written is the copy's)."""
    shutil.copytree(REPO / "content", tmp_path / "content")
    shutil.copytree(REPO / "templates", tmp_path / "content" / "templates")
    return tmp_path


def invoke(runner, shipped: Path, *args: str):
    return runner.invoke(main, ["--content", str(shipped / "content"), *args])


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*.yaml"))
    }


@pytest.mark.parametrize("fmt", ["xliff", "po"])
@pytest.mark.parametrize("lang", LANGS)
def test_export_then_import_unchanged_is_byte_identical(runner, shipped, lang, fmt):
    before = digest(shipped)
    out = shipped / f"x.{'xlf' if fmt == 'xliff' else 'po'}"
    exported = invoke(
        runner, shipped, "translate", "export", "baclofen", "--lang", lang, "--format", fmt, "-o", str(out)
    )
    assert exported.exit_code == 0, exported.output
    units = int(re.search(r"(\d+) units", exported.output).group(1))
    assert units > 300  # medicine, both shared templates and the interface strings
    imported = invoke(runner, shipped, "translate", "import", str(out))
    assert imported.exit_code == 0, imported.output
    assert f"{units} units read, 0 changed: nothing to write" in imported.output
    assert digest(shipped) == before


def _xliff(path: Path) -> etree._ElementTree:
    return etree.parse(str(path))


def _unit(tree: etree._ElementTree, file: str, uid: str) -> etree._Element:
    return tree.find(f".//{X}file[@original='{file}']//{X}trans-unit[@id='{uid}']")


def test_xliff_has_protected_placeholders_bold_notes_states_and_lengths(runner, shipped):
    out = shipped / "es.xlf"
    invoke(runner, shipped, "translate", "export", "baclofen", "--lang", "es", "-o", str(out))
    tree = _xliff(out)
    assert tree.getroot().get("version") == "1.2"
    unit = _unit(tree, "medicines/baclofen/es.yaml", "sections.what_it_is.body.easy.0.p")
    ph = unit.find(f"{X}source/{X}ph")
    assert (ph.get("id"), ph.get("equiv-text"), ph.text) == ("1", "{{ medicine.name }}", "{{ medicine.name }}")
    assert unit.find(f"{X}target/{X}ph").get("id") == "1"
    assert unit.find(f"{X}target").get("state") == "translated"
    note = unit.find(f"{X}note").text
    assert "section what_it_is (required)" in note and "reading level easy: Szigriszt-Pazos" in note
    bold = tree.xpath("//x:source/x:g[@ctype='bold']", namespaces={"x": X[1:-1]})
    assert bold and bold[0].text  # **Titration:** and the like as paired codes around words
    page = _unit(tree, "strings/es.yaml", "page")
    assert page.get("maxwidth") == "60" and page.get("size-unit") == "char"
    assert [p.get("equiv-text") for p in page.find(f"{X}source")] == ["{page}", "{pages}"]


def test_po_has_brace_fields_flags_and_context(runner, shipped):
    out = shipped / "es.po"
    invoke(runner, shipped, "translate", "export", "baclofen", "--lang", "es", "--format", "po", "-o", str(out))
    store = pypo.pofile.parsestring(out.read_bytes())
    entry = next(
        u for u in store.units if u.getcontext() == "medicines/baclofen/es.yaml#sections.what_it_is.body.easy.0.p"
    )
    assert entry.source == "{medicine.name} is a medicine that helps tight muscles relax."
    assert entry.target.startswith("{medicine.name} ")
    assert entry.hastypecomment("python-brace-format")
    page = next(u for u in store.units if u.getcontext() == "strings/es.yaml#page")
    assert page.hastypecomment("max-length:60") and page.source == "Page {page} of {pages}"


def _pofilter(exported: Path, failed: Path) -> str:
    """translate-toolkit's own checks of placeholders and markup; the entries that fail."""
    checks = ["-t", "variables", "-t", "pythonbraceformat", "-t", "xmltags", "-t", "escapes", "-t", "newlines"]
    pofilter = Path(sys.executable).with_name("pofilter")
    command = [str(pofilter), "--progress=none", *checks, "-i", str(exported), "-o", str(failed)]
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return failed.read_text(encoding="utf-8") if failed.exists() else ""  # pofilter writes only failures


@pytest.mark.parametrize("lang", LANGS)
def test_translate_toolkit_checks_pass_on_exported_files(runner, shipped, lang, tmp_path):
    """pofilter's placeholder checks on the XLIFF and the PO pass. The one thing it may
    report in PO is a form of the medicine's name the sentence needs (Russian accusative
    for the source's name_in_sentence), which our QA counts as the same variable and a
    brace-format check cannot: every entry it flags is about those forms and nothing else."""
    for fmt, suffix in (("po", "po"), ("xliff", "xlf")):
        exported = shipped / f"b.{suffix}"
        args = ("translate", "export", "baclofen", "--lang", lang, "--format", fmt, "-o", str(exported))
        result = invoke(runner, shipped, *args)
        assert result.exit_code == 0, result.output
        found = _pofilter(exported, tmp_path / f"failed.{suffix}")
        flagged = re.findall(r"\(pofilter\) ([^\n]*)", found)
        assert len(flagged) == found.count("pofilter")  # every failure is read here
        if fmt == "xliff":
            assert not flagged, found[:3000]
        else:
            in_po = flagged
        for message in flagged:
            names = re.findall(r"\{([a-z_.]+)\}", message)
            assert message.startswith("pythonbraceformat:") and names, message
            assert all(re.fullmatch(r"medicine\.name(_in_sentence|_accusative|_genitive)?", n) for n in names), message
    if lang == "ru":
        assert in_po  # the Russian accusative and genitive are there to be reported


def test_translate_toolkit_converts_our_po(runner, shipped, tmp_path):
    """po2xliff reads the exported PO: one XLIFF unit per entry (and one for the header)."""
    exported = shipped / "b.po"
    invoke(runner, shipped, "translate", "export", "baclofen", "--lang", "es", "--format", "po", "-o", str(exported))
    converted = tmp_path / "conv.xlf"
    po2xliff = Path(sys.executable).with_name("po2xliff")
    assert subprocess.run([str(po2xliff), "--progress=none", str(exported), str(converted)]).returncode == 0
    entries = [u for u in pypo.pofile.parsestring(exported.read_bytes()).units if not u.isheader()]
    units = _xliff(converted).getroot().findall(".//{*}trans-unit")
    assert len(units) == len(entries) + 1 > 300


def test_a_cat_tool_edit_comes_back_right(runner, shipped):
    """Targets retyped, a placeholder moved, a state changed, a bold span kept: the YAML
    gets the new text with the variables as written, comments and order untouched."""
    out = shipped / "es.xlf"
    invoke(runner, shipped, "translate", "export", "baclofen", "--lang", "es", "-o", str(out))
    tree = _xliff(out)
    unit = _unit(tree, "medicines/baclofen/es.yaml", "sections.what_it_is.body.easy.0.p")
    target = unit.find(f"{X}target")
    ph = target.find(f"{X}ph")
    target.remove(ph)
    target.text = "Este medicamento, "
    target.append(ph)  # the placeholder moved to the end, intact
    ph.tail = ", relaja los músculos tensos."
    target.set("state", "final")
    tree.write(str(out), xml_declaration=True, encoding="UTF-8")
    path = shipped / "content" / "medicines" / "baclofen" / "es.yaml"
    before = path.read_text(encoding="utf-8").splitlines()
    result = invoke(runner, shipped, "translate", "import", str(out))
    assert result.exit_code == 0, result.output
    assert "1 changed" in result.output
    after = path.read_text(encoding="utf-8").splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert changed == [
        (
            '        - p: "{{ medicine.name }} es un medicamento que ayuda a relajar los músculos tensos."',
            '        - p: "Este medicamento, {{ medicine.name }}, relaja los músculos tensos."',
        )
    ]
    assert invoke(runner, shipped, "validate", str(path)).exit_code == 0


def test_a_new_language_goes_out_and_comes_back_through_po(runner, shipped):
    """fr does not exist: export gives every unit as new; a tool fills each msgstr (the
    fields kept, some moved); the import writes the medicine, both templates and the
    strings, and the translation is complete."""
    out = shipped / "fr.po"
    result = invoke(
        runner, shipped, "translate", "export", "baclofen", "--lang", "fr", "--format", "po", "-o", str(out)
    )
    assert result.exit_code == 0, result.output
    store = pypo.pofile.parsestring(out.read_bytes())
    for entry in store.units:
        if entry.isheader():
            continue
        assert not entry.target
        fields = re.findall(r"(?<!\{)\{[a-z_.]+\}(?!\})", entry.source)
        words = re.sub(r"(?<!\{)\{[a-z_.]+\}(?!\})", "", entry.source)
        entry.target = "FR " + words + " ".join(reversed(fields))  # every field kept, order changed
    out.write_bytes(bytes(store))
    imported = invoke(runner, shipped, "translate", "import", str(out))
    assert imported.exit_code == 0, imported.output
    for name in (
        "content/medicines/baclofen/fr.yaml",
        "content/templates/do_not_stop_suddenly/fr.yaml",
        "content/strings/fr.yaml",
    ):
        assert (shipped / name).is_file(), imported.output
    text = (shipped / "content/medicines/baclofen/fr.yaml").read_text(encoding="utf-8")
    assert "# en: What is baclofen?" in text and 'text: "FR What is baclofen?"' in text
    status = invoke(runner, shipped, "translate", "status", "baclofen")
    assert re.search(r"baclofen\s+fr\s+\(title\)\s+complete\s+complete\s+complete\s+required", status.output)


def _change_english(shipped: Path) -> tuple[str, str]:
    path = shipped / "content" / "medicines" / "baclofen" / "en.yaml"
    old = "Take it just the way your doctor tells you."
    new = "Take it just the way your doctor says."
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    return old, new


def test_stale_units_are_needs_review_and_fuzzy_with_the_earlier_english(runner, shipped):
    old, new = _change_english(shipped)
    uid = "sections.how_to_take.body.easy.0.p"
    out = shipped / "es.xlf"
    invoke(runner, shipped, "translate", "export", "baclofen", "--lang", "es", "-o", str(out))
    unit = _unit(_xliff(out), "medicines/baclofen/es.yaml", uid)
    assert unit.find(f"{X}target").get("state") == "needs-review-translation"
    alt = unit.find(f"{X}alt-trans")
    assert alt.get("alttranstype") == "previous-version" and alt.find(f"{X}source").text == old
    assert unit.find(f"{X}source").text == new
    po = shipped / "es.po"
    invoke(runner, shipped, "translate", "export", "baclofen", "--lang", "es", "--format", "po", "-o", str(po))
    entry = next(u for u in pypo.pofile.parsestring(po.read_bytes()).units if u.getcontext().endswith(uid))
    assert entry.isfuzzy() and entry.prev_source == old
    assert f'#| msgid "{old}"' in po.read_text(encoding="utf-8")
    # unchanged: still stale, byte-identical; confirmed: src becomes the new fingerprint
    before = digest(shipped)
    assert invoke(runner, shipped, "translate", "import", str(po)).exit_code == 0
    assert digest(shipped) == before
    text = po.read_text(encoding="utf-8")
    start = text.index(f'msgctxt "medicines/baclofen/es.yaml#{uid}"')
    head = text.rindex("#, fuzzy", 0, start)
    po.write_text(text[:head] + text[head:start].replace("#, fuzzy\n", "", 1) + text[start:], encoding="utf-8")
    result = invoke(runner, shipped, "translate", "import", str(po))
    assert result.exit_code == 0, result.output
    es = (shipped / "content/medicines/baclofen/es.yaml").read_text(encoding="utf-8")
    assert f'src: "{fingerprint(new)}"' in es and f'src: "{fingerprint(old)}"' not in es


def _refused(runner, shipped: Path, out: Path, *needles: str) -> None:
    before = digest(shipped)
    result = invoke(runner, shipped, "translate", "import", str(out))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    for needle in needles:
        assert needle in result.output, result.output
    assert digest(shipped) == before


def test_broken_placeholder_missing_and_unknown_units_write_nothing(runner, shipped):
    out = shipped / "es.xlf"
    invoke(runner, shipped, "translate", "export", "baclofen", "--lang", "es", "-o", str(out))
    tree = _xliff(out)
    unit = _unit(tree, "medicines/baclofen/es.yaml", "sections.what_it_is.body.easy.0.p")
    unit.find(f"{X}target/{X}ph").set("id", "9")
    gone = _unit(tree, "templates/do_not_stop_suddenly/es.yaml", "title.easy.text")
    gone.getparent().remove(gone)
    stray = _unit(tree, "strings/es.yaml", "page")
    stray.set("id", "pages")
    tree.write(str(out), xml_declaration=True, encoding="UTF-8")
    lines = out.read_text(encoding="utf-8").splitlines()
    line = next(i for i, t in enumerate(lines, 1) if 'id="sections.what_it_is.body.easy.0.p"' in t)
    _refused(
        runner, shipped, out,
        f"es.xlf:{line}:0: error: unit medicines/baclofen/es.yaml#sections.what_it_is.body.easy.0.p: "
        "placeholder id '9' is not one of the source's (1)",
        "unit templates/do_not_stop_suddenly/es.yaml#title.easy.text is missing from the file",
        "unknown unit 'strings/es.yaml#pages'",
    )  # fmt: skip


def test_a_changed_number_is_refused_at_its_unit_and_line(runner, shipped):
    """One bad unit among 339: the QA of validate finds it, nothing is written."""
    out = shipped / "es.po"
    invoke(runner, shipped, "translate", "export", "baclofen", "--lang", "es", "--format", "po", "-o", str(out))
    store = pypo.pofile.parsestring(out.read_bytes())
    entry = next(u for u in store.units if "Tómelo tal como le diga su médico." == str(u.target))
    entry.target = "Tome 2 tal como le diga su médico."  # a number the source does not have
    out.write_bytes(bytes(store))
    line = next(i for i, t in enumerate(out.read_text().splitlines(), 1) if t == f'msgctxt "{entry.getcontext()}"')
    _refused(runner, shipped, out, f"es.po:{line}:0: error: unit {entry.getcontext()}: numbers differ from the source")


def test_unknown_po_field_is_refused(runner, shipped):
    out = shipped / "es.po"
    invoke(runner, shipped, "translate", "export", "baclofen", "--lang", "es", "--format", "po", "-o", str(out))
    text = out.read_text(encoding="utf-8")
    assert '"{medicine.name} es un medicamento' in text
    out.write_text(text.replace('"{medicine.name} es un', '"{medicine.nmae} es un', 1), encoding="utf-8")
    _refused(runner, shipped, out, "placeholder {medicine.nmae} is not in the source")


def test_same_as_source_travels_and_silences_the_identical_warning(runner, shipped):
    """Vietnamese keeps the name Baclofen on purpose (same_as_source: true in vi.yaml)."""
    path = shipped / "content/medicines/baclofen/vi.yaml"
    assert invoke(runner, shipped, "validate", str(path)).output.count("identical to the source") == 0
    po = shipped / "vi.po"
    invoke(runner, shipped, "translate", "export", "baclofen", "--lang", "vi", "--format", "po", "-o", str(po))
    entry = next(u for u in pypo.pofile.parsestring(po.read_bytes()).units if u.getcontext().endswith("#name.text"))
    assert entry.hastypecomment("ignore-same")
    xlf = shipped / "vi.xlf"
    invoke(runner, shipped, "translate", "export", "baclofen", "--lang", "vi", "-o", str(xlf))
    unit = _unit(_xliff(xlf), "medicines/baclofen/vi.yaml", "name.text")
    assert [n.text for n in unit.findall(f"{X}note[@from='flags']")] == ["ignore-same"]
    # the translator drops the flag: the YAML loses it, and validate warns again
    po.write_text(po.read_text(encoding="utf-8").replace("#, ignore-same\n", "", 1), encoding="utf-8")
    result = invoke(runner, shipped, "translate", "import", str(po))
    assert result.exit_code == 0, result.output
    assert "same_as_source" not in path.read_text(encoding="utf-8")
    assert "text is identical to the source" in invoke(runner, shipped, "validate", str(path)).output


def test_a_section_the_yaml_never_had_is_created_from_the_skeleton(runner, shipped):
    """es.yaml without its optional 'storage' section: export gives its units as new, and
    the import writes the section where `translate init` puts it, with fingerprints."""
    path = shipped / "content/medicines/baclofen/es.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = lines.index("  storage:\n")
    end = lines.index("  brands_and_forms:\n")
    path.write_text("".join(lines[:start] + lines[end:]), encoding="utf-8")
    out = shipped / "es.po"
    invoke(runner, shipped, "translate", "export", "baclofen", "--lang", "es", "--format", "po", "-o", str(out))
    store = pypo.pofile.parsestring(out.read_bytes())
    filled = 0
    for entry in store.units:
        if "#sections.storage." in entry.getcontext():
            assert not entry.target
            entry.target = "ES " + entry.source
            filled += 1
    assert filled > 10
    out.write_bytes(bytes(store))
    result = invoke(runner, shipped, "translate", "import", str(out))
    assert result.exit_code == 0, result.output
    assert f"{filled} changed" in result.output
    text = path.read_text(encoding="utf-8")
    assert text.index("  storage:\n") < text.index("  brands_and_forms:\n")
    assert 'text: "ES Storing' in text or '- p: "ES ' in text
    status = invoke(runner, shipped, "translate", "status", "baclofen")
    assert re.search(r"baclofen\s+es\s+storage\s+complete\s+complete\s+complete", status.output), status.output
