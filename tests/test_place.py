"""The emergency line belongs to the place (issue 12, part 4): the brand declares its
numbers, content names them as ``{{ brand.emergency_number }}``, and texts a patient
reads on the page (address, hours, footer note) come in the reader's language."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from handouts.cli import main
from handouts.content import Library, load_brand
from handouts.errors import display_path

REPO = Path(__file__).resolve().parents[1]


def text_of(path: Path) -> str:
    return " ".join("\n".join(page.extract_text() for page in PdfReader(path).pages).split())


@pytest.mark.parametrize("lang", ["en", "es", "ar", "zh-Hans"])
def test_an_eu_brand_prints_112_in_every_translation(tmp_path, lang):
    """Every translation printed 911, and translators could not change it (the numbers
    QA rejects a number the source does not have)."""
    out = tmp_path / "eu.pdf"
    result = CliRunner().invoke(main, ["build", "baclofen", "--lang", lang, "--brand", "eu_example", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = text_of(out)
    assert "112" in text and "911" not in text


def test_the_sample_brand_keeps_911(tmp_path):
    out = tmp_path / "us.pdf"
    assert CliRunner().invoke(main, ["build", "baclofen", "--level", "easy", "-o", str(out)]).exit_code == 0
    assert "Call 911 or your local emergency number if:" in text_of(out)


def test_emergency_text_without_a_brand_number_is_an_error(tmp_path):
    brand = tmp_path / "brands" / "nonumber"
    shutil.copytree(REPO / "content" / "brands" / "default", brand)
    text = (brand / "brand.yaml").read_text()
    (brand / "brand.yaml").write_text(text.replace('emergency_number: "911"\n', ""))
    out = tmp_path / "x.pdf"
    result = CliRunner().invoke(main, ["build", "baclofen", "--brand", str(brand / "brand.yaml"), "-o", str(out)])
    assert result.exit_code == 2
    en = REPO / "content" / "medicines" / "baclofen" / "en.yaml"
    lines = en.read_text().splitlines()
    shown = display_path(en)  # relative to the working directory, as printed
    param = next(i for i, ln in enumerate(lines, 1) if ln.strip().startswith("emergency_number:"))
    warning = next(i for i, ln in enumerate(lines, 1) if "or someone else notices" in ln)
    point = next(i for i, ln in enumerate(lines, 1) if "Get emergency help ({{ brand.emergency_number }})" in ln)
    hint = "  hint: add 'emergency_number:' to the brand file (brands/NAME/brand.yaml), e.g. emergency_number: \"112\""
    assert result.stderr.splitlines() == [
        f"{shown}:{param}:26: error: the brand does not declare 'emergency_number' "
        "(at sections.do_not_stop.params.emergency_number)",
        hint,
        f"{shown}:{warning}:21: error: the brand does not declare 'emergency_number' "
        "(at sections.side_effects.body.standard[6].warning.body[0].p)",
        hint,
        f"{shown}:{point}:8: error: the brand does not declare 'emergency_number' (at key_points.standard[3])",
        hint,
    ]
    assert not out.exists()


def test_brand_texts_follow_the_readers_language_with_the_brands_own_as_fallback():
    library = Library()
    brand = load_brand(library, library.brand_path("eu_example"))
    assert brand.for_lang("es").address == "Calle Ejemplo 12, 10115 Berlín"
    assert brand.for_lang("es").footer_note.startswith("Marca de ejemplo")
    assert brand.for_lang("es-MX").hours.startswith("lun.–vie.")  # the base language
    assert brand.for_lang("ar").address == "Example Street 12, 10115 Berlin"  # the brand's own
    assert brand.for_lang("ar").emergency_number == "112"


def test_the_address_prints_in_the_readers_language(tmp_path):
    out = tmp_path / "es.pdf"
    result = CliRunner().invoke(main, ["build", "baclofen", "--lang", "es", "--brand", "eu_example", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = text_of(out)
    assert "Calle Ejemplo 12, 10115 Berlín" in text and "Example Street" not in text


def test_a_per_language_text_needs_the_brands_own_language(tmp_path):
    brand = tmp_path / "brand.yaml"
    text = (REPO / "content" / "brands" / "eu_example" / "brand.yaml").read_text()
    brand.write_text(text.replace("  en: Example Street 12, 10115 Berlin\n", ""))
    shutil.copy(REPO / "content" / "brands" / "eu_example" / "logo.png", tmp_path)
    result = CliRunner().invoke(main, ["validate", str(brand)])
    assert result.exit_code == 2
    assert "error: 'address' has no text in the brand's own language 'en' (at address)" in result.stderr
