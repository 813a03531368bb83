"""Prepared handouts kept on disk between one-off ``build`` commands, as Python keeps byte code.

A cold ``build`` spends more than half of its process before drawing anything: importing
pydantic and PyYAML, building the schema's models, then reading, validating and resolving
the content (docs/performance.md, Cold start). When nothing that decides the handout has
changed since the last build of the same request, the handout prepared then is the same
handout, so the command loads it (about 10 KB) instead, and draws it.

An entry is used only if every input is as it was when the entry was written:

- the request, the Python version, and the stamp (modification time and size) of every
  file of handouts' own code;
- the name and stamp of every file under the library's content roots, its templates,
  the fonts folder, and a brand folder or layout file given by path: a file edited,
  added or removed anywhere there makes a new entry;
- the stamp of each third-party package that preparing imported (pydantic, PyYAML, Babel,
  Jinja): an upgrade makes a new entry.

Time stamps can fail to tell two writes apart when both fall in one tick of the file
system's clock; like git's index ("racily clean" entries), an entry is not written while
any input is less than ``files.RACY_SECONDS`` old, so a later edit always shows. Errors are
never kept: bad content is checked again on every build and reported the same way.

Never kept: a request with a field this module does not know, at other than its default
(a later field may carry personal health information, which never goes to disk unless
the operator asks), and anything when the cache folder is unsafe (not owned by the user,
or open to others). Entries are pickles, read only from such a folder.

A long-running process (a server's renderer) keeps prepared handouts in memory instead
(``PreparedInMemory``), by the same rules less those a process cannot break: its code
and packages do not change under it. Checking the stamps of the ~60 input files costs
about 2 ms; preparing again costs 20-30 ms (over half of it the translation checks of
``qa.build_check``).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import pickle
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from cachetools import LRUCache

from . import __version__, paths
from .errors import Diagnostic
from .files import settled
from .library import Library, names_a_file
from .model import Handout

if TYPE_CHECKING:
    from .build import Request

FORMAT = 1  # bumped when an entry's layout changes
KEPT = 256  # entries; the oldest go first (~10 KB each)
KEPT_IN_MEMORY = 64  # entries per process; the shipped library has 48 variants of a medicine per paper
# The request fields whose values may go into a key and an entry (no personal data).
KNOWN_FIELDS = frozenset(
    {
        "medicine",
        "lang",
        "level",
        "brand",
        "layout",
        "paper",
        "require_reviewed",
        "require_current",
        "sections",
        "large_print",
    }
)
_CODE = Path(__file__).resolve().parent

Stamp = tuple[str, int, int]  # path, modification time (ns), size


@dataclass(frozen=True)
class Prepared:
    """What ``build.prepare`` returns and shows: the handout and its warnings."""

    handout: Handout
    warnings: tuple[Diagnostic, ...]


class Kept(Protocol):
    """Where ``build.prepare`` finds a handout it prepared before: on disk or in memory."""

    def load(self, library: Library, request: Request) -> Prepared | None: ...

    def store(self, library: Library, request: Request, prepared: Prepared) -> None: ...


class PreparedInMemory:
    """Prepared handouts kept by one long-running process, least recently used dropped
    first. A handout is used again only while the stamps of every input are as they were
    (an edited, added or removed content file prepares anew), never for a request with
    personal data, and never written while an input is under ``files.RACY_SECONDS`` old."""

    def __init__(self, kept: int = KEPT_IN_MEMORY):
        self._kept: LRUCache[tuple[object, ...], tuple[list[Stamp], Prepared]] = LRUCache(kept)

    def __len__(self) -> int:
        return len(self._kept)

    def load(self, library: Library, request: Request) -> Prepared | None:
        key = _memory_key(library, request)
        entry = self._kept.get(key) if key is not None else None
        if entry is None or entry[0] != _inputs(library, request):
            return None
        return entry[1]

    def store(self, library: Library, request: Request, prepared: Prepared) -> None:
        key = _memory_key(library, request)
        inputs = _settled(library, request) if key is not None else None
        if key is not None and inputs is not None:
            self._kept[key] = (inputs, prepared)


@dataclass(frozen=True)
class PreparedCache:
    """The cache folder of one user; ``folder`` is created (mode 0700) on first store."""

    folder: Path

    @classmethod
    def default(cls) -> PreparedCache | None:
        """``$HANDOUTS_CACHE_DIR``, else ``$XDG_CACHE_HOME/handouts``, else
        ``~/.cache/handouts``; None (no cache) when ``HANDOUTS_CACHE_DIR`` is empty or ``off``."""
        chosen = os.environ.get("HANDOUTS_CACHE_DIR")
        if chosen is not None:
            return None if chosen.strip() in ("", "off") else cls(Path(chosen) / "prepared")
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        return cls(Path(base) / "handouts" / "prepared")

    def load(self, library: Library, request: Request) -> Prepared | None:
        """The kept handout for ``request``, or None: nothing kept, an input changed, or
        the entry cannot be trusted or read (then the command prepares as usual)."""
        key = _key(library, request)
        if key is None or not _safe(self.folder):
            return None
        entry = self.folder / f"{key}.pickle"
        try:
            with open(entry, "rb") as handle:
                if not _safe(entry, os.fstat(handle.fileno())):
                    return None
                kept = pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            return None
        if not (isinstance(kept, dict) and kept.get("format") == FORMAT and isinstance(kept.get("prepared"), Prepared)):
            return None
        if kept["inputs"] != _inputs(library, request) or not _unchanged(kept["packages"]):
            return None
        prepared: Prepared = kept["prepared"]
        return prepared

    def store(self, library: Library, request: Request, prepared: Prepared) -> None:
        """Keep ``prepared`` for the next build of ``request``; quietly nothing when it may
        not be kept, or the folder cannot be written (a full disk must not fail a build)."""
        key = _key(library, request)
        inputs = _settled(library, request) if key is not None else None
        if key is None or inputs is None:
            return
        entry = {"format": FORMAT, "inputs": inputs, "packages": _packages(), "prepared": prepared}
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            if not _safe(self.folder):
                return
            fd, name = tempfile.mkstemp(dir=self.folder, prefix=".", suffix=".tmp")  # mode 0600
            try:
                with os.fdopen(fd, "wb") as handle:
                    pickle.dump(entry, handle, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(name, self.folder / f"{key}.pickle")
            except BaseException:
                Path(name).unlink(missing_ok=True)
                raise
            _trim(self.folder)
        except OSError:
            return


def _keepable(request: Request) -> bool:
    """No field this module does not know is set: nothing personal is in the request."""
    return all(
        spec.name in KNOWN_FIELDS or getattr(request, spec.name) == spec.default for spec in dataclasses.fields(request)
    )


def _settled(library: Library, request: Request) -> list[Stamp] | None:
    """The stamps of the request's inputs, or None when one just changed: a same-size
    edit within this tick of the clock would not show, so nothing may be kept yet."""
    inputs = _inputs(library, request)
    newest = max((mtime for _, mtime, _ in inputs), default=0)
    return inputs if settled(newest) else None


def _memory_key(library: Library, request: Request) -> tuple[object, ...] | None:
    """The request's key in ``PreparedInMemory``, or None when it may not be kept."""
    if not _keepable(request):
        return None
    return (library.roots, library.templates, *(getattr(request, name) for name in sorted(KNOWN_FIELDS)))


