"""A patient's own handout (`build --patient`): the name on page 1, the pill card and the
check-off calendars as a reader gets them from the PDF, in every shipped language and
mirrored for Arabic; the plan's checks; and personal health information kept out of
every message, report, journal and file name, in `build` and in a 100-patient `batch`."""

from __future__ import annotations

import datetime
import io
import json
import os
import re
import stat
from pathlib import Path

import pytest
from conftest import TEST_CONTENT
from pypdf import PdfReader
from reading import render

from handouts import l10n
from handouts.build import Request, prepare
from handouts.cli import main
from handouts.content import Library
from handouts.errors import ContentError

ROOT = Path(__file__).resolve().parent.parent
TITRATION = ROOT / "examples" / "patient-titration.yaml"
TAPER = ROOT / "examples" / "patient-taper.yaml"
NAME = "Alex Morgan"
LANGS = ("en", "es", "ru", "ar", "hi", "ko", "vi", "zh-Hans")
START = datetime.date(2026, 12, 2)  # day 1 of the titration example


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def runs(data: bytes, page: int) -> list[tuple[str, float, float]]:
    """(text, x, y) of every text run drawn on a page, in drawing order."""
    out: list[tuple[str, float, float]] = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            out.append((text.strip(), tm[4] * cm[0] + tm[5] * cm[2] + cm[4], tm[4] * cm[1] + tm[5] * cm[3] + cm[5]))

    PdfReader(io.BytesIO(data)).pages[page].extract_text(visitor_text=visit)
    return out


def page_text(data: bytes, page: int) -> str:
    return _squash("".join(text for text, _, _ in runs(data, page)))


@pytest.fixture(scope="module")
def personal(library: Library):
    """lang -> (handout, PDF) of the titration example at the easy level, and without a plan."""
    out = {}
    for lang in LANGS:
        handout = prepare(library, Request("baclofen", lang, "easy", patient=TITRATION))
        plain = prepare(library, Request("baclofen", lang, "easy"))
        out[lang] = handout, render(handout), render(plain)
    return out


@pytest.mark.parametrize("lang", LANGS)
def test_name_on_page_one_and_one_schedule_page(personal, lang):
    handout, pdf, plain = personal[lang]
    # the schedule is one page of its own, at the end; the "For:" line may push the body's
    # last lines on to one more page
    assert pdf.pages - plain.pages in (1, 2)
    assert _squash(NAME) in page_text(pdf.data, 0)
    assert _squash(NAME) not in page_text(plain.data, 0)
    last = page_text(pdf.data, pdf.pages - 1)
    assert _squash(handout.schedule.title) in last and _squash(handout.schedule.calendars[0].days[-1].weekday) in last
    assert _squash(handout.schedule.title) not in page_text(pdf.data, pdf.pages - 2)
    assert _squash(NAME) in last  # the schedule page says who it is for, on its own too
    assert handout.schedule.for_line.replace(NAME, "").strip()  # the line says who it is for in the language


@pytest.mark.parametrize("lang", LANGS)
def test_calendar_dates_are_the_plans_in_babels_format(personal, lang):
    """Two weeks from day 1 (every change of dose, in whole weeks); each date as CLDR
    writes day and month in the language, and each printed on the schedule page."""
    handout, pdf, _ = personal[lang]
    (calendar,) = handout.schedule.calendars
    dates = [START + datetime.timedelta(days=n) for n in range(14)]
    assert [day.date for day in calendar.days] == dates
    assert [day.label for day in calendar.days] == [l10n.day_month(d, lang) for d in dates]
    assert [day.weekday for day in calendar.days] == [l10n.weekday(d, lang) for d in dates]
    text = page_text(pdf.data, pdf.pages - 1)
    for day in calendar.days:
        assert _squash(day.weekday) in text
        assert _squash(day.label) in text or lang in ("ar", "hi")  # shaped scripts: checked by runs below
    expected = {l10n.day_month(START, "en"): ("5", "5", "5", ""), "Dec 11": ("20", "20", "20", "")}
    if lang == "en":
        for day in calendar.days:
            if day.label in expected:
                assert tuple(d.split("\u00a0")[0] for d in day.doses) == expected[day.label]


