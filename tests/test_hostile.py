"""The hostile corpus: broken or malicious files as they might arrive from a translation
vendor or a clinic, each with the outcome it must have.

``tests/data/hostile/<class>/`` holds one file per case, named ``NAME.KIND.EXT``; KIND
says which file of the small valid tree in ``tests/data/hostile/base`` it replaces (see
KINDS). ``<class>/expect.yaml`` declares each case's outcome:

- ``{error: "LINE:COL: text"}`` (or ``{error: "text"}``): building refuses it with a
  diagnostic in the replaced file whose message contains the text;
- ``{renders: [text, ...]}``: the PDF builds and its extracted text contains every text
  exactly as written;
- ``{jobs: [output, ...]}``, for a batch manifest: it loads, and its jobs write exactly
  these files.

A case ``NAME.KIND.link`` holds a symlink destination instead of content: the replaced
file becomes a link to it (``{outside}`` is a folder next to the content root holding a
valid copy of the file, so only the confinement check can refuse it, and ``secret.yaml``,
whose text must never show in a message). A case ``NAME.KIND.fifo`` makes the replaced
file a named pipe, which must be refused by name, never waited on. Links and pipes are
also checked by a plain ``validate`` of the whole library. The ``extra-*`` KINDS add a
file the build does not use, so only that ``validate`` sees it.

Every case runs in-process (fonts load once); every built PDF must carry no link
annotation, no script and no image but the logo. A sample goes through the real command
line, which must never print a traceback.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import os
import re
import shutil
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pypdfium2
import pytest
import yaml
from click.testing import CliRunner
from pypdf import PdfReader
from reading import render

from handouts.batch import JOURNAL, run_batch
from handouts.build import Request, prepare
from handouts.check import check_file, check_paths, library_files
from handouts.cli import main
from handouts.content import Library
from handouts.errors import ContentError, Diagnostic
from handouts.executors import in_process
from handouts.loader import load_yaml
from handouts.manifest import Job, load_manifest

HOSTILE = Path(__file__).parent / "data" / "hostile"
BASE = HOSTILE / "base"
BRAND = "brands/base/brand.yaml"


@dataclasses.dataclass(frozen=True)
class Kind:
    """Which base file a case replaces and how the handout is then built."""

    target: str
    lang: str = "en"
    layout: bool = False
    copy_of: str = ""  # for an extra file: the base file an outside copy is made of


KINDS = {
    "medicine": Kind("medicines/hostile/en.yaml"),
    "translation": Kind("medicines/hostile/es.yaml", lang="es"),
    "translation-ar": Kind("medicines/hostile/ar.yaml", lang="ar"),
    "template": Kind("templates/hostile_note/en.yaml"),
    "template-translation": Kind("templates/hostile_note/es.yaml", lang="es"),
    "brand": Kind(BRAND),
    "layout": Kind("layouts/base.yaml", layout=True),
    "strings": Kind("strings/en.yaml"),
    "logo": Kind("brands/base/logo.png"),
    "extra-layout": Kind("layouts/extra.yaml", copy_of="layouts/base.yaml"),
    "extra-strings": Kind("strings/fr.yaml", copy_of="strings/en.yaml"),
    "extra-brand": Kind("brands/other/brand.yaml", copy_of=BRAND),
    "extra-template": Kind("templates/other_note/en.yaml", copy_of="templates/hostile_note/en.yaml"),
    "manifest-csv": Kind("manifest.csv"),  # a batch manifest next to the content, loaded by itself
    "manifest-yaml": Kind("manifest.yaml"),
    "journal": Kind(".handouts-journal.jsonl"),  # a batch's journal in --out, read by the next run
}
SECRET = "TOPSECRET_d41d8cd98f"  # in {outside}/secret.yaml: no message may ever show it
_POSITION = re.compile(r"^(\d+):(\d+): ")


@dataclasses.dataclass(frozen=True)
class Case:
    klass: str
    file: Path
    kind: str
    error: str | None  # message text the build must report
    at: tuple[int, int] | None  # where, when the case says
    renders: tuple[str, ...]
    jobs: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return f"{self.klass}/{self.file.name}"

    @property
    def link(self) -> bool:
        return self.file.suffix == ".link"

    @property
    def fifo(self) -> bool:
        return self.file.suffix == ".fifo"

    @property
    def manifest(self) -> bool:
        return self.kind.startswith("manifest-")

    @property
    def content(self) -> bool:
        """A content file, built and validated (not a manifest or a journal)."""
        return not self.manifest and self.kind != "journal"

    @property
    def extra(self) -> bool:
        """A file only a whole-library ``validate`` looks at."""
        return self.kind.startswith("extra-")


def _kind(file: Path) -> str:
    parts = file.name.split(".")
    assert len(parts) >= 3 and parts[-2] in KINDS, f"{file}: name it NAME.KIND.EXT with KIND one of {sorted(KINDS)}"
    return parts[-2]


def load_corpus() -> list[Case]:
    """Every case file with its declared outcome; a file without an entry, or an entry
    without a file, is a mistake in the corpus."""
    cases = []
    for folder in sorted(p for p in HOSTILE.iterdir() if p.is_dir() and p != BASE):
        table = load_yaml(folder / "expect.yaml").data  # our loader: a duplicated case is an error
        files = {p.name: p for p in folder.iterdir() if p.name != "expect.yaml"}
        assert set(files) == set(table), f"{folder.name}: files and expect.yaml differ: {set(files) ^ set(table)}"
        for name, outcome in sorted(table.items()):
            assert set(outcome) in ({"error"}, {"renders"}, {"jobs"}), f"{folder.name}/{name}: {outcome}"
            error = outcome.get("error")
            at = None
            if error and (match := _POSITION.match(error)):
                at = (int(match[1]), int(match[2]))
                error = error[match.end() :]
            renders, jobs = (tuple(outcome.get(key, ())) for key in ("renders", "jobs"))
            cases.append(Case(folder.name, files[name], _kind(files[name]), error, at, renders, jobs))
    return cases


CORPUS = load_corpus()


def place(case: Case, workdir: Path) -> Path:
    """A copy of the base tree with the case in place; returns the content root."""
    root = workdir / "content"
    shutil.copytree(BASE, root)
    kind = KINDS[case.kind]
    target = root / kind.target
    target.parent.mkdir(parents=True, exist_ok=True)
    if case.link:
        outside = workdir / "outside"
        outside.mkdir()
        shutil.copy(BASE / (kind.copy_of or kind.target), outside / target.name)
        (outside / "secret.yaml").write_text(f"sections: [{SECRET}]\nlang: {SECRET}\n")
        target.unlink(missing_ok=True)
        target.symlink_to(case.file.read_text().strip().replace("{outside}", str(outside)))
    elif case.fifo:
        target.unlink(missing_ok=True)
        os.mkfifo(target)
    elif case.kind == "logo":  # keep the case's extension: the brand file names it
        target.unlink()
        logo = "logo" + "".join(case.file.suffixes[1:])
        shutil.copy(case.file, target.with_name(logo))
        brand = root / BRAND
        brand.write_text(brand.read_text().replace("logo: logo.png", f"logo: {logo}"))
    else:
        shutil.copy(case.file, target)
    return root


def request(case: Case) -> Request:
    kind = KINDS[case.kind]
    return Request("hostile", kind.lang, brand=Path("base"), layout=Path("base") if kind.layout else None)


def build_case(case: Case, workdir: Path) -> tuple[Path, bytes | None, tuple[Diagnostic, ...]]:
    """(content root, PDF bytes or None, diagnostics of the refusal). For an extra file,
    the diagnostics of a whole-library ``validate`` and no PDF."""
    root = place(case, workdir)
    library = Library.with_content(root)
    with _released(root):
        if case.extra:
            return root, None, tuple(validate_library(library, root))
        try:
            return root, render(prepare(library, request(case))).data, ()
        except ContentError as exc:
            return root, None, exc.diagnostics


def validate_library(library: Library, root: Path) -> list[Diagnostic]:
    """What plain ``validate`` (the whole library) reports about ``root``: the refusals of
    names that are no content file, then every file's problems. (The built-in files are
    left out here only to keep the corpus fast; they are validated by `.ci/run`.)"""
    files, found = library_files(library)
    for path in files:
        if path.is_relative_to(root):
            found += check_file(library, path.resolve())
    return found


@contextlib.contextmanager
def _released(root: Path) -> Iterator[None]:
    """Turn a hang on a named pipe into a failing test: should the code under test open a
    pipe in the tree and wait for a writer, one comes after a minute and closes it at once
    (the reader then sees an empty file and the case fails on its message)."""

    def release() -> None:
        for pipe in (p for p in root.rglob("*") if p.is_fifo()):
            with contextlib.suppress(OSError):  # no reader waiting: nothing to release
                os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))

    timer = threading.Timer(60, release)
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


def pdf_text(data: bytes) -> str:
    """What a reader's software extracts, lines joined by single spaces (text wraps)."""
    doc = pypdfium2.PdfDocument(data)
    return " ".join(" ".join(page.get_textpage().get_text_range().split()) for page in doc)


