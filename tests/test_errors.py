"""Bad content fails with exit code 2 and one exact, actionable message.

Every case copies the valid test content into tmp_path, changes ONE thing and checks the
complete stderr: ``path:line:col: error: message (at key.path)`` plus the hint line. The
working directory is tmp_path, so paths print as ``content/...``. The positive controls
at the top prove that the unmodified copies are fine, so each failure comes from the change.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from handouts.cli import main

REPO = Path(__file__).resolve().parents[1]
TEST_CONTENT = REPO / "tests" / "data" / "content"  # medicines/testamine/en.yaml

MEDICINE = "medicines/testamine/en.yaml"
BRAND = "brands/default/brand.yaml"
LOGO = "brands/default/logo.png"
STRINGS = "strings/en.yaml"
REQUIRED_SECTIONS = ["what_it_is", "how_to_take", "side_effects", "do_not_stop", "buying_online"]


# --- helpers --------------------------------------------------------------------------


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """tmp_path/content: testamine, the default brand (with its logo) and the English
    interface strings, all valid. The working directory is tmp_path."""
    root = tmp_path / "content"
    shutil.copytree(TEST_CONTENT, root)
    shutil.copytree(REPO / "content" / "brands" / "default", root / "brands" / "default")
    (root / "strings").mkdir()
    shutil.copy(REPO / "content" / STRINGS, root / STRINGS)
    monkeypatch.chdir(tmp_path)
    return root


def change(path: Path, old: str | bytes | None, new: str | bytes | None) -> None:
    """Change one thing in a copied file: replace ``old`` (which must occur exactly once)
    with ``new``. ``old=None`` replaces the whole file; ``new=None`` deletes the file."""
    if new is None:
        path.unlink()
        return
    new_bytes = new.encode() if isinstance(new, str) else new
    if old is None:
        path.write_bytes(new_bytes)
        return
    old_bytes = old.encode() if isinstance(old, str) else old
    data = path.read_bytes()
    assert data.count(old_bytes) == 1, f"{old!r} should occur once in {path}"
    path.write_bytes(data.replace(old_bytes, new_bytes))


def write_layout(content: Path, sections: list[str]) -> None:
    (content / "layouts").mkdir(exist_ok=True)
    (content / "layouts" / "mine.yaml").write_text("sections:\n" + "".join(f"  - {s}\n" for s in sections))


def invoke(*args: object) -> Result:
    result = CliRunner().invoke(main, [str(a) for a in args])
    # CliRunner catches exceptions instead of printing them, so check both.
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.stderr
    return result


def build(content: Path, *options: object, medicine: str = "testamine") -> tuple[Result, Path]:
    """Build into a fresh, empty folder; return the result and that folder."""
    out = content.parent / "out"
    out.mkdir(exist_ok=True)
    return invoke("--content", content, "build", medicine, "-o", out / "handout.pdf", *options), out


def assert_build_fails(content: Path, expected: str, *options: object, medicine: str = "testamine") -> None:
    result, out = build(content, *options, medicine=medicine)
    assert result.exit_code == 2, result.output
    assert result.stderr == expected.replace("<CONTENT>", str(content.resolve())) + "\n"
    assert result.stdout == ""
    assert list(out.iterdir()) == []  # neither the PDF nor write_atomic's temporary file


def assert_validate_fails(content: Path, file: str, expected: str) -> None:
    result = invoke("--content", content, "validate", content / file)
    assert result.exit_code == 2, result.output
    assert result.stderr == expected.replace("<CONTENT>", str(content.resolve())) + "\n"
    assert result.stdout == "checked 1 file(s): 1 error(s)\n"


# --- positive controls ----------------------------------------------------------------


def test_unmodified_copy_builds(content: Path) -> None:
    result, out = build(content)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert result.stdout.startswith("wrote out/handout.pdf: ")
    assert [p.name for p in out.iterdir()] == ["handout.pdf"]
    assert (out / "handout.pdf").read_bytes().startswith(b"%PDF-")


def test_unmodified_copy_validates(content: Path) -> None:
    result = invoke("--content", content, "validate", content)
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    assert result.stdout == "checked 3 file(s): 0 error(s)\n"  # medicine, brand, strings


def test_layout_with_every_required_section_builds(content: Path) -> None:
    write_layout(content, REQUIRED_SECTIONS)
    result, _ = build(content, "--layout", "mine")
    assert result.exit_code == 0, result.output


# --- one change to the medicine file (checked by build and by validate) ----------------


def _prescriber_hint() -> str:
    """The hint for a missing parameter is the template's own description of it."""
    template = yaml.safe_load((REPO / "templates" / "online_pharmacy_safety" / "en.yaml").read_text())
    return "prescriber: " + template["params"]["prescriber"]


