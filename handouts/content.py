"""The content library: finding and loading medicines, templates, brands, layouts and
interface strings, with the checks that need more than one key (file names, logo files,
colour contrast, placeholders).

A library is a list of content roots searched in order, so a pharmacy's own folder can
hold just its medicines and brands while layouts and strings come from the built-in one.
"""

from __future__ import annotations

import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from pathlib import Path
from typing import Generic, TypeVar

from cachetools import LRUCache

from . import paths, schema, scripts
from .colors import MIN_CONTRAST, WHITE, contrast, tint
from .coverage import coverage_check
from .errors import ContentError, Diagnostic, clip, did_you_mean, display_path
from .files import not_regular
from .limits import check_limits
from .loader import Source, load_yaml
from .model import Brand, Strings
from .validate import check

M = TypeVar("M")

DEFAULT_BRAND = "default"
CALLOUT_TINT = 0.9  # warning-box background: the accent mixed 90% with white
LOGO_FORMATS = {"PNG", "JPEG"}
MAX_LOGO_PIXELS = 25_000_000
# The only braces an interface string may hold: "{page}", never "{page:>999999999}" (a
# format spec would let a translated file ask for a gigabyte of padding) or "{page.x}".
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


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
        key = (kind, path, file_stamp(path))
        try:
            return self._kept[key]  # type: ignore[return-value]
        except KeyError:
            pass
        value = self._kept[key] = load()  # an error is raised again next time, not kept
        return value


def cached(load: Callable[[Library, Path], R]) -> Callable[[Library, Path], R]:
    """A loader whose results the library keeps (``FileCache``)."""

    @wraps(load)
    def through(library: Library, path: Path) -> R:
        path = Path(path)
        return library.files.get(load.__name__, path, lambda: load(library, path))

    return through


def file_stamp(path: Path) -> tuple[int, int] | None:
    """(modification time, size) of a file, the version a cache keys it by; None if it
    is missing (the loader itself then reports it)."""
    try:
        stat = Path(path).stat()
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size)


@dataclass(frozen=True)
class Loaded(Generic[M]):
    """A validated file: the schema object plus its Source for error positions."""

    source: Source
    doc: M


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


# --- loaders: one per file kind; cached because batches reuse them thousands of times ---


@cached
def parse(library: Library, path: Path) -> Source:
    """Each file is parsed once per library, however many loaders look at it
    (``is_translation`` and then the loader of its kind). Content is held to the limits
    of its shape here too."""
    source = load_yaml(path)
    check_limits(source)
    return source


@cached
def load_medicine(library: Library, path: Path) -> Loaded[schema.MedicineFile]:
    source = parse(library, path)
    doc = check(source, schema.MedicineFile)
    _check_place(source, doc, path)
    return Loaded(source, doc)


@cached
def is_translation(library: Library, path: Path) -> bool:
    """A translation names its source language; a source file has the facts."""
    data = parse(library, path).data
    return isinstance(data, dict) and "translation_of" in data


def _check_place(source: Source, doc: schema.MedicineFile | schema.MedicineTranslation, path: Path) -> None:
    """A medicine file lives in medicines/<id>/<lang>.yaml and says so inside, in a
    language whose script the bundled fonts cover."""
    problems: list[Diagnostic] = []
    if doc.medicine != path.parent.name:
        problems.append(
            source.error(
                ("medicine",),
                f"medicine id '{doc.medicine}' does not match its folder '{path.parent.name}'",
                "the file must live in medicines/<id>/<lang>.yaml",
            )
        )
    if doc.lang != path.stem:
        problems.append(
            source.error(
                ("lang",),
                f"lang '{doc.lang}' does not match the file name '{path.name}'",
                f"rename the file to {doc.lang}.yaml or fix 'lang'",
            )
        )
    problem = scripts.unsupported(doc.lang)
    if problem:
        problems.append(source.error(("lang",), problem, scripts.SUPPORTED_HINT))
    if problems:
        raise ContentError(problems)


