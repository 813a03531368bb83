"""Batches: manifests, matrix expansion, isolation of bad jobs, incremental rebuilds,
kill-and-resume, reports, combined outputs, and the Dask executor."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil  # installed with distributed (the test extra)
import pytest
from pypdf import PdfReader

import handouts
from handouts.cli import main
from handouts.content import Library
from handouts.errors import ContentError
from handouts.manifest import load_manifest
from handouts.schema import LEVELS
from handouts.worker import generator_files

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = sorted(p.stem for p in (ROOT / "content/medicines/baclofen").glob("*.yaml"))


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def errors_of(path: Path, library: Library | None = None) -> list[str]:
    with pytest.raises(ContentError) as exc:
        load_manifest(path, library or Library())
    return [d.format() for d in exc.value.diagnostics]


def batch(runner, *args: str, content: Path | None = None):
    prefix = ["--content", str(content)] if content else []
    return runner.invoke(main, [*prefix, "batch", *args], catch_exceptions=False)


def report(out: Path) -> dict:
    return json.loads((out / "batch-report.json").read_text(encoding="utf-8"))


def statuses(out: Path) -> dict[str, str]:
    return {job["output"]: job["status"] for job in report(out)["jobs"]}


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- manifests ------------------------------------------------------------------------


def _batch_command(manifest: Path, out: Path) -> list[str]:
    """``generate.py batch`` in a process of its own, one job at a time."""
    return [sys.executable, str(ROOT / "generate.py"), "batch", str(manifest), "--out", str(out), "-j", "1"]


def test_csv_rows_with_defaults_and_paths_relative_to_the_manifest(tmp_path):
    manifest = write(
        tmp_path / "m.csv",
        "medicine,lang,level,brand,paper,output\n"
        "baclofen,,,,,\n"
        "\n"
        "# a comment row\n"
        "baclofen,es,easy,brands/store.yaml,a4,store/es.pdf\n",
    )
    first, second = load_manifest(manifest, Library())
    assert (first.lang, first.level, first.brand, first.paper, first.output, first.line) == (
        "en",
        "standard",
        None,
        None,
        "baclofen-en-standard.pdf",
        2,
    )
    assert second.brand == str(tmp_path / "brands/store.yaml")
    assert (second.output, second.line) == ("store/es.pdf", 5)


def test_csv_errors_name_line_and_column(tmp_path):
    bad_header = write(tmp_path / "a.csv", "medicine,langauge\nbaclofen,es\n")
    assert errors_of(bad_header) == [
        f"{bad_header}:1:2: error: unknown column 'langauge'\n  hint: did you mean 'lang'?"
    ]
    bad_rows = write(tmp_path / "b.csv", "medicine,level,paper\nbaclofen,easy,letter\nbaclofen,hard,\nbaclofen,,a5\n")
    assert errors_of(bad_rows) == [
        f"{bad_rows}:3:2: error: unknown level 'hard' (at level)\n  hint: expected one of: detailed, easy, standard",
        f"{bad_rows}:4:3: error: unknown paper 'a5' (at paper)\n  hint: expected one of: a4, letter",
    ]
    no_medicine = write(tmp_path / "c.csv", "lang\nes\n")
    assert errors_of(no_medicine)[0].startswith(f"{no_medicine}:1:1: error: no 'medicine' column")
    header_only = write(tmp_path / "d.csv", "medicine,lang\n")
    assert errors_of(header_only) == [
        f"{header_only}: error: the manifest lists no jobs\n  hint: add rows below the header"
    ]


def test_outputs_must_stay_inside_out_and_be_unique(tmp_path):
    manifest = write(
        tmp_path / "m.csv",
        "medicine,lang,output\n"
        "baclofen,en,../escape.pdf\n"
        "baclofen,en,/etc/x.pdf\n"
        "baclofen,en,same.pdf\n"
        "baclofen,es,SAME.pdf\n"
        "baclofen,es,notes.txt\n",
    )
    hint = "\n  hint: give a relative path inside --out, ending in .pdf"
    assert errors_of(manifest) == [
        f"{manifest}:2:3: error: output '../escape.pdf' leaves the output folder ('..') (at output){hint}",
        f"{manifest}:3:3: error: output '/etc/x.pdf' is not a relative path (at output){hint}",
        f"{manifest}:6:3: error: output 'notes.txt' must be a visible file name ending in .pdf (at output){hint}",
        (
            f"{manifest}:5:1: error: output 'SAME.pdf' is also written by the job at line 4\n"
            "  hint: give each job its own 'output', or add {brand}/{paper} to the pattern"
        ),
    ]


def test_yaml_errors_name_line_and_key(tmp_path):
    manifest = write(
        tmp_path / "m.yaml",
        "output: '{medicine}/{colour}.pdf'\nmatrix:\n  medicine: [baclofen]\n  levels: [easy]\n",
    )
    problems = errors_of(manifest)
    assert problems == [
        f"{manifest}:4:3: error: unknown key 'levels' (at matrix.levels)\n  hint: did you mean 'level'?"
    ]
    write(manifest, "output: '{medicine}/{colour}.pdf'\nmatrix:\n  medicine: [baclofen]\n")
    assert errors_of(manifest) == [
        (
            f"{manifest}:1:10: error: unknown field {{colour}} in '{{medicine}}/{{colour}}.pdf' (at output)\n"
            "  hint: expected one of: brand, format, lang, layout, level, medicine, paper"
        )
    ]


def test_matrix_expands_all_languages_levels_and_papers(tmp_path):
    manifest = write(
        tmp_path / "m.yaml",
        "output: '{lang}/{medicine}-{level}-{paper}.pdf'\n"
        "matrix:\n  medicine: [baclofen]\n  lang: all\n  level: all\n  paper: all\n"
        "jobs:\n  - {medicine: baclofen, brand: default, output: clinic.pdf}\n",
    )
    jobs = load_manifest(manifest, Library())
    assert len(jobs) == len(SHIPPED) * len(LEVELS) * 2 + 1
    outputs = {job.output for job in jobs}
    papers = ("letter", "a4")
    shipped = {f"{lang}/baclofen-{level}-{paper}.pdf" for lang in SHIPPED for level in LEVELS for paper in papers}
    assert shipped < outputs
    assert "clinic.pdf" in outputs and jobs[0].brand == "default"


def test_default_names_say_only_what_the_job_sets(tmp_path):
    manifest = write(tmp_path / "m.yaml", "matrix:\n  medicine: [baclofen]\n  brand: [default]\n  paper: [a4]\n")
    assert [job.output for job in load_manifest(manifest, Library())] == ["baclofen-en-standard-default-a4.pdf"]


# --- running --------------------------------------------------------------------------


def test_a_failing_row_is_isolated_and_reported(runner, tmp_path):
    manifest = write(tmp_path / "m.csv", "medicine,lang,level\nbaclofen,en,easy\nbaclofen,xx,easy\nbaclofen,es,easy\n")
    out = tmp_path / "out"
    result = batch(runner, str(manifest), "--out", str(out), "-j", "1")
    assert result.exit_code == 1
    assert "3 jobs: 2 built, 0 up to date, 1 failed" in result.output
    assert "FAILED baclofen-xx-easy.pdf (manifest line 3)" in result.output
    rows = {row["output"]: row for row in csv.DictReader((out / "batch-report.csv").open(encoding="utf-8"))}
    failed = rows["baclofen-xx-easy.pdf"]
    assert failed["status"] == "failed" and failed["line"] == "3"
    assert "error: medicine 'baclofen' has no 'xx' translation" in failed["error"]
    assert not (out / "baclofen-xx-easy.pdf").exists()
    for name in ("baclofen-en-easy.pdf", "baclofen-es-easy.pdf"):
        row = rows[name]
        pdf = out / name
        assert row["status"] == "built" and row["sha256"] == sha(pdf) and int(row["bytes"]) == pdf.stat().st_size
        assert int(row["pages"]) == len(PdfReader(pdf).pages) > 1
    assert report(out)["summary"] | {"seconds": 0, "finished": ""} == report(out)["summary"] | {
        "manifest": str(manifest),
        "out": str(out),
        "jobs": 3,
        "not_run": 0,
        "built": 2,
        "skipped": 0,
        "failed": 1,
        "seconds": 0,
        "finished": "",
    }


@pytest.fixture
def store_content(tmp_path) -> Path:
    """A pharmacy's content folder: two store brands and its own copy of a shared template."""
    content = tmp_path / "content"
    default = ROOT / "content/brands/default"
    for store, colour in (("north", "#1F4E79"), ("south", "#225522")):
        shutil.copytree(default, content / "brands" / store)
        brand = content / "brands" / store / "brand.yaml"
        brand.write_text(brand.read_text().replace('"#1F4E79"', f'"{colour}"'))
    shutil.copytree(ROOT / "templates/do_not_stop_suddenly", content / "templates/do_not_stop_suddenly")
    return content


