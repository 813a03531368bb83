"""Property tests: generated medicine files go through the real loader, validation,
resolve and renderer.

Valid files (sections, paragraphs with **bold** spans and a {{ facts }} variable,
subheads, bullet lists, warning boxes; words drawn from each shipped script: letters of
the shipped translations, Devanagari as well-formed syllables, the language's
punctuation and digits, Latin drug names, "<", ">", "&", now and then a word of up to
400 characters) must give a PDF that qpdf finds sound (pikepdf) and whose body text
reads exactly as written, in order (tests/reading.py). Invalid files (a text replaced by
another type, a required key removed, an unknown key added, a misspelt or missing
reading level) must give a ContentError whose every diagnostic names the file and a
line, from ``validate`` and from ``build``, and exit code 2 from the command line with
no PDF written: never another exception.

Hypothesis settings, chosen for CI: ``derandomize=True`` (the same examples on every
run, so a failure is reproducible and CI never flakes on a new one; no example
database), ``deadline=None`` (a render takes 50-500 ms and varies with the machine), no
explain phase (it re-renders a failing example hundreds of times),
``max_examples`` 60 for valid files (each renders and reads a PDF) and 100 for invalid
ones. To search further, run with ``HYPOTHESIS_PROFILE=deep`` (500 random examples each).
"""

from __future__ import annotations

import datetime
import io
import os
import tempfile
import unicodedata
from pathlib import Path

import pikepdf
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from reading import missing_or_reordered, render

from handouts.build import Request, prepare
from handouts.check import check_file
from handouts.cli import main
from handouts.content import Library
from handouts.errors import ContentError
from handouts.limits import MAX_HEADING_CHARS
from handouts.schema import LEVELS

