"""Numbers print exactly as the author meant (issue 12, part 1): no rounding, no YAML 1.1
readings, values never taken as markup, no joined words, number and unit never split,
no number typed into prose."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from test_errors import REPO, assert_build_fails, assert_validate_fails, build, change
from test_errors import content as content  # noqa: F401 (the fixture: a private copy of testamine)

from handouts import l10n
from handouts.build import Request, prepare
from handouts.content import Library
from handouts.model import Paragraph, Span, block_texts

M = "content/medicines/testamine/en.yaml"


def medicine(content: Path) -> Path:
    return content / "medicines" / "testamine" / "en.yaml"


def how_to_take(content: Path, level: str = "standard") -> Paragraph:
    handout = prepare(Library.with_content(content), Request("testamine", level=level))
    block = next(s for s in handout.sections if s.id == "how_to_take").blocks[0]
    assert isinstance(block, Paragraph)
    return block


# --- decimals: every digit written, none added or rounded away -----------------------


@pytest.mark.parametrize(
    "written, printed",
    [("0.0625", "0.0625"), ("0.0004", "0.0004"), ("1.2345", "1.2345"), ("12345.678", "12,345.678"), ("2.5", "2.5")],
)
def test_a_decimal_dose_prints_every_digit_the_author_wrote(content, written, printed):
    change(medicine(content), "dose: {value: 20, unit: mg}", f"dose: {{value: {written}, unit: mg}}")
    assert block_texts(how_to_take(content)) == [f"Take {printed}\u00a0mg once a day with water."]


@pytest.mark.parametrize(
    "lang, printed",
    [("en", "0.0625"), ("es", "0,0625"), ("ru", "0,0625"), ("ar", "0.0625"), ("hi", "0.0625"), ("zh-Hans", "0.0625")],
)
def test_decimals_keep_their_digits_with_the_languages_separator(lang, printed):
    assert l10n.number(0.0625, lang) == printed
    assert l10n.number(0.0004, lang).endswith("0004")


# --- YAML 1.1 number forms are refused, wherever a number is read --------------------

YAML11 = [
    ("010", "number '010' is octal, for its leading zero (YAML 1.1): YAML reads it as 8, not as written"),
    ("0x10", "number '0x10' is hexadecimal (YAML 1.1): YAML reads it as 16, not as written"),
    ("0b11", "number '0b11' is binary (YAML 1.1): YAML reads it as 3, not as written"),
    ("1:30", "number '1:30' is base 60, as minutes:seconds (YAML 1.1): YAML reads it as 90, not as written"),
    ("1_000", "number '1_000' is with '_' digit separators (YAML 1.1): YAML reads it as 1000, not as written"),
]


@pytest.mark.parametrize("written, message", YAML11, ids=[w for w, _ in YAML11])
@pytest.mark.parametrize("header", ["", "%YAML 1.2\n---\n"], ids=["plain", "yaml-1.2-directive"])
def test_yaml_1_1_number_forms_are_refused_with_position_and_hint(content, written, message, header):
    path = medicine(content)
    path.write_text(header + path.read_text())
    change(path, "dose: {value: 20, unit: mg}", f"dose: {{value: {written}, unit: mg}}")
    line = 10 + header.count("\n")
    assert_validate_fails(
        content,
        "medicines/testamine/en.yaml",
        f"{M}:{line}:17: error: {message} (at facts.dose.value)\n"
        "  hint: write the number in plain decimal digits; put it in quotes if it is text, not a number",
    )


@pytest.mark.parametrize(
    "written, message, hint",
    [
        (".5", "number '.5' has no leading zero: '.5 mg' is misread as '5 mg'", "write 0.5"),
        ("5.0", "number '5.0' has a trailing zero or point: '5.0 mg' is misread as ten times the dose", "write 5"),
        ("1.0e+3", "number '1.0e+3' is in exponent notation", "write it out in plain decimal digits, e.g. 0.001"),
    ],
)
def test_error_prone_dose_notations_are_refused(content, written, message, hint):
    change(medicine(content), "dose: {value: 20, unit: mg}", f"dose: {{value: {written}, unit: mg}}")
    result, _ = build(content)
    assert result.exit_code == 2
    assert f"{M}:10:17: error: {message} (at facts.dose.value)\n  hint: {hint}" in result.stderr


def test_a_quoted_number_is_text_and_prints_as_written(content):
    change(medicine(content), 'emergency_number: "112"', 'emergency_number: "010"')
    change(medicine(content), "Take {{ facts.dose }} once a day with water.", "Call {{ facts.emergency_number }}.")
    assert block_texts(how_to_take(content)) == ["Call 010."]


# --- values are literal text -----------------------------------------------------------


def test_a_value_is_never_markup(content):
    change(medicine(content), 'emergency_number: "112"', 'emergency_number: "1**12"')
    change(
        medicine(content),
        "Take {{ facts.dose }} once a day with water.",
        "Call {{ facts.emergency_number }} and take it **every** morning.",
    )
    assert how_to_take(content).spans == (
        Span("Call 1**12 and take it "),
        Span("every", bold=True),
        Span(" morning."),
    )


def test_a_value_inside_bold_is_bold_and_literal(content):
    change(medicine(content), 'emergency_number: "112"', 'emergency_number: "**112"')
    change(
        medicine(content),
        "Take {{ facts.dose }} once a day with water.",
        '"**Call {{ facts.emergency_number }}** now."',
    )
    assert how_to_take(content).spans == (Span("Call **112", bold=True), Span(" now."))


def test_a_parameter_value_is_never_markup(content):
    """A parameter filled into a shared template's sentence is one literal value, even
    when it holds a fact and the author's own asterisks."""
    change(
        medicine(content), "medicine_kind: a pharmacist-only medicine", 'medicine_kind: "a **pharmacist-only medicine"'
    )
    change(medicine(content), "      prescriber: your pharmacist", '      prescriber: "your** pharmacist"')
    handout = prepare(Library.with_content(content), Request("testamine"))
    section = next(s for s in handout.sections if s.id == "buying_online")
    first = section.blocks[0]
    assert isinstance(first, Paragraph) and not any(span.bold for span in first.spans)
    assert (
        "is a **pharmacist-only medicine. You can only get it with a valid prescription from your** pharmacist."
        in (block_texts(first)[0])
    )


