"""Optional batch outputs for a print shop: one combined PDF, or one zip of all PDFs.

Both are made from the PDFs on disk after the run (built now or skipped as up to date),
in manifest order, and written atomically like every other output.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import Path

from .atomic import replacing


def combine(pdfs: Iterable[Path], target: Path) -> int:
    """Concatenate ``pdfs`` into ``target``; return the page count. pikepdf (qpdf) copies
    pages with their fonts and images intact and is fast enough for thousands of files."""
    import pikepdf

    with pikepdf.new() as combined:
        for path in pdfs:
            with pikepdf.open(path) as part:
                combined.pages.extend(part.pages)
        pages = len(combined.pages)
        with replacing(target) as tmp:
            combined.save(tmp, deterministic_id=True)
    return pages


def zip_outputs(pdfs: Iterable[Path], root: Path, target: Path) -> int:
    """Store ``pdfs`` under their paths relative to ``root``; return how many. PDFs are
    compressed already, so they are stored, not deflated again."""
    count = 0
    with replacing(target) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_STORED) as archive:
        for path in pdfs:
            archive.write(path, path.relative_to(root).as_posix())
            count += 1
    return count
