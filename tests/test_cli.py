"""The command line as a user types it, through click's CliRunner."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import TEST_CONTENT
from pypdf import PdfReader

from handouts.cli import main
from handouts.content import Library

ROOT = Path(__file__).resolve().parents[1]


def test_build_defaults(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["build", "baclofen"])
    assert result.exit_code == 0, result.output
    out = tmp_path / "baclofen-en-standard.pdf"
    assert result.stdout.startswith("wrote baclofen-en-standard.pdf: ")
    assert "every page is marked DRAFT" in result.stderr
    reader = PdfReader(out)
    assert float(reader.pages[0].mediabox.width) == 612  # letter
    assert list(tmp_path.iterdir()) == [out]  # no temporary files left behind
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask  # an ordinary file, not mkstemp's 0600


def test_build_every_option(runner, tmp_path):
    out = tmp_path / "leaflet.pdf"
    result = runner.invoke(
        main,
        [
            "--content",
            str(TEST_CONTENT),
            "build",
            "testamine",
            "--lang",
            "en",
            "--level",
            "easy",
            "--brand",
            "content/brands/default/brand.yaml",
            "--layout",
            "essentials",
            "--paper",
            "a4",
            "--require-reviewed",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    reader = PdfReader(out)
    assert round(float(reader.pages[0].mediabox.height)) == 842  # A4
    assert "What is Testamine?" in reader.pages[0].extract_text()
    assert result.stderr == ""  # reviewed content: no draft note


def test_validate_library_and_paths(runner):
    result = runner.invoke(main, ["validate"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith(": 0 error(s)")
    result = runner.invoke(main, ["validate", str(TEST_CONTENT), "templates"])
    assert result.exit_code == 0, result.output
    templates = Path(__file__).parents[1] / "templates"
    files = len(list(TEST_CONTENT.rglob("*.yaml"))) + len(list(templates.rglob("*.yaml")))
    assert result.stdout.strip() == f"checked {files} file(s): 0 error(s)"


def test_validate_reports_bad_file_with_exit_2(runner, tmp_path):
    bad = tmp_path / "medicines" / "testamine"
    bad.mkdir(parents=True)
    text = (TEST_CONTENT / "medicines/testamine/en.yaml").read_text().replace("status: reviewed", "status: done")
    (bad / "en.yaml").write_text(text)
    result = runner.invoke(main, ["validate", str(tmp_path)])
    assert result.exit_code == 2
    assert "error: 'done' is not allowed here; must be 'draft' or 'reviewed' (at status)" in result.stderr
    assert result.stdout.strip() == "checked 1 file(s): 1 error(s)"


def test_list(runner):
    result = runner.invoke(main, ["--content", str(TEST_CONTENT), "list"])
    assert result.exit_code == 0, result.output
    rows = [line.split() for line in result.stdout.splitlines()]
    assert rows[0] == ["MEDICINE", "LANG", "LEVEL", "STATUS", "REVISED"]
    assert ["baclofen", "en", "easy", "draft", "2026-11-21"] in rows
    assert ["testamine", "en", "detailed", "reviewed", "2026-01-15"] in rows
    assert len(rows) == 1 + 3 * len(Library.with_content(TEST_CONTENT).medicines())


def test_readability_shipped_content_meets_targets(runner):
    result = runner.invoke(main, ["readability", "baclofen"])
    assert result.exit_code == 0, result.output
    assert result.stdout.count("  OK") == 3
    assert "WHOLE LEVEL" in result.stdout


def test_readability_exit_1_when_target_missed(runner, tmp_path):
    folder = tmp_path / "medicines" / "testamine"
    shutil.copytree(TEST_CONTENT / "medicines" / "testamine", folder)
    path = folder / "en.yaml"
    hard = (
        "Pharmacokinetic considerations notwithstanding, intermittent administration necessitates "
        "individualised therapeutic monitoring, particularly regarding cardiovascular contraindications."
    )
    path.write_text(path.read_text().replace("Testamine is a made-up medicine used only in tests.", hard))
    result = runner.invoke(main, ["--content", str(tmp_path), "readability", "testamine", "--level", "easy"])
    assert result.exit_code == 1, result.output
    assert "MISSED: grade" in result.stdout
    assert "section 'what_it_is' grade" in result.stdout


def test_help_lists_commands(runner):
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0
    for command in ("build", "validate", "list", "readability"):
        assert command in result.stdout


def test_build_to_standard_output_writes_only_the_pdf(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["--content", str(TEST_CONTENT), "build", "testamine", "-o", "-"])
    assert result.exit_code == 0, result.output
    data = result.stdout_bytes
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    reader = PdfReader(io.BytesIO(data))
    assert "What is Testamine?" in reader.pages[0].extract_text()
    assert result.stderr.startswith(f"wrote standard output: {len(reader.pages)} pages, ")
    assert list(tmp_path.iterdir()) == []  # no file named '-'


def test_build_to_standard_output_of_a_real_process(tmp_path):
    """A pipe, not CliRunner's buffer: the bytes are exactly the PDF that -o FILE writes."""
    command = [sys.executable, str(ROOT / "generate.py"), "--content", str(TEST_CONTENT), "build", "testamine"]
    piped = subprocess.run([*command, "-o", "-"], capture_output=True, check=True, cwd=tmp_path)
    subprocess.run([*command, "-o", "file.pdf"], capture_output=True, check=True, cwd=tmp_path)
    assert piped.stdout == (tmp_path / "file.pdf").read_bytes()


