"""The medicine's name mid-sentence: shared templates printed "Stopping Baclofen" and
Russian "Не бросайте Баклофен" because they only had the heading form of the name.
A medicine file gives ``name_forms`` (in_sentence and, for languages with case, the
cases its sentences use); the templates print them, falling back to ``name``."""

from __future__ import annotations

import pytest
from conftest import make_pdf, pdf_text

from handouts.build import Request, prepare
from handouts.model import block_texts


def _printed(library, medicine, lang, level):
    handout = prepare(library, Request(medicine, lang, level))
    texts = [handout.title]
    for section in handout.sections:
        texts.append(section.title)
        texts += [t for block in section.blocks for t in block_texts(block)]
    return " ".join(" ".join(texts).split())


@pytest.mark.parametrize(
    "lang, level, wanted, unwanted",
    [
        ("en", "standard", "Stopping baclofen all at once", "Stopping Baclofen"),
        ("en", "standard", "Buying baclofen online", "Buying Baclofen"),
        ("en", "easy", "Do not stop taking baclofen all at once.", "taking Baclofen"),
        ("en", "detailed", "Abrupt discontinuation of baclofen,", "of Baclofen"),
        ("es", "standard", "Dejar baclofeno de golpe", "Dejar Baclofeno"),
        ("vi", "standard", "Ngừng baclofen đột ngột", "Ngừng Baclofen"),
        ("ru", "easy", "Не бросайте баклофен резко.", "Баклофен резко"),
        ("ru", "standard", "Если резко бросить баклофен,", "бросить Баклофен"),
        ("ru", "standard", "Покупка баклофена в интернете", "препарата Баклофен"),
        ("ru", "detailed", "Как безопасно купить баклофен в интернете", "препарат Баклофен"),
    ],
)
def test_shipped_templates_print_the_name_in_its_sentence_form(library, lang, level, wanted, unwanted):
    printed = _printed(library, "baclofen", lang, level)
    assert wanted in printed
    assert unwanted not in printed


def test_the_heading_keeps_the_capitalised_name(library, tmp_path):
    handout, reader, _ = make_pdf(library, tmp_path, medicine="baclofen", lang="ru", level="standard")
    text = " ".join(pdf_text(reader).split())
    assert handout.title == "Баклофен"
    assert "Баклофен — это" in text  # the start of a sentence
    assert "Покупка баклофена в интернете" in text


def test_without_name_forms_every_form_is_the_name(test_library):
    """testamine gives no name_forms: the templates print its name as written."""
    printed = _printed(test_library, "testamine", "en", "standard")
    assert "Stopping Testamine all at once" in printed


def test_an_unknown_name_form_is_an_error_at_its_line(test_library, tmp_path, runner):
    from handouts.cli import main

    source = test_library.medicine_path("testamine", "en").read_text()
    bad = source.replace("name: Testamine\n", "name: Testamine\nname_forms:\n  dativ: testamine\n", 1)
    assert bad != source
    path = tmp_path / "testamine" / "en.yaml"
    path.parent.mkdir()
    path.write_text(bad)
    result = runner.invoke(main, ["validate", str(path)])
    assert result.exit_code == 2
    assert f"{path}:6:3" in result.output and "dativ" in result.output
    assert "Traceback" not in result.output


def test_translation_qa_counts_every_form_as_the_name():
    from handouts.qa import _variables

    assert _variables("Покупка {{ medicine.name_genitive }}") == _variables("Buying {{ medicine.name_in_sentence }}")
    assert _variables("{{ medicine.name_x }}") != _variables("{{ medicine.name }}")