def test_unchanged_jobs_are_skipped_and_changed_inputs_rebuild(runner, tmp_path, store_content):
    manifest = write(
        tmp_path / "m.yaml",
        "output: '{brand}/{lang}.pdf'\nmatrix:\n  medicine: [baclofen]\n  lang: [en, es]\n  brand: [north, south]\n",
    )
    out = tmp_path / "out"
    args = (str(manifest), "--out", str(out), "-j", "1")
    assert batch(runner, *args, content=store_content).exit_code == 0
    first = {name: sha(out / name) for name in statuses(out)}
    assert set(statuses(out).values()) == {"built"}

    again = batch(runner, *args, content=store_content)
    assert "4 jobs: 0 built, 4 up to date, 0 failed" in again.output
    assert set(statuses(out).values()) == {"skipped"}
    assert {j["sha256"] for j in report(out)["jobs"]} == set(first.values())

    os.utime(store_content / "brands/north/brand.yaml")  # touched, not changed: nothing to redo
    assert "0 built, 4 up to date" in batch(runner, *args, content=store_content).output

    brand = store_content / "brands/south/brand.yaml"
    brand.write_text(brand.read_text().replace('"#225522"', '"#553322"'))
    batch(runner, *args, content=store_content)
    assert statuses(out) == {
        "north/en.pdf": "skipped",
        "north/es.pdf": "skipped",
        "south/en.pdf": "built",
        "south/es.pdf": "built",
    }

    template = store_content / "templates/do_not_stop_suddenly/en.yaml"
    template.write_text(template.read_text().replace("standard: How to stop safely", "standard: Never stop suddenly"))
    batch(runner, *args, content=store_content)
    assert statuses(out) == {
        "north/en.pdf": "built",
        "north/es.pdf": "skipped",
        "south/en.pdf": "built",
        "south/es.pdf": "skipped",
    }
    assert sha(out / "north/en.pdf") != first["north/en.pdf"] and sha(out / "north/es.pdf") == first["north/es.pdf"]

    (out / "north/es.pdf").write_bytes(b"%PDF-1.4 damaged")  # replaced on disk: the journal no longer matches
    batch(runner, *args, content=store_content)
    assert statuses(out)["north/es.pdf"] == "built" and sha(out / "north/es.pdf") == first["north/es.pdf"]
    assert "0 built, 4 up to date" in batch(runner, *args, content=store_content).output
    assert "4 built" in batch(runner, *args, "--force", content=store_content).output


