"""Where content comes from: the roots searched in order, lookups by name, and the files
loaded from them (``FileCache``), owned by the caller.

Kept apart from ``content`` (the loaders and their checks, which need pydantic and
PyYAML) so that a command can name its library, and ``build`` can find a cached
prepared handout (``prepared``), without importing either.
"""

from __future__ import annotations

import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from pathlib import Path
from typing import TypeVar

from cachetools import LRUCache

from . import paths
from .errors import ContentError, Diagnostic, clip, did_you_mean, display_path
from .files import file_stamp, not_regular, settled

DEFAULT_BRAND = "default"  # the brand a build uses when none is given
R = TypeVar("R")
FILES_KEPT = 1024  # loaded files per library: the shipped library has ~60; a pharmacy's brands add one each


class FileCache:
    """What a ``Library`` has loaded, per file *and* per modification time and size:
    unchanged files are parsed and validated once per library (a batch reuses them
    thousands of times), an edited file is read again (a long-running process, or a test
    editing a file, never sees old text). Least recently used dropped first. A library
    sent to a worker process arrives with an empty cache; the worker keeps its own
    library (``worker.process_library``)."""

    def __init__(self, maxsize: int = FILES_KEPT):
        self.maxsize = maxsize
        self._kept: LRUCache[tuple[str, Path, tuple[int, int] | None], object] = LRUCache(maxsize)

    def __reduce__(self) -> tuple[type[FileCache], tuple[int]]:
        return (FileCache, (self.maxsize,))  # pickled empty: what it holds stays in its process

    def __len__(self) -> int:
        return len(self._kept)

    def get(self, kind: str, path: Path, load: Callable[[], R]) -> R:
        stamp = file_stamp(path)  # before the read: a write during it changes the stamp
        key = (kind, path, stamp)
        try:
            return self._kept[key]  # type: ignore[return-value]
        except KeyError:
            pass
        value = load()  # an error is raised again next time, not kept
        if stamp is not None and settled(stamp[0]):  # written just now: read again next time
            self._kept[key] = value
        return value


def cached(load: Callable[[Library, Path], R]) -> Callable[[Library, Path], R]:
    """A loader whose results the library keeps (``FileCache``)."""

    @wraps(load)
    def through(library: Library, path: Path) -> R:
        path = Path(path)
        return library.files.get(load.__name__, path, lambda: load(library, path))

    return through


