"""Which built-in templates a command uses: the ones next to the code that runs.

A checkout's ``python generate.py`` uses the checkout's files; a ``pip install .`` uses
the copy packed into the wheel (``handouts/_data``), so an edit in the checkout is not
seen by the installed command until it is installed again (docs/reference.md). Both
layouts are made here as pip and hatchling make them, and a template edited in the
checkout is looked for in the PDFs each command writes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import tomllib
import yaml
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[1]
EDITED = "Never stop suddenly (edited in the checkout)"


def _data(source: str, target: Path) -> None:
    """Copy, or link the 59 MB of fonts (read-only here)."""
    if source == "fonts":
        target.symlink_to(ROOT / source, target_is_directory=True)
    else:
        shutil.copytree(ROOT / source, target)


def make_checkout(folder: Path) -> Path:
    shutil.copy(ROOT / "generate.py", folder / "generate.py")
    shutil.copytree(ROOT / "handouts", folder / "handouts", ignore=shutil.ignore_patterns("__pycache__", "_data"))
    for name in ("content", "templates", "fonts"):
        _data(name, folder / name)
    return folder


def make_installed(site: Path) -> Path:
    """``site/handouts`` as the wheel lays it out: the package, and the data folders that
    pyproject.toml's force-include maps into it."""
    shutil.copytree(ROOT / "handouts", site / "handouts", ignore=shutil.ignore_patterns("__pycache__", "_data"))
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    for source, target in config["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"].items():
        (site / target).parent.mkdir(parents=True, exist_ok=True)
        _data(source, site / target)
    return site


def run(args: list[str], cwd: Path, site: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(site)}  # the installed package, as site-packages holds it
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=True)


def test_checkout_uses_its_own_templates_and_an_installed_wheel_its_copy(tmp_path):
    (tmp_path / "checkout").mkdir()
    checkout = make_checkout(tmp_path / "checkout")
    site = make_installed(tmp_path / "site")
    template = checkout / "templates" / "do_not_stop_suddenly" / "en.yaml"
    source = template.read_text(encoding="utf-8")
    shipped = yaml.safe_load(source)["title"]["standard"]
    template.write_text(source.replace(shipped, EDITED, 1), encoding="utf-8")  # the title comes before the body
    work = tmp_path / "work"
    work.mkdir()
    installed = [sys.executable, "-c", "from handouts.cli import main; main()"]  # the `handouts` console script

    run([sys.executable, str(checkout / "generate.py"), "build", "baclofen", "-o", "checkout.pdf"], work, site)
    run([*installed, "build", "baclofen", "-o", "installed.pdf"], work, site)

    def text(name: str) -> str:
        return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(work / name).pages)

    assert EDITED in text("checkout.pdf")
    assert EDITED not in text("installed.pdf") and shipped in text("installed.pdf")

    folder = "built-in content, templates and fonts: "
    checkout_version = run([sys.executable, str(checkout / "generate.py"), "--version"], work, site).stdout
    installed_version = run([*installed, "--version"], work, site).stdout
    assert checkout_version.splitlines()[1] == folder + str(checkout.resolve())
    assert installed_version.splitlines()[1] == folder + str((site / "handouts" / "_data").resolve())
