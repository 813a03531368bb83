"""The kept prepared handout (prepared.py): a second `build` of the same request draws the
handout prepared the first time, and any change to what decides it is seen.

The suite runs with the cache off (conftest.py); these tests turn it on in a folder of
their own. Content copies get old time stamps, because an entry is not written while an
input is younger than ``RACY_SECONDS``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import TEST_CONTENT
from pypdf import PdfReader
from test_translate import write_translation

from handouts import build, files
from handouts.build import Request, prepare
from handouts.cli import main
from handouts.library import Library
from handouts.prepared import KNOWN_FIELDS, PreparedCache, PreparedInMemory

ROOT = Path(__file__).resolve().parents[1]
HOUR_AGO = time.time() - 3600


def age(folder: Path) -> Path:
    """Date every file under ``folder`` an hour back, as content that was not just edited."""
    for path in folder.rglob("*"):
        os.utime(path, (HOUR_AGO, HOUR_AGO))
    return folder


@pytest.fixture
def root(tmp_path: Path) -> Path:
    out = tmp_path / "content"
    shutil.copytree(TEST_CONTENT, out)
    return age(out)


@pytest.fixture
def kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PreparedCache:
    monkeypatch.setenv("HANDOUTS_CACHE_DIR", str(tmp_path / "cache"))
    cache = PreparedCache.default()
    assert cache is not None
    return cache


def entries(cache: PreparedCache) -> list[Path]:
    return sorted(cache.folder.glob("*.pickle")) if cache.folder.exists() else []


def counted_prepares(monkeypatch: pytest.MonkeyPatch) -> list[Request]:
    """Requests that were really prepared (not taken from the cache), in order."""
    calls: list[Request] = []
    real = build._prepare

    def counting(library: Library, request: Request):  # type: ignore[no-untyped-def]
        calls.append(request)
        return real(library, request)

    monkeypatch.setattr(build, "_prepare", counting)
    return calls


def build_cli(runner, root: Path, out: Path, *args: str):  # type: ignore[no-untyped-def]
    result = runner.invoke(main, ["--content", str(root), "build", "testamine", "-o", str(out), *args])
    assert result.exit_code == 0, result.output
    return result


def text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_a_second_build_draws_the_kept_handout_and_writes_the_same_bytes(runner, root, kept, tmp_path, monkeypatch):
    prepared = counted_prepares(monkeypatch)
    build_cli(runner, root, tmp_path / "first.pdf")
    assert len(entries(kept)) == 1
    build_cli(runner, root, tmp_path / "second.pdf")
    assert len(prepared) == 1  # the second build was not prepared again
    monkeypatch.setenv("HANDOUTS_CACHE_DIR", "off")
    build_cli(runner, root, tmp_path / "uncached.pdf")
    assert len(prepared) == 2
    first = (tmp_path / "first.pdf").read_bytes()
    assert (tmp_path / "second.pdf").read_bytes() == first == (tmp_path / "uncached.pdf").read_bytes()


def test_a_kept_build_in_a_fresh_process_imports_neither_pydantic_nor_yaml(tmp_path):
    env = {**os.environ, "HANDOUTS_CACHE_DIR": str(tmp_path / "cache")}
    probe = (
        "import json, sys\nfrom handouts.cli import main\n"
        f"try:\n    main(['build', 'baclofen', '--lang', 'ar', '-o', {str(tmp_path / 'out.pdf')!r}])\n"
        "except SystemExit as exit:\n    assert exit.code in (0, None), exit.code\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )

    def packages() -> set[str]:
        run = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
        return set(json.loads(run.stdout.splitlines()[-1]))

    assert {"pydantic", "yaml"} <= packages()  # the first build prepares
    assert {"pydantic", "yaml", "jinja2"} & packages() == set()  # the second draws what was kept
    assert PdfReader(tmp_path / "out.pdf").pages


def test_an_edit_of_the_same_size_is_seen(runner, root, kept, tmp_path):
    build_cli(runner, root, tmp_path / "before.pdf")
    medicine = root / "medicines" / "testamine" / "en.yaml"
    source = medicine.read_text(encoding="utf-8")
    assert "made-up" in source
    medicine.write_text(source.replace("made-up", "pretend"), encoding="utf-8")  # 7 letters for 7
    assert medicine.stat().st_size == len(source.encode())
    build_cli(runner, root, tmp_path / "after.pdf")
    assert "made-up" in text(tmp_path / "before.pdf")
    assert "pretend" in text(tmp_path / "after.pdf") and "made-up" not in text(tmp_path / "after.pdf")


def test_a_file_added_to_the_content_folder_is_seen(runner, root, kept, tmp_path):
    build_cli(runner, root, tmp_path / "before.pdf")
    brand = root / "brands" / "default"
    shutil.copytree(ROOT / "content" / "brands" / "default", brand)
    yaml = brand / "brand.yaml"
    yaml.write_text(yaml.read_text().replace("Sample Community Clinic", "Riverside Health Centre"))
    build_cli(runner, root, tmp_path / "after.pdf")
    assert "Sample Community Clinic" in text(tmp_path / "before.pdf")
    assert "Riverside Health Centre" in text(tmp_path / "after.pdf")


def test_a_brand_given_by_path_is_watched_with_its_folder(runner, root, kept, tmp_path):
    brand = age(Path(shutil.copytree(ROOT / "content" / "brands" / "default", tmp_path / "mybrand")))
    build_cli(runner, root, tmp_path / "before.pdf", "--brand", str(brand / "brand.yaml"))
    (brand / "logo.png").write_bytes((ROOT / "content" / "brands" / "eu_example" / "logo.png").read_bytes())
    (brand / "brand.yaml").write_text((brand / "brand.yaml").read_text().replace("555-0100", "555-0199"))
    build_cli(runner, root, tmp_path / "after.pdf", "--brand", str(brand / "brand.yaml"))
    assert "555-0100" in text(tmp_path / "before.pdf")
    assert "555-0199" in text(tmp_path / "after.pdf")


def test_warnings_are_shown_again_by_a_kept_build(runner, root, kept, tmp_path, monkeypatch):
    path = write_translation(root)
    path.write_text(path.read_text(encoding="utf-8").replace("src: ", 'src: "0badf00d" #', 1), encoding="utf-8")
    age(root)
    prepared = counted_prepares(monkeypatch)
    shown = [build_cli(runner, root, tmp_path / f"{n}.pdf", "--lang", "fr").stderr for n in range(2)]
    assert len(prepared) == 1
    assert "warning: stale: the source text changed after this was translated" in shown[0]
    assert shown[1] == shown[0]


def test_errors_are_never_kept(runner, root, kept, tmp_path):
    medicine = root / "medicines" / "testamine" / "en.yaml"
    medicine.write_text(medicine.read_text(encoding="utf-8").replace("status:", "statuss:"), encoding="utf-8")
    age(root)
    outputs = [runner.invoke(main, ["--content", str(root), "build", "testamine", "-o", "-"]) for _ in range(2)]
    assert [r.exit_code for r in outputs] == [2, 2]
    assert outputs[0].stderr == outputs[1].stderr and "statuss" in outputs[0].stderr
    assert entries(kept) == []


def test_an_input_edited_just_now_is_not_kept(runner, tmp_path, kept, monkeypatch):
    """The inputs are stamped when copied; the window is widened to an hour so that a slow
    machine, taking over 2 s from the copy to the build, still builds within it."""
    monkeypatch.setattr(files, "RACY_SECONDS", 3600.0)
    fresh = tmp_path / "fresh"
    shutil.copytree(TEST_CONTENT, fresh, copy_function=shutil.copy)  # stamped now: within the racy window
    build_cli(runner, fresh, tmp_path / "out.pdf")
    assert entries(kept) == []


def test_a_request_with_a_field_the_cache_does_not_know_is_never_kept(root, tmp_path):
    """A request with a patient's plan (``patient``, a field the cache does not know)
    must not reach the disk; the same request without it is kept."""
    plan = tmp_path / "rx-1.yaml"
    plan.write_text(
        "medicine: testamine\nname: Jane Q. Patient\nprescriber: Dr. A\nprescription: RX-1\n"
        "dispensed: 2026-12-01\nsteps:\n  - day: 1\n    dose: {value: 20, unit: mg}\n    times: [morning]\n",
        encoding="utf-8",
    )
    assert "patient" not in KNOWN_FIELDS
    cache = PreparedCache(tmp_path / "cache")
    library = Library.with_content(root)
    handout = prepare(library, Request("testamine", patient=plan), kept=cache)
    assert handout.schedule is not None and "Jane Q. Patient" in handout.schedule.for_line
    assert entries(cache) == []
    prepare(library, Request("testamine"), kept=cache)
    assert len(entries(cache)) == 1
    assert b"Jane" not in entries(cache)[0].read_bytes()


def test_a_folder_others_can_write_is_neither_read_nor_written(runner, root, kept, tmp_path, monkeypatch):
    build_cli(runner, root, tmp_path / "first.pdf")
    assert len(entries(kept)) == 1
    kept.folder.chmod(0o777)
    prepared = counted_prepares(monkeypatch)
    build_cli(runner, root, tmp_path / "second.pdf")
    assert len(prepared) == 1  # the planted-looking entry was not trusted
    kept.folder.chmod(0o700)
    entries(kept)[0].chmod(0o666)
    build_cli(runner, root, tmp_path / "third.pdf")
    assert len(prepared) == 2


def test_a_damaged_entry_is_ignored_and_replaced(runner, root, kept, tmp_path, monkeypatch):
    build_cli(runner, root, tmp_path / "first.pdf")
    (entry,) = entries(kept)
    entry.write_bytes(b"\x80\x05not a pickle")
    prepared = counted_prepares(monkeypatch)
    build_cli(runner, root, tmp_path / "second.pdf")
    build_cli(runner, root, tmp_path / "third.pdf")
    assert len(prepared) == 1  # prepared once more, then kept again
    assert (tmp_path / "second.pdf").read_bytes() == (tmp_path / "first.pdf").read_bytes()


def test_entries_are_private_to_the_user(runner, root, kept, tmp_path):
    build_cli(runner, root, tmp_path / "out.pdf")
    assert kept.folder.stat().st_mode & 0o777 == 0o700
    assert entries(kept)[0].stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("value", ["", "off"])
def test_an_empty_or_off_cache_folder_turns_the_cache_off(monkeypatch, value):
    monkeypatch.setenv("HANDOUTS_CACHE_DIR", value)
    assert PreparedCache.default() is None


# In memory: a server's renderer keeps the handouts it prepared (PreparedInMemory).


def test_in_memory_a_request_asked_again_is_not_prepared_again_and_draws_the_same_bytes(root, monkeypatch):
    library, kept = Library.with_content(root), PreparedInMemory()
    prepared = counted_prepares(monkeypatch)
    first, second = (prepare(library, Request("testamine", level="easy"), kept=kept) for _ in range(2))
    assert len(prepared) == 1 and second is first
    fresh = prepare(Library.with_content(root), Request("testamine", level="easy"))
    assert build.render(second, build.render_cache()).data == build.render(fresh, build.render_cache()).data


def test_in_memory_an_edit_of_the_same_size_and_an_added_file_are_seen(root):
    library, kept = Library.with_content(root), PreparedInMemory()
    for _ in range(2):  # prepared, then kept
        assert "made-up" in str(prepare(library, Request("testamine"), kept=kept))
    assert len(kept) == 1
    medicine = root / "medicines" / "testamine" / "en.yaml"
    source = medicine.read_text(encoding="utf-8")
    medicine.write_text(source.replace("made-up", "pretend"), encoding="utf-8")
    edited = prepare(library, Request("testamine"), kept=kept)
    assert "pretend" in str(edited) and "made-up" not in str(edited)
    brand = root / "brands" / "default"
    shutil.copytree(ROOT / "content" / "brands" / "default", brand)
    yaml = brand / "brand.yaml"
    yaml.write_text(yaml.read_text().replace("Sample Community Clinic", "Riverside Health Centre"))
    assert "Riverside Health Centre" in str(prepare(library, Request("testamine"), kept=kept).brand)


def test_in_memory_a_patient_request_is_never_kept_and_the_memory_is_bounded(root, tmp_path):
    plan = tmp_path / "rx-1.yaml"
    plan.write_text(
        "medicine: testamine\nname: Jane Q. Patient\nprescriber: Dr. A\nprescription: RX-1\n"
        "dispensed: 2026-12-01\nsteps:\n  - day: 1\n    dose: {value: 20, unit: mg}\n    times: [morning]\n",
        encoding="utf-8",
    )
    library, kept = Library.with_content(root), PreparedInMemory(kept=2)
    handout = prepare(library, Request("testamine", patient=plan), kept=kept)
    assert handout.schedule is not None and len(kept) == 0
    for level in ("easy", "standard", "detailed"):
        prepare(library, Request("testamine", level=level), kept=kept)
    assert len(kept) == 2


def test_in_memory_an_input_edited_just_now_is_not_kept(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "RACY_SECONDS", 3600.0)  # a slow machine still builds within it
    fresh = tmp_path / "fresh"
    shutil.copytree(TEST_CONTENT, fresh, copy_function=shutil.copy)  # stamped now: within the racy window
    library, kept = Library.with_content(fresh), PreparedInMemory()
    made = counted_prepares(monkeypatch)
    prepare(library, Request("testamine"), kept=kept)
    prepare(library, Request("testamine"), kept=kept)
    assert len(made) == 2 and len(kept) == 0