@cached
def load_medicine_translation(library: Library, path: Path) -> Loaded[schema.MedicineTranslation]:
    source = parse(library, path)
    doc = check(source, schema.MedicineTranslation)
    _check_place(source, doc, path)
    if doc.translation_of == doc.lang:
        raise ContentError([source.error(("translation_of",), "a file cannot be a translation of itself")])
    return Loaded(source, doc)


@cached
def load_template_translation(library: Library, path: Path) -> Loaded[schema.TemplateTranslation]:
    source = parse(library, path)
    doc = check(source, schema.TemplateTranslation)
    _check_template_name(source, doc.template, path)
    return Loaded(source, doc)


def _check_template_name(source: Source, name: str, path: Path) -> None:
    if name != path.parent.name:
        raise ContentError(
            [source.error(("template",), f"template name '{name}' does not match its folder '{path.parent.name}'")]
        )


@cached
def load_template(library: Library, path: Path) -> Loaded[schema.TemplateFile]:
    source = parse(library, path)
    doc = check(source, schema.TemplateFile)
    _check_template_name(source, doc.template, path)
    return Loaded(source, doc)


@cached
def load_layout(library: Library, path: Path) -> Loaded[schema.LayoutFile]:
    source = parse(library, path)
    doc = check(source, schema.LayoutFile)
    seen: set[str] = set()
    for i, section in enumerate(doc.sections):
        if section in seen:
            raise ContentError([source.error(("sections", i), f"section '{section}' is listed twice")])
        seen.add(section)
    return Loaded(source, doc)


@cached
def load_strings_file(library: Library, path: Path) -> Loaded[schema.StringsFile]:
    source = parse(library, path)
    doc = check(source, schema.StringsFile)
    required = {"page": {"page", "pages"}, "revised": {"date"}, "version": {"version"}, "continued": {"label"}}
    problems = []
    for key, wanted in required.items():
        value = getattr(doc, key)
        found = set(_PLACEHOLDER.findall(value))
        stray = "{" in _PLACEHOLDER.sub("", value) or "}" in _PLACEHOLDER.sub("", value)
        if found != wanted or stray:
            expected = ", ".join("{" + w + "}" for w in sorted(wanted))
            problems.append(
                source.error(
                    (key,),
                    f"'{value}' must contain exactly {expected}",
                    "keep the words in braces untranslated; they are filled in when printing",
                )
            )
    for key in schema.StringsFile.model_fields:
        try:
            coverage_check(source, getattr(doc, key), (key,))
        except ContentError as exc:
            problems.extend(exc.diagnostics)
    if problems:
        raise ContentError(problems)
    return Loaded(source, doc)


def load_strings(library: Library, path: Path) -> Strings:
    doc = load_strings_file(library, path).doc
    return Strings(doc.page, doc.revised, doc.version, doc.draft_mark, doc.draft_notice, doc.continued)


_BRAND_TEXTS = (
    "name",
    "phone",
    "website",
    "address",
    "hours",
    "footer_note",
    "emergency_number",
    "poison_control",
    "after_hours",
)


