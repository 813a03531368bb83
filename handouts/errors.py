"""User-facing diagnostics.

Every problem in content a person wrote is reported as
``path:line:col: error: message (at key.path)`` plus an optional hint, so an author who
never reads Python can find and fix it. Internal bugs are not diagnostics: they may
traceback; user input never should.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Diagnostic:
    """One problem at one place in one file (line and col are 1-based; 0 means unknown)."""

    path: Path
    line: int
    col: int
    message: str
    key: str = field(default="", kw_only=True)  # keyword-only: a hint passed by position
    hint: str = field(default="", kw_only=True)  # once printed as a key path
    severity: str = field(default="error", kw_only=True)

    def format(self) -> str:
        where = display_path(self.path)
        if self.line:  # 0 = the problem is with the file or option as a whole
            where += f":{self.line}:{self.col}"
        text = f"{where}: {self.severity}: {self.message}"
        if self.key:
            text += f" (at {self.key})"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class ContentError(Exception):
    """Raised with every diagnostic found, so authors fix a whole file in one pass."""

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = tuple(diagnostics)
        super().__init__("\n".join(d.format() for d in self.diagnostics))


def display_path(path: Path) -> str:
    """Show paths relative to the working directory when possible: shorter and clickable.
    A symlink is shown by its own name: resolving it would print where a hostile link
    points instead of the file an author must fix."""
    cwd = Path.cwd().resolve()
    candidates = [Path(os.path.normpath(Path(path).absolute()))]
    try:
        if not Path(path).is_symlink():
            candidates.append(Path(path).resolve())
    except (OSError, ValueError):  # a name too long for the file system, a NUL byte
        pass
    for candidate in candidates:
        if candidate.is_relative_to(cwd):
            return str(candidate.relative_to(cwd))
    return str(path)


def clip(value: object, limit: int = 40) -> str:
    """A bad value as quoted in a message: at most ``limit`` characters, and invisible
    characters (NUL, control codes) written as escapes, so a pasted page or a control
    character in a hostile file cannot flood or garble the terminal."""
    text = "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode() for ch in str(value))
    return text if len(text) <= limit else text[: limit - 3] + "..."


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A hint naming the closest valid choice, or listing the choices when none is close."""
    options = sorted(set(choices))
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    if options:
        return "expected one of: " + ", ".join(options)
    return ""
