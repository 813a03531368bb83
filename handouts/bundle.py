"""Optional batch outputs for a print shop: one combined PDF, or one zip of all PDFs.

Both are made from the PDFs on disk after the run (built now or skipped as up to date),
in manifest order, and written atomically like every other output. A combined file is
one print run: one bookmark per handout, optionally padded for duplex printing, and one
paper size (mixed sizes are refused rather than split into several files, so the file
the user named is the one that exists or nothing is written).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .atomic import replacing

PAPER_NAMES = {(612, 792): "letter", (595, 842): "a4"}  # PDF points, rounded


@dataclass(frozen=True)
class Part:
    """One handout of a combined file and its bookmark."""

    path: Path
    title: str


class MixedPaper(ValueError):
    """The handouts are on more than one paper size: a print run (one tray, one duplex
    setting) needs one, so no combined file is written."""

    def __init__(self, sizes: list[str]):
        self.sizes = sizes
        super().__init__(", ".join(sizes))


def paper_name(width: float, height: float) -> str:
    size = (round(width), round(height))
    return PAPER_NAMES.get(size, f"{size[0]}x{size[1]} pt")


def combine(parts: Iterable[Part], target: Path, *, duplex: bool = False, private: bool = False) -> int:
    """Concatenate the parts into ``target``, one bookmark per handout at its first page;
    return the page count. With ``duplex``, a blank page follows a handout with an odd
    number of pages, so every handout starts on the front of a sheet. pikepdf (qpdf)
    copies pages with their fonts and images intact and is fast enough for thousands of
    files. Raises MixedPaper (and writes nothing) if the parts differ in paper size.
    ``private``: a part holds a patient's plan, so the file is its owner's only (0600)."""
    import pikepdf

    with pikepdf.new() as combined:
        sizes: dict[str, None] = {}
        with combined.open_outline() as outline:
            for part in parts:
                with pikepdf.open(part.path) as pdf:
                    box = pdf.pages[0].mediabox
                    width, height = float(box[2] - box[0]), float(box[3] - box[1])
                    sizes.setdefault(paper_name(width, height))
                    if duplex and len(combined.pages) % 2:
                        combined.add_blank_page(page_size=(width, height))
                    outline.root.append(pikepdf.OutlineItem(part.title, len(combined.pages)))
                    combined.pages.extend(pdf.pages)
        if len(sizes) > 1:
            raise MixedPaper(sorted(sizes))
        pages = len(combined.pages)
        with replacing(target, private=private) as tmp:
            combined.save(tmp, deterministic_id=True)
    return pages


def zip_outputs(pdfs: Iterable[Path], root: Path, target: Path, *, private: bool = False) -> int:
    """Store ``pdfs`` under their paths relative to ``root``; return how many. PDFs are
    compressed already, so they are stored, not deflated again. ``private`` as in ``combine``."""
    count = 0
    with replacing(target, private=private) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_STORED) as archive:
        for path in pdfs:
            archive.write(path, path.relative_to(root).as_posix())
            count += 1
    return count
