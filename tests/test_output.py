"""Writing files: a full disk, an unwritable folder or a bad output path is reported like
bad input (exit 2, the path and the reason, no traceback), leaves no temporary file, and
never damages a PDF already at the output path.

Failures are simulated where they happen (the checks run as root here, which may write
anywhere, and mounting a tiny file system needs privileges): ``tempfile.mkstemp`` for a
folder that refuses new files, ``os.fsync`` and the file's ``write`` for a full disk (in handouts/atomic.py),
``os.replace`` for a rename that fails. test_errors.py covers an output path that is a
folder and a missing folder.
"""

from __future__ import annotations

import errno
import io
import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from handouts import atomic
from handouts.cli import main

BASE = Path(__file__).parent / "data" / "hostile" / "base"
HINT = "  hint: check that the folder exists and is writable, and that the disk is not full\n"


def _oserror(code: int):
    def fail(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    return fail


class _FullDisk(io.FileIO):
    """A temporary file on a disk that fills up on the first write."""

    def write(self, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.fixture
def out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An output folder holding yesterday's handout; the working directory is tmp_path."""
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "handout.pdf").write_bytes(b"%PDF- yesterday's handout")
    return folder


def run(*args: str) -> Result:
    result = CliRunner().invoke(main, ["--content", str(BASE), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output + result.stderr
    return result


def build_into(path: str) -> Result:
    return run("build", "hostile", "--brand", "base", "-o", path)


def assert_untouched(out: Path) -> None:
    """Only yesterday's PDF, byte for byte: no temporary file, no half-written PDF."""
    assert [p.name for p in out.iterdir()] == ["handout.pdf"]
    assert (out / "handout.pdf").read_bytes() == b"%PDF- yesterday's handout"


@pytest.mark.parametrize(
    "target, code, reason",
    [
        pytest.param("fsync", errno.ENOSPC, "No space left on device", id="disk-full-at-fsync"),
        pytest.param("replace", errno.EIO, "Input/output error", id="rename-fails"),
        pytest.param("mkstemp", errno.EACCES, "Permission denied", id="folder-not-writable"),
        pytest.param("mkstemp", errno.EROFS, "Read-only file system", id="read-only-file-system"),
        pytest.param("mkstemp", errno.EDQUOT, "Disk quota exceeded", id="quota-exceeded"),
    ],
)
def test_write_failure(out: Path, monkeypatch: pytest.MonkeyPatch, target: str, code: int, reason: str) -> None:
    module = atomic.tempfile if target == "mkstemp" else atomic.os
    monkeypatch.setattr(module, target, _oserror(code))
    result = build_into("out/handout.pdf")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"out/handout.pdf: error: cannot write the PDF: {reason}\n" + HINT
    assert_untouched(out)


def test_disk_full_during_write(out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(atomic, "open", lambda path, mode: _FullDisk(path, "w"), raising=False)
    result = build_into("out/handout.pdf")
    assert (result.exit_code, result.stderr) == (
        2,
        "out/handout.pdf: error: cannot write the PDF: No space left on device\n" + HINT,
    )
    assert_untouched(out)


def test_output_under_a_file(out: Path) -> None:
    result = build_into("out/handout.pdf/inside.pdf")
    assert (result.exit_code, result.stderr) == (
        2,
        "out/handout.pdf/inside.pdf: error: cannot write the PDF: Not a directory\n" + HINT,
    )
    assert_untouched(out)


def test_output_is_a_link_to_a_folder(out: Path) -> None:
    (out.parent / "link.pdf").symlink_to(out)
    result = build_into("link.pdf")
    assert (result.exit_code, result.stderr) == (  # the name given, not the folder it points to
        2,
        "link.pdf: error: output path is a directory\n  hint: give a file name, e.g. -o handout.pdf\n",
    )
    assert_untouched(out)


def test_a_successful_build_replaces_the_old_pdf_whole(out: Path) -> None:
    """The positive control: the same command with a working disk writes the new PDF."""
    result = build_into("out/handout.pdf")
    assert result.exit_code == 0, result.output
    assert [p.name for p in out.iterdir()] == ["handout.pdf"]
    assert (out / "handout.pdf").read_bytes().startswith(b"%PDF-1.")


def test_schema_into_missing_folder(out: Path) -> None:
    result = run("schema", "-o", "nope/handout.schema.json")
    assert (result.exit_code, result.stderr) == (
        2,
        "nope/handout.schema.json: error: cannot write the schema: No such file or directory\n" + HINT,
    )


def test_translate_init_disk_full(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A skeleton that cannot be written leaves no file behind either."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(atomic.os, "fsync", _oserror(errno.ENOSPC))
    mine = tmp_path / "mine"
    result = CliRunner().invoke(main, ["--content", str(mine), "translate", "init", "baclofen", "--lang", "fr"])
    assert "Traceback" not in result.output + result.stderr
    assert result.exit_code == 2
    assert result.stderr.endswith(": error: cannot write the skeleton: No space left on device\n" + HINT)
    assert [p for p in mine.rglob("*") if p.is_file()] == []


# --- outputs that are not regular files ---------------------------------------------------


@pytest.fixture
def no_rename(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Renames the code attempts, recorded and not done: on code without the check these
    tests must fail without replacing a real device node."""
    done: list[str] = []
    monkeypatch.setattr(atomic.os, "replace", lambda src, dst: done.append(str(dst)))
    return done


@pytest.mark.parametrize(
    ("make", "what"),
    [
        (lambda p: os.mkfifo(p), "it exists and is a named pipe (FIFO), not a regular file"),
        (
            lambda p: p.symlink_to(p.parent / "out" / "handout.pdf"),
            "it is a symbolic link; give the path of the file itself",
        ),
        (lambda p: p.symlink_to("/proc/self/fd/1"), "it is a symbolic link; give the path of the file itself"),
    ],
    ids=["fifo", "link-to-a-pdf", "link-like-dev-stdout"],
)
def test_output_that_is_no_regular_file_is_refused(out: Path, no_rename: list[str], make, what: str) -> None:
    """Renaming over a node replaces the node: a pipe or a link given as -o would become a
    regular file, and with -o /dev/stdout the system's link would be gone."""
    make(out.parent / "special.pdf")
    result = build_into("special.pdf")
    assert (result.exit_code, result.stderr) == (2, f"special.pdf: error: cannot write the PDF: {what}\n" + HINT)
    assert no_rename == []
    assert_untouched(out)


def test_output_that_is_a_character_device_is_refused(out: Path, no_rename: list[str]) -> None:
    result = build_into("/dev/null")
    assert (result.exit_code, result.stderr) == (
        2,
        "/dev/null: error: cannot write the PDF: it exists and is a character device, not a regular file\n" + HINT,
    )
    assert no_rename == []
    assert Path("/dev/null").is_char_device()


def test_schema_refuses_a_pipe_too(out: Path, no_rename: list[str], tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.json")
    result = run("schema", "-o", "pipe.json")
    assert result.exit_code == 2
    assert "pipe.json: error: cannot write the schema: it exists and is a named pipe (FIFO)" in result.stderr
    assert no_rename == []
