"""The translator workflow: init -> fill in -> validate/QA -> status -> build, on a copy of
the fictional 'testamine' so every test can edit files freely."""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import TEST_CONTENT
from pypdf import PdfReader

from handouts.cli import main
from handouts.content import Library, load_medicine, load_template
from handouts.loader import load_yaml
from handouts.resolve import fact_text
from handouts.schema import StringsFile
from handouts.skeleton import medicine_skeleton, template_skeleton
from handouts.translate import fingerprint

TEMPLATES = ("do_not_stop_suddenly", "online_pharmacy_safety")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A private copy of the test content (loaders cache by path: one copy per test)."""
    out = tmp_path / "content"
    shutil.copytree(TEST_CONTENT, out)
    return out


def cli(runner, root: Path, *args: str):
    return runner.invoke(main, ["--content", str(root), *args])


def write_translation(root: Path, planted: dict[str, str] | None = None, lang: str = "fr") -> Path:
    """A complete 'translation': every unit is the source text marked «FR», except the
    source texts listed in ``planted``, which get the given text instead."""
    planted = planted or {}

    def fill(text: str) -> str:
        return planted.get(text, "«FR» " + text)

    library = Library.with_content(root)
    source = load_medicine(library, library.medicine_path("testamine", "en")).doc
    facts = {key: fact_text(value, lang) for key, value in source.facts.items()}
    path = root / "medicines" / "testamine" / f"{lang}.yaml"
    path.write_text(medicine_skeleton(source, lang, facts, "2026-11-21", fill), encoding="utf-8")
    for name in TEMPLATES:
        template = load_template(library, library.template_path(name, "en")).doc
        target = root / "templates" / name / f"{lang}.yaml"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(template_skeleton(template, "en", lang, fill), encoding="utf-8")
    text = (Path(__file__).parents[1] / "content" / "strings" / "en.yaml").read_text(encoding="utf-8")
    (root / "strings").mkdir(exist_ok=True)
    (root / "strings" / f"{lang}.yaml").write_text(text.replace("lang: en", f"lang: {lang}"), encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def test_init_writes_a_skeleton_with_the_source_as_comments(runner, root):
    result = cli(runner, root, "translate", "init", "testamine", "--lang", "fr")
    assert result.exit_code == 0, result.output
    skeleton = root / "medicines" / "testamine" / "fr.yaml"
    text = skeleton.read_text(encoding="utf-8")
    lines = text.splitlines()
    at = lines.index("      # en: Testamine is a made-up medicine used only in tests.")
    assert lines[at + 1] == '      - p: ""'
    assert lines[at + 2] == f'        src: "{fingerprint("Testamine is a made-up medicine used only in tests.")}"'
    # facts print the French way (CLDR: a narrow no-break space before a unit symbol)
    assert "#   {{ facts.dose }} -> 20\u202fmg" in text
    assert "#   {{ facts.taper_period }} -> 4\u00a0semaines" in text
    assert "\nfacts:" not in text  # referenced, never retyped
    assert 'translation_of: "en"' in text
    for name in TEMPLATES:
        assert (root / "templates" / name / "fr.yaml").is_file()
    assert (root / "strings" / "fr.yaml").is_file()
    again = cli(runner, root, "translate", "init", "testamine", "--lang", "fr")
    assert again.exit_code == 2 and "a translation already exists" in again.output


def test_empty_skeleton_is_reported_unit_by_unit(runner, root):
    cli(runner, root, "translate", "init", "testamine", "--lang", "fr")
    skeleton = root / "medicines" / "testamine" / "fr.yaml"
    result = cli(runner, root, "validate", str(skeleton))
    assert result.exit_code == 2
    line = line_of(skeleton, '- p: ""')
    assert f"fr.yaml:{line}:" in result.output
    assert "error: not translated yet: section 'what_it_is', level easy" in result.output
    assert "hint: source text (en.yaml): Testamine is a made-up medicine used only in tests." in result.output


def test_unknown_language_code_is_refused(runner, root):
    result = cli(runner, root, "translate", "init", "testamine", "--lang", "xx-notalang")
    assert result.exit_code == 2 and "'xx-notalang' is not a language code CLDR knows" in result.output


def test_filled_translation_validates_builds_and_is_complete(runner, root, tmp_path):
    path = write_translation(root)
    result = cli(runner, root, "validate", str(path), str(root / "templates"))
    assert result.exit_code == 0, result.output
    status = cli(runner, root, "translate", "status", "testamine")
    assert status.exit_code == 0, status.output
    assert re.search(r"testamine\s+fr\s+what_it_is\s+complete\s+complete\s+complete", status.output)
    out = tmp_path / "fr.pdf"
    built = cli(runner, root, "build", "testamine", "--lang", "fr", "--level", "easy", "-o", str(out))
    assert built.exit_code == 0, built.output
    text = " ".join("\n".join(p.extract_text() for p in PdfReader(out).pages).split())
    assert "«FR» Testamine is a made-up medicine used only in tests." in text
    assert "«FR» Take 20 mg once a day with water." in text  # the fact, from the source file
    assert "4 semaines" in text  # a duration in French, through the shared template's parameter
    listed = cli(runner, root, "list")
    assert ["testamine", "fr", "easy", "draft", "2026-11-21"] in [line.split() for line in listed.output.splitlines()]


def test_status_shows_stale_after_the_source_changes_and_missing_when_blank(runner, root):
    path = write_translation(root)
    source = root / "medicines" / "testamine" / "en.yaml"
    source.write_text(
        source.read_text(encoding="utf-8").replace("used only in tests.", "used only in automated tests."),
        encoding="utf-8",
    )
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"«FR» A dry mouth."', '""'), encoding="utf-8")
    result = cli(runner, root, "translate", "status", "testamine", "--details")
    assert result.exit_code == 1
    assert re.search(r"what_it_is\s+stale\s+stale\s+stale", result.output)
    assert re.search(r"side_effects\s+missing\s+missing\s+missing", result.output)
    assert re.search(r"how_to_take\s+complete\s+complete\s+complete", result.output)
    new = fingerprint("Testamine is a made-up medicine used only in automated tests.")
    assert f'then set src: "{new}"' in result.output
    old = fingerprint("Testamine is a made-up medicine used only in tests.")
    assert f"fr.yaml:{line_of(path, 'src: ' + json.dumps(old))}:" in result.output


def test_status_details_name_a_shared_template_with_no_file_yet(runner, root):
    """Was: the matrix said "missing" and --details printed nothing about it."""
    write_translation(root)
    (root / "templates" / "online_pharmacy_safety" / "fr.yaml").unlink()
    result = cli(runner, root, "translate", "status", "testamine", "--details")
    assert result.exit_code == 1
    assert re.search(r"buying_online\s+missing\s+missing\s+missing", result.output)
    lines = result.output.splitlines()
    expected = (
        "templates/online_pharmacy_safety/fr.yaml: error: not translated yet: shared template "
        "'online_pharmacy_safety' (section 'buying_online') has no 'fr' file"
    )
    assert [line for line in lines if line.endswith(expected)] == [lines[0]]  # one line, not one per level
    assert lines[1].startswith("  hint: translate ") and lines[1].endswith(
        "templates/online_pharmacy_safety/en.yaml; 'translate init' writes a skeleton of it when it starts a "
        "medicine's translation"
    )


PLANTED = [  # source text, planted translation, expected messages, line to find (default: the planted text)
    pytest.param(
        "Take {{ facts.dose }} once a day with water.",
        "«FR» Take 200 mg once a day with water.",
        [
            "error: variables differ from the source: missing facts.dose",
            "error: numbers differ from the source: not in the source 200",
            "error: doses differ from the source: not in the source 200 mg",
        ],
        None,
        id="changed-dose",
    ),
    pytest.param(
        "Take {{ facts.dose }} once a day with water.",
        "«FR» Take the dose once a day with water.",
        ["error: variables differ from the source: missing facts.dose"],
        None,
        id="missing-variable",
    ),
    pytest.param(
        "Testamine is a made-up medicine used only in tests.",
        "Testamine is a made-up medicine used only in tests.",
        ["warning: text is identical to the source: not translated?"],
        None,
        id="untranslated",
    ),
    pytest.param(
        "Feeling sleepy.",
        "«FR» Feeling sleepy for 3 days.",
        ["error: numbers differ from the source: not in the source 3"],
        '"«FR» A dry mouth."',  # a list is one unit: reported at its first item
        id="added-number",
    ),
]


@pytest.mark.parametrize("source_text, planted, expected, needle", PLANTED)
def test_qa_catches_planted_errors(runner, root, source_text, planted, expected, needle):
    path = write_translation(root, {source_text: planted})
    result = cli(runner, root, "validate", str(path))
    line = line_of(path, needle or json.dumps(planted, ensure_ascii=False))
    for message in expected:
        assert f"fr.yaml:{line}:" in result.output and message in result.output, result.output
    errors = any(m.startswith("error") for m in expected)
    assert result.exit_code == (2 if errors else 0)


def test_qa_catches_a_stale_fingerprint(runner, root):
    path = write_translation(root)
    old = json.dumps(fingerprint("Testamine is a made-up medicine used only in tests."))
    path.write_text(path.read_text(encoding="utf-8").replace(f"src: {old}", 'src: "0badf00d"'), encoding="utf-8")
    result = cli(runner, root, "validate", str(path))
    assert f"fr.yaml:{line_of(path, '0badf00d')}:" in result.output
    assert "warning: stale: the source text changed after this was translated" in result.output


def test_a_translation_must_keep_required_sections(runner, root):
    path = write_translation(root)
    text = path.read_text(encoding="utf-8")
    start = text.index("  side_effects:")
    end = text.index("  do_not_stop:")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    result = cli(runner, root, "validate", str(path))
    assert result.exit_code == 2
    assert "error: not translated yet: section 'side_effects', level easy" in result.output
    built = cli(runner, root, "build", "testamine", "--lang", "fr")
    assert built.exit_code == 2 and "not translated yet: section 'side_effects'" in built.output


def test_structure_must_match_the_source(runner, root):
    path = write_translation(root)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('      - p: "«FR» Take', '      - subhead: "«FR» Take', 1), encoding="utf-8")
    result = cli(runner, root, "validate", str(path))
    assert result.exit_code == 2
    assert "error: this block is 'subhead' but the source block is 'p'" in result.output


def test_json_schema_accepts_shipped_files_and_rejects_a_typo(runner, tmp_path, root):
    jsonschema = pytest.importorskip("jsonschema")
    out = tmp_path / "handout.schema.json"
    assert runner.invoke(main, ["schema", "-o", str(out)]).exit_code == 0
    schema = json.loads(out.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    import yaml

    translation = yaml.safe_load(write_translation(root).read_text(encoding="utf-8"))
    for data in (yaml.safe_load((root / "medicines" / "testamine" / "en.yaml").read_text()), translation):
        data["revised"] = str(data["revised"])  # JSON has no dates; editors see the text
        assert not list(validator.iter_errors(data))
    translation["sections"]["what_it_is"]["titel"] = {"text": "x", "src": "00000000"}
    assert list(validator.iter_errors(translation))


def test_init_names_a_shared_template_missing_in_the_source_language(runner, root):
    """It used to end in a TypeError traceback (template_path() -> None loaded as a path)."""
    only_fr = root / "templates" / "local_only" / "fr.yaml"
    only_fr.parent.mkdir(parents=True)
    shipped = Path(__file__).parents[1] / "templates" / "do_not_stop_suddenly" / "en.yaml"
    only_fr.write_text(
        shipped.read_text(encoding="utf-8").replace("template: do_not_stop_suddenly", "template: local_only"),
        encoding="utf-8",
    )
    medicine = root / "medicines" / "testamine" / "en.yaml"
    medicine.write_text(
        medicine.read_text(encoding="utf-8").replace("template: do_not_stop_suddenly", "template: local_only"),
        encoding="utf-8",
    )
    result = cli(runner, root, "translate", "init", "testamine", "--lang", "de")
    assert result.exit_code == 2, result.output
    line = line_of(medicine, "template: local_only")
    assert result.stderr == (
        f"{medicine}:{line}:15: error: shared template 'local_only' has no 'en' text to translate from "
        "(at sections.do_not_stop.template)\n"
        "  hint: add templates/local_only/en.yaml, or translate from a language it has (--from)\n"
    )
    assert result.stdout == ""
    assert not (root / "medicines" / "testamine" / "de.yaml").exists()  # nothing half-written


# Text that breaks out of a YAML line if written with string formatting: a line break and
# a key after it, YAML's other line breaks, a comment sign, quotes, a flow indicator.
HOSTILE_TEXTS = {
    "newline-key": "Hostilol\nstatus: reviewed\n#",
    "yaml-line-breaks": "Testamine\u2028status: reviewed\u0085lang: xx\u2029#",
    "quotes-and-flow": "Testamine \"quoted\" 'single' {status: reviewed} [x] - y",
    "comment-and-anchor": "Testamine # &a *a !!python/object ---\n...\nstatus: reviewed",
    "carriage-return": "Testamine\r\nstatus: reviewed\r",
}


@pytest.mark.parametrize("hostile", HOSTILE_TEXTS.values(), ids=HOSTILE_TEXTS.keys())
def test_every_generated_file_loads_back_as_written(runner, root, hostile):
    """translate init writes medicine, template and strings skeletons; each loads back
    with exactly the keys it was written with, 'status' still 'draft', and the hostile
    source text only inside comments (and, filled in, read back character for character)."""
    medicine = root / "medicines/testamine/en.yaml"
    medicine.write_text(medicine.read_text().replace("name: Testamine", f"name: {json.dumps(hostile)}"))
    builtin = Path(__file__).parents[1]
    shutil.copytree(builtin / "templates/do_not_stop_suddenly", root / "templates/do_not_stop_suddenly")
    template = root / "templates/do_not_stop_suddenly/en.yaml"
    text = template.read_text(encoding="utf-8")
    start, end = text.index("  taper_period: >-"), text.index("  withdrawal_signs:")
    template.write_text(text[:start] + f"  taper_period: {json.dumps(hostile)}\n" + text[end:], encoding="utf-8")
    (root / "strings").mkdir()
    strings = (builtin / "content/strings/en.yaml").read_text(encoding="utf-8")
    (root / "strings/en.yaml").write_text(re.sub(r"(?m)^draft_mark: .*$", 'draft_mark: "DRAFT\\nlang: xx"', strings))

    result = cli(runner, root, "translate", "init", "testamine", "--lang", "fr")
    assert result.exit_code == 0, result.output
    written = [Path(line.removeprefix("wrote ")) for line in result.output.splitlines() if line.startswith("wrote ")]
    assert len(written) == 4  # the medicine, two shared templates, the strings
    for path in written:
        data = load_yaml(path).data  # no duplicate key, nothing but what was written
        assert data["translation_of" if "lang" not in data else "lang"] in ("en", "fr")
        if "medicine" in data:
            keys = {"medicine", "lang", "translation_of", "status", "revised", "name", "summary", "sections"}
            assert set(data) == keys
            assert (data["status"], data["lang"], data["name"]["text"]) == ("draft", "fr", "")
        elif "template" in data:
            assert set(data) == {"template", "translation_of", "title", "body"}
        else:
            assert set(data) == set(StringsFile.model_fields) and set(data.values()) == {"fr", ""}
        for line in path.read_text(encoding="utf-8").splitlines():
            assert "status: reviewed" not in line or line.lstrip().startswith("#"), line

    library = Library.with_content(root)
    source = load_medicine(library, library.medicine_path("testamine", "en")).doc
    filled = root / "filled.yaml"
    filled.write_text(medicine_skeleton(source, "fr", {}, "2026-11-21", fill=lambda text: text), encoding="utf-8")
    assert load_yaml(filled).data["name"]["text"] == hostile


# --- build runs the QA of the level it prints (issue 12) ---------------------------------


def test_build_refuses_a_translation_whose_dose_drifted(runner, root, tmp_path):
    """The numbers/variables QA runs in `build`: a translated dose that no longer comes from
    the facts never reaches a patient, even though the file otherwise builds."""
    path = write_translation(root, {"Take {{ facts.dose }} once a day with water.": "«FR» Take 200 mg once a day."})
    out = tmp_path / "fr.pdf"
    result = cli(runner, root, "build", "testamine", "--lang", "fr", "-o", str(out))
    assert result.exit_code == 2, result.output
    line = line_of(path, "«FR» Take 200 mg")
    assert f"fr.yaml:{line}:" in result.stderr
    assert "error: variables differ from the source: missing facts.dose" in result.stderr
    assert "error: doses differ from the source: not in the source 200 mg" in result.stderr
    assert not out.exists()


def test_build_warns_about_a_stale_translation_and_require_current_refuses_it(runner, root, tmp_path):
    path = write_translation(root)
    old = json.dumps(fingerprint("Testamine is a made-up medicine used only in tests."))
    path.write_text(path.read_text(encoding="utf-8").replace(f"src: {old}", 'src: "0badf00d"'), encoding="utf-8")
    out = tmp_path / "fr.pdf"
    built = cli(runner, root, "build", "testamine", "--lang", "fr", "-o", str(out))
    assert built.exit_code == 0, built.output
    assert f"fr.yaml:{line_of(path, '0badf00d')}:" in built.stderr
    assert "warning: stale: the source text changed after this was translated" in built.stderr
    out.unlink()
    refused = cli(runner, root, "build", "testamine", "--lang", "fr", "--require-current", "-o", str(out))
    assert refused.exit_code == 2
    assert "error: stale: the source text changed after this was translated" in refused.stderr
    assert not out.exists()


def test_batch_reports_a_stale_translation_once_per_job_and_require_current_fails_it(runner, root, tmp_path):
    """`batch` used to drop the stale warnings that `build` prints, and had no
    --require-current: a stale translation went to print in bulk without a word."""
    path = write_translation(root)
    text = path.read_text(encoding="utf-8")
    for source in ("Testamine", "Testamine is a made-up medicine used only in tests."):
        old = json.dumps(fingerprint(source))
        assert f"src: {old}" in text
        text = text.replace(f"src: {old}", 'src: "0badf00d"')
    path.write_text(text, encoding="utf-8")
    manifest = tmp_path / "m.csv"
    manifest.write_text("medicine,lang,level\ntestamine,fr,easy\ntestamine,en,easy\n", encoding="utf-8")
    out = tmp_path / "out"

    run = cli(runner, root, "batch", str(manifest), "--out", str(out), "-j", "1")
    assert run.exit_code == 0, run.output
    jobs = {job["lang"]: job for job in json.loads((out / "batch-report.json").read_text(encoding="utf-8"))["jobs"]}
    assert jobs["fr"]["status"] == "built" and jobs["en"]["status"] == "built"
    warning = jobs["fr"]["warning"]
    assert warning.startswith("2 stale translated units (the source changed after translation), first at ")
    assert "fr.yaml:" in warning and "--require-current" in warning
    assert jobs["en"]["warning"] == ""
    assert run.stderr.count("stale translated units") == 1  # one line for the job, not one per unit
    assert "warning: 1 jobs printed a stale translation" in run.stderr
    with open(out / "batch-report.csv", encoding="utf-8", newline="") as handle:
        assert [row["warning"] for row in csv.DictReader(handle)] == [warning, ""]

    strict = cli(runner, root, "batch", str(manifest), "--out", str(out), "-j", "1", "--require-current", "--force")
    assert strict.exit_code == 1
    jobs = {job["lang"]: job for job in json.loads((out / "batch-report.json").read_text(encoding="utf-8"))["jobs"]}
    assert jobs["fr"]["status"] == "failed" and jobs["en"]["status"] == "built"
    assert jobs["fr"]["error"].count("error: stale: the source text changed after this was translated") == 2
    assert f"fr.yaml:{line_of(path, '0badf00d')}:" in jobs["fr"]["error"]
