"""Reading levels: the shipped content meets its targets, each language is measured with its
own formula (or honestly not at all), and the measure can tell hard text from easy text."""

from __future__ import annotations

import datetime
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

from handouts.build import Request, prepare
from handouts.cli import main
from handouts.model import Brand, BulletList, Callout, Handout, Paragraph, Section, Span, Strings
from handouts.readability import (
    FLESCH_KINCAID,
    measure,
    primary,
    russian_syllables,
    score,
    sentences,
    spanish_syllables,
    split_sentences,
)
from handouts.schema import LEVELS

SPANISH_EASY = [
    "¿Cómo tomo la pastilla?",
    "Tome la pastilla con agua.",
    "No tome dos dosis juntas.",
    "¡Si se siente mal, llame a su médico!",
    "No deje de tomarla de golpe.",
    "Guarde las pastillas en un lugar seco.",
]
SPANISH_HARD = [
    (
        "La administración concomitante de depresores del sistema nervioso central potencia "
        "considerablemente los efectos sedantes, por lo que se recomienda una monitorización "
        "farmacológica individualizada."
    ),
    (
        "La interrupción brusca del tratamiento puede precipitar alucinaciones, convulsiones y una "
        "hiperactividad autonómica potencialmente mortal."
    ),
]
RUSSIAN_EASY = [
    "Пейте таблетку с водой.",
    "Не пейте две дозы сразу.",
    "Если вам плохо, звоните врачу.",
    "Не бросайте лечение сами.",
    "Храните таблетки в сухом месте.",
]
RUSSIAN_HARD = [
    (
        "Одновременное применение с другими средствами, угнетающими центральную нервную систему, "
        "существенно усиливает седативное действие, поэтому необходим индивидуальный "
        "фармакологический контроль."
    ),
    (
        "Внезапная отмена препарата может спровоцировать галлюцинации, судороги и потенциально "
        "смертельную вегетативную гиперактивность."
    ),
]
ENGLISH = ["Take one pill.", "Drink some water.", "Rest for a bit."]


def make_handout(lang: str, level: str, *texts: str) -> Handout:
    """A one-section handout: the first text a paragraph, the rest bullets in a warning box."""
    first, *rest = texts
    blocks = (Paragraph((Span(first),)),) + (
        (Callout("!", (BulletList(tuple((Span(t),) for t in rest)),)),) if rest else ()
    )
    return Handout(
        medicine="demo",
        title="Demo",
        summary="",
        lang=lang,
        level=level,
        draft=False,
        revised=datetime.date(2026, 1, 1),
        version="0",
        sections=(Section("body", "Body", blocks),),
        brand=Brand(name="Test", primary="#000000", accent="#000000"),
        strings=Strings(
            page="{page}/{pages}",
            revised="{date}",
            version="{version}",
            draft_mark="D",
            draft_notice="D",
            continued="{label}",
        ),
        paper="a4",
    )


# --- English, as before ------------------------------------------------------------


@pytest.mark.parametrize("level", LEVELS)
def test_shipped_baclofen_meets_targets(library, level):
    report = measure(prepare(library, Request("baclofen", level=level)))
    assert report.measured and report.ok, report.problems
    assert report.total.values["grade"] <= FLESCH_KINCAID.targets[level]


def test_easy_is_easier_than_detailed(library):
    easy = measure(prepare(library, Request("baclofen", level="easy"))).total
    detailed = measure(prepare(library, Request("baclofen", level="detailed"))).total
    assert easy.values["grade"] + 4 < detailed.values["grade"]
    assert easy.longest < detailed.longest


def test_bullets_count_as_sentences(library):
    handout = prepare(library, Request("baclofen", level="standard"))
    units = sentences(handout.sections[0])
    assert all(u[-1] in ".!?:" for u in units)


def test_score_separates_easy_and_hard_text():
    easy = score(ENGLISH)
    hard = score(
        [
            "Intrathecal administration necessitates individualised pharmacological titration.",
            "Contraindications include hypersensitivity.",
            "Discontinuation precipitates withdrawal.",
        ]
    )
    assert easy.values["grade"] < 3
    assert hard.values["grade"] > 12
    assert easy.sentences == 3 and easy.words == 10 and easy.longest == 4


# --- Spanish -------------------------------------------------------------------------


