"""The declared dependency ranges say what the code was checked against, and the lock file
is what CI tested: a fresh machine installs what passed."""

from __future__ import annotations

import ast
import hashlib
import importlib
import inspect
import sys
from importlib.metadata import version
from pathlib import Path

import reportlab
from packaging.requirements import Requirement
from packaging.version import Version

from handouts.pdf.subsets import CHECKED_REPORTLAB

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]


def _requirements() -> dict[str, Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return {req.name.lower(): req for req in map(Requirement, project["dependencies"])}


def test_reportlab_range_admits_only_the_release_our_copies_are_of() -> None:
    """pdf/subsets.py and pdf/rawobjects.py copy reportlab 5.1 internals (``COPIED``): the
    range must not admit 5.0 or 5.2."""
    spec = _requirements()["reportlab"].specifier
    major, minor = map(int, CHECKED_REPORTLAB.split("."))
    assert Version(f"{major}.{minor}.0") in spec
    assert Version(f"{major}.{minor}.99") in spec
    assert Version(f"{major}.{minor + 1}.0") not in spec
    assert Version(f"{major}.{minor - 1}.99") not in spec
    assert reportlab.Version.startswith(CHECKED_REPORTLAB + ".")


# reportlab's functions that our modules copy and change, with the sha256 of each one's
# source in reportlab CHECKED_REPORTLAB (as installed with the lock): (module, qualified name) -> (ours, sha256)
COPIED = {
    ("reportlab.pdfbase.pdfdoc", "PDFDocument.format"): (
        "handouts/pdf/rawobjects.py: ReservedDocument.format, _file",
        "5498d1ec46ff794cff9d63ca3f56e76e5b4a2895e9087d02a3046cf7a789cfee",
    ),
    ("reportlab.pdfbase.ttfonts", "TTFontFace.addSubsetObjects"): (
        "handouts/pdf/subsets.py: _add_subset_objects",
        "b791f0060e67b9067584e862ae3bb4b811025e017686442e2e8edfcd97963989",
    ),
    ("reportlab.pdfbase.ttfonts", "makeToUnicodeCMap"): (
        "handouts/pdf/subsets.py: to_unicode_cmap",
        "f0614f6620f27d82619a6c9148a8e25f31a8821a9e80dc245ca546d777b4b5d1",
    ),
}


def _source(module_name: str, qualname: str) -> str:
    """A function's source as the installed module's file has it (read from the file: the
    engine replaces ``makeToUnicodeCMap`` in the running process)."""
    text = inspect.getsource(importlib.import_module(module_name))
    node: ast.AST = ast.parse(text)
    for name in qualname.split("."):
        node = next(n for n in ast.iter_child_nodes(node) if getattr(n, "name", None) == name)
    return ast.get_source_segment(text, node) or ""


def test_the_reportlab_code_we_copied_is_the_installed_code() -> None:
    """A reportlab release that changes a function we copied fails here, naming our copy
    to bring up to date (then its hash here, and CHECKED_REPORTLAB with pyproject.toml's
    range), instead of PDFs quietly written by the old release's logic."""
    changed = [
        f"reportlab {reportlab.Version} changed {module}.{name}: update {ours} from it "
        f"(copied from {CHECKED_REPORTLAB})"
        for (module, name), (ours, digest) in COPIED.items()
        if hashlib.sha256(_source(module, name).encode()).hexdigest() != digest
    ]
    assert changed == []


def test_lock_pins_every_runtime_dependency_inside_its_range() -> None:
    """constraints.txt pins an exact version of each dependency, and that version is one
    pyproject.toml admits (a range tightened later must not leave a stale pin)."""
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, pinned = line.partition("==")
            pins[name.strip().lower().replace("_", "-")] = Version(pinned)
    for name, req in _requirements().items():
        key = name.replace("_", "-")
        assert key in pins, f"{name} is not pinned in constraints.txt (run .ci/lock)"
        assert pins[key] in req.specifier, f"{name}=={pins[key]} is outside {req.specifier}"


def test_installed_versions_are_the_locked_ones_when_installed_with_the_lock() -> None:
    """Sanity for the lock: what is installed satisfies the declared ranges."""
    for name, req in _requirements().items():
        assert Version(version(name)) in req.specifier, name