def _x(rs: list[tuple[str, float, float]], text: str) -> float:
    found = [x for t, x, _ in rs if t == text]
    assert found, f"{text!r} not drawn as one run; runs: {[t for t, _, _ in rs][:40]}"
    return found[0]


def test_pill_card_cells_in_order_en(personal):
    """Each row: its days, then the dose under its time of day, left to right; no dose
    at bedtime in this plan."""
    handout, pdf, _ = personal["en"]
    rs = runs(pdf.data, pdf.pages - 1)
    heads = [_x(rs, word) for word in ("Days", "Morning", "Noon", "Evening", "Bedtime")]
    assert heads == sorted(heads)
    rows = [
        ("Dec 2 to Dec 4", "5 mg"),
        ("Dec 5 to Dec 7", "10 mg"),
        ("Dec 8 to Dec 10", "15 mg"),
        ("From Dec 11", "20 mg"),
    ]
    for when, dose in rows:
        ys = [y for t, _, y in rs if t == when]
        assert len(ys) == 1, when
        cells = sorted((x, t) for t, x, y in rs if abs(y - ys[0]) < 2)
        assert [t.replace("\u00a0", " ") for _, t in cells] == [when, dose, dose, dose]
        for (x, _), head in zip(cells[1:], heads[1:4], strict=True):  # each dose under its column
            assert abs(x - head) < 60
    assert [row.when for row in handout.schedule.rows] == [when for when, _ in rows]


def test_arabic_columns_are_mirrored(personal):
    """Right to left: the days column on the right, then morning, noon, evening and
    bedtime towards the left, in the pill card and the calendar's day order."""
    handout, pdf, _ = personal["ar"]
    schedule = handout.schedule
    rs = runs(pdf.data, pdf.pages - 1)
    heads = [_x(rs, word) for word in (schedule.when, *schedule.times)]  # the pill card is drawn first
    assert heads == sorted(heads, reverse=True)
    week = runs(pdf.data, pdf.pages - 1)
    weekdays = [_x(week, day.weekday) for day in schedule.calendars[0].days[:7]]
    assert weekdays == sorted(weekdays, reverse=True)  # Wednesday, the plan's day 1, on the right


def test_taper_plan_ends_and_has_its_calendar(library):
    handout = prepare(library, Request("baclofen", "en", "easy", patient=TAPER))
    schedule = handout.schedule
    assert schedule.stop == "Last dose: January 23, 2027. Then stop."
    (calendar,) = schedule.calendars
    assert calendar.title.startswith("Lowering the dose")
    assert calendar.days[0].date == datetime.date(2027, 1, 10) and calendar.days[-1].date == datetime.date(2027, 1, 23)
    assert calendar.days[-1].doses == ("5\u00a0mg", "", "", "5\u00a0mg")
    pdf = render(handout)
    text = page_text(pdf.data, pdf.pages - 1)
    assert _squash(schedule.stop) in text and "Bedtime" in text


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("lang", ["en", "ar", "hi", "zh-Hans"])
def test_schedule_fits_one_page(library, lang, paper):
    """The schedule page alone: a handout whose body is one page has two."""
    handout = prepare(
        library, Request("baclofen", lang, "easy", paper=paper, patient=TITRATION, sections=("what_it_is",))
    )
    assert render(handout).pages == 2


# --- the command line: mode 0600, nothing personal in any message ----------------------