def test_spanish_tiny_text_matches_hand_count():
    # Tome (to-me 2) una (u-na 2) pastilla (pas-ti-lla 3) | Beba (be-ba 2) agua (a-gua 2):
    # 5 words, 11 syllables, 2 sentences.
    # Szigriszt-Pazos: 206.835 - 62.3 * 11/5 - 5/2 = 206.835 - 137.06 - 2.5 = 67.275
    # Fernandez-Huerta: 206.84 - 0.60 * (100 * 11/5) - 1.02 * 5/2 = 206.84 - 132 - 2.55 = 72.29
    s = score(["Tome una pastilla. Beba agua."], "es")
    assert (s.words, s.sentences, s.longest) == (5, 2, 3)
    assert s.values == {"INFLESZ": 67.3, "F-Huerta": 72.3}


@pytest.mark.parametrize(
    ("word", "count"),
    [
        ("agua", 2),  # a-gua: pyphen (so textstat) says 1, it never splits off one letter
        ("día", 2),  # dí-a: an accented i is a vowel of its own
        ("oído", 3),
        ("baclofeno", 4),
        ("guerra", 2),  # silent u
        ("pingüino", 3),  # ü is heard
        ("prohíbe", 3),  # h does not separate vowels
        ("ciudad", 2),  # diphthong
        ("náusea", 3),
        ("hoy", 1),  # final y is the vowel i
        ("mayo", 2),  # y before a vowel is a consonant
        ("Y", 1),
        ("mg", 1),
        ("80", 1),
    ],
)
def test_spanish_syllables(word, count):
    assert spanish_syllables(word) == count


def test_spanish_easy_scores_easier_than_hard():
    easy = measure(make_handout("es", "easy", *SPANISH_EASY))
    hard = measure(make_handout("es", "easy", *SPANISH_HARD))
    assert easy.ok, easy.problems
    assert easy.total.values["INFLESZ"] > 80  # muy fácil
    assert hard.total.values["INFLESZ"] < 40  # muy difícil
    assert easy.total.values["F-Huerta"] > hard.total.values["F-Huerta"]
    assert easy.total.sentences == 6  # the question, the exclamation and every bullet count
    assert hard.problems[0].startswith("INFLESZ ") and "below the easy target of 65.0" in hard.problems[0]
    assert "section 'body' INFLESZ" in hard.problems[1]
    assert "Szigriszt-Pazos perspicuity (INFLESZ scale)" in hard.summary()
    assert "muy fácil (target >= 65.0)" in easy.summary()
    assert "Fernández-Huerta" in easy.summary()


def test_regional_spanish_uses_the_spanish_formula():
    assert primary("es-MX") == "es" and primary("zh-Hans") == "zh"
    report = measure(make_handout("es-MX", "standard", *SPANISH_EASY))
    assert report.measured and report.formulas[0].key == "INFLESZ"


def test_sentences_split_on_spanish_and_russian_punctuation():
    assert split_sentences("¿Qué es? ¡Cuidado! Tome p. ej. una dosis. «Fin.» Listo…") == [
        "¿Qué es?",
        "¡Cuidado!",
        "Tome p. ej. una dosis.",
        "«Fin.»",
        "Listo…",
    ]
    assert split_sentences("Не пейте, т. е. не надо. Звоните врачу! Хорошо?") == [
        "Не пейте, т. е. не надо.",
        "Звоните врачу!",
        "Хорошо?",
    ]


def test_english_unaffected_by_measuring_spanish():
    import textstat

    before = score(ENGLISH)
    measure(make_handout("es", "easy", *SPANISH_EASY))
    measure(make_handout("ru", "easy", *RUSSIAN_EASY))
    assert score(ENGLISH) == before
    assert textstat.syllable_count("water") == 2  # textstat's global language is still English


# --- Russian -------------------------------------------------------------------------


def test_russian_tiny_text_matches_hand_count():
    # Every vowel letter is a syllable: Пейте (е, е: 2) воду (о, у: 2) | Отдыхайте (О, ы, а, е: 4):
    # 3 words, 8 syllables, 2 sentences.
    # Oborneva: 206.835 - 1.3 * 3/2 - 60.1 * 8/3 = 206.835 - 1.95 - 160.2667 = 44.618
    s = score(["Пейте воду. Отдыхайте."], "ru")
    assert (s.words, s.sentences) == (3, 2)
    assert s.values == {"Flesch-ru": 44.6}
    assert russian_syllables("ёлка") == 2 and russian_syllables("мг") == 1


