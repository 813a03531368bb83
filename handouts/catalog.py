"""What a content library holds, for ``list``: medicines, shared templates, brands,
layouts and languages, each with where it comes from.

A library searches the ``--content`` folder before the built-in one, so a name found in
both is taken from the ``--content`` folder; the listings show only the file that wins,
and say which folder it is in ("built-in" or the folder's path), because "why is my
brand not used?" is usually "a file of the same name is found first".

The loaders (``content``: pydantic, PyYAML) are imported by the listings that read files,
so that the command line, which names every listing in its help, starts without them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from . import l10n, paths
from .errors import ContentError, Diagnostic, display_path
from .library import Library, confined
from .model import LEVELS

Row = tuple[str, ...]
Listing = tuple[list[Row], list[Diagnostic]]  # header first, then one row per entry; problems found
Lister = Callable[[Library], Listing]


def _found(folders: Iterable[Path], pattern: str, name_of: Callable[[Path], str]) -> dict[str, Path]:
    """name -> the file that wins (first folder first), in name order; files that lead
    outside their folder are left out, as the library leaves them out."""
    found: dict[str, Path] = {}
    for folder in folders:
        for path in sorted(folder.glob(pattern)):
            try:
                if confined(folder, path):
                    found.setdefault(name_of(path), path)
            except ContentError:
                continue
    return dict(sorted(found.items()))


def _origin(path: Path, depth: int) -> str:
    """``built-in`` for what ships with handouts, else the content folder the file sits
    ``depth`` folders below (``brands/NAME/brand.yaml``: 2)."""
    resolved = path.resolve()
    if any(resolved.is_relative_to(builtin.resolve()) for builtin in (paths.CONTENT, paths.TEMPLATES)):
        return "built-in"
    return display_path(path.parents[depth])


def medicines(library: Library) -> Listing:
    """Medicines x languages x levels with their review status (the table plain ``list``
    has always printed)."""
    from .content import is_translation, load_medicine, load_medicine_translation

    rows: list[Row] = [("MEDICINE", "LANG", "LEVEL", "STATUS", "REVISED")]
    problems: list[Diagnostic] = []
    for medicine, lang, path in library.medicines():
        try:
            doc = (load_medicine_translation if is_translation(library, path) else load_medicine)(library, path).doc
        except ContentError as exc:
            problems.extend(exc.diagnostics)
            rows.append((medicine, lang, "-", "invalid", "-"))
            continue
        rows += [(medicine, lang, level, doc.status, doc.revised.isoformat()) for level in LEVELS]
    return rows, problems


def templates(library: Library) -> Listing:
    """Shared section templates and the languages each is written or translated in."""
    by_origin: dict[tuple[str, str], list[str]] = {}
    for folder in library.template_dirs:
        for path in sorted(folder.glob("*/*.yaml")):
            key = (path.parent.name, path.stem)
            if library.template_path(*key) == path.resolve():  # the file that wins
                by_origin.setdefault((key[0], _origin(path, 2)), []).append(path.stem)
    rows: list[Row] = [("TEMPLATE", "LANGUAGES", "FROM")]
    rows += [(name, ", ".join(langs), where) for (name, where), langs in sorted(by_origin.items())]
    return rows, []


def brands(library: Library) -> Listing:
    """Brands: the organisation printed on the handout, its default paper."""
    from .content import load_brand

    rows: list[Row] = [("BRAND", "ORGANISATION", "PAPER", "FROM")]
    problems: list[Diagnostic] = []
    for name, path in _found(library.roots, "brands/*/brand.yaml", lambda p: p.parent.name).items():
        try:
            brand = load_brand(library, path)
        except ContentError as exc:
            problems.extend(exc.diagnostics)
            rows.append((name, "invalid", "-", _origin(path, 2)))
            continue
        rows.append((name, brand.name, brand.paper, _origin(path, 2)))
    return rows, problems


def layouts(library: Library) -> Listing:
    """Layouts: which sections appear, in which order."""
    from .content import load_layout

    rows: list[Row] = [("LAYOUT", "SECTIONS", "FROM")]
    problems: list[Diagnostic] = []
    for name, path in _found(library.roots, "layouts/*.yaml", lambda p: p.stem).items():
        try:
            sections = ", ".join(load_layout(library, path).doc.sections)
        except ContentError as exc:
            problems.extend(exc.diagnostics)
            sections = "invalid"
        rows.append((name, sections, _origin(path, 1)))
    return rows, problems


def languages(library: Library) -> Listing:
    """Languages with interface strings (page labels, the DRAFT mark), so a handout can
    be printed in them, and the medicines written or translated in each."""
    written: dict[str, list[str]] = {}
    for medicine, lang, _ in library.medicines():
        written.setdefault(lang, []).append(medicine)
    rows: list[Row] = [("LANG", "NAME", "MEDICINES", "FROM")]
    for lang, path in _found(library.roots, "strings/*.yaml", lambda p: p.stem).items():
        name = l10n.babel_locale(lang).english_name if l10n.is_known(lang) else "?"
        rows.append((lang, name or "?", ", ".join(written.get(lang, [])) or "-", _origin(path, 1)))
    return rows, []


KINDS: dict[str, Lister] = {
    "medicines": medicines,
    "templates": templates,
    "brands": brands,
    "layouts": layouts,
    "languages": languages,
}