M = "content/" + MEDICINE
MEDICINE_CASES = [
    pytest.param(
        "    title: What is Testamine?",
        "    titel: What is Testamine?",
        f"{M}:16:5: error: unknown key 'titel' (at sections.what_it_is.titel)\n  hint: did you mean 'title'?",
        id="typo-key",
    ),
    pytest.param(
        "name: Testamine",
        "name: 42",
        f"{M}:4:7: error: expected text, found a number (42) (at name)\n"
        "  hint: put the value in quotes to make it text",
        id="number-instead-of-text",
    ),
    pytest.param(
        "lang: en\n",
        "",
        f"{M}:3:1: error: missing required key 'lang'\n  hint: add 'lang:' here; see docs/authoring.md",
        id="missing-required-key",
    ),
    pytest.param(
        "status: reviewed",
        "status: approved",
        f"{M}:6:9: error: 'approved' is not allowed here; must be 'draft' or 'reviewed' (at status)",
        id="invalid-status",
    ),
    pytest.param(
        "  dose: {value: 20, unit: mg}\n",
        "  dose: {value: 20, unit: mg}\n  dose: 30 mg\n",
        f"{M}:11:3: error: duplicate key 'dose' (first defined on line 10) (at facts.dose)\n"
        "  hint: YAML keeps only one of them: merge the two entries or rename one",
        id="duplicate-key",
    ),
    pytest.param(
        "  dose: {value: 20, unit: mg}\n",
        "\tdose: 20 mg\n",
        f"{M}:10:1: error: not valid YAML: tab character used for indentation\n"
        "  hint: YAML indents with spaces only: replace the tab with spaces",
        id="tab-indent",
    ),
    pytest.param(
        "made-up medicine used",
        b"made-up m\xe9dicine used",  # a Latin-1 e-acute
        f"{M}:18:36: error: file is not UTF-8: byte 0xE9 at offset 525\n"
        "  hint: save the file as UTF-8 (most editors: File > Save with encoding > UTF-8)",
        id="not-utf8",
    ),
    pytest.param(
        "{{ facts.dose }}",
        "{{ facts.doze }}",
        f"{M}:23:12: error: unknown variable: 'dict object' has no attribute 'doze' "
        "(at sections.how_to_take.body[0].p)\n"
        "  hint: did you mean '{{ facts.dose }}'?",
        id="unknown-jinja-variable",
    ),
    pytest.param(
        "{{ facts.dose }}",
        "{{ facts.dose }",
        f"{M}:23:12: error: template syntax error: unexpected '}}' (at sections.how_to_take.body[0].p)\n"
        "  hint: variables are written {{ facts.name }}",
        id="jinja-syntax-error",
    ),
    pytest.param(
        "{{ facts.dose }}",
        "{{ facts.__class__ }}",
        f"{M}:23:12: error: unknown variable: 'dict object' has no attribute '__class__' "
        "(at sections.how_to_take.body[0].p)\n"
        "  hint: available: brand.emergency_number, brand.name, brand.phone, brand.poison_control, brand.website, "
        "facts.dose, facts.emergency_number, facts.taper_period, medicine.id, medicine.name, "
        "medicine.name_accusative, medicine.name_genitive, medicine.name_in_sentence",
        id="jinja-sandbox",  # names look up keys, never Python attributes
    ),
    pytest.param(
        "      - p: This optional",
        "      - para: This optional",
        f"{M}:55:9: error: unknown block type 'para' (at sections.extras.body[0].para)\n"
        "  hint: expected one of: list, p, subhead, warning",
        id="unknown-block-kind",
    ),
    pytest.param(
        "template: online_pharmacy_safety",
        "template: online_pharmacy_safty",
        f"{M}:46:15: error: no shared template 'online_pharmacy_safty' in language 'en' "
        "(at sections.buying_online.template)\n"
        "  hint: did you mean 'online_pharmacy_safety'?",
        id="unknown-template",
    ),
    pytest.param(
        "      prescriber: your pharmacist\n",
        "",
        f"{M}:48:7: error: template 'online_pharmacy_safety' needs parameter 'prescriber' "
        "(at sections.buying_online.params)\n"
        "  hint: <PRESCRIBER>",
        id="missing-template-parameter",
    ),
    pytest.param(
        "      prescriber: your pharmacist\n",
        "      prescriber: your pharmacist\n      prescribr: your doctor\n",
        f"{M}:50:7: error: template 'online_pharmacy_safety' has no parameter 'prescribr' "
        "(at sections.buying_online.params.prescribr)\n"
        "  hint: did you mean 'prescriber'?",
        id="unknown-template-parameter",
    ),
    pytest.param(
        "Take {{ facts.dose }} once",
        "Take {{ facts.dose }} \U0001f48a once",
        f"{M}:23:34: error: U+1F48A PILL is not covered by any bundled font "
        "(at sections.how_to_take.body[0].p)\n"
        "  hint: replace the character, or ask for a font that has it",
        id="emoji-not-in-font",
    ),
    pytest.param(
        "Testamine is a made-up",
        "Testamine (\u0e22) is a made-up",
        f"{M}:18:23: error: U+0E22 THAI CHARACTER YO YAK is not covered by any bundled font "
        "(at sections.what_it_is.body[0].p)\n"
        "  hint: replace the character, or ask for a font that has it",
        id="thai-not-in-font",
    ),
    pytest.param(
        "medicine: testamine",
        "medicine: testamin",
        f"{M}:3:11: error: medicine id 'testamin' does not match its folder 'testamine' (at medicine)\n"
        "  hint: the file must live in medicines/<id>/<lang>.yaml",
        id="id-not-folder",
    ),
]