CONTENT = Path(__file__).parents[1] / "content" / "medicines" / "baclofen"
settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate, Phase.shrink],  # no "explain": minutes of re-rendering per failure
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("deep", max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
DEEP = os.environ.get("HYPOTHESIS_PROFILE") == "deep"

# --- what a valid file is made of ------------------------------------------------------

SCRIPT_OF = {"en": "LATIN", "es": "LATIN", "vi": "LATIN", "ru": "CYRILLIC", "zh-Hans": "CJK UNIFIED", "ko": "HANGUL"}
NOT_TEXT = set("{}*\\#`_") | {"\u2010"}  # Jinja, **bold**, and the renderer's own break mark


def _shipped(lang: str) -> set[str]:
    return set((CONTENT / f"{lang}.yaml").read_text(encoding="utf-8"))


def _letters(lang: str, script: str) -> list[str]:
    return sorted(
        c for c in _shipped(lang) if unicodedata.category(c)[0] == "L" and unicodedata.name(c, "").startswith(script)
    )


def _punctuation(lang: str) -> list[str]:
    found = {c for c in _shipped(lang) if unicodedata.category(c)[0] in "PS"} - NOT_TEXT
    return sorted(found | set("<>&"))


def _devanagari_syllable() -> st.SearchStrategy[str]:
    """An independent vowel, or consonants joined by virama with an optional vowel sign
    and nasal mark: what Hindi writes, so no dotted circles for a stray vowel sign."""
    chars = _shipped("hi")
    consonants = sorted(c for c in chars if 0x0915 <= ord(c) <= 0x0939)
    vowels = sorted(c for c in chars if 0x0905 <= ord(c) <= 0x0914)
    signs = sorted(c for c in chars if 0x093E <= ord(c) <= 0x094C)
    conjunct = st.lists(st.sampled_from(consonants), min_size=1, max_size=3).map("\u094d".join)
    tail = st.sampled_from(["", *signs]).flatmap(lambda s: st.sampled_from([s, s + "\u0902"]))
    return st.one_of(st.sampled_from(vowels), st.tuples(conjunct, tail).map("".join))


def _word_chars(lang: str) -> st.SearchStrategy[str]:
    if lang == "hi":
        return _devanagari_syllable()
    if lang == "ar":
        return st.sampled_from(sorted(c for c in _letters("ar", "ARABIC LETTER")))
    return st.sampled_from(_letters(lang, SCRIPT_OF[lang]))


# Numbers in prose come from facts (handouts/prose.py): "5 mg", "10–20 mg", "24/7" and a
# drawn count are facts here, printed by the same layout as any other text.
DRUG_NAMES = st.sampled_from(
    ["baclofen", "Lioresal", "GABA-B", "{{ facts.dose }}", "{{ facts.range }}", "{{ facts.often }}"]
)


def word(lang: str) -> st.SearchStrategy[str]:
    native = st.lists(_word_chars(lang), min_size=1, max_size=10).map("".join)
    long = st.tuples(native, st.integers(20, 100)).map(lambda t: (t[0] * t[1])[:400])  # cheaper than 400 draws
    number = st.just("{{ facts.count }}")
    return st.one_of(native, native, native, native, number, DRUG_NAMES, long)


def sentence(lang: str, most: int = 10) -> st.SearchStrategy[str]:
    joiner = "" if lang == "zh-Hans" else " "
    ending = st.sampled_from(["", *_punctuation(lang)])
    return st.tuples(st.lists(word(lang), min_size=1, max_size=most), ending).map(lambda t: joiner.join(t[0]) + t[1])


def heading(lang: str) -> st.SearchStrategy[str]:
    """A section title or subhead within limits.MAX_HEADING_CHARS once its facts are filled
    in (a fact prints about as long as its variable: 30 characters to spare)."""
    return sentence(lang, 5).filter(lambda t: len(t) <= MAX_HEADING_CHARS - 30)


def inline(lang: str) -> st.SearchStrategy[str]:
    """Text with **bold** spans and now and then the dose variable."""
    piece = st.one_of(
        sentence(lang),
        sentence(lang, 4).map(lambda s: f"**{s}**"),
        st.just("{{ facts.dose }}"),
    )
    return st.lists(piece, min_size=1, max_size=3).map(" ".join)


def block(lang: str, inner: bool = False) -> st.SearchStrategy[dict]:
    simple = [
        inline(lang).map(lambda t: {"p": t}),
        heading(lang).map(lambda t: {"subhead": t}),
        st.lists(inline(lang), min_size=1, max_size=5).map(lambda items: {"list": items}),
    ]
    if inner:
        return st.one_of(simple)
    warning = st.tuples(sentence(lang, 5), st.lists(block(lang, inner=True), min_size=1, max_size=3)).map(
        lambda t: {"warning": {"label": t[0], "body": t[1]}}
    )
    return st.one_of(*simple, warning)


@st.composite
def medicine(draw, lang: str | None = None, sections: int = 3) -> dict:
    """A valid medicine file (as data) in one of the shipped languages."""
    lang = lang or draw(st.sampled_from(sorted(SCRIPT_OF) + ["ar", "hi"]))
    found = {}
    for i in range(draw(st.integers(1, sections))):
        found[f"s{i}"] = {
            "title": draw(heading(lang)),
            "body": draw(st.lists(block(lang), min_size=1, max_size=4)),
        }
    return {
        "medicine": "demo",
        "name": draw(sentence(lang, 3)),
        "lang": lang,
        "status": "reviewed",  # a draft's diagonal mark would sit on the body text
        "revised": datetime.date(2026, 1, 2),
        "summary": draw(sentence(lang)),
        "facts": {
            "dose": {"value": 5, "unit": "mg"},
            "range": {"value": 10, "to": 20, "unit": "mg"},
            "often": "24/7",
            "count": draw(st.integers(0, 10_000)),
        },
        "sections": found,
    }


def write(folder: Path, doc: dict, lang: str) -> Path:
    """The file as an author would write it: YAML, every text double-quoted (JSON)."""
    path = folder / "medicines" / "demo" / f"{lang}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.dump(doc, Dumper=_QuotingDumper, allow_unicode=True, sort_keys=False, width=1_000_000)
    path.write_text(text, encoding="utf-8")
    return path


class _QuotingDumper(yaml.SafeDumper):
    pass


_QuotingDumper.add_representer(
    str, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
)


# --- valid files ------------------------------------------------------------------------


@settings(max_examples=500 if DEEP else 60)
@given(doc=medicine(), level=st.sampled_from(LEVELS), paper=st.sampled_from(["letter", "a4"]))
def test_valid_content_renders_every_word_in_order(doc, level, paper):
    with tempfile.TemporaryDirectory() as tmp:
        write(Path(tmp), doc, doc["lang"])
        library = Library.with_content(Path(tmp))
        request = Request("demo", doc["lang"], level, paper=paper)
        handout = prepare(library, request)
        rendered = render(handout)
    with pikepdf.open(io.BytesIO(rendered.data)) as pdf:
        assert pdf.check_pdf_syntax() == []  # qpdf's check: every stream decodes, every page's content parses
        assert len(pdf.pages) == rendered.pages
    assert missing_or_reordered(handout, rendered) == ""


# --- invalid files ----------------------------------------------------------------------


def _paths(node, here=()):
    """Every (key path, value) in a document."""
    yield here, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*here, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, (*here, i))


