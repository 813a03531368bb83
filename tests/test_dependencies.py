"""The declared dependency ranges say what the code was checked against, and the lock file
is what CI tested: a fresh machine installs what passed."""

from __future__ import annotations

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


def test_reportlab_range_admits_only_the_release_subsets_copies() -> None:
    """pdf/subsets.py copies a reportlab 5.1 internal: the range must not admit 5.0 or 5.2."""
    spec = _requirements()["reportlab"].specifier
    major, minor = map(int, CHECKED_REPORTLAB.split("."))
    assert Version(f"{major}.{minor}.0") in spec
    assert Version(f"{major}.{minor}.99") in spec
    assert Version(f"{major}.{minor + 1}.0") not in spec
    assert Version(f"{major}.{minor - 1}.99") not in spec
    assert reportlab.Version.startswith(CHECKED_REPORTLAB + ".")


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