def assert_inert(data: bytes) -> None:
    """No link, no script, no action, and on every page exactly one image, the base
    brand's logo: author text is text, and a logo that passed the checks is drawn."""
    reader = PdfReader(io.BytesIO(data))
    catalog = reader.trailer["/Root"]
    assert not {"/OpenAction", "/AA", "/Names", "/AcroForm"} & set(catalog), sorted(catalog)
    for page in reader.pages:
        assert "/Annots" not in page, page["/Annots"]
        images = _images(page["/Resources"])
        assert len(images) == 1, images


def _images(resources) -> list[str]:
    """Names of the images a page shows, also through form XObjects (the header is one)."""
    out = []
    for name, ref in resources.get("/XObject", {}).items():
        xobject = ref.get_object()
        if xobject["/Subtype"] == "/Image":
            out.append(name)
        elif "/Resources" in xobject:
            out += _images(xobject["/Resources"])
    return out


def _relative(path: Path, root: Path) -> str:
    for base in (root, root.resolve()):
        try:
            return Path(path).relative_to(base).as_posix()
        except ValueError:
            continue
    return str(path)


@pytest.mark.parametrize("case", [c for c in CORPUS if c.manifest], ids=lambda c: c.id)
def test_hostile_manifest(case: Case, tmp_path: Path) -> None:
    """A manifest loads into exactly the jobs it lists, or is refused with its line."""
    root = place(case, tmp_path)
    try:
        with _released(root):
            jobs = load_manifest(root / KINDS[case.kind].target, Library.with_content(root))
    except ContentError as exc:
        shown = "\n".join(d.format() for d in exc.diagnostics)
        assert case.error, shown
        assert len(shown) < 20_000, f"{len(shown):,} characters of errors"  # capped, values cut short
        matching = [d for d in exc.diagnostics if case.error in d.message]
        assert matching, f"expected {case.error!r} in:\n{shown}"
        assert _relative(matching[0].path, root) == KINDS[case.kind].target, shown
        assert case.at is None or (matching[0].line, matching[0].col) == case.at, shown
        return
    assert case.error is None, f"loaded, but expected: {case.error}"
    assert [job.output for job in jobs] == list(case.jobs)


