"""The content library: finding and loading medicines, templates, brands, layouts and
interface strings, with the checks that need more than one key (file names, logo files,
colour contrast, placeholders).

A library is a list of content roots searched in order, so a pharmacy's own folder can
hold just its medicines and brands while layouts and strings come from the built-in one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from . import links, schema, scripts
from .colors import CALLOUT_TINT, MIN_CONTRAST, WHITE, contrast, tint
from .coverage import coverage_check
from .errors import ContentError, Diagnostic, clip, display_path
from .library import DEFAULT_BRAND as DEFAULT_BRAND
from .library import FileCache as FileCache
from .library import Library as Library
from .library import cached as cached
from .library import confined as confined
from .limits import check_limits
from .loader import KeyPath, Source, load_yaml
from .model import Brand, Strings
from .validate import check

M = TypeVar("M")

LOGO_FORMATS = {"PNG", "JPEG"}
MAX_LOGO_PIXELS = 25_000_000
# The only braces an interface string may hold: "{page}", never "{page:>999999999}" (a
# format spec would let a translated file ask for a gigabyte of padding) or "{page.x}".
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Loaded(Generic[M]):
    """A validated file: the schema object plus its Source for error positions."""

    source: Source
    doc: M


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


STRING_PLACEHOLDERS: dict[str, set[str]] = {  # key -> the placeholders its text must hold
    "page": {"page", "pages"},
    "revised": {"date"},
    "version": {"version"},
    "continued": {"label"},
    "patient_for": {"name"},
    "patient_details": {"prescriber", "number", "date"},
    "schedule_from": {"date"},
    "schedule_range": {"start", "end"},
    "schedule_stop": {"date"},
}


@cached
def load_strings_file(library: Library, path: Path) -> Loaded[schema.StringsFile]:
    source = parse(library, path)
    doc = check(source, schema.StringsFile)
    problems = []
    for key, wanted in STRING_PLACEHOLDERS.items():
        value = getattr(doc, key)
        if value is None:  # an optional key (a personal handout's) left out
            continue
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
        if getattr(doc, key) is None:
            continue  # an optional string this language does not have
        try:
            coverage_check(source, getattr(doc, key), (key,))
        except ContentError as exc:
            problems.extend(exc.diagnostics)
    if problems:
        raise ContentError(problems)
    return Loaded(source, doc)


def load_strings(library: Library, path: Path) -> Strings:
    doc = load_strings_file(library, path).doc
    return Strings(
        doc.page, doc.revised, doc.version, doc.draft_mark, doc.draft_notice, doc.continued, doc.online, doc.key_points
    )


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
    if doc.link is not None:
        problems += _link_problems(source, doc.link)
    pairs = [
        (("colors", "primary"), doc.colors.primary, WHITE, "headings on white paper"),
        (
            ("colors", "accent"),
            doc.colors.accent,
            tint(doc.colors.accent, CALLOUT_TINT),
            "warning label on the warning box",
        ),
        (
            ("colors", "primary"),
            doc.colors.primary,
            tint(doc.colors.primary, CALLOUT_TINT),
            "the title of the key points box",
        ),
    ]
    failed: set[KeyPath] = set()
    for keypath, fg, bg, what in pairs:
        ratio = contrast(fg, bg)
        if ratio < MIN_CONTRAST and keypath not in failed:  # one message per colour: its first use that fails
            failed.add(keypath)
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
        link=doc.link,
        paper=doc.paper,
        lang=doc.lang,
        localized=tuple(localized),
        **texts,
    )


def _link_problems(source: Source, link: str) -> list[Diagnostic]:
    """The brand's link checked (``links.check``), the column at the problem itself."""
    problem = links.check(link)
    if problem is None:
        return []
    line, col = source.pos(("link",))
    text = source.text.split("\n")[line - 1] if 0 < line <= source.text.count("\n") + 1 else ""
    col += problem.offset + (1 if text[col - 1 : col] in ("'", '"') else 0)  # past an opening quote
    return [Diagnostic(source.path, line, col, problem.message, key="link", hint=problem.hint)]


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
