"""``library.FileCache``: a file is parsed once while it is unchanged, and an edit always
shows, even one that leaves the file's stamp (modification time, size) as it was."""

from __future__ import annotations

import os
import time
from pathlib import Path

from handouts.files import RACY_SECONDS
from handouts.library import FileCache


def counted(path: Path, loads: list[str]):
    def load() -> str:
        loads.append(text := path.read_text(encoding="utf-8"))
        return text

    return load


def test_a_same_size_edit_within_one_tick_of_the_clock_is_read(tmp_path):
    """Two writes within one tick of a coarse file-system clock leave one stamp; here the
    second write is given the first one's stamp, as such a clock would."""
    unit = tmp_path / "en.yaml"
    unit.write_text("dose: 5 mg\n", encoding="utf-8")
    cache, loads = FileCache(), []
    assert cache.get("text", unit, counted(unit, loads)) == "dose: 5 mg\n"
    before = unit.stat()

    unit.write_text("dose: 9 mg\n", encoding="utf-8")
    os.utime(unit, ns=(before.st_atime_ns, before.st_mtime_ns))

    assert cache.get("text", unit, counted(unit, loads)) == "dose: 9 mg\n"


def test_a_file_written_before_the_racy_window_is_parsed_once(tmp_path):
    unit = tmp_path / "en.yaml"
    unit.write_text("dose: 5 mg\n", encoding="utf-8")
    old = time.time_ns() - int(2 * RACY_SECONDS * 1e9)
    os.utime(unit, ns=(old, old))
    cache, loads = FileCache(), []

    texts = [cache.get("text", unit, counted(unit, loads)) for _ in range(3)]

    assert texts == ["dose: 5 mg\n"] * 3 and len(loads) == 1
    unit.write_text("dose: 9 mg\n", encoding="utf-8")  # a new stamp: read again
    assert cache.get("text", unit, counted(unit, loads)) == "dose: 9 mg\n" and len(loads) == 2