@pytest.mark.parametrize("case", [c for c in CORPUS if c.kind == "journal"], ids=lambda c: c.id)
def test_hostile_journal(case: Case, tmp_path: Path) -> None:
    """A batch resumes from a damaged journal: the line is ignored with a warning at its
    line, never a traceback, and the handout is built again."""
    root = place(case, tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    shutil.move(root / KINDS["journal"].target, out / JOURNAL)
    job = Job("hostile", "en", "standard", "base", None, None, "hostile.pdf", 2)
    summary = run_batch([job], out, partial(in_process, Library.with_content(root)))
    assert summary.counts["built"] == 1, summary.outcomes
    shown = "\n".join(d.format() for d in summary.warnings)
    matching = [d for d in summary.warnings if case.error and case.error in d.message]
    assert matching, f"expected {case.error!r} in:\n{shown}"
    assert case.at is None or (matching[0].line, matching[0].col) == case.at, shown


@pytest.mark.parametrize("case", [c for c in CORPUS if c.klass == "skeleton"], ids=lambda c: c.id)
def test_hostile_skeleton(case: Case, tmp_path: Path) -> None:
    """Every file `translate init` writes from a hostile source loads back with exactly
    the keys it was written with: the source text only ever lands in comments or strings."""
    root = place(case, tmp_path)
    result = CliRunner().invoke(main, ["--content", str(root), "translate", "init", "hostile", "--lang", "fr"])
    assert result.exit_code == 0, result.output
    written = [Path(line.removeprefix("wrote ")) for line in result.output.splitlines() if line.startswith("wrote ")]
    assert len(written) == 3, result.output  # the medicine, the shared template, the strings
    for path in written:
        data = load_yaml(path).data  # a duplicated key or stray line is an error here
        if "medicine" in data:
            keys = {"medicine", "lang", "translation_of", "status", "revised", "name", "summary", "sections"}
            assert set(data) == keys
            assert (data["status"], data["lang"], data["translation_of"]) == ("draft", "fr", "en")
            assert set(data["sections"]) == {"about", "note"}
        elif "template" in data:
            assert set(data) == {"template", "translation_of", "title", "body"}
        else:
            assert data["lang"] == "fr" and set(data.values()) == {"fr", ""}


@pytest.mark.parametrize("case", [c for c in CORPUS if c.content], ids=lambda c: c.id)
def test_hostile_case(case: Case, tmp_path: Path) -> None:
    root, data, diagnostics = build_case(case, tmp_path)
    shown = "\n".join(d.format() for d in diagnostics)
    where = BRAND if case.kind == "logo" else KINDS[case.kind].target  # the file an author must fix
    if case.renders:
        assert data is not None, shown
        text = pdf_text(data)
        for expected in case.renders:
            assert expected in text, f"{expected!r} not in {text!r}"
        assert_inert(data)
        if not case.link:  # validate agrees: nothing to fix
            found = check_file(Library.with_content(root), (root / where).resolve())
            assert [d.format() for d in found if d.severity == "error"] == []
        return
    assert data is None, f"built, but expected: {case.error}"
    assert SECRET not in shown, shown
    if case.link or case.fifo:  # the whole library, as plain `validate` reads it
        with _released(root):
            found = validate_library(Library.with_content(root), root)
        assert SECRET not in "\n".join(d.format() for d in found)
        assert [d for d in found if case.error in d.message and _relative(d.path, root) == where], found
    if not (case.link or case.fifo or case.extra):  # validate never passes what build refuses (a shared template's text
        # may need a medicine's values, so then the whole folder is checked)
        library = Library.with_content(root)
        found = check_file(library, (root / where).resolve()) or check_paths(library, [root])[1]
        assert any(d.severity == "error" for d in found), f"validate found nothing wrong; build said:\n{shown}"
    matching = [d for d in diagnostics if case.error in d.message]
    assert matching, f"expected {case.error!r} in:\n{shown}"
    diag = matching[0]
    assert _relative(diag.path, root) == where, shown
    if case.at:
        assert (diag.line, diag.col) == case.at, shown


def test_corpus_size_and_coverage() -> None:
    """At least 200 cases, every class has both kinds of outcome somewhere, every file kind is used."""
    assert len(CORPUS) >= 200
    assert {c.kind for c in CORPUS} == set(KINDS)


# --- the real command line on a sample ----------------------------------------------------

SAMPLE = [c for c in CORPUS if c.content][:: max(1, len(CORPUS) // 20)][:20]


@pytest.mark.parametrize("case", SAMPLE, ids=lambda c: c.id)
def test_hostile_case_through_cli(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = place(case, tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.chdir(tmp_path)
    kind = KINDS[case.kind]
    args = ["--content", str(root), "build", "hostile", "--lang", kind.lang, "--brand", "base"]
    args += ["--layout", "base"] if kind.layout else []
    if case.extra:  # the build does not read it; validate does
        args = ["--content", str(root), "validate"]
    with _released(root):
        result = CliRunner().invoke(main, [*args, "-o", str(out / "x.pdf")] if not case.extra else args)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output + result.stderr
    if case.renders:
        assert result.exit_code == 0, result.output
        assert [p.name for p in out.iterdir()] == ["x.pdf"]
    else:
        assert result.exit_code == 2, result.output
        assert case.error in result.stderr
        assert list(out.iterdir()) == []
    for other in (["validate", str(root)], ["list"], ["translate", "status", "--details"], ["readability", "hostile"]):
        with _released(root):
            result = CliRunner().invoke(main, ["--content", str(root), *other])
        assert result.exception is None or isinstance(result.exception, SystemExit), (other, repr(result.exception))
        assert "Traceback" not in result.output + result.stderr, other
        assert result.exit_code in (0, 1, 2), other


# --- generated: cases whose point is their size ---------------------------------------------

MEDICINE = KINDS["medicine"].target
_BIG = (BASE / MEDICINE).read_text() + "#" * 1_000_000 + "\n"  # the base file plus a million-character comment
GENERATED = {  # name: (file text, (line, col) or None, message)
    "over-size-limit": (_BIG, (1, 1), f"file is {len(_BIG):,} bytes; the limit is 1,000,000"),
    "flow-nesting-100k": (  # 200 KB; libyaml's composer overflows its C stack at ~30,000
        "medicine: hostile\nname: " + "[" * 100_000 + "]" * 100_000 + "\n",
        (2, 206),
        "nested more than 50 levels deep",
    ),
    "block-nesting-100k": (
        "medicine: hostile\nname:\n" + "- " * 100_000 + "x\n",
        (3, 399),
        "nested more than 50 levels deep",
    ),
    "aliases-wide": (  # a thousand aliases of a thousand-item list: a million values
        "big: &b [" + ", ".join(["x"] * 1000) + "]\nall: [" + ", ".join(["*b"] * 1000) + "]\n",
        None,
        "document expands to more than 200,000 values",
    ),
}


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_generated_case(name: str, tmp_path: Path) -> None:
    text, at, message = GENERATED[name]
    case = Case("generated", tmp_path / f"{name}.medicine.yaml", "medicine", message, at, ())
    case.file.write_text(text)
    _, data, diagnostics = build_case(case, tmp_path / "run")
    assert data is None
    found = [d for d in diagnostics if message in d.message]
    assert found, [d.format() for d in diagnostics]
    assert at is None or (found[0].line, found[0].col) == at, found[0].format()


@pytest.mark.parametrize("libyaml_limit", [None, 1000], ids=["pyyaml-6.0.3", "pyyaml-6.0.4"])
def test_nesting_message_does_not_depend_on_the_pyyaml_release(
    libyaml_limit: int | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PyYAML 6.0.4's libyaml stops at 1,000 levels in its scanner, which runs ahead of the
    events we count; 6.0.3's has no limit. Both releases give our message at our position:
    the installed one is run as it is, and the other is imitated on the fast parser."""
    real_parse = yaml.parse

    def parse(text: str, Loader: type = yaml.SafeLoader) -> object:  # noqa: N803 - PyYAML's name
        if Loader is yaml.SafeLoader or libyaml_limit is None:
            yield from real_parse(text, Loader=yaml.SafeLoader if libyaml_limit is None else Loader)
            return
        mark = yaml.Mark("<unicode string>", 0, 0, libyaml_limit + 2, text, 0)
        raise yaml.scanner.ScannerError("while increasing flow level", mark, "exceeded maximum nesting depth", mark)

    monkeypatch.setattr(yaml, "parse", parse)
    file = tmp_path / "deep.yaml"
    file.write_text("medicine: hostile\nname: " + "[" * 5_000 + "]" * 5_000 + "\n")
    with pytest.raises(ContentError) as caught:
        load_yaml(file)
    [diagnostic] = caught.value.diagnostics
    assert (diagnostic.line, diagnostic.col, diagnostic.message) == (2, 206, "nested more than 50 levels deep")


# --- what a reader's software sees besides the page text -----------------------------------


def test_markup_in_metadata_and_bookmarks_is_literal(tmp_path: Path) -> None:
    """The title, author and subject metadata and the bookmark titles carry author text
    as written: reportlab escapes PDF string syntax, nothing is read as markup."""
    title = "<b>Hosti</b>lol & (co) \\ )"
    heading = '<font size="big">What</font> (is) Hostilol?'  # no digit: numbers in prose come from facts
    case = Case("generated", tmp_path / "meta.medicine.yaml", "medicine", None, None, ())
    text = (BASE / MEDICINE).read_text().replace("name: Hostilol", "name: '" + title + "'")
    case.file.write_text(text.replace("title: What is Hostilol?", "title: '" + heading + "'"))
    _, data, diagnostics = build_case(case, tmp_path / "run")
    assert data is not None, diagnostics
    reader = PdfReader(io.BytesIO(data))
    assert reader.metadata.title == title
    assert [entry.title for entry in reader.outline] == [heading, "When to call"]
    assert title in pdf_text(data)