@cached
def load_brand(library: Library, path: Path) -> Brand:
    source = parse(library, path)
    doc = check(source, schema.BrandFile)
    problems: list[Diagnostic] = []
    texts: dict[str, str] = {}
    localized: list[tuple[str, str, str]] = []
    for key in _BRAND_TEXTS:  # printed on every page, or filled into the text
        value = getattr(doc, key)
        by_lang = value if isinstance(value, dict) else ({doc.lang: value} if value else {})
        if len(by_lang) > 1 or (by_lang and doc.lang not in by_lang):
            if doc.lang not in by_lang:
                problems.append(
                    source.error(
                        (key,),
                        f"'{key}' has no text in the brand's own language '{doc.lang}'",
                        f"add '{doc.lang}: ...' (it is printed for every language not listed), or set 'lang:'",
                    )
                )
                continue
            localized += [(key, code, text) for code, text in by_lang.items()]
        for code, text in by_lang.items():
            at = (key, code) if isinstance(value, dict) else (key,)
            try:
                coverage_check(source, text, at)
            except ContentError as exc:
                problems.extend(exc.diagnostics)
        if by_lang:
            texts[key] = by_lang[doc.lang]
    logo = _check_logo(source, doc.logo, problems) if doc.logo else None
    pairs = [
        (("colors", "primary"), doc.colors.primary, WHITE, "headings on white paper"),
        (
            ("colors", "accent"),
            doc.colors.accent,
            tint(doc.colors.accent, CALLOUT_TINT),
            "warning label on the warning box",
        ),
    ]
    for keypath, fg, bg, what in pairs:
        ratio = contrast(fg, bg)
        if ratio < MIN_CONTRAST:
            problems.append(
                source.error(
                    keypath,
                    f"colour {getattr(doc.colors, keypath[1])} gives {what} a contrast of "
                    f"{ratio:.2f}:1; at least {MIN_CONTRAST}:1 is needed",
                    "pick a darker shade: leaflets are printed on black-and-white lasers",
                )
            )
    if problems:
        raise ContentError(problems)
    return Brand(
        primary=doc.colors.primary,
        accent=doc.colors.accent,
        logo=logo,
        paper=doc.paper,
        lang=doc.lang,
        localized=tuple(localized),
        **texts,
    )


def _check_logo(source: Source, logo: str, problems: list[Diagnostic]) -> Path | None:
    """The logo must be a real PNG/JPEG inside the brand file's folder (no '..', no
    absolute paths, no symlinks pointing out): brand files come from outside."""
    folder = source.path.parent.resolve()
    try:
        candidate = (folder / logo).resolve()
        found = candidate.is_relative_to(folder) and candidate.is_file()
    except RuntimeError:  # Python 3.11/3.12 resolve(): a symlink loop
        problems.append(source.error(("logo",), f"logo file '{clip(logo)}' not found", "it is a symlink loop"))
        return None
    except (OSError, ValueError):  # a NUL byte, or a name too long for the file system
        problems.append(
            source.error(("logo",), f"logo '{clip(logo)}' is not a usable file name", "give the logo's file name")
        )
        return None
    if not candidate.is_relative_to(folder):
        problems.append(
            source.error(
                ("logo",),
                f"logo '{clip(logo)}' is outside the brand's folder",
                "put the logo next to the brand file and give just its file name",
            )
        )
        return None
    if not found:
        problems.append(
            source.error(("logo",), f"logo file '{clip(logo)}' not found", f"looked in {display_path(folder)}")
        )
        return None
    problem = _image_problem(candidate)
    if problem:
        problems.append(source.error(("logo",), f"logo '{clip(logo)}' {problem[0]}", problem[1]))
        return None
    return candidate


def _image_problem(path: Path) -> tuple[str, str] | None:
    """(what is wrong, how to fix it) for a file that cannot be printed as a logo.

    Pillow reads the size from the header first, so a decompression bomb is refused
    before any pixel is decoded; the rest is then decoded once here, because a truncated
    JPEG passes ``verify()`` and would otherwise fail halfway through rendering."""
    import warnings

    from PIL import Image  # Pillow comes with reportlab; imported here to keep start-up fast

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                if image.format not in LOGO_FORMATS:
                    return f"is {image.format}, not PNG or JPEG", "export the logo as PNG"
                if image.width * image.height > MAX_LOGO_PIXELS:
                    return (
                        f"is {image.width}x{image.height} pixels; too large",
                        "scale it down to at most 2000 pixels wide",
                    )
                image.verify()  # checksums; leaves the image unusable, so decode a fresh copy
            with Image.open(path) as image:
                image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return "declares too many pixels to open safely", "scale it down to at most 2000 pixels wide"
    except Exception as exc:  # noqa: BLE001 - Pillow raises many types for broken files
        return f"is not a readable image ({type(exc).__name__})", "export the logo again as PNG"
    return None
