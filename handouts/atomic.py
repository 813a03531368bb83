"""Atomic file output: a reader, a crash or a ``kill -9`` never sees a half-written file,
and a failed write leaves any previous file untouched."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .files import kind_of


@contextmanager
def replacing(target: Path, *, private: bool = False) -> Iterator[Path]:
    """Yield a temporary path next to ``target`` to write; then fsync it and rename it
    over ``target``. On any error the temporary file is removed. ``private``: the file
    holds personal health information (a patient's schedule) and is readable by its
    owner only (0600), from its first byte: mkstemp makes it so, and it is never widened."""
    target = Path(target)
    _refuse_special(target)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    tmp = Path(name)
    try:
        os.close(fd)
        yield tmp
        umask = os.umask(0)
        os.umask(umask)
        with open(tmp, "rb+") as handle:
            # mkstemp makes 0600; other outputs are ordinary files
            os.fchmod(handle.fileno(), 0o600 if private else 0o666 & ~umask)
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _refuse_special(target: Path) -> None:
    """Renaming over anything but a regular file replaces that node itself: ``-o /dev/null``
    would leave a regular file where every program expects the device, and ``-o /dev/stdout``
    (a link) would replace the system's link. So an existing output must be a regular file,
    not a device, a FIFO, a socket, a folder or a link; a missing one is fine."""
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        return
    if stat.S_ISLNK(mode):
        raise OSError(errno.EINVAL, "it is a symbolic link; give the path of the file itself", str(target))
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, "it is a folder", str(target))
    if not stat.S_ISREG(mode):
        raise OSError(errno.EINVAL, f"it exists and is {kind_of(mode)}, not a regular file", str(target))


def write_atomic(path: Path, data: bytes, *, private: bool = False) -> None:
    with replacing(path, private=private) as tmp, open(tmp, "wb") as handle:
        handle.write(data)
