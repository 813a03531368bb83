"""Reading-level measurement, offline, with a formula valid for the handout's language.

A number from an English formula on Spanish text would be made up, so each language gets
its own published formula and its own targets on that formula's scale, or an honest
"not measured". Languages are matched on the primary subtag ("es-MX" uses "es").

- English: Flesch-Kincaid grade and SMOG from textstat 0.7.8 (pinned): it counts syllables
  with the CMU dictionary and pyphen, and never downloads anything (0.7.10+ fetches an NLTK
  corpus at run time; 0.7.4 needs pkg_resources, which current setuptools no longer ships).
- Spanish: Szigriszt-Pazos perspicuity (1993), judged on the INFLESZ scale, which
  Barrio-Cantalejo et al. validated on texts written for patients (An Sist Sanit Navar
  2008;31(2):135-152); Fernandez-Huerta (1959, as corrected by Law 2011) is shown too.
- Russian: Flesch Reading Ease as adapted by Oborneva (2006), judged on Flesch's bands.
- Chinese, Vietnamese, Korean, Arabic, Hindi: not measured; NOT_MEASURED says why.

Spanish and Russian are counted here, not by textstat: textstat counts syllables from
pyphen's hyphenation patterns, which never split off a single letter, so "agua", "dia"
and "baclofeno" come out one syllable short and Spanish text scores too easy; its
sentence count also drops sentences of one or two words, which bullets often are.
Nothing here touches textstat's global language (set_lang), so English stays English.

What is measured: every paragraph, subhead, bullet item and warning label/body of a
section at one level, and the key points (scored as a part of their own, ``key_points``,
since they are what a patient reads first). Items and labels are sentences of their own
(a full stop is added when they lack one), titles and the summary line are not measured.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .model import Handout, Section, block_texts, plain

_CLOSERS = r"\"'»”’)\]"  # may follow the full stop: quotes, brackets
_END = re.compile(rf"[.!?:…][{_CLOSERS}]*$")
_SPLIT = re.compile(rf"(?:(?<=[.!?…])|(?<=[.!?…][{_CLOSERS}]))\s+")
_WORD = re.compile(r"\w+(?:[-'’]\w+|[.,]\d+)*")


@dataclass(frozen=True)
class Formula:
    """One published formula: its scale's direction and the target of each level on it.

    A level missing from ``targets`` is shown but not judged (like SMOG above ``easy``).
    ``bands`` name ranges of the scale as its authors did, easiest first: (floor, name).
    """

    key: str  # column heading and the word used in problems, e.g. "grade", "INFLESZ"
    name: str  # what the report says was used
    higher_is_easier: bool
    targets: Mapping[str, float] = field(default_factory=dict)
    section_targets: Mapping[str, float] = field(default_factory=dict)
    bands: tuple[tuple[float, str], ...] = ()
    compute: Callable[[int, int, int], float] | None = None  # (words, sentences, syllables) -> score

    @property
    def worse(self) -> str:
        return "below" if self.higher_is_easier else "above"

    def misses(self, value: float, target: float) -> bool:
        return value < target if self.higher_is_easier else value > target

    def bound(self, target: float) -> str:
        return f"{'>=' if self.higher_is_easier else '<='} {target}"

    def band(self, value: float) -> str | None:
        return next((name for floor, name in self.bands if value >= floor), None)


@dataclass(frozen=True)
class Score:
    values: Mapping[str, float | None]  # by Formula.key; None when undefined (SMOG under 3 sentences)
    words: int
    sentences: int
    longest: int  # words in the longest sentence


@dataclass(frozen=True)
class Method:
    """How one language is measured: its formulas, and how its syllables are counted
    (None: textstat counts everything, as English always has)."""

    formulas: tuple[Formula, ...]
    syllables: Callable[[str], int] | None = None

    def score(self, units: Sequence[str]) -> Score:
        if self.syllables is None:
            return _english(units)
        return _counted(units, self.syllables, self.formulas)


@dataclass(frozen=True)
class LevelReport:
    level: str
    lang: str
    formulas: tuple[Formula, ...]  # empty when not measured
    total: Score | None
    sections: tuple[tuple[str, Score], ...]
    problems: tuple[str, ...]
    not_measured: str | None = None  # the reason, when there is no formula for the language

    @property
    def measured(self) -> bool:
        return self.total is not None

    @property
    def ok(self) -> bool:
        return not self.problems

    def targets(self) -> str:
        """The targets of this level in words, e.g. "Flesch-Kincaid grade <= 4.5 (each section <= 5.5)"."""
        parts = []
        for f in self.formulas:
            target, section = f.targets.get(self.level), f.section_targets.get(self.level)
            if target is None:
                parts.append(f"{f.name} (shown, no target)")
            else:
                parts.append(f"{f.name} {f.bound(target)}" + (f" (each section {f.bound(section)})" if section else ""))
        return "; ".join(parts)

    def summary(self) -> str:
        """The whole level's numbers named by formula.

        E.g. "Szigriszt-Pazos ... 72.4, bastante facil (target >= 65)".
        """
        if self.total is None:
            return f"not measured: {self.not_measured}"
        parts = []
        for f in self.formulas:
            value, target = self.total.values[f.key], f.targets.get(self.level)
            if value is None:
                parts.append(f"{f.name}: too few sentences")
                continue
            band = f.band(value)
            goal = f"target {f.bound(target)}" if target is not None else "no target"
            parts.append(f"{f.name} {value}" + (f", {band}" if band else "") + f" ({goal})")
        return "; ".join(parts)


KEY_POINTS = "key_points"  # the part of a report that scores the key points box


def sentences(section: Section) -> list[str]:
    return _ended(text for block in section.blocks for text in block_texts(block))


def _ended(texts: Iterable[str]) -> list[str]:
    """Each unit as a sentence: a bullet or label without a full stop gets one."""
    out = []
    for text in texts:
        text = text.strip()
        out.append(text if _END.search(text) else text + ".")
    return out


def parts(handout: Handout) -> list[tuple[str, list[str]]]:
    """What is measured, part by part: the key points first (when printed), then each section."""
    out = [(s.id, sentences(s)) for s in handout.sections]
    if handout.key_points is not None:
        out.insert(0, (KEY_POINTS, _ended(plain(item) for item in handout.key_points.items)))
    return out


def split_sentences(unit: str) -> list[str]:
    """Sentences of one unit. Spanish opens with ¿ and ¡ but ends with ? and ! like English and
    Russian; a piece that starts in lower case continues the one before ("p. ej. la", "т. е. в")."""
    out: list[str] = []
    for piece in _SPLIT.split(unit.strip()):
        first = next((c for c in piece if c.isalpha()), "")
        if out and first.islower():
            out[-1] += " " + piece
        elif _WORD.search(piece):
            out.append(piece)
    return out


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def _counted(units: Sequence[str], syllables: Callable[[str], int], formulas: Sequence[Formula]) -> Score:
    """Score from our own counts: every sentence counts, however short (a bullet is read too)."""
    pieces = [s for unit in units for s in split_sentences(unit)]
    tokens = words(" ".join(units))
    n_words, n_sentences = len(tokens), len(pieces)
    n_syllables = sum(syllables(w) for w in tokens)
    return Score(
        values={
            f.key: round(f.compute(n_words, n_sentences, n_syllables), 1) if tokens and f.compute else None
            for f in formulas
        },
        words=n_words,
        sentences=n_sentences,
        longest=max((len(words(p)) for p in pieces), default=0),
    )


def szigriszt_pazos(words: int, sentences: int, syllables: int) -> float:
    """Szigriszt-Pazos 1993 perspicuity: 206.835 - 62.3 * syllables/words - words/sentences."""
    return 206.835 - 62.3 * syllables / words - words / sentences


def fernandez_huerta(words: int, sentences: int, syllables: int) -> float:
    """Fernandez-Huerta 1959: 206.84 - 0.60 P - 1.02 F, P = syllables per 100 words, F = words
    per sentence. Often misquoted with F = sentences per 100 words, which would score shorter
    sentences as harder (Law 2011); textstat 0.7.8 has the corrected form, as here."""
    return 206.84 - 0.60 * (100 * syllables / words) - 1.02 * words / sentences


def flesch_oborneva(words: int, sentences: int, syllables: int) -> float:
    """Flesch Reading Ease for Russian, Oborneva 2006: 206.835 - 1.3 ASL - 60.1 ASW."""
    return 206.835 - 1.3 * words / sentences - 60.1 * syllables / words


# --- Spanish -------------------------------------------------------------------------

_ES_STRONG = frozenset("aeoáéíóú")  # an accented i or u is a vowel of its own (hiatus): dí-a
_ES_VOWEL_RUN = re.compile(r"[aeiouáéíóúü]+")


def spanish_syllables(word: str) -> int:
    """Syllables by the orthographic rules of the RAE (Ortografia 2010): each strong or
    accented vowel is a nucleus, unaccented i/u join their neighbour (diphthong), h does not
    separate vowels, u is silent in que/qui/gue/gui, y is a vowel when no vowel follows.
    A token without vowels (a number, "mg") counts as one syllable."""
    w = word.lower().replace("h", "")
    w = re.sub(r"(?<=[qg])u(?=[eiéí])", "", w)
    w = re.sub(r"y(?![aeiouáéíóú])", "i", w)
    return max(1, sum(max(1, sum(c in _ES_STRONG for c in run)) for run in _ES_VOWEL_RUN.findall(w)))


# INFLESZ bands (Barrio-Cantalejo 2008). Targets sit on band floors, as for Russian below:
# easy = "bastante fácil" (each section at least "normal"), standard = "normal", the band
# INFLESZ expects most adults to manage, detailed = "algo difícil".
_INFLESZ = (
    (80.0, "muy fácil"),
    (65.0, "bastante fácil"),
    (55.0, "normal"),
    (40.0, "algo difícil"),
    (float("-inf"), "muy difícil"),
)
SZIGRISZT_PAZOS = Formula(
    key="INFLESZ",
    name="Szigriszt-Pazos perspicuity (INFLESZ scale)",
    higher_is_easier=True,
    targets={"easy": 65.0, "standard": 55.0, "detailed": 40.0},
    section_targets={"easy": 55.0},
    bands=_INFLESZ,
    compute=szigriszt_pazos,
)
FERNANDEZ_HUERTA = Formula(key="F-Huerta", name="Fernández-Huerta", higher_is_easier=True, compute=fernandez_huerta)


# --- Russian -------------------------------------------------------------------------

_RU_VOWELS = re.compile(r"[аеёиоуыэюя]")


def russian_syllables(word: str) -> int:
    """In Russian every vowel letter is one syllable, exactly; no dictionary is needed.
    A token without Cyrillic vowels (a number, a Latin name) counts as one syllable."""
    return max(1, len(_RU_VOWELS.findall(word.lower())))


# Flesch's own bands (Flesch 1948). Oborneva derived the Russian coefficients from English and
# Russian parallel texts so that the same bands apply; she did not test Russian readers, which
# is weaker evidence than INFLESZ's. Targets: easy = "easy" (each section "fairly easy"),
# standard = "standard", detailed = "fairly difficult".
_FLESCH = (
    (90.0, "very easy"),
    (80.0, "easy"),
    (70.0, "fairly easy"),
    (60.0, "standard"),
    (50.0, "fairly difficult"),
    (30.0, "difficult"),
    (float("-inf"), "very confusing"),
)
FLESCH_OBORNEVA = Formula(
    key="Flesch-ru",
    name="Flesch Reading Ease for Russian (Oborneva 2006)",
    higher_is_easier=True,
    targets={"easy": 80.0, "standard": 60.0, "detailed": 50.0},
    section_targets={"easy": 70.0},
    bands=_FLESCH,
    compute=flesch_oborneva,
)

# --- English -------------------------------------------------------------------------

FLESCH_KINCAID = Formula(
    key="grade",
    name="Flesch-Kincaid grade",
    higher_is_easier=False,
    targets={"easy": 4.5, "standard": 8.0, "detailed": 12.0},
    section_targets={"easy": 5.5},
)
SMOG = Formula(key="SMOG", name="SMOG", higher_is_easier=False, targets={"easy": 7.0})


def _english(units: Sequence[str]) -> Score:
    import textstat  # imported lazily: building a PDF never pays for it

    text = " ".join(units)
    count = textstat.sentence_count(text)
    return Score(
        values={
            "grade": round(textstat.flesch_kincaid_grade(text), 1),
            "SMOG": round(textstat.smog_index(text), 1) if count >= 3 else None,  # SMOG needs 3 sentences
        },
        words=textstat.lexicon_count(text),
        sentences=count,
        longest=max((len(words(p)) for unit in units for p in split_sentences(unit)), default=0),
    )


METHODS: dict[str, Method] = {
    "en": Method((FLESCH_KINCAID, SMOG)),
    "es": Method((SZIGRISZT_PAZOS, FERNANDEZ_HUERTA), spanish_syllables),
    "ru": Method((FLESCH_OBORNEVA,), russian_syllables),
}

NOT_MEASURED: dict[str, str] = {
    "zh": "Chinese readability formulas need word segmentation and graded character and word lists, "
    "none of which ships with this tool",
    "vi": "Vietnamese writes syllables, not words, between spaces; the published research formulas need "
    "word segmentation and word lists, and none is established for health texts",
    "ko": "published Korean measures need morphological analysis and vocabulary lists; none can be "
    "computed from sentence and syllable counts alone",
    "ar": "OSMAN counts syllables from short-vowel marks that ordinary Arabic text leaves out; without "
    "them textstat guesses from letter counts, which is not the published measure",
    "hi": "research adaptations for Hindi exist but none is validated for patient texts, and they need "
    "lexical resources we do not have",
}


def primary(lang: str) -> str:
    """The primary language subtag of a BCP-47 code: "zh-Hans" -> "zh", "es-MX" -> "es"."""
    return re.split(r"[-_]", lang, maxsplit=1)[0].lower()


def method_for(lang: str) -> Method | None:
    return METHODS.get(primary(lang))


def not_measured_reason(lang: str) -> str:
    reason = NOT_MEASURED.get(primary(lang))
    return f"no validated formula for {lang} available offline" + (f" ({reason})" if reason else "")


def score(units: Sequence[str], lang: str = "en") -> Score:
    """Score sentence units (see ``sentences``) in a language that has a formula."""
    method = method_for(lang)
    if method is None:
        raise ValueError(not_measured_reason(lang))
    return method.score(units)


def measure(handout: Handout) -> LevelReport:
    level, method = handout.level, method_for(handout.lang)
    if method is None:
        return LevelReport(level, handout.lang, (), None, (), (), not_measured_reason(handout.lang))
    measured = parts(handout)
    per_section = tuple((name, method.score(units)) for name, units in measured)
    total = method.score([u for _, units in measured for u in units])
    problems = []
    for f in method.formulas:
        value, target = total.values[f.key], f.targets.get(level)
        if target is not None and value is not None and f.misses(value, target):
            problems.append(f"{f.key} {value} is {f.worse} the {level} target of {target}")
    for f in method.formulas:
        target = f.section_targets.get(level)
        if target is None:
            continue
        problems += [
            f"{'the key points' if sid == KEY_POINTS else f'section {sid!r}'} {f.key} {value} is {f.worse} {target}"
            for sid, s in per_section
            if (value := s.values[f.key]) is not None and f.misses(value, target)
        ]
    return LevelReport(level, handout.lang, method.formulas, total, per_section, tuple(problems))