def test_build_writes_0600_and_says_nothing_personal(runner, tmp_path):
    out = tmp_path / "handout.pdf"
    result = runner.invoke(main, ["build", "baclofen", "--level", "easy", "--patient", str(TITRATION), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert "Morgan" not in result.output and "RX-2026" not in result.output
    plain = tmp_path / "plain.pdf"
    assert runner.invoke(main, ["build", "baclofen", "-o", str(plain)]).exit_code == 0
    assert stat.S_IMODE(plain.stat().st_mode) & 0o044  # an ordinary handout stays readable by others


def test_default_output_name_is_not_the_patients(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["build", "baclofen", "--level", "easy", "--patient", str(TITRATION)])
    assert result.exit_code == 0, result.output
    assert [p.name for p in tmp_path.iterdir()] == ["baclofen-en-easy.pdf"]


def test_build_cache_never_keeps_a_personal_handout(runner, tmp_path, monkeypatch):
    """The build cache (prepared.py) keeps the plain handout, never the personal one."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("HANDOUTS_CACHE_DIR", str(cache))
    args = ["build", "baclofen", "--level", "easy", "-o", str(tmp_path / "x.pdf")]
    assert runner.invoke(main, args).exit_code == 0
    entries = sorted(p for p in cache.rglob("*") if p.is_file())
    assert entries  # the cache is on: the plain handout is kept
    assert runner.invoke(main, [*args, "--patient", str(TITRATION)]).exit_code == 0
    assert sorted(p for p in cache.rglob("*") if p.is_file()) == entries
    assert not any(b"Morgan" in p.read_bytes() for p in entries)


def test_html_page_is_0600_named_for_the_handout_and_says_nothing_personal(runner, tmp_path, monkeypatch):
    """The web page of a personal handout holds the plan as the PDF does: written 0600
    under the handout's default name, the messages as for a plain page."""
    monkeypatch.chdir(tmp_path)
    args = ["build", "baclofen", "--level", "easy", "--patient", str(TITRATION), "--format", "html"]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert [p.name for p in tmp_path.iterdir()] == ["baclofen-en-easy.html"]
    page = tmp_path / "baclofen-en-easy.html"
    assert stat.S_IMODE(page.stat().st_mode) == 0o600
    assert NAME.encode() in page.read_bytes()  # the patient's own copy
    assert "Morgan" not in result.output and "RX-2026" not in result.output
    result = runner.invoke(main, [*args, "-o", "-"])  # standard output: the page only, nothing personal on stderr
    assert result.exit_code == 0 and NAME.encode() in result.stdout_bytes and "Morgan" not in result.stderr


def test_batch_writes_personal_html_0600_and_leaks_no_name(runner, tmp_path):
    folder = tmp_path / "rx"
    folder.mkdir()
    (folder / "a.yaml").write_text(_plan(), encoding="utf-8")
    manifest = tmp_path / "m.csv"
    manifest.write_text("medicine,lang,level,patient,format\nbaclofen,ar,easy,rx/a.yaml,html\n", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(main, ["batch", str(manifest), "--out", str(out), "-j", "1"])
    assert result.exit_code == 0, result.output
    page = out / "baclofen-ar-easy-line2.html"
    assert stat.S_IMODE(page.stat().st_mode) == 0o600
    assert SECRET.encode() in page.read_bytes() and b'dir="rtl"' in page.read_bytes()
    written = [result.output, *(p.read_text(encoding="utf-8") for p in out.iterdir() if p.suffix != ".html")]
    names = " ".join(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*"))
    assert not any("Zyxwvut" in text for text in [*written, names])


SECRET = "Quentin Zyxwvut"  # a name that appears nowhere else


def _plan(**changes: str) -> str:
    """The titration example with lines replaced (key -> new YAML text for that line)."""
    text = TITRATION.read_text(encoding="utf-8").replace(NAME, SECRET)
    for old, new in changes.items():
        text = text.replace(old, new)
    return text


BAD_PLANS = {
    "over the max daily dose": (
        _plan(**{"{value: 20, unit: mg}": "{value: 30, unit: mg}"}),
        22,
        "above the medicine's max_daily_dose (80 mg",
    ),
    "a date that does not exist": (_plan(**{"start: 2026-12-02": "start: 2026-02-30"}), 10, "cannot read value"),
    "an unknown time of day": (
        _plan(**{"times: [morning, noon, evening]\n  - day: 4": "times: [morning, lunch]\n  - day: 4"}),
        14,
        "must be 'morning', 'noon', 'evening' or 'bedtime'",
    ),
    "a dose of zero": (_plan(**{"{value: 5, unit: mg}": "{value: 0, unit: mg}"}), 13, "must be greater than 0"),
    "the name where a number belongs": (
        _plan(**{"{value: 10, unit: mg}": "{value: " + SECRET + ", unit: mg}"}),
        16,
        "expected",
    ),
    "the name as a key": (_plan(**{"prescriber:": SECRET.replace(" ", "_") + ":"}), 7, "unknown key"),
    "the name as a bare list": (_plan(**{"name: " + SECRET: "name: [" + SECRET + "]"}), 6, "expected text"),
    "a plan for another medicine": (_plan(**{"medicine: baclofen": "medicine: testamine"}), 5, "another medicine"),
    "a YAML error in the name line": (_plan(**{SECRET: "Quentin: Zyxwvut"}), 6, "not valid YAML"),
    "steps with a gap": (
        _plan(**{"  - day: 4\n": "    days: 2\n  - day: 4\n"}),
        16,
        "must start the day after the step above ends",
    ),
}


@pytest.mark.parametrize("case", BAD_PLANS)
def test_bad_plan_file_line_col_exit_2_no_pdf_no_name(runner, tmp_path, case):
    text, line, words = BAD_PLANS[case]
    plan = tmp_path / "rx-1.yaml"
    plan.write_text(text, encoding="utf-8")
    out = tmp_path / "x.pdf"
    result = runner.invoke(
        main, ["build", "baclofen", "--level", "easy", "--patient", str(plan), "-o", str(out)], catch_exceptions=False
    )
    assert result.exit_code == 2, result.output
    assert f"rx-1.yaml:{line}:" in result.output, result.output
    assert words in result.output, result.output
    assert "Traceback" not in result.output
    for part in SECRET.split():
        assert part not in result.output
    assert "RX-2026" not in result.output
    assert not out.exists() and list(tmp_path.iterdir()) == [plan]


def test_plan_checks_without_the_cli(library, tmp_path):
    plan = tmp_path / "p.yaml"
    taper = "taper:\n  - day: 20\n    dose: {value: 5, unit: mg}\n    times: [bedtime]\nsteps:\n"
    plan.write_text(_plan(**{"steps:\n": taper}), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        prepare(library, Request("baclofen", "en", "easy", patient=plan))
    assert "the last taper step must end" in str(caught.value)


def test_json_schema_describes_a_patient_file(runner, tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    out = tmp_path / "s.json"
    assert runner.invoke(main, ["schema", "-o", str(out)]).exit_code == 0
    validator = jsonschema.Draft202012Validator(json.loads(out.read_text(encoding="utf-8")))
    import yaml

    for example in (TITRATION, TAPER):
        data = yaml.safe_load(example.read_text(encoding="utf-8"))
        data = json.loads(json.dumps(data, default=str))  # dates as YAML gives them -> text, as editors see them
        assert not list(validator.iter_errors(data))


# --- batch: 100 patients, no name anywhere but in their own PDFs -------------------------

PATIENT = """medicine: testamine
name: {name}
prescriber: Dr. Pat Quill
prescription: RX-{n:05d}
dispensed: 2026-12-01
steps:
  - day: 1
    dose: {{value: {dose}, unit: mg}}
    times: [morning, bedtime]
"""


def _names(n: int) -> str:
    letters = "bcdfghjklmnpqrstvwxz"
    return "Pat" + "".join(letters[(n // 20**k) % 20] for k in range(3)) + "ient Zuleika" + letters[n % 20] + "ov"


def test_batch_of_100_patients_leaks_no_name(runner, tmp_path):
    folder = tmp_path / "rx"
    folder.mkdir()
    rows = ["medicine,lang,level,patient"]
    names = [_names(n) for n in range(100)]
    for n, name in enumerate(names):
        (folder / f"p{n:03d}.yaml").write_text(PATIENT.format(name=name, n=n, dose=5 + n % 4 * 5), encoding="utf-8")
        rows.append(f"testamine,en,standard,rx/p{n:03d}.yaml")
    bad = "medicine: testamine\nname: Bad Patientname\nprescriber: {x}\n"  # its error must not quote the name
    (folder / "bad.yaml").write_text(bad, encoding="utf-8")
    rows.append("testamine,en,standard,rx/bad.yaml")
    manifest = tmp_path / "m.csv"
    manifest.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out, combined = tmp_path / "out", tmp_path / "all.pdf"
    result = runner.invoke(
        main,
        [
            "--content",
            str(TEST_CONTENT),
            "batch",
            str(manifest),
            "--out",
            str(out),
            "-j",
            "2",
            "--combined",
            str(combined),
        ],
    )
    assert result.exit_code == 1, result.output  # the bad file fails its own job only
    report = json.loads((out / "batch-report.json").read_text(encoding="utf-8"))
    assert report["summary"]["built"] == 100 and report["summary"]["failed"] == 1
    failed = next(job for job in report["jobs"] if job["status"] == "failed")
    assert "bad.yaml:3:" in failed["error"]
    written = {
        "output": result.output,
        **{p.name: p.read_text(encoding="utf-8") for p in out.iterdir() if p.suffix in (".json", ".csv", ".jsonl")},
        "file names": " ".join(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*")),
    }
    for where, text in written.items():
        for name in [*names, "Bad Patientname"]:
            assert name not in text, (where, name)
        assert "Zuleika" not in text and "Patientname" not in text, where
    pdfs = sorted(out.glob("*.pdf"))
    assert len(pdfs) == 100 and all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in pdfs)
    assert stat.S_IMODE(combined.stat().st_mode) == 0o600
    for n in (1, 57):  # each PDF holds its own patient
        job = next(job for job in report["jobs"] if job["line"] == n + 2)
        assert job["personal"] is True
        text = _squash("".join(page.extract_text() for page in PdfReader(out / job["output"]).pages))
        assert _squash(names[n]) in text and _squash(names[n + 1]) not in text


def test_manifest_patient_outside_its_folder_is_refused_unquoted(runner, tmp_path):
    manifest = tmp_path / "m.csv"
    manifest.write_text("medicine,patient\nbaclofen,../Secret_Person.yaml\n", encoding="utf-8")
    result = runner.invoke(main, ["batch", str(manifest), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "m.csv:2:2" in result.output and "Secret_Person" not in result.output


def test_plain_batch_names_and_modes_are_as_before(runner, tmp_path):
    manifest = tmp_path / "m.csv"
    manifest.write_text("medicine,lang\nbaclofen,en\n", encoding="utf-8")
    assert runner.invoke(main, ["batch", str(manifest), "--out", str(tmp_path / "out"), "-j", "1"]).exit_code == 0
    pdf = tmp_path / "out" / "baclofen-en-standard.pdf"
    assert stat.S_IMODE(pdf.stat().st_mode) == 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@pytest.mark.parametrize(("lang", "plan"), [("en", TITRATION), ("ar", TITRATION), ("ar", TAPER), ("hi", TAPER)])
def test_personal_handout_is_tagged(library, lang, plan, tmp_path):
    """PDF/UA-1 with the schedule: the pill card and each week a Table of TR rows with
    TH/TD cells in reading order (right to left in Arabic), their text as written; the
    grid, shading, icons and tick boxes artifacts (tagcheck: nothing painted unmarked)."""
    from test_tagged import check_all

    handout = prepare(library, Request("baclofen", lang, "easy", patient=plan))
    check_all(handout, render(handout).data, tmp_path)
