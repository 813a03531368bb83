"""The limits SECURITY.md states, each tested at the limit and one step past it.

At the limit the work is done in a fresh process whose peak memory (``VmHWM``, or
``ru_maxrss`` where there is no /proc) is read back and bounded; one step past it the
error names the limit. Time is not asserted (the machines running tests are shared);
``benchmarks/`` measures it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from handouts.content import Library
from handouts.errors import ContentError
from handouts.limits import MAX_HEADING_CHARS, MAX_LIST_ITEMS, MAX_WORD_CHARS
from handouts.loader import MAX_DEPTH, MAX_FILE_BYTES, load_yaml
from handouts.manifest import MAX_JOBS, load_manifest

BASE = Path(__file__).parent / "data" / "hostile" / "base"
MEDICINE = "medicines/hostile/en.yaml"
LINE = "      - p: Take {{ facts.dose }} each morning.\n"
MB = 1024 * 1024

# In a child process: do the work, then print what came of it and the peak memory.
_CHILD = textwrap.dedent(
    """
    import json, resource, sys
    from pathlib import Path
    from handouts.build import Request, prepare, render, render_cache
    from handouts.content import Library
    from handouts.manifest import load_manifest

    kind, root, arg = sys.argv[1:]
    library = Library.with_content(Path(root))
    if kind == "build":
        done = render(prepare(library, Request("hostile", brand=Path("base"))), render_cache()).pages
    else:
        done = len(load_manifest(Path(arg), library))
    # Linux carries ru_maxrss over exec from the forking parent (pytest, hundreds of MB):
    # the kernel's high-water mark of this process's own memory is read where it exists.
    status = Path("/proc/self/status")
    hwm = [l for l in status.read_text().splitlines() if l.startswith("VmHWM:")] if status.exists() else []
    rss = int(hwm[0].split()[1]) if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"done": done, "rss": rss * 1024}))
    """
)


def in_child(kind: str, root: Path, arg: str = "") -> dict:
    run = subprocess.run([sys.executable, "-c", _CHILD, kind, str(root), arg], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def content(tmp_path: Path, medicine: str) -> Path:
    root = tmp_path / "content"
    shutil.copytree(BASE, root)
    (root / MEDICINE).write_text(medicine, encoding="utf-8")
    return root


def refusal(root: Path) -> str:
    from handouts.build import Request, prepare

    with pytest.raises(ContentError) as caught:
        prepare(Library.with_content(root), Request("hostile", brand=Path("base")))
    return "\n".join(d.format() for d in caught.value.diagnostics)


def base_with(paragraph: str) -> str:
    text = (BASE / MEDICINE).read_text(encoding="utf-8")
    assert LINE in text
    return text.replace(LINE, paragraph)


def test_largest_file(tmp_path: Path) -> None:
    text = base_with(LINE)
    padded = text + "#" * (MAX_FILE_BYTES - len(text.encode()) - 1) + "\n"
    assert len(padded.encode()) == MAX_FILE_BYTES
    result = in_child("build", content(tmp_path / "at", padded))
    assert result["done"] == 1 and result["rss"] < 300 * MB
    assert "file is 1,000,001 bytes; the limit is 1,000,000" in refusal(content(tmp_path / "past", padded + "\n"))


def test_longest_word(tmp_path: Path) -> None:
    """A word wider than a line is broken piece by piece; 2,000 letters fill a few lines."""
    result = in_child("build", content(tmp_path / "at", base_with(f"      - p: Take {'a' * MAX_WORD_CHARS} now.\n")))
    assert result["done"] >= 1 and result["rss"] < 300 * MB
    past = content(tmp_path / "past", base_with(f"      - p: Take {'a' * MAX_WORD_CHARS}b now.\n"))
    assert "en.yaml:15:12: error: a word of 2,001 characters; the limit is 2,000" in refusal(past)


def test_longest_heading(tmp_path: Path) -> None:
    """A subhead of MAX_HEADING_CHARS characters is printed whole; one more is refused where
    it is written (so no heading runs onto a second page: test_pdfua_heading)."""
    from handouts.build import Request, prepare
    from handouts.model import Subhead

    heading = ("abcd " * MAX_HEADING_CHARS)[: MAX_HEADING_CHARS - 1] + "z"
    at = content(tmp_path / "at", base_with(f"      - subhead: {heading}\n"))
    handout = prepare(Library.with_content(at), Request("hostile", brand=Path("base")))
    assert Subhead(heading) in [block for section in handout.sections for block in section.blocks]
    past = content(tmp_path / "past", base_with(f"      - subhead: {heading}z\n"))
    said = refusal(past)
    assert f"en.yaml:15:18: error: a heading of {MAX_HEADING_CHARS + 1} characters; the limit is 150" in said
    assert "move the rest into a paragraph" in said


def test_most_bullets(tmp_path: Path) -> None:
    names = (chr(97 + i // 676) + chr(97 + i // 26 % 26) + chr(97 + i % 26) for i in range(MAX_LIST_ITEMS))
    bullets = "      - list:\n" + "".join(f"          - Point {name}.\n" for name in names)  # no digits in text
    result = in_child("build", content(tmp_path / "at", base_with(bullets)))
    assert result["done"] > 10 and result["rss"] < 400 * MB  # a thousand bullets: many pages
    past = content(tmp_path / "past", base_with(bullets + "          - One too many.\n"))
    assert "en.yaml:16:11: error: a list of 1,001 items; the limit is 1,000" in refusal(past)


def test_deepest_nesting(tmp_path: Path) -> None:
    """Values nested 50 levels deep load; 51 are refused before libyaml's recursion."""
    at = tmp_path / "at.yaml"
    at.write_text("a: " + "[" * (MAX_DEPTH - 1) + "x" + "]" * (MAX_DEPTH - 1) + "\n")
    assert load_yaml(at).data["a"]
    past = tmp_path / "past.yaml"
    past.write_text("a: " + "[" * MAX_DEPTH + "x" + "]" * MAX_DEPTH + "\n")
    with pytest.raises(ContentError) as caught:
        load_yaml(past)
    assert caught.value.diagnostics[0].message == "nested more than 50 levels deep"


def test_most_jobs(tmp_path: Path) -> None:
    """200,000 jobs (one matrix: 20 languages x 2 papers x 100 brands x 50 layouts) load in
    bounded memory; one job more is refused before any is expanded."""
    langs = ", ".join(f"l{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(20))
    names = ", ".join(f"b{i}" for i in range(100))
    layouts = ", ".join(f"y{i}" for i in range(50))
    matrix = f"matrix:\n  medicine: [hostile]\n  lang: [{langs}]\n  level: [easy]\n  paper: all\n"
    matrix += f"  brand: [{names}]\n  layout: [{layouts}]\n"
    root = content(tmp_path, base_with(LINE))
    at = tmp_path / "at.yaml"
    at.write_text(matrix)
    result = in_child("manifest", root, str(at))
    assert result["done"] == MAX_JOBS and result["rss"] < 600 * MB
    past = tmp_path / "past.yaml"
    past.write_text(matrix + "jobs: [{medicine: hostile}]\n")
    with pytest.raises(ContentError) as caught:
        load_manifest(past, Library.with_content(root))
    assert caught.value.diagnostics[0].message == "the manifest expands to more than 200,000 jobs"
