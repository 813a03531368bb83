"""The shipped content follows the content rules: numbers only via facts, required
sections present and marked, draft status honest."""

from __future__ import annotations

import re

from handouts import schema
from handouts.content import load_medicine
from handouts.loader import load_yaml, texts

JINJA = re.compile(r"\{\{.*?\}\}", re.DOTALL)


def test_numbers_in_baclofen_text_come_from_facts(library):
    """A dose typed into the text could drift from the facts a translation reuses."""
    source = load_yaml(library.medicine_path("baclofen", "en"))
    typed = [(path, text) for path, text in texts(source.data["sections"]) if re.search(r"\d", JINJA.sub("", text))]
    assert not typed, f"digits typed outside {{{{ facts }}}}: {typed}"


def test_templates_do_not_name_a_medicine(library):
    for name in library.template_names():
        text = library.template_path(name, "en").read_text().lower()
        assert "baclofen" not in text and not re.search(r"\d+\s*mg", text)


def test_baclofen_requires_the_five_sections_and_is_a_draft(library):
    doc = load_medicine(library, library.medicine_path("baclofen", "en")).doc
    required = {sid for sid, section in doc.sections.items() if section.required}
    assert required == {"what_it_is", "how_to_take", "side_effects", "do_not_stop", "buying_online"}
    assert doc.status == "draft"  # no pharmacist has reviewed it: it must print as a draft
    assert doc.facts["max_daily_dose"] == schema.Quantity(value=80, unit="mg")
    assert doc.facts["start_dose"] == schema.Quantity(value=5, unit="mg")


def test_loader_accepts_bom_and_crlf_and_keeps_positions(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_bytes("\ufeffname: A\r\nlist:\r\n  - one\r\n  - two\r\n".encode())
    source = load_yaml(path)
    assert source.data == {"name": "A", "list": ["one", "two"]}
    assert source.value_pos[("list", 1)] == (4, 5)
    assert source.key_pos[("list",)] == (2, 1)
