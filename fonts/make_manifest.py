"""Regenerate fonts/manifest.json: which code points each bundled family covers.

Run after adding or replacing a font:  python fonts/make_manifest.py
The manifest lets handouts.fonts check coverage without parsing the fonts (the CJK
ones are 5-10 MB each). A family covers a character only if all its styles have it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from fontTools.ttLib import TTFont

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's handouts

from handouts.fonts import FAMILIES, MANIFEST, path

HERE = Path(__file__).resolve().parent


def ranges(cps: set[int]) -> str:
    """Ranges as "first-last first-last ...": one string per family, which handouts.fonts turns into
    numbers only for the families a handout uses (see its docstring)."""
    out: list[list[int]] = []
    for cp in sorted(cps):
        if out and out[-1][1] == cp - 1:
            out[-1][1] = cp
        else:
            out.append([cp, cp])
    return " ".join(f"{first}-{last}" for first, last in out)


def main() -> None:
    coverage = {}
    for family in FAMILIES.values():
        faces = [f for f in (family.regular, family.bold, family.italic) if f]
        cmaps = [set(TTFont(path(face), lazy=True).getBestCmap()) for face in faces]
        coverage[family.name] = ranges(set.intersection(*cmaps))
    text = json.dumps({"coverage": coverage}, separators=(",", ":"))
    (HERE / MANIFEST).write_text(text + "\n", encoding="utf-8")
    print(f"{MANIFEST}: {len(text) // 1024} KB, {sum(len(r.split()) for r in coverage.values())} ranges")


if __name__ == "__main__":
    main()