@pytest.mark.parametrize("name", ["handout", "handout.pdf.txt"])
def test_build_refuses_an_output_name_that_is_neither_pdf_nor_html(runner, tmp_path, name):
    """``-o handout.html`` writes the HTML page (tests/test_html.py); any other name would
    hold a PDF under a name that promises something else."""
    out = tmp_path / name
    result = runner.invoke(main, ["build", "baclofen", "-o", str(out)])
    assert result.exit_code == 2
    stem = Path(name).stem
    assert result.stderr == (
        f"--output: error: '{name}' does not end in .pdf or .html\n"
        f"  hint: name it {stem}.pdf, or give -o - to write to standard output\n"
    )
    assert result.stdout == "" and list(tmp_path.iterdir()) == []


def test_list_kinds_say_where_each_comes_from(runner, tmp_path, monkeypatch):
    """A --content folder is searched first: its brand 'default' hides the built-in one,
    and each listing names the folder that wins."""
    monkeypatch.chdir(tmp_path)
    mine = tmp_path / "mine"
    shutil.copytree(ROOT / "content" / "brands" / "default", mine / "brands" / "default")
    brand = mine / "brands" / "default" / "brand.yaml"
    brand.write_text(brand.read_text().replace("Sample Community Clinic", "Corner Pharmacy"))
    (mine / "layouts").mkdir()
    (mine / "layouts" / "short.yaml").write_text("sections: [what_it_is, do_not_stop]\n")
    (mine / "templates" / "do_not_stop_suddenly").mkdir(parents=True)
    shutil.copy(ROOT / "templates" / "do_not_stop_suddenly" / "es.yaml", mine / "templates" / "do_not_stop_suddenly")
    (mine / "strings").mkdir()
    shutil.copy(ROOT / "content" / "strings" / "en.yaml", mine / "strings" / "en.yaml")

    def listing(kind: str) -> list[list[str]]:
        result = runner.invoke(main, ["--content", "mine", "list", kind])
        assert result.exit_code == 0, result.output
        return [line.split("  ") for line in result.stdout.splitlines()]

    def cells(rows: list[list[str]]) -> list[list[str]]:
        return [[cell.strip() for cell in row if cell.strip()] for row in rows]

    assert cells(listing("brands")) == [
        ["BRAND", "ORGANISATION", "PAPER", "FROM"],
        ["default", "Corner Pharmacy", "letter", "mine"],
        ["eu_example", "Example Pharmacy Europe", "a4", "built-in"],
    ]
    assert cells(listing("layouts")) == [
        ["LAYOUT", "SECTIONS", "FROM"],
        ["essentials", "what_it_is, how_to_take, do_not_stop, side_effects, buying_online", "built-in"],
        ["short", "what_it_is, do_not_stop", "mine"],
    ]
    assert cells(listing("templates")) == [
        ["TEMPLATE", "LANGUAGES", "FROM"],
        ["do_not_stop_suddenly", "ar, en, hi, ko, ru, vi, zh-Hans", "built-in"],
        ["do_not_stop_suddenly", "es", "mine"],
        ["online_pharmacy_safety", "ar, en, es, hi, ko, ru, vi, zh-Hans", "built-in"],
    ]
    languages = cells(listing("languages"))
    assert languages[0] == ["LANG", "NAME", "MEDICINES", "FROM"]
    assert ["en", "English", "baclofen", "mine"] in languages
    assert ["zh-Hans", "Chinese (Simplified)", "baclofen", "built-in"] in languages
    assert len(languages) == 1 + len(list((ROOT / "content" / "strings").glob("*.yaml")))
    medicines = runner.invoke(main, ["--content", "mine", "list"])
    assert medicines.stdout == runner.invoke(main, ["--content", "mine", "list", "medicines"]).stdout
    assert medicines.stdout.split()[:5] == ["MEDICINE", "LANG", "LEVEL", "STATUS", "REVISED"]


def test_list_brands_reports_an_invalid_brand(runner, tmp_path):
    brand = tmp_path / "brands" / "broken" / "brand.yaml"
    brand.parent.mkdir(parents=True)
    brand.write_text("name: Broken\n")
    result = runner.invoke(main, ["--content", str(tmp_path), "list", "brands"])
    assert result.exit_code == 2
    assert ["broken", "invalid", "-", str(tmp_path)] == result.stdout.splitlines()[1].split()
    assert result.stderr.startswith(f"{brand}:1:1: error: ")