@pytest.mark.parametrize("command", ["build", "validate"])
@pytest.mark.parametrize("old, new, expected", MEDICINE_CASES)
def test_bad_medicine(content: Path, command: str, old, new, expected: str) -> None:
    change(content / MEDICINE, old, new)
    expected = expected.replace("<PRESCRIBER>", _prescriber_hint())
    if command == "build":
        assert_build_fails(content, expected)
    else:
        assert_validate_fails(content, MEDICINE, expected)


# --- one change to the brand folder (checked by build and by validate) -----------------

B = "content/" + BRAND
BRAND_CASES = [
    pytest.param(
        LOGO,
        None,
        None,
        f"{B}:4:7: error: logo file 'logo.png' not found (at logo)\n  hint: looked in content/brands/default",
        id="logo-missing",
    ),
    pytest.param(
        BRAND,
        "logo: logo.png",
        "logo: ../x.png",
        f"{B}:4:7: error: logo '../x.png' is outside the brand's folder (at logo)\n"
        "  hint: put the logo next to the brand file and give just its file name",
        id="logo-outside-folder",
    ),
    pytest.param(
        LOGO,
        None,
        b"this is not an image",
        f"{B}:4:7: error: logo 'logo.png' is not a readable image (UnidentifiedImageError) (at logo)\n"
        "  hint: export the logo again as PNG",
        id="logo-not-an-image",
    ),
    pytest.param(
        BRAND,
        '"#1F4E79"',
        '"#AAAAAA"',
        f"{B}:6:13: error: colour #AAAAAA gives headings on white paper a contrast of 2.32:1; "
        "at least 4.5:1 is needed (at colors.primary)\n"
        "  hint: pick a darker shade: leaflets are printed on black-and-white lasers",
        id="low-contrast-primary",
    ),
    pytest.param(
        BRAND,
        '"#A4161A"',
        '"#D04040"',
        f"{B}:7:12: error: colour #D04040 gives warning label on the warning box a contrast of 4.07:1; "
        "at least 4.5:1 is needed (at colors.accent)\n"
        "  hint: pick a darker shade: leaflets are printed on black-and-white lasers",
        id="low-contrast-accent",
    ),
    pytest.param(
        BRAND,
        '"#1F4E79"',
        '"#1F4E7"',
        f"{B}:6:13: error: '#1F4E7' is not a valid colour (at colors.primary)\n"
        "  hint: write colours as #RRGGBB, e.g. '#1F4E79' (quoted)",
        id="bad-colour-format",
    ),
    pytest.param(
        BRAND,
        '  accent: "#A4161A"',
        "",
        f"{B}:6:3: error: missing required key 'accent' (at colors)\n  hint: add 'accent:' here; see docs/authoring.md",
        id="missing-nested-key",
    ),
]