@dataclass(frozen=True)
class Library:
    """Where content comes from, and the files loaded from it (``files``): a command, a
    batch worker or a server keeps one library and so parses each file once."""

    roots: tuple[Path, ...] = (paths.CONTENT,)
    templates: Path = paths.TEMPLATES
    files: FileCache = field(default_factory=FileCache, compare=False, repr=False)

    @classmethod
    def with_content(cls, content: Path | None) -> Library:
        """The built-in library, with ``content`` searched first when given."""
        if content is None:
            return cls()
        try:
            Path(content).stat()
        except FileNotFoundError:
            pass  # nothing there yet: lookups find nothing, 'translate init' creates it
        except (OSError, ValueError) as exc:  # a name too long for the file system, a NUL byte
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not a usable folder name"
            raise ContentError(
                [Diagnostic(Path("--content"), 0, 0, f"cannot use the folder '{clip(content)}': {reason}")]
            ) from None
        return cls((Path(content), paths.CONTENT))

    def _find(self, pattern: str, name: str, what: str, hint: str) -> Path:
        """First file matching ``pattern`` (e.g. ``brands/{}/brand.yaml``) across the roots."""
        for root in self.roots:
            found = confined(root, root / pattern.format(name))
            if found:
                return found
        star = pattern.format("*")
        known = {p.relative_to(root).parts[1].removesuffix(".yaml") for root in self.roots for p in root.glob(star)}
        raise ContentError(
            [
                Diagnostic(
                    self.roots[0] / pattern.split("/")[0],
                    0,
                    0,
                    f"no {what} named '{name}'",
                    hint=did_you_mean(name, known) or hint,
                )
            ]
        )

    def medicine_path(self, medicine: str, lang: str) -> Path:
        for root in self.roots:
            found = confined(root, root / "medicines" / medicine / f"{lang}.yaml")
            if found:
                return found  # resolved: loaders cache by path, one file, one key
        known = {m for m, _, _ in self.medicines()}
        if medicine in known:
            langs = sorted(lang_ for m, lang_, _ in self.medicines() if m == medicine)
            hint = f"'{medicine}' exists in: {', '.join(langs)}"
            message = f"medicine '{medicine}' has no '{lang}' translation"
        else:
            hint = did_you_mean(medicine, known) or "run 'python generate.py list' to see what exists"
            message = f"no medicine named '{medicine}'"
        raise ContentError([Diagnostic(self.roots[0] / "medicines", 0, 0, message, hint=hint)])

    def medicines(self) -> list[tuple[str, str, Path]]:
        """(medicine id, language, path) for every medicine file, first root winning; a
        link to a file outside its root is not part of the library (see ``confined``)."""
        found: dict[tuple[str, str], Path] = {}
        for root in self.roots:
            for path in sorted((root / "medicines").glob("*/*.yaml")):
                try:
                    confined(root, path)
                except ContentError:
                    continue  # not listed; building it by name says why
                found.setdefault((path.parent.name, path.stem), path)
        return [(m, lang, p) for (m, lang), p in sorted(found.items())]

    def brand_path(self, name: str) -> Path:
        """Each brand has its own folder, which confines its logo."""
        return self._find("brands/{}/brand.yaml", name, "brand", "brands live in content/brands/NAME/brand.yaml")

    def layout_path(self, name: str) -> Path:
        return self._find("layouts/{}.yaml", name, "layout", "give a layout file, or a name from content/layouts/")

    def strings_path(self, lang: str) -> Path:
        return self._find("strings/{}.yaml", lang, "interface strings for language", "add content/strings/LANG.yaml")

    @property
    def template_dirs(self) -> tuple[Path, ...]:
        """A user content folder may carry its own templates/ (e.g. a translator's new
        language); the built-in templates come last."""
        return tuple(root / "templates" for root in self.roots if root != paths.CONTENT) + (self.templates,)

    def template_path(self, name: str, lang: str) -> Path | None:
        for folder in self.template_dirs:
            found = confined(folder, folder / name / f"{lang}.yaml")
            if found:
                return found
        return None

    def template_names(self) -> list[str]:
        return sorted(
            {p.name for folder in self.template_dirs if folder.is_dir() for p in folder.iterdir() if p.is_dir()}
        )


def names_a_file(given: Path) -> bool:
    """``--brand`` and ``--layout`` take a file path, or a bare name from the library."""
    return given.suffix in (".yaml", ".yml") or len(given.parts) > 1


def confined(root: Path, candidate: Path) -> Path | None:
    """The resolved file, or None if there is none. Content folders come from outside
    (a vendor's archive, a clinic's share): a file that resolves outside its folder, by a
    symlink or by '..' in a name, is an error rather than something to read, and so is a
    name that is no regular file (a FIFO, a device, a folder)."""
    try:
        mode = candidate.stat().st_mode  # of what a link points to
        resolved = candidate.resolve()
    except (OSError, RuntimeError, ValueError):  # missing; a name too long or with a NUL byte; a symlink loop
        return None
    if not resolved.is_relative_to(root.resolve()):
        raise ContentError(
            [
                Diagnostic(
                    candidate,
                    0,
                    0,
                    f"leads outside the content folder {display_path(root)} (a symlink or '..')",
                    hint="copy the file into the content folder instead of linking to it",
                )
            ]
        )
    if not stat.S_ISREG(mode):  # a FIFO would hang the first read, a device never end
        raise not_regular(candidate, mode)
    return resolved