def test_jinja_whitespace_control_is_refused(content):
    change(medicine(content), "Take {{ facts.dose }} once a day", "Take {{- facts.dose -}} once a day")
    assert_build_fails(
        content,
        f"{M}:23:12: error: template not allowed: whitespace control ({{{{- or -}}}}), which joins the value to "
        "the words around it (at sections.how_to_take.body[0].p)\n"
        "  hint: only {{ facts.x }}, {{ params.x }} and {{ medicine.name }} are available",
    )


# --- a number and its unit never split ---------------------------------------------------


@pytest.mark.parametrize("folded", [False, True], ids=["one-line", "folded"])
def test_the_no_break_space_of_a_dose_survives_resolving(content, folded):
    """``normalize_space`` once turned the no-break space of "20 mg" into a plain one."""
    text = "Take {{ facts.dose }} once a day with water."
    if folded:
        change(
            medicine(content),
            f"      - p: {text}",
            "      - p: >-\n          Take {{ facts.dose }}\n          once a day with water.",
        )
    assert block_texts(how_to_take(content)) == ["Take 20\u00a0mg once a day with water."]


def test_a_dose_never_ends_a_printed_line(content):
    """Every position in a line is tried: words of growing length push "20 mg" along
    until it has sat at the end of lines many times; "20" never ends one."""
    words = " ".join("w" * (n * 7919 % 13 + 1) + " {{ facts.dose }}" for n in range(150))
    change(medicine(content), "Take {{ facts.dose }} once a day with water.", words)
    result, out = build(content)
    assert result.exit_code == 0, result.output
    lines = [ln.strip() for page in PdfReader(out / "handout.pdf").pages for ln in page.extract_text().splitlines()]
    assert sum(ln.endswith("mg") for ln in lines) > 5  # the dose did reach line ends
    assert not [ln for ln in lines if ln.endswith("20") or ln.startswith("mg")]


# --- numbers in prose ----------------------------------------------------------------------


def test_a_number_in_source_prose_is_an_error_naming_the_fact_to_add(content):
    change(medicine(content), "Take {{ facts.dose }} once a day with water.", "Take 600 mg three times a day.")
    assert_validate_fails(
        content,
        "medicines/testamine/en.yaml",
        f"{M}:23:17: error: number '600' written in the text (at sections.how_to_take.body[0].p)\n"
        "  hint: a dose, time, count or phone number comes from facts: add it there, e.g. "
        "'dose: {value: 600, unit: mg}' or 'times_a_day: 600', and write {{ facts.dose }} here "
        "(see the authoring guide: numbers in text)",
    )


@pytest.mark.parametrize("text", ["Take 2 tablets.", "Take ½ a tablet.", "Call 555-0100.", "Open 24/7.", "Take 5mg."])
def test_every_kind_of_number_in_prose_is_refused(content, text):
    change(medicine(content), "Take {{ facts.dose }} once a day with water.", text)
    result, _ = build(content)
    assert result.exit_code == 2 and "written in the text" in result.stderr, result.output


def test_digits_inside_names_are_exempt(content):
    text = "Vitamin B12, COVID-19 vaccines and CYP3A4 inhibitors do not change {{ facts.dose }}."
    change(medicine(content), "Take {{ facts.dose }} once a day with water.", text)
    assert block_texts(how_to_take(content)) == [text.replace("{{ facts.dose }}", "20\u00a0mg")]


def test_a_medicine_name_may_start_with_a_digit(content):
    change(medicine(content), "name: Testamine", "name: 5-Testamine")
    assert how_to_take(content).spans  # builds: a name is not prose


def test_a_number_in_a_shared_templates_prose_is_refused_on_its_own(tmp_path):
    from click.testing import CliRunner

    from handouts.cli import main

    template = tmp_path / "templates" / "do_not_stop_suddenly" / "en.yaml"
    template.parent.mkdir(parents=True)
    source = (REPO / "templates" / "do_not_stop_suddenly" / "en.yaml").read_text()
    template.write_text(source.replace("Stopping too fast can make you very sick.", "Wait 2 days."))
    result = CliRunner().invoke(main, ["validate", str(template)])
    assert result.exit_code == 2
    assert "error: number '2' written in the text (at body.easy[0].warning.body[1].p)" in result.stderr
