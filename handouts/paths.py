"""Where bundled data lives: next to the package in a source checkout, or inside it
(``handouts/_data``) in an installed wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
DATA_ROOT = _PACKAGE / "_data" if (_PACKAGE / "_data").is_dir() else _PACKAGE.parent

CONTENT = DATA_ROOT / "content"
TEMPLATES = DATA_ROOT / "templates"
FONTS = DATA_ROOT / "fonts"
