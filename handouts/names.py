"""Names that come from outside (a batch manifest's row, a request to ``handouts serve``):
one definition, so every door into the library checks them alike.

A name is looked up inside the content folders and never used as a path: these patterns
admit no '/', no '\\', no leading '.', so '..' or an absolute path cannot be spelt.
"""

from __future__ import annotations

import re

SLUG = re.compile(r"[a-z][a-z0-9_]*")  # a medicine id: baclofen
LANG = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")  # a BCP 47 code as in file names: en, zh-Hans
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")  # a brand or layout in the library: default, eu_example


def is_library_name(value: str) -> bool:
    """A bare brand or layout name (not a file: ``x.yaml`` names a file in a manifest)."""
    return bool(NAME.fullmatch(value)) and not value.endswith((".yaml", ".yml"))