def _key(library: Library, request: Request) -> str | None:
    """A name for the request's entry, or None when the request may not be kept."""
    if not _keepable(request):
        return None
    fields = {f.name: f for f in dataclasses.fields(request)}
    material = repr(
        (
            FORMAT,
            __version__,
            sys.version,
            sorted((name, repr(getattr(request, name))) for name in fields if name in KNOWN_FIELDS),
            [str(root) for root in library.roots],
            str(library.templates),
            _tree(_CODE, suffix=".py"),
        )
    )
    return hashlib.blake2b(material.encode(), digest_size=16).hexdigest()


def _inputs(library: Library, request: Request) -> list[Stamp]:
    """Every file that could decide the handout, with its stamp."""
    folders = [*library.roots, *library.template_dirs, paths.FONTS]
    files: list[Path] = []
    if request.brand is not None and names_a_file(request.brand):
        folders.append(request.brand.resolve().parent)  # a brand's folder holds its logo
    if request.layout is not None and names_a_file(request.layout):
        files.append(request.layout.resolve())
    stamps = [stamp for folder in dict.fromkeys(folders) for stamp in _tree(folder)]
    return stamps + [s for s in map(_stamp, files) if s is not None]


def _tree(folder: Path, suffix: str = "") -> list[Stamp]:
    """The stamp of every file under ``folder`` (links followed), in a fixed order."""
    found: list[Stamp] = []
    for top, dirs, names in os.walk(folder, followlinks=True):
        dirs.sort()
        found.extend(s for name in sorted(names) if name.endswith(suffix) and (s := _stamp(Path(top, name))))
    return found


def _stamp(path: Path) -> Stamp | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return (str(path), info.st_mtime_ns, info.st_size)


def _packages() -> list[Stamp]:
    """The file of each third-party package imported so far: preparing imported all those
    whose release could change a handout (pydantic, PyYAML, Babel, Jinja)."""
    files = (
        getattr(module, "__file__", None)
        for name, module in list(sys.modules.items())
        if "." not in name and name not in sys.stdlib_module_names and name != "handouts"
    )
    return sorted(s for f in files if f and (s := _stamp(Path(f))))


def _unchanged(stamps: Iterable[Stamp]) -> bool:
    return all(_stamp(Path(path)) == (path, mtime, size) for path, mtime, size in stamps)


def _safe(path: Path, info: os.stat_result | None = None) -> bool:
    """Owned by this user and writable by no one else: a pickle is code to Python."""
    try:
        info = info or os.stat(path)
    except OSError:
        return False
    return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _trim(folder: Path) -> None:
    """Drop the oldest entries beyond ``KEPT``."""
    entries = sorted(_entries(folder), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in entries[KEPT:]:
        old.unlink(missing_ok=True)


def _entries(folder: Path) -> Iterator[Path]:
    return (p for p in folder.glob("*.pickle") if p.is_file())
