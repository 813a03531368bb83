"""Atomic file output: a reader, a crash or a ``kill -9`` never sees a half-written file,
and a failed write leaves any previous file untouched."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def replacing(target: Path) -> Iterator[Path]:
    """Yield a temporary path next to ``target`` to write; then fsync it and rename it
    over ``target``. On any error the temporary file is removed."""
    target = Path(target)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    tmp = Path(name)
    try:
        os.close(fd)
        yield tmp
        umask = os.umask(0)
        os.umask(umask)
        with open(tmp, "rb+") as handle:
            os.fchmod(handle.fileno(), 0o666 & ~umask)  # mkstemp makes 0600; outputs are ordinary files
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_atomic(path: Path, data: bytes) -> None:
    with replacing(path) as tmp, open(tmp, "wb") as handle:
        handle.write(data)
