"""Reading a file that came from outside: a regular file only, and never more than a limit.

A name in a content folder or a manifest can be anything the file system allows: a FIFO
(opening it for reading waits forever for a writer), a character device (``/dev/zero``
never ends), a socket or a folder. Opening with ``O_NONBLOCK`` never waits, ``fstat`` on
the open descriptor then says what was really opened (no race between a check and the
open), and anything but a regular file is refused by name before a byte is read. The
read itself stops one byte past the limit, so a huge file costs the limit in memory, not
its size.
"""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

from .errors import ContentError, Diagnostic

_KINDS = (  # (test, what a person calls it)
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def file_stamp(path: Path) -> tuple[int, int] | None:
    """(modification time, size) of a file, the version a cache keys it by; None if it
    is missing (the loader itself then reports it)."""
    try:
        stat_result = Path(path).stat()
    except OSError:
        return None
    return (stat_result.st_mtime_ns, stat_result.st_size)


# Two writes of the same size within one tick of the file system's clock leave the same
# stamp. Like git's index ("racily clean" entries), nothing is kept by a stamp under this
# old: the next look reads the file again, so an edit always shows.
RACY_SECONDS = 2.0


def settled(mtime_ns: int) -> bool:
    """A file written at ``mtime_ns`` was written over RACY_SECONDS ago: a later write
    changes its stamp."""
    return mtime_ns < time.time_ns() - RACY_SECONDS * 1e9


def kind_of(mode: int) -> str:
    """What a non-regular file is, in words for an error message."""
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def not_regular(path: Path, mode: int) -> ContentError:
    """The refusal of a name that is there but is no regular file."""
    return ContentError(
        [
            Diagnostic(
                path,
                0,
                0,
                f"is {kind_of(mode)}, not a regular file",
                hint="content and manifests must be ordinary files; put a copy of the file there",
            )
        ]
    )


def read_regular(path: Path, limit: int) -> tuple[bytes, int]:
    """(at most ``limit + 1`` bytes of the file, its size). Raise ContentError naming the
    path when it is missing, unreadable, or not a regular file."""
    path = Path(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise ContentError([Diagnostic(path, 0, 0, "file not found")]) from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the name
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not a usable file name"
        raise ContentError([Diagnostic(path, 0, 0, f"cannot read file: {reason}")]) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise not_regular(path, info.st_mode)
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read(limit + 1), info.st_size
    except OSError as exc:
        raise ContentError([Diagnostic(path, 0, 0, f"cannot read file: {exc.strerror or exc}")]) from None
    finally:
        os.close(fd)
