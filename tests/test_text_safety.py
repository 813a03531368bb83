"""Text that would print differently from what the author sees (issue 12, parts 3 and 5):
control characters counted as spaces, marks composing into a character no font has,
bullets and labels of white space only, a list split at its commas, and an unquoted
``{{`` that YAML reads as the start of a mapping. Each is refused with file:line:col."""

from __future__ import annotations

import pytest
from test_errors import assert_build_fails, assert_validate_fails, build, change
from test_errors import content as content  # noqa: F401 (the fixture: a private copy of testamine)

M = "content/medicines/testamine/en.yaml"
TAKE = "      - p: Take {{ facts.dose }} once a day with water."


def medicine(content):
    return content / "medicines" / "testamine" / "en.yaml"


@pytest.mark.parametrize(
    "escape, name",
    [("\\x1c", "U+001C"), ("\\x1f", "U+001F"), ("\\v", "U+000B"), ("\\f", "U+000C")],
)
def test_control_characters_that_python_counts_as_space_are_refused(content, escape, name):
    """ "5\\x1c0 mg" printed "5 0 mg": the separators U+001C-U+001F, vertical tab and form
    feed were taken for spaces."""
    change(medicine(content), TAKE, f'      - p: "Take {{{{ facts.dose }}}}{escape} once a day."')
    result, _ = build(content)
    assert result.exit_code == 2
    assert f"{M}:23:34: error: {name} " in result.stderr
    assert "is a control character and prints nothing (at sections.how_to_take.body[0].p)" in result.stderr


def test_a_combining_mark_that_composes_into_an_uncovered_character_is_refused(content):
    """ "≤" + U+0338 passes the glyph check part by part, then composes (NFC, as drawn) into
    U+2270, which no font has: the build crashed with a ValueError (exit 1)."""
    change(medicine(content), TAKE, '      - p: "Keep the dose \\u2264\\u0338 the limit."')
    assert_build_fails(
        content,
        f"{M}:23:27: error: U+2264 LESS-THAN OR EQUAL TO with the marks after it composes into "
        "U+2270 NEITHER LESS-THAN NOR EQUAL TO, which no bundled font covers (at sections.how_to_take.body[0].p)\n"
        "  hint: write the text without the combining mark, or with a character the fonts have",
    )


@pytest.mark.parametrize("blank", ["\\u00a0", "\\u3000", "\\u2007 \\u00a0"])
def test_a_bullet_of_white_space_only_is_refused(content, blank):
    change(medicine(content), "          - Feeling sleepy.", f'          - "{blank}"')
    result, _ = build(content)
    assert result.exit_code == 2
    assert (
        f"{M}:30:14: error: text is only white space (at sections.side_effects.body[0].list[1])\n"
        "  hint: write the text, or delete the entry"
    ) in result.stderr


def test_a_warning_label_of_white_space_only_is_refused(content):
    path = content / "medicines" / "testamine" / "en.yaml"
    change(
        path,
        "  side_effects:\n    required: true\n    title: What side effects can it cause?\n    body:\n",
        "  side_effects:\n    required: true\n    title: What side effects can it cause?\n    body:\n"
        '      - warning:\n          label: "\\u3000"\n          body:\n            - p: Get help now.\n',
    )
    result, _ = build(content)
    assert result.exit_code == 2
    assert "error: text is only white space (at sections.side_effects.body[0].warning.label)" in result.stderr


def test_a_flow_list_that_reads_as_one_sentence_is_refused(content):
    """`[Seizures, including status epilepticus]` is two items in YAML: one bullet printed as two."""
    change(
        medicine(content),
        "        easy: [Keep a spare pack at home.]",
        "        easy: [Keep a spare pack, as travel may delay a refill]",
    )
    assert_validate_fails(
        content,
        "medicines/testamine/en.yaml",
        f"{M}:41:15: error: this [...] list has 2 items, split at its commas: 'Keep a spare pack' | "
        "'as travel may delay a refill' (at sections.do_not_stop.params.extra_notes.easy)\n"
        '  hint: write the list in block style, one "- item" a line: each line is one bullet, commas and all',
    )


def test_a_flow_list_of_capitalised_items_in_text_is_refused_too(content):
    """The old rule looked for a later item that is a lower-case phrase, so
    `[Seizures, Status epilepticus]` (one sentence or two bullets: nobody can tell) passed."""
    change(
        medicine(content),
        "        easy: [Keep a spare pack at home.]",
        "        easy: [Seizures, Status epilepticus]",
    )
    assert_validate_fails(
        content,
        "medicines/testamine/en.yaml",
        f"{M}:41:15: error: this [...] list has 2 items, split at its commas: 'Seizures' | "
        "'Status epilepticus' (at sections.do_not_stop.params.extra_notes.easy)\n"
        '  hint: write the list in block style, one "- item" a line: each line is one bullet, commas and all',
    )


def test_a_one_item_flow_list_and_block_lists_are_fine(content):
    """One item cannot have been split (an unquoted comma would have made two); the same
    two bullets in block style build."""
    change(
        medicine(content),
        "        easy: [Keep a spare pack at home.]",
        "        easy:\n          - Keep a spare pack at home.\n          - Ask your pharmacist.",
    )
    result, _ = build(content, "--level", "easy")
    assert result.exit_code == 0, result.output


def test_a_flow_list_of_ids_outside_text_is_fine(tmp_path):
    from handouts.loader import load_yaml

    path = tmp_path / "base.yaml"
    path.write_text("sections: [note, about]\nmatrix: {lang: [en, es], brand: [a, b]}\n")
    data = load_yaml(path).data
    assert data == {"sections": ["note", "about"], "matrix": {"lang": ["en", "es"], "brand": ["a", "b"]}}


@pytest.mark.parametrize(
    "line, col",
    [("      - p: {{ medicine.name }} is a made-up medicine.", 12), ("    title: {{ medicine.name }}", 12)],
)
def test_an_unquoted_line_starting_with_braces_says_quote_this_line(content, line, col):
    """It used to say "did not find expected key" (or "keys must be plain words")."""
    if line.startswith("      - p"):
        change(medicine(content), "      - p: Testamine is a made-up medicine used only in tests.", line)
        at = 18
    else:
        change(medicine(content), "    title: What is Testamine?", line)
        at = 16
    result, _ = build(content)
    assert result.exit_code == 2
    assert (
        f"{M}:{at}:{col}: error: a value that starts with {{{{ must be in quotes: YAML reads an unquoted {{ as the "
        "start of a mapping"
    ) in result.stderr
    assert '  hint: quote this line\'s text, e.g. - p: "{{ medicine.name }} is ..."' in result.stderr


def test_an_empty_list_parameter_prints_nothing_and_is_not_an_error(content):
    """`extra_red_flags: []` said "expected text, found a list" and "must not be empty,
    remove the key"; without the key: "needs parameter". A medicine with nothing to add
    says so with an empty list."""
    change(
        medicine(content),
        "      extra_red_flags:\n        - Sells Testamine in bulk packs.\n",
        "      extra_red_flags: []\n",
    )
    result, out = build(content)
    assert result.exit_code == 0, result.output
    from pypdf import PdfReader

    text = " ".join(" ".join(p.extract_text() for p in PdfReader(out / "handout.pdf").pages).split())
    assert "Do not buy from a website that: • Sells the medicine without a prescription. Medicine from" in text