def test_pool_matches_in_process_and_writes_combined_pdf_and_zip(runner, tmp_path):
    import zipfile

    manifest = write(tmp_path / "m.yaml", "matrix:\n  medicine: [baclofen]\n  lang: [en, ar, zh-Hans]\n  level: all\n")
    serial, pool = tmp_path / "serial", tmp_path / "pool"
    assert batch(runner, str(manifest), "--out", str(serial), "-j", "1", "-q").exit_code == 0
    result = batch(
        runner, str(manifest), "--out", str(pool), "-j", "2", "-q",
        "--combined", str(tmp_path / "all.pdf"), "--zip", str(tmp_path / "all.zip"),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.output.count("\n") == 1, "--quiet prints only the summary"
    names = [job["output"] for job in report(pool)["jobs"]]
    assert len(names) == 9 and {n: sha(pool / n) for n in names} == {n: sha(serial / n) for n in names}
    combined = PdfReader(tmp_path / "all.pdf")
    assert len(combined.pages) == sum(job["pages"] for job in report(pool)["jobs"])
    assert "Baclofen" in combined.pages[0].extract_text()
    with zipfile.ZipFile(tmp_path / "all.zip") as archive:
        assert archive.namelist() == names
        assert hashlib.sha256(archive.read(names[4])).hexdigest() == sha(pool / names[4])


def test_plain_progress_lines_when_not_a_terminal(runner, tmp_path):
    manifest = write(tmp_path / "m.yaml", "matrix:\n  medicine: [baclofen]\n  level: all\n  paper: all\n")
    result = batch(runner, str(manifest), "--out", str(tmp_path / "out"), "-j", "1")
    lines = [line for line in result.output.splitlines() if line.startswith("[")]
    assert [line.split("]")[0] for line in lines] == ["[1/6", "[2/6", "[3/6", "[4/6", "[5/6", "[6/6"]
    assert "ETA" in lines[0] and "pdf/s" in lines[0] and lines[-1].endswith("failed 0")


def long_batch(tmp_path: Path) -> tuple[list[str], Path]:
    """The command line of a 48-job batch on a pool of 2, and its --out."""
    manifest = write(
        tmp_path / "m.yaml",
        "output: '{lang}/{level}-{paper}.pdf'\n"
        "matrix:\n  medicine: [baclofen]\n  lang: all\n  level: all\n  paper: all\n",
    )
    out = tmp_path / "out"
    return [sys.executable, str(ROOT / "generate.py"), "batch", str(manifest), "--out", str(out), "-j", "2", "-q"], out


def wait_for_pdfs(run: subprocess.Popen[bytes], out: Path, count: int) -> None:
    """Until the running batch has written ``count`` PDFs (its journal says so)."""
    journal = out / ".handouts-journal.jsonl"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and run.poll() is None:
        if journal.exists() and journal.read_text().count("\n") >= count:
            break
        time.sleep(0.05)
    assert run.poll() is None, "the batch finished before it could be stopped; make it longer"


def test_killed_batch_leaves_only_whole_pdfs_and_resumes(tmp_path):
    """kill -9 the whole process group mid-run (a power cut), then run again."""
    command, out = long_batch(tmp_path)
    run = subprocess.Popen(command, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_pdfs(run, out, 6)
    os.killpg(run.pid, signal.SIGKILL)
    run.wait()

    written = list(out.rglob("*.pdf"))
    total = len(SHIPPED) * len(LEVELS) * 2
    assert 6 <= len(written) < total
    for pdf in written:
        assert len(PdfReader(pdf).pages) > 1  # every PDF on disk is whole

    rerun = subprocess.run(command, capture_output=True, text=True, check=False)
    assert rerun.returncode == 0, rerun.stderr
    jobs = report(out)["jobs"]
    assert len(jobs) == total and all(job["status"] in ("built", "skipped") for job in jobs)
    assert sum(job["status"] == "skipped" for job in jobs) >= 6
    assert not list(out.rglob("*.tmp"))
    for job in jobs:
        pdf = out / job["output"]
        assert sha(pdf) == job["sha256"] and len(PdfReader(pdf).pages) == job["pages"]


def test_dask_cluster_gives_the_same_pdfs_as_the_local_pool(runner, tmp_path):
    distributed = pytest.importorskip("distributed")
    manifest = write(tmp_path / "m.yaml", "matrix:\n  medicine: [baclofen]\n  lang: [en, hi]\n  level: all\n")
    local = tmp_path / "local"
    assert batch(runner, str(manifest), "--out", str(local), "-j", "2", "-q").exit_code == 0
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None, processes=True
    ) as cluster:
        out = tmp_path / "dask"
        dask = ("--executor", "dask", "--scheduler", cluster.scheduler_address)
        result = batch(runner, str(manifest), "--out", str(out), "-q", *dask)
    assert result.exit_code == 0, result.output
    shas = {job["output"]: job["sha256"] for job in report(out)["jobs"]}
    assert len(shas) == 6 and shas == {job["output"]: job["sha256"] for job in report(local)["jobs"]}
    assert all(sha(out / name) == digest for name, digest in shas.items())


def test_dask_needs_a_scheduler(runner, tmp_path):
    manifest = write(tmp_path / "m.csv", "medicine\nbaclofen\n")
    result = batch(runner, str(manifest), "--out", str(tmp_path), "--executor", "dask")
    assert result.exit_code == 2
    assert "--scheduler: error: --executor dask needs --scheduler" in result.output


@pytest.mark.parametrize("name", ["pharmacy-batch.yaml", "pharmacy-batch.csv"])
def test_the_readme_examples_load(name):
    jobs = load_manifest(ROOT / "examples" / name, Library())
    assert len(jobs) == (len(SHIPPED) * len(LEVELS) * 2 + 1 if name.endswith("yaml") else 4)
    assert all(job.medicine == "baclofen" for job in jobs)


def test_a_worker_parses_each_content_file_once(tmp_path, monkeypatch):
    """Content, templates and strings are parsed on a worker's first job and reused by
    every later one (a pool worker runs this same code)."""
    from handouts import content, executors
    from handouts.batch import run_batch

    parsed: list[Path] = []
    original = content.load_yaml
    monkeypatch.setattr(content, "load_yaml", lambda path: parsed.append(Path(path)) or original(path))
    manifest = write(
        tmp_path / "m.yaml", "matrix:\n  medicine: [baclofen]\n  lang: [en, es]\n  level: all\n  paper: all\n"
    )
    library = Library()  # one library for the manifest and the in-process worker: each file parsed once
    jobs = load_manifest(manifest, library)
    summary = run_batch(jobs, tmp_path / "out", lambda tasks: executors.in_process(library, tasks))
    assert summary.counts["built"] == 12
    assert len(parsed) == len(set(parsed)) >= 5, "every file parsed exactly once"
    assert {p.name for p in parsed} >= {"en.yaml", "es.yaml", "brand.yaml"}


@pytest.mark.parametrize(
    "row, message",
    [
        ("../../etc,en,,", "error: '../../etc' is not a medicine id (at medicine)"),
        ("baclofen,en/../../x,,", "error: 'en/../../x' is not a language code (at lang)"),
        ("baclofen,en,../outside.yaml,", "error: brand '../outside.yaml' is neither a name nor a file inside"),
        ("baclofen,en,/etc/passwd,", "error: brand '/etc/passwd' is neither a name nor a file inside"),
        ("baclofen,en,link/brand.yaml,", "error: brand 'link/brand.yaml' is neither a name nor a file inside"),
        ("baclofen,en,..,", "error: brand '..' is neither a name nor a file inside"),
        ("baclofen,en,,../../etc/x.yaml", "error: layout '../../etc/x.yaml' is neither a name nor a file inside"),
    ],
)
def test_a_manifest_cannot_reach_outside_its_folders(tmp_path, row, message):
    """Manifests are untrusted (SECURITY.md): names are ids, files stay in the manifest's folder."""
    (tmp_path / "elsewhere").mkdir()
    write(tmp_path / "elsewhere/brand.yaml", "name: x\n")
    (tmp_path / "batch").mkdir()
    (tmp_path / "batch/link").symlink_to(tmp_path / "elsewhere")
    manifest = write(tmp_path / "batch/m.csv", f"medicine,lang,brand,layout\n{row}\n")
    (problem,) = errors_of(manifest)
    assert problem.startswith(f"{manifest}:2:") and message in problem


def test_a_matrix_too_big_to_hold_is_refused(tmp_path):
    brands = ", ".join(f"b{i}" for i in range(300))
    manifest = write(
        tmp_path / "m.yaml",
        f"matrix:\n  medicine: [baclofen]\n  lang: [en, es, ru, vi, ko, ar, hi]\n  level: all\n  paper: all\n"
        f"  brand: [{brands}]\n  layout: [{brands}]\n",
    )
    assert errors_of(manifest) == [
        f"{manifest}:2:3: error: the manifest expands to more than 200,000 jobs (at matrix)\n  hint: split the manifest"
    ]


def test_live_progress_bar_on_a_terminal(tmp_path):
    """On a terminal (here a pseudo-terminal, which reports no size) a bar with count,
    rate and ETA is redrawn in place."""
    import pty

    manifest = write(tmp_path / "m.yaml", "matrix:\n  medicine: [baclofen]\n  level: all\n")
    leader, follower = pty.openpty()
    command = _batch_command(manifest, tmp_path / "o")
    run = subprocess.run(command, stderr=follower, stdout=subprocess.DEVNULL, check=False)
    os.close(follower)
    screen = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        screen += chunk
    os.close(leader)
    assert run.returncode == 0
    frames = screen.decode().split("\r")
    # tqdm shows the rate as "s/pdf" when a PDF takes over a second (a loaded machine)
    assert any("100%" in f and "3/3" in f and ("pdf/s" in f or "s/pdf" in f) for f in frames), frames
    assert any("1/3" in f and "<" in f for f in frames), "a frame with the ETA while running"


def test_the_generator_fingerprint_covers_the_renderer_package():
    """A change to the PDF code must rebuild every job: the fingerprint hashes every module,
    those of ``handouts/pdf/`` too (it once hashed only the top-level modules)."""
    package = Path(handouts.__file__).parent
    hashed = {name for name, _ in generator_files()}
    assert {"handouts/pdf/document.py", "handouts/pdf/chrome.py", "handouts/worker.py"} <= hashed
    assert hashed >= {f"handouts/{p.relative_to(package).as_posix()}" for p in package.rglob("*.py")}


# --- hostile manifests, journals and folders (more in tests/data/hostile/manifest) ---------


def test_a_cell_past_the_csv_modules_limit_is_a_manifest_error(tmp_path):
    """200 KB in one cell: the csv module's own limit, reported with the line, not a traceback."""
    manifest = write(tmp_path / "m.csv", "medicine,level\nbaclofen,easy\nbaclofen," + "x" * 200_000 + "\n")
    assert errors_of(manifest) == [
        f"{manifest}:3:1: error: cell is longer than 1,000 characters\n"
        "  hint: a cell holds a name, a code or a relative path; check the quotes"
    ]


def test_errors_stay_short_whatever_the_manifest_holds(tmp_path):
    """A 100 KB value is quoted cut to 40 characters; 10,000 unknown columns give fifty
    errors and a count, not a megabyte."""
    long_value = write(tmp_path / "a.csv", 'medicine,level\nbaclofen,"' + "e" * 999 + '"\n')
    (problem,) = errors_of(long_value)
    assert len(problem) < 300 and "'eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee...'" in problem
    columns = write(
        tmp_path / "b.csv", ",".join(f"c{i}" for i in range(10_000)) + ",medicine\n" + "," * 10_000 + "baclofen\n"
    )
    problems = errors_of(columns)
    assert len(problems) == 51 and problems[-1] == f"{columns}: error: ... and 9,950 more problems like these"
    assert len("\n".join(problems)) < 12_000  # each hint names the 9 columns


def test_a_damaged_journal_line_is_ignored_with_a_warning(runner, tmp_path):
    """A journal line with the wrong types (an output that is a list, a page count that is
    true) is ignored, said, and its handout built again; never a traceback."""
    manifest = write(tmp_path / "m.csv", "medicine,lang\nbaclofen,en\n")
    out = tmp_path / "out"
    assert batch(runner, str(manifest), "--out", str(out), "-j", "1").exit_code == 0
    journal = out / ".handouts-journal.jsonl"
    (good,) = journal.read_text().splitlines()
    record = json.loads(good)
    damaged = [
        json.dumps(record | {"output": [record["output"]]}),
        json.dumps(record | {"pages": True}),
        json.dumps([record]),
        '{"output": "baclofen-en-standard.pdf", "fingerprint":',
    ]
    journal.write_text("\n".join(damaged) + "\n")
    result = batch(runner, str(manifest), "--out", str(out), "-j", "1")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    warning = "warning: damaged journal line ignored (the handout it recorded, if any, is built again)"
    for line in range(1, 5):
        assert f"{journal}:{line}:1: {warning}" in result.stderr
    assert statuses(out) == {"baclofen-en-standard.pdf": "built"}
    assert [json.loads(line)["output"] for line in journal.read_text().splitlines()] == ["baclofen-en-standard.pdf"]


@pytest.mark.parametrize("option", ["--combined", "--zip"])
def test_combined_or_zip_into_a_missing_folder_fails_before_the_run(runner, tmp_path, option):
    manifest = write(tmp_path / "m.csv", "medicine,lang\nbaclofen,en\n")
    out, target = tmp_path / "out", tmp_path / "missing" / "all.pdf"
    result = batch(runner, str(manifest), "--out", str(out), "-j", "1", option, str(target))
    assert (result.exit_code, result.stderr) == (
        2,
        f"{target}: error: {option}: the folder {tmp_path / 'missing'} does not exist\n",
    )
    assert not out.exists()  # nothing built that would be left unbundled


def test_a_manifest_brand_that_is_a_pipe_fails_its_job_and_never_hangs(tmp_path):
    """Opening a FIFO for reading waits for a writer: the brand file is refused by name."""
    os.mkfifo(tmp_path / "pipe.yaml")
    manifest = write(tmp_path / "m.csv", "medicine,brand\nbaclofen,pipe.yaml\n")
    command = _batch_command(manifest, tmp_path / "o")
    # the timeout only turns a hang on old code into a failure; a run takes seconds
    run = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr
    (row,) = report(tmp_path / "o")["jobs"]
    assert row["status"] == "failed"
    assert "pipe.yaml: error: is a named pipe (FIFO), not a regular file" in row["error"]


# --- one batch per --out ------------------------------------------------------------------


def test_a_second_batch_into_the_same_out_is_refused_naming_the_first(runner, tmp_path):
    from handouts.batch import out_lock

    manifest = write(tmp_path / "m.csv", "medicine,lang\nbaclofen,en\n")
    out = tmp_path / "out"
    with out_lock(out):  # this process plays the first batch
        result = batch(runner, str(manifest), "--out", str(out), "-j", "1", "--force")
    assert (result.exit_code, result.stderr) == (
        2,
        f"{out}: error: another batch (process {os.getpid()}) is writing into this folder\n"
        "  hint: wait for it to finish, or give this batch another --out\n",
    )
    assert not (out / "baclofen-en-standard.pdf").exists()
    assert batch(runner, str(manifest), "--out", str(out), "-j", "1").exit_code == 0  # released


def test_the_out_lock_admits_one_holder_at_a_time(tmp_path):
    """Many rounds of threads racing for one --out: every round exactly one holds it at a
    time, the others are refused with its process id."""
    import threading

    from handouts.batch import Busy, out_lock

    out = tmp_path / "out"
    holders, refusals, errors = [], [], []

    def contend(barrier: threading.Barrier) -> None:
        barrier.wait()
        try:
            with out_lock(out):
                holders.append(1)
                assert len(holders) == 1, "two holders at once"
                time.sleep(0.001)
                holders.pop()
        except Busy as exc:
            refusals.append(exc.holder)
        except Exception as exc:  # noqa: BLE001 - collected for the assertion below
            errors.append(exc)

    for _ in range(200):
        barrier = threading.Barrier(4)
        threads = [threading.Thread(target=contend, args=(barrier,)) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    # A contender that comes between the holder's flock and its pid write waits for the
    # pid (or for the lock), so every refusal names the holder.
    assert refusals and set(refusals) == {str(os.getpid())}


def test_a_refusal_waits_for_the_holders_pid_and_never_names_a_dead_one(tmp_path):
    """The holder writes its pid just after taking the lock. A batch refused in between
    waits for it instead of naming nobody (this raced 1 run in 5 in CI); a pid left by a
    killed batch is not named; and a lock held with no pid at all is still refused."""
    import fcntl
    import threading

    from handouts.batch import Busy, _take

    path = tmp_path / "lock"
    path.write_bytes(b"")
    holder = os.open(path, os.O_RDWR)
    fcntl.flock(holder, fcntl.LOCK_EX)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    os.pwrite(holder, f"{int(dead.stdout):>20}\n".encode(), 0)  # a finished process's pid
    threading.Timer(0.3, os.pwrite, (holder, f"{os.getpid():>20}\n".encode(), 0)).start()
    contender = os.open(path, os.O_RDWR)
    try:
        with pytest.raises(Busy) as late:
            _take(contender)
        assert late.value.holder == str(os.getpid())
        os.ftruncate(holder, 0)
        with pytest.raises(Busy) as nameless:
            _take(contender, wait=0.1)
        assert nameless.value.holder == ""
        fcntl.flock(holder, fcntl.LOCK_UN)
        _take(contender)  # free: taken at once
    finally:
        os.close(contender)
        os.close(holder)


def test_two_batches_started_together_never_fail_silently(tmp_path):
    """Rounds of two real batches into one --out, the second started while the first
    runs and one of them with --force: each ends built (0) or refused with the other's
    process id (2); never 1, never without a message; the PDFs and the journal stay whole."""
    manifest = write(tmp_path / "m.csv", "medicine,lang,level\nbaclofen,en,easy\nbaclofen,es,easy\n")
    out = tmp_path / "out"
    base = [sys.executable, str(ROOT / "generate.py"), "batch", str(manifest), "--out", str(out), "-j", "1", "-q"]
    for round_ in range(6):
        first = subprocess.Popen([*base, "--force"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(0.2 * (round_ % 3))
        second = subprocess.run(base, capture_output=True, text=True, check=False)
        out_first, err_first = first.communicate()
        for code, stdout, stderr in (
            (first.returncode, out_first, err_first),
            (second.returncode, second.stdout, second.stderr),
        ):
            assert code in (0, 2), (round_, code, stdout, stderr)
            assert "Traceback" not in stderr
            if code == 2:
                assert "error: another batch (process " in stderr, stderr
            else:
                assert "2 jobs: " in stdout, stdout
        assert 0 in (first.returncode, second.returncode)
        for pdf in out.glob("*.pdf"):
            assert PdfReader(pdf).pages  # whole
        assert set(statuses(out)) == {"baclofen-en-easy.pdf", "baclofen-es-easy.pdf"}


# --- stopping a batch: SIGTERM, kill -9 --------------------------------------------------

# Seconds the test waits for a stopped batch's processes to go before it calls them left
# behind: a hang guard, not a target. They go within about a second (worker.PARENT_POLL
# is 0.5 s); 5 s here failed whenever a loaded machine held a worker back that long.
EXIT_AFTER_PARENT = 60.0


def start_long_batch(tmp_path: Path) -> tuple[subprocess.Popen[bytes], list[psutil.Process], Path]:
    """The long batch, once it has written its first PDF; with every process it started
    (forkserver, resource tracker, workers)."""
    command, out = long_batch(tmp_path)
    with open(tmp_path / "stderr", "wb") as stderr:  # a file, not a pipe an orphan could hold open
        run = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr)
    wait_for_pdfs(run, out, 1)
    children = psutil.Process(run.pid).children(recursive=True)
    assert len(children) >= 3, children  # at least the forkserver and two workers
    return run, children, out


def still_running(processes: list[psutil.Process]) -> list[psutil.Process]:
    """Those not exited (a zombie has exited; only its parent has not collected it)."""
    running = []
    for process in processes:
        try:
            if process.status() != psutil.STATUS_ZOMBIE:
                running.append(process)
        except psutil.NoSuchProcess:
            pass
    return running


def wait_gone(processes: list[psutil.Process], seconds: float) -> list[psutil.Process]:
    deadline = time.monotonic() + seconds
    while still_running(processes) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = still_running(processes)
    for process in left:  # never leave them behind for the next test
        process.kill()
    return left


def test_sigterm_stops_a_batch_like_ctrl_c(tmp_path):
    run, children, out = start_long_batch(tmp_path)
    run.send_signal(signal.SIGTERM)
    assert run.wait(timeout=120) == 143
    assert (tmp_path / "stderr").read_text().endswith("interrupted: run the same command again to finish the rest\n")
    summary = report(out)["summary"]
    assert summary["jobs"] == 48 and summary["built"] >= 1 and summary["not_run"] > 0
    assert summary["built"] + summary["skipped"] + summary["failed"] + summary["not_run"] == 48
    assert not wait_gone(children, EXIT_AFTER_PARENT)
    assert not list(out.rglob("*.tmp"))


def test_kill_9_of_a_batch_leaves_no_process_behind(tmp_path):
    """The workers notice their batch is gone and exit; then the forkserver and the
    resource tracker, whose pipes they held, exit too."""
    run, children, _ = start_long_batch(tmp_path)
    run.kill()
    run.wait()
    assert not wait_gone(children, EXIT_AFTER_PARENT)


# --- --combined: bookmarks, duplex, one paper size -----------------------------------------


def test_combined_has_one_bookmark_per_handout_at_its_first_page(runner, tmp_path):
    manifest = write(tmp_path / "m.yaml", "matrix:\n  medicine: [baclofen]\n  lang: [en, ar]\n  level: all\n")
    combined = tmp_path / "all.pdf"
    result = batch(runner, str(manifest), "--out", str(tmp_path / "out"), "-j", "1", "-q", "--combined", str(combined))
    assert result.exit_code == 0, result.output
    jobs = report(tmp_path / "out")["jobs"]
    reader = PdfReader(combined)
    starts = [sum(job["pages"] for job in jobs[:i]) for i in range(len(jobs))]
    assert [(item.title, reader.get_destination_page_number(item)) for item in reader.outline] == [
        (f"baclofen / {job['lang']} / {job['level']}", start) for job, start in zip(jobs, starts, strict=True)
    ]
    assert len(reader.pages) == sum(job["pages"] for job in jobs)
    for job, start in zip(jobs, starts, strict=True):  # each bookmark lands on its handout's first page
        first = PdfReader(tmp_path / "out" / job["output"]).pages[0].extract_text()
        assert reader.pages[start].extract_text() == first


def test_duplex_starts_every_handout_on_a_front_page(runner, tmp_path):
    manifest = write(tmp_path / "m.yaml", "matrix:\n  medicine: [baclofen]\n  lang: [en, ar]\n  level: all\n")
    combined = tmp_path / "all.pdf"
    result = batch(
        runner, str(manifest), "--out", str(tmp_path / "out"), "-j", "1", "-q", "--combined", str(combined), "--duplex"
    )
    assert result.exit_code == 0, result.output
    pages = [job["pages"] for job in report(tmp_path / "out")["jobs"]]
    assert any(n % 2 for n in pages), "needs a handout with an odd page count to mean anything"
    padded = [n + n % 2 for n in pages[:-1]] + pages[-1:]
    reader = PdfReader(combined)
    assert len(reader.pages) == sum(padded)
    starts = [reader.get_destination_page_number(item) for item in reader.outline]
    assert starts == [sum(padded[:i]) for i in range(len(pages))]
    assert all(start % 2 == 0 for start in starts)  # index 0, 2, ...: page 1, 3, ..., a front side
    blanks = [i for i, page in enumerate(reader.pages) if not page.extract_text().strip()]
    assert blanks == [start - 1 for start, n in zip(starts[1:], pages, strict=False) if n % 2]
    assert {(page.mediabox.width, page.mediabox.height) for page in reader.pages} == {(612, 792)}


def test_duplex_needs_combined(runner, tmp_path):
    manifest = write(tmp_path / "m.yaml", "matrix:\n  medicine: [baclofen]\n")
    result = runner.invoke(main, ["batch", str(manifest), "--out", str(tmp_path / "out"), "--duplex"])
    assert (result.exit_code, result.stderr) == (
        2,
        "--duplex: error: --duplex applies to the --combined file\n  hint: add --combined FILE.pdf, or drop --duplex\n",
    )


MIXED = "give every job the same paper, or run the batch once per paper size"


def test_combined_refuses_mixed_paper_before_the_run(runner, tmp_path):
    manifest = write(tmp_path / "m.yaml", "matrix:\n  medicine: [baclofen]\n  paper: all\n")
    out = tmp_path / "out"
    result = runner.invoke(main, ["batch", str(manifest), "--out", str(out), "--combined", str(tmp_path / "all.pdf")])
    assert (result.exit_code, result.stderr) == (
        2,
        f"--combined: error: the handouts are on 2 paper sizes (a4, letter); a combined file holds one\n"
        f"  hint: {MIXED}\n",
    )
    assert not out.exists() and not (tmp_path / "all.pdf").exists()


def test_combined_refuses_mixed_paper_found_from_the_brands(runner, tmp_path):
    """No paper in the manifest: each brand's own paper decides, known once built."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content" / "brands" / "default", content / "brands" / "a4shop")
    brand = content / "brands" / "a4shop" / "brand.yaml"
    brand.write_text(brand.read_text(encoding="utf-8").replace("paper: letter", "paper: a4"), encoding="utf-8")
    manifest = write(tmp_path / "m.csv", "medicine,brand,output\nbaclofen,,letter.pdf\nbaclofen,a4shop,a4.pdf\n")
    out, combined = tmp_path / "out", tmp_path / "all.pdf"
    command = ["--content", str(content), "batch", str(manifest), "--out", str(out), "-j", "1"]
    result = runner.invoke(main, [*command, "--combined", str(combined)])
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "--combined: error: the handouts are on 2 paper sizes (a4, letter); a combined file holds one; "
        f"the PDFs and the report are written\n  hint: {MIXED}\n"
    )
    assert statuses(out) == {"letter.pdf": "built", "a4.pdf": "built"}
    assert not combined.exists() and not list(tmp_path.glob("*.tmp")) and not list(tmp_path.glob(".*.tmp"))
