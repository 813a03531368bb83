"""The shared sections live once in templates/ and serve any medicine: baclofen and the
fictional testamine fill the same template files with different parameters."""

from __future__ import annotations

from conftest import make_pdf, pdf_text

from handouts.content import load_template


def _section(handout, sid):
    return next(s for s in handout.sections if s.id == sid)


def test_both_medicines_use_the_same_template_files(library, test_library):
    baclofen = library.medicine_path("baclofen", "en")
    testamine = test_library.medicine_path("testamine", "en")
    from handouts.content import load_medicine

    for sid, name in [("do_not_stop", "do_not_stop_suddenly"), ("buying_online", "online_pharmacy_safety")]:
        assert load_medicine(library, baclofen).doc.sections[sid].template == name
        assert load_medicine(library, testamine).doc.sections[sid].template == name
        assert load_template(library, library.template_path(name, "en")).doc.params  # parameterised, not copied text


def test_parameters_differ_and_shared_text_is_identical(library, test_library, tmp_path):
    bac, bac_pdf, _ = make_pdf(library, tmp_path, medicine="baclofen")
    tst, tst_pdf, _ = make_pdf(test_library, tmp_path, medicine="testamine")
    bac_text, tst_text = pdf_text(bac_pdf), pdf_text(tst_pdf)

    # the template's own sentence, printed for both medicines
    shared = "When it is time to stop, your doctor will lower the dose step by step."
    assert shared in " ".join(bac_text.split()) and shared in " ".join(tst_text.split())

    # the parameters each medicine passed
    assert "about 1–2 weeks" in " ".join(bac_text.split())
    assert "about 4 weeks" in " ".join(tst_text.split())
    assert "Feeling restless." in tst_text and "Feeling restless." not in bac_text
    assert "call 112 or your local emergency number" in " ".join(tst_text.split())
    assert "Sells Testamine in bulk packs." in tst_text
    assert "Testamine is a pharmacist-only medicine" in " ".join(tst_text.split())
    assert "Baclofen is a prescription medicine" in " ".join(bac_text.split())

    # the warning is a labelled box in both
    assert _section(bac, "do_not_stop").blocks[0].label == _section(tst, "do_not_stop").blocks[0].label


def test_layout_may_leave_out_optional_sections(test_library, tmp_path):
    handout, reader, _ = make_pdf(test_library, tmp_path, medicine="testamine", layout=None)
    assert "extras" in [s.id for s in handout.sections]
    from pathlib import Path

    short, reader, _ = make_pdf(test_library, tmp_path, medicine="testamine", layout=Path("essentials"))
    assert [s.id for s in short.sections] == [
        "what_it_is",
        "how_to_take",
        "do_not_stop",
        "side_effects",
        "buying_online",
    ]
    assert "Extra notes" not in pdf_text(reader)
