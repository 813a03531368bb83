"""Reading levels: the shipped content meets its targets, and the measure can tell hard
text from easy text."""

from __future__ import annotations

import pytest

from handouts.build import Request, prepare
from handouts.readability import TARGETS, measure, score, sentences
from handouts.schema import LEVELS


@pytest.mark.parametrize("level", LEVELS)
def test_shipped_baclofen_meets_targets(library, level):
    report = measure(prepare(library, Request("baclofen", level=level)))
    assert report.measured and report.ok, report.problems
    assert report.total.grade <= TARGETS[level].grade


def test_easy_is_easier_than_detailed(library):
    easy = measure(prepare(library, Request("baclofen", level="easy"))).total
    detailed = measure(prepare(library, Request("baclofen", level="detailed"))).total
    assert easy.grade + 4 < detailed.grade
    assert easy.longest < detailed.longest


def test_bullets_count_as_sentences(library):
    handout = prepare(library, Request("baclofen", level="standard"))
    units = sentences(handout.sections[0])
    assert all(u[-1] in ".!?:" for u in units)


def test_score_separates_easy_and_hard_text():
    easy = score(["Take one pill.", "Drink some water.", "Rest for a bit."])
    hard = score(
        [
            "Intrathecal administration necessitates individualised pharmacological titration.",
            "Contraindications include hypersensitivity.",
            "Discontinuation precipitates withdrawal.",
        ]
    )
    assert easy.grade < 3 < 12 < hard.grade
    assert easy.sentences == 3 and easy.words == 10 and easy.longest == 4


def test_measuring_needs_no_download():
    """textstat 0.7.10+ fetches an NLTK corpus at run time; the pinned 0.7.8 must not."""
    import subprocess
    import sys

    code = (
        "import socket, sys\n"
        "def no_network(*a, **k): raise OSError('network used')\n"
        "socket.socket.connect = no_network\n"
        "from handouts.readability import score\n"
        "s = score(['Take one pill.', 'Drink water.', 'Rest now.'])\n"
        "assert 'nltk' not in sys.modules\n"
        "print(s.grade)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert float(result.stdout) < 3