@pytest.mark.parametrize("command", ["build", "validate"])
@pytest.mark.parametrize("file, old, new, expected", BRAND_CASES)
def test_bad_brand(content: Path, command: str, file: str, old, new, expected: str) -> None:
    change(content / file, old, new)
    if command == "build":
        assert_build_fails(content, expected)
    else:
        assert_validate_fails(content, BRAND, expected)


# --- interface strings, layouts, options -------------------------------------------------


@pytest.mark.parametrize("command", ["build", "validate"])
def test_page_label_without_pages(content: Path, command: str) -> None:
    change(content / STRINGS, "Page {page} of {pages}", "Page {page}")
    expected = (
        "content/strings/en.yaml:3:8: error: 'Page {page}' must contain exactly {page}, {pages} (at page)\n"
        "  hint: keep the words in braces untranslated; they are filled in when printing"
    )
    if command == "build":
        assert_build_fails(content, expected)
    else:
        assert_validate_fails(content, STRINGS, expected)


@pytest.mark.parametrize(
    "sections, expected",
    [
        pytest.param(
            REQUIRED_SECTIONS[:-1],
            "content/layouts/mine.yaml:2:3: error: layout leaves out required section 'buying_online' of "
            "'testamine' (at sections)\n"
            "  hint: add '- buying_online' to the layout's sections",
            id="omits-required-section",
        ),
        pytest.param(
            REQUIRED_SECTIONS + ["extra"],
            "content/layouts/mine.yaml:7:5: error: 'testamine' has no section 'extra' (at sections[5])\n"
            "  hint: did you mean 'extras'?",
            id="unknown-section",
        ),
    ],
)
def test_bad_layout(content: Path, sections: list[str], expected: str) -> None:
    write_layout(content, sections)
    assert_build_fails(content, expected, "--layout", "mine")


def test_unknown_layout_name(content: Path) -> None:
    assert_build_fails(
        content,
        "content/layouts: error: no layout named 'essentails'\n  hint: did you mean 'essentials'?",
        "--layout",
        "essentails",
    )


def test_unknown_medicine(content: Path) -> None:
    assert_build_fails(
        content,
        "content/medicines: error: no medicine named 'testamin'\n  hint: did you mean 'testamine'?",
        medicine="testamin",
    )


def test_missing_translation(content: Path) -> None:
    assert_build_fails(
        content,
        "content/medicines: error: medicine 'testamine' has no 'es' translation\n  hint: 'testamine' exists in: en",
        "--lang",
        "es",
    )


REVIEW_HINT = "  hint: have a pharmacist review it, then set 'status: reviewed'"


def test_require_reviewed_refuses_draft(content: Path) -> None:
    change(content / MEDICINE, "status: reviewed", "status: draft")
    assert_build_fails(
        content,
        f"{M}:6:9: error: content is a draft and --require-reviewed was given (at status)\n" + REVIEW_HINT,
        "--require-reviewed",
    )