def test_russian_easy_scores_easier_than_hard():
    easy = measure(make_handout("ru", "standard", *RUSSIAN_EASY)).total.values["Flesch-ru"]
    hard = measure(make_handout("ru", "detailed", *RUSSIAN_HARD))
    assert easy > 70
    assert hard.total.values["Flesch-ru"] < 0
    assert "Flesch-ru" in hard.problems[0] and "below the detailed target of 50.0" in hard.problems[0]
    assert "Flesch Reading Ease for Russian (Oborneva 2006)" in hard.summary()


# --- Languages without a formula -----------------------------------------------------


@pytest.mark.parametrize("lang", ["zh-Hans", "vi", "ko", "ar", "hi", "xx"])
def test_language_without_formula_is_not_measured(lang):
    report = measure(make_handout(lang, "easy", "Text in any script. Another sentence."))
    assert not report.measured and report.ok
    assert report.total is None and report.sections == () and report.formulas == ()
    assert report.summary().startswith(f"not measured: no validated formula for {lang} available offline")
    assert not re.search(r"\d", report.summary()), "a language without a formula gets no number"
    with pytest.raises(ValueError, match="not measured|no validated formula"):
        score(["Text."], lang)


def test_cli_names_the_formula_and_says_not_measured(tmp_path):
    """The command's output explains itself for a measured and an unmeasured language."""
    body = "\n".join(f"      - p: {text!r}" for text in SPANISH_EASY)
    for lang in ("es", "vi"):
        (tmp_path / "strings").mkdir(exist_ok=True)
        (tmp_path / "strings" / f"{lang}.yaml").write_text(
            f"lang: {lang}\npage: '{{page}}/{{pages}}'\nrevised: '{{date}}'\nversion: '{{version}}'\n"
            "draft_mark: X\ndraft_notice: X\ncontinued: '{label}'\n",
            encoding="utf-8",
        )
        folder = tmp_path / "medicines" / "demo"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{lang}.yaml").write_text(
            f"medicine: demo\nname: Demo\nlang: {lang}\nstatus: reviewed\nrevised: 2026-01-01\nsummary: Demo\n"
            f"sections:\n  what:\n    title: Qué es\n    body:\n{body}\n",
            encoding="utf-8",
        )
    runner = CliRunner()
    result = runner.invoke(main, ["--content", str(tmp_path), "readability", "demo", "--lang", "es"])
    assert result.exit_code == 0, result.output
    assert "target Szigriszt-Pazos perspicuity (INFLESZ scale) >= 65.0 (each section >= 55.0)" in result.stdout
    assert re.search(r"Szigriszt-Pazos perspicuity \(INFLESZ scale\) \d+\.\d, muy fácil", result.stdout)
    result = runner.invoke(main, ["--content", str(tmp_path), "readability", "demo", "--lang", "vi"])
    assert result.exit_code == 0, result.output
    assert result.stdout.count("not measured: no validated formula for vi available offline") == 3
    assert "WHOLE LEVEL" not in result.stdout


# --- Offline -------------------------------------------------------------------------


def test_measuring_needs_no_download():
    """textstat 0.7.10+ fetches an NLTK corpus at run time; the pinned 0.7.8 must not, and
    Spanish and Russian are counted by our own code."""
    code = (
        "import socket, sys\n"
        "def no_network(*a, **k): raise OSError('network used')\n"
        "socket.socket.connect = no_network\n"
        "socket.create_connection = no_network\n"
        "from handouts.readability import score\n"
        "en = score(['Take one pill.', 'Drink water.', 'Rest now.'])\n"
        "es = score(['Tome una pastilla. Beba agua.'], 'es')\n"
        "ru = score(['Пейте воду. Отдыхайте.'], 'ru')\n"
        "assert 'nltk' not in sys.modules\n"
        "print(en.values['grade'], es.values['INFLESZ'], ru.values['Flesch-ru'])\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    grade, inflesz, flesch_ru = map(float, result.stdout.split())
    assert grade < 3 and inflesz == 67.3 and flesch_ru == 44.6