def _set(doc, path, value):
    for key in path[:-1]:
        doc = doc[key]
    doc[path[-1]] = value


def _delete(doc, path):
    for key in path[:-1]:
        doc = doc[key]
    del doc[path[-1]]


REQUIRED = {"medicine", "name", "lang", "status", "revised", "summary", "sections", "title", "body", "label"}
NOT_TEXT_VALUES = st.sampled_from([5, 2.5, True, None, [], ["a", "b"], {"x": 1}])


@st.composite
def broken(draw) -> tuple[dict, str]:
    """A valid file with one thing made wrong; returns it and what was done."""
    doc = draw(medicine(lang="en", sections=1))
    how = draw(st.sampled_from(["type", "missing", "unknown", "level"]))
    paths = list(_paths(doc))
    if how == "type":
        texts = [p for p, v in paths if isinstance(v, str)]
        path = draw(st.sampled_from(texts))
        _set(doc, path, draw(NOT_TEXT_VALUES))
    elif how == "missing":
        path = draw(st.sampled_from([p for p, _ in paths if p and p[-1] in REQUIRED]))
        _delete(doc, path)
    elif how == "unknown":
        mappings = [v for p, v in paths if isinstance(v, dict) and p[-1:] != ("facts",)]
        key = draw(st.sampled_from(["colour", "titel", "bdy", "note", "warnings", "level"]))
        draw(st.sampled_from(mappings))[key] = "x"
    else:
        path = draw(st.sampled_from([p for p, _ in paths if p and p[-1] in ("summary", "title", "body")]))
        value = dict(zip(LEVELS, [_get(doc, path)] * 3, strict=True))
        if draw(st.booleans()):
            value["standrad"] = value.pop("standard")
        else:
            del value[draw(st.sampled_from(LEVELS))]
        _set(doc, path, value)
    return doc, f"{how} at {path if how != 'unknown' else key}"


def _get(doc, path):
    for key in path:
        doc = doc[key]
    return doc


@settings(max_examples=500 if DEEP else 100)
@given(case=broken())
def test_invalid_content_is_a_content_error_with_file_and_line(case):
    doc, what = case
    with tempfile.TemporaryDirectory() as tmp:
        path = write(Path(tmp), doc, "en").resolve()
        library = Library.with_content(Path(tmp))
        diagnostics = check_file(library, path)
        assert diagnostics, f"validate accepted a file with a {what}"
        for d in diagnostics:
            assert d.path == path and d.line >= 1, f"{what}: {d.format()}"
        with pytest.raises(ContentError) as caught:
            render(prepare(library, Request("demo")))
        assert all(d.line >= 1 for d in caught.value.diagnostics), what
        out = Path(tmp) / "out.pdf"
        result = CliRunner().invoke(main, ["--content", tmp, "build", "demo", "-o", str(out)])
        assert result.exit_code == 2, f"{what}: {result.output}"
        assert "Traceback" not in result.output and not out.exists()
        assert f"{path.name}:" in result.output, result.output