def test_require_reviewed_refuses_draft_baclofen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The built-in baclofen content is still a draft."""
    monkeypatch.chdir(REPO)
    path = REPO / "content" / "medicines" / "baclofen" / "en.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    if "status: draft" not in lines:
        pytest.skip("baclofen has been reviewed; the testamine case above still covers drafts")
    line = lines.index("status: draft") + 1
    out = tmp_path / "out"
    out.mkdir()
    result = invoke("build", "baclofen", "--require-reviewed", "-o", out / "baclofen.pdf")
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        f"content/medicines/baclofen/en.yaml:{line}:9: error: content is a draft and "
        f"--require-reviewed was given (at status)\n{REVIEW_HINT}\n"
    )
    assert list(out.iterdir()) == []


# --- inputs that once crashed or misplaced their hint ------------------------------------

MORE_MEDICINE_CASES = [
    pytest.param(
        "revised: 2026-01-15",
        "revised: 2026-13-45",
        f"{M}:7:10: error: cannot read value '2026-13-45': month must be in 1..12 (at revised)\n"
        "  hint: write dates as YYYY-MM-DD; quote the value if it is meant as text",
        id="impossible-date",
    ),
    pytest.param(
        "summary: A short test leaflet about a made-up medicine.",
        "summary: " + "[" * 60 + "]" * 60,
        f"{M}:8:60: error: nested more than 50 levels deep (at summary{'[0]' * 50})\n"
        "  hint: check the indentation and brackets",
        id="deep-nesting",
    ),
    pytest.param(
        "  dose: {value: 20, unit: mg}",
        "  dose: .nan",
        f"{M}:10:9: error: number '.nan' is not a finite number: YAML reads it as nan, not as written "
        "(at facts.dose)\n"
        "  hint: write the number in plain decimal digits; put it in quotes if it is text, not a number",
        id="nan-fact",
    ),
    pytest.param(
        "name: Testamine",
        "name: Testamine \u0e22",
        f"{M}:4:17: error: U+0E22 THAI CHARACTER YO YAK is not covered by any bundled font (at name)\n"
        "  hint: replace the character, or ask for a font that has it",
        id="uncovered-name-reported-once",
    ),
]


@pytest.mark.parametrize("old, new, expected", MORE_MEDICINE_CASES)
def test_more_bad_medicine(content: Path, old, new, expected: str) -> None:
    change(content / MEDICINE, old, new)
    assert_build_fails(content, expected)
    assert_validate_fails(content, MEDICINE, expected)


def test_unquoted_colour_hint(content: Path) -> None:
    change(content / BRAND, '"#1F4E79"', "#1F4E79")
    assert_build_fails(
        content,
        f"{B}:6:11: error: expected text, found nothing (empty value) (at colors.primary)\n"
        "  hint: write a value after the colon; quote it if it starts with # "
        "(an unquoted # starts a comment)",
    )


def test_output_is_a_directory(content: Path) -> None:
    (content.parent / "dir.pdf").mkdir()
    result = invoke("--content", content, "build", "testamine", "-o", "dir.pdf")
    assert result.exit_code == 2
    assert (
        result.stderr == "dir.pdf: error: output path is a directory\n  hint: give a file name, e.g. -o handout.pdf\n"
    )


def test_output_folder_missing(content: Path) -> None:
    result = invoke("--content", content, "build", "testamine", "-o", "nope/x.pdf")
    assert result.exit_code == 2
    assert result.stderr == (
        "nope/x.pdf: error: cannot write the PDF: No such file or directory\n"
        "  hint: check that the folder exists and is writable, and that the disk is not full\n"
    )
    assert not (content.parent / "nope").exists()


def test_validate_unknown_kind_of_file(content: Path) -> None:
    (content.parent / "x.yaml").write_text("foo: bar\n")
    result = invoke("validate", "x.yaml")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "x.yaml:1:1: error: cannot tell what kind of content file this is\n  hint: a medicine"
    )


def test_unknown_brand_name_and_missing_brand_file(content: Path) -> None:
    expected = "content/brands: error: no brand named 'defualt'\n  hint: did you mean 'default'?"
    assert_build_fails(content, expected, "--brand", "defualt")
    assert_build_fails(content, "nope/brand.yaml: error: file not found", "--brand", "nope/brand.yaml")


@pytest.mark.parametrize("command", [["list"], ["validate"], ["build", "baclofen"], ["translate", "status"]])
@pytest.mark.parametrize("name", ["a" * 4_200, "a/" * 2_100], ids=["one-long-name", "long-path"])
def test_content_folder_name_too_long(command: list[str], name: str) -> None:
    """A --content path the file system cannot take is bad input for every command, not
    an OSError traceback; the message quotes the name cut short."""
    result = invoke("--content", name, *command)
    assert (result.exit_code, result.stderr) == (
        2,
        f"--content: error: cannot use the folder '{name[:37]}...': File name too long\n",
    )
