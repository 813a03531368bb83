"""The documentation a newcomer reads stays findable: a short README with the two commands on
its first screen, links that lead somewhere, a site that lists every page, and a command
reference that covers every command. Cheap checks on the Markdown sources, so drift is caught
by the ordinary test run and not only by `mkdocs build --strict` in CI."""

from __future__ import annotations

import importlib.util
import re
import shutil
import unicodedata
from pathlib import Path

import click
import pytest
import yaml
from pypdf import PdfReader

from handouts.cli import main

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
README_LIMIT = 8 * 1024

FIRST_COMMAND = "python3 -m venv .venv && . .venv/bin/activate && pip install . && python generate.py build baclofen"
TEST_COMMAND = (
    'python3 -m venv .venv && . .venv/bin/activate && pip install -c constraints.txt ".[test]" && python -m pytest'
)

_FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
_CODE_SPAN = re.compile(r"`[^`\n]*`")
_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")  # text may wrap
_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$", re.MULTILINE)
_ATTR_ID = re.compile(r"\{\s*#([\w-]+)[^}]*\}\s*$")


def _load_hook():
    spec = importlib.util.spec_from_file_location("cli_reference", DOCS / "_hooks" / "cli_reference.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _prose(markdown: str) -> str:
    """The text outside code blocks and code spans: links in examples are not links."""
    return _CODE_SPAN.sub("", _FENCE.sub("", markdown))


def _slugs(text: str) -> set[str]:
    """Anchor ids of a heading as GitHub makes them and as mkdocs (Python-Markdown toc) does."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text).replace("`", "").replace("*", "")
    github = re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    toc = re.sub(r"[-\s]+", "-", re.sub(r"[^\w\s-]", "", ascii_text).strip().lower())
    return {github, toc}


def _anchors(path: Path) -> set[str]:
    """Every anchor a link may name in ``path``: its headings (with numbered duplicates)."""
    markdown = path.read_text(encoding="utf-8")
    if path == DOCS / "reference.md":
        markdown += _load_hook().render()
    anchors: set[str] = set()
    seen: dict[str, int] = {}
    for heading in _HEADING.findall(_FENCE.sub("", markdown)):
        explicit = _ATTR_ID.search(heading)
        if explicit:
            anchors.add(explicit.group(1))
            continue
        for slug in _slugs(heading):
            count = seen.get(slug, 0)
            seen[slug] = count + 1
            anchors.add(slug if count == 0 else f"{slug}-{count}")
    return anchors


def _pages() -> list[Path]:
    return [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted(DOCS.rglob("*.md"))]


def test_readme_is_a_short_front_door() -> None:
    size = len((ROOT / "README.md").read_bytes())
    assert size < README_LIMIT, f"README.md is {size} bytes; move the detail into a docs/ page"


def test_readme_shows_the_two_fresh_machine_commands_on_its_first_screen() -> None:
    first_screen = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()[:15]
    assert FIRST_COMMAND in first_screen
    assert TEST_COMMAND in first_screen


@pytest.mark.parametrize("page", _pages(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_leads_to_a_file_and_heading_that_exist(page: Path) -> None:
    broken = []
    for target in _LINK.findall(_prose(page.read_text(encoding="utf-8"))):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # http:, https:, mailto:
            continue
        file_part, _, anchor = target.partition("#")
        linked = (page.parent / file_part).resolve() if file_part else page
        if not linked.exists():
            broken.append(f"{target}: no such file")
        elif anchor and linked.suffix == ".md" and anchor not in _anchors(linked):
            broken.append(f"{target}: no heading with that anchor in {linked.relative_to(ROOT)}")
    assert not broken, f"{page.relative_to(ROOT)}: " + "; ".join(broken)


def test_the_site_lists_every_page() -> None:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.SafeLoader)

    def listed(nav) -> set[str]:
        if isinstance(nav, str):
            return {nav}
        if isinstance(nav, dict):
            return set().union(*(listed(v) for v in nav.values()))
        return set().union(*(listed(item) for item in nav))

    pages = {str(p.relative_to(DOCS)) for p in DOCS.rglob("*.md")}
    assert listed(config["nav"]) == pages


def test_the_command_reference_is_the_help_of_every_command() -> None:
    """The hook renders each command's own --help, so a new command or option is on the page."""
    rendered = _load_hook().render()

    def paths(cmd: click.Command, prefix: str) -> list[str]:
        found = [prefix]
        if isinstance(cmd, click.Group):
            for name, sub in cmd.commands.items():
                if not sub.hidden:
                    found += paths(sub, f"{prefix} {name}")
        return found

    for path in paths(main, "handouts"):
        assert f"## `{path}`\n" in rendered
    assert "Usage: handouts build [OPTIONS] MEDICINE" in rendered
    assert "--require-reviewed" in rendered
    marker = _load_hook().MARKER
    assert marker in (DOCS / "reference.md").read_text(encoding="utf-8")


_EXAMPLE = re.compile(r"^```yaml\n# ((?:content|templates)/[\w/.-]+\.yaml)\n(.*?)^```", re.MULTILINE | re.DOTALL)


def _examples() -> dict[str, str]:
    """Every YAML example in docs/ that names its file on its first line: path -> text."""
    found: dict[str, str] = {}
    for page in sorted(DOCS.glob("*.md")):
        for path, text in _EXAMPLE.findall(page.read_text(encoding="utf-8")):
            assert path not in found, f"two examples of {path}"
            found[path] = text
    return found


def test_the_complete_examples_in_the_docs_validate_and_build(runner, tmp_path: Path) -> None:
    """The examples a newcomer copies are whole files that work: a medicine using a shared
    template of its own and a built-in one, a brand with its logo, a layout, a strings file."""
    examples = _examples()
    assert {"content/medicines/examplamine/en.yaml", "templates/take_with_food/en.yaml"} <= set(examples)
    assert {"content/brands/riverside/brand.yaml", "content/layouts/essentials.yaml"} <= set(examples)
    folder = tmp_path / "mine"
    for path, text in examples.items():
        target = folder / path.removeprefix("content/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    shutil.copy(ROOT / "content" / "brands" / "default" / "logo.png", folder / "brands" / "riverside" / "logo.png")

    result = runner.invoke(main, ["--content", str(folder), "validate", str(folder)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["--content", str(folder), "readability", "examplamine"])
    assert result.exit_code == 0, result.output  # an example meets the targets it teaches
    for level in ("easy", "standard", "detailed"):
        out = tmp_path / f"{level}.pdf"
        build = ["build", "examplamine", "--level", level, "--brand", "riverside", "-o", str(out)]
        result = runner.invoke(main, ["--content", str(folder), *build])
        assert result.exit_code == 0, result.output
        text = " ".join(page.extract_text() for page in PdfReader(out).pages)
        assert "Riverside Clinic" in text
        assert "breakfast" in text  # the shared template of our own, with its parameter
        assert "10 mg" in text.replace("\u00a0", " ")  # the fact, printed


_PY_FILE = re.compile(r"`([\w./-]+\.py)`")
_CODE_FOLDERS = ("handouts", "tests", "benchmarks", ".ci", "fonts", "docs")


def test_every_python_file_the_docs_name_exists() -> None:
    """The code map and the pages name modules (`handouts/pdf/document.py`, `worker.py`): when a
    module is renamed, split or moved, the docs that name it must follow."""
    known = {path.name for folder in _CODE_FOLDERS for path in (ROOT / folder).rglob("*.py")}
    missing = []
    for page in _pages():
        for name in _PY_FILE.findall(page.read_text(encoding="utf-8")):
            exists = (ROOT / name).is_file() if "/" in name else name in known or (ROOT / name).is_file()
            if not exists:
                missing.append(f"{page.relative_to(ROOT)}: {name}")
    assert not missing, "no such file: " + ", ".join(missing)
