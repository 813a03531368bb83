"""Where the built-in content, templates and fonts live: always next to the code that
runs, so code and data come from the same release.

- A source checkout (``python generate.py``, ``python -m handouts`` in it, or the
  ``handouts`` command of an editable install, ``pip install -e .``): the checkout's own
  ``content/``, ``templates/`` and ``fonts/``. Edits there are used at once.
- An installed wheel (``pip install .``): the copy packed into it, ``handouts/_data``.
  Edits in the checkout are not seen by that ``handouts`` command until it is installed
  again; ``python generate.py`` in the checkout still uses the checkout.

``handouts --version`` prints the folder in use. Your own templates, brands and layouts
belong in a ``--content`` folder, which every install searches first.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
DATA_ROOT = _PACKAGE / "_data" if (_PACKAGE / "_data").is_dir() else _PACKAGE.parent

CONTENT = DATA_ROOT / "content"
TEMPLATES = DATA_ROOT / "templates"
FONTS = DATA_ROOT / "fonts"
