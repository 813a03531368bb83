"""The form's new fields over HTTP: a patient's plan typed into fields is the same PDF as
``build --patient`` with the same plan in a file; large print and the web page are the
``build`` options' bytes; the fields' parsing and where each library problem is shown.
Also the service's two last resorts: the 500 answer (a page for a person, JSON for a
system, neither with a traceback or what was typed) and the message when the ``serve``
extra is missing."""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
from servers import running

from handouts.serve import plan_fields

ROOT = Path(__file__).resolve().parent.parent

PLAN_FIELDS = {
    "p_name": "Alex Morgan",
    "p_prescriber": "Dr. Sam Rivera",
    "p_prescription": "RX-2026-004213",
    "p_dispensed": "2026-12-01",
    "p_kind": "steps",
    "step1_dose": "5",
    "step1_times": ["morning", "noon", "evening"],
    "step1_days": "3",
    "step2_dose": "10",
    "step2_times": ["morning", "noon", "evening"],
    "step2_days": "3",
    "step3_dose": "15",
    "step3_times": ["morning", "evening"],
}
PLAN_FILE = """medicine: baclofen
name: Alex Morgan
prescriber: Dr. Sam Rivera
prescription: RX-2026-004213
dispensed: 2026-12-01
steps:
  - {day: 1, dose: {value: 5, unit: mg}, times: [morning, noon, evening], days: 3}
  - {day: 4, dose: {value: 10, unit: mg}, times: [morning, noon, evening], days: 3}
  - {day: 7, dose: {value: 15, unit: mg}, times: [morning, evening]}
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with running(tmp_path_factory.mktemp("serve"), "--rate", "0") as server:
        yield server


@pytest.fixture(scope="module")
def client(server):
    with httpx.Client(base_url=server.url, timeout=120) as client:
        yield client


def post_form(client: httpx.Client, **fields) -> httpx.Response:
    token = client.get("/").cookies["handouts_csrf"]
    form = {"csrf": token, "medicine": "baclofen", "lang": "en", "level": "standard", "action": "download"}
    return client.post("/", data=form | fields)


def cli_build(tmp_path, *options: str) -> bytes:
    out = tmp_path / ("cli.html" if "html" in options else "cli.pdf")
    command = [sys.executable, "-m", "handouts", "build", "baclofen", *options, "-o", str(out)]
    subprocess.run(command, check=True, capture_output=True)
    return out.read_bytes()


def test_a_plan_typed_into_fields_is_the_cli_patient_pdf(server, client, tmp_path):
    answer = post_form(client, lang="es", large_print="yes", **PLAN_FIELDS)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-disposition"] == 'attachment; filename="baclofen-es-standard-large.pdf"'
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN_FILE)
    assert answer.content == cli_build(tmp_path, "--lang", "es", "--large-print", "--patient", str(plan))
    assert "Alex" not in server.access_log() and "RX-2026" not in server.access_log()


def in_digits(text: str, zero: str) -> str:
    """``text`` with 0-9 written in the digits of the script whose zero is ``zero``."""
    return "".join(chr(ord(zero) + int(ch)) if ch.isascii() and ch.isdigit() else ch for ch in text)


@pytest.mark.parametrize("zero", ["0", "\u0660"], ids=["western", "arabic-indic"])
def test_the_taper_example_typed_into_fields_is_the_cli_pdf(client, tmp_path, zero):
    """examples/patient-taper.yaml, typed: a start date after the day dispensed, four
    lowering steps, the last with other times of day; typed on an Arabic keyboard too."""
    three = ["morning", "noon", "evening"]
    rows = [("15", "4", three), ("10", "4", three), ("5", "3", three), ("5", "3", ["morning", "bedtime"])]
    rows = [(in_digits(dose, zero), in_digits(days, zero), times) for dose, days, times in rows]
    fields = {
        "p_name": "Jordan Lee",
        "p_prescriber": "Dr. Sam Rivera",
        "p_prescription": "RX-2027-000118",
        "p_dispensed": "2027-01-08",
        "p_start": "2027-01-10",
        "p_kind": "taper",
    }
    for n, (dose, days, times) in enumerate(rows, 1):
        fields |= {f"step{n}_dose": dose, f"step{n}_days": days, f"step{n}_times": times}
    answer = post_form(client, lang="ar", level="easy", **fields)
    assert answer.status_code == 200, answer.text
    example = str(ROOT / "examples" / "patient-taper.yaml")
    assert answer.content == cli_build(tmp_path, "--lang", "ar", "--level", "easy", "--patient", example)


def test_the_web_page_choice_is_the_cli_html(client, tmp_path):
    answer = post_form(client, lang="ar", format="html", action="open")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/html; charset=utf-8"
    assert answer.headers["content-disposition"] == 'inline; filename="baclofen-ar-standard.html"'
    assert answer.headers.get_list("content-security-policy") == [  # one policy: the handout's own
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'"
    ]
    assert answer.content == cli_build(tmp_path, "--lang", "ar", "--format", "html")


def test_the_api_takes_large_print_and_html(client, tmp_path):
    large = client.post("/api/v1/handouts", json={"medicine": "baclofen", "large_print": True})
    assert large.headers["content-disposition"] == 'attachment; filename="baclofen-en-standard-large.pdf"'
    assert large.content == cli_build(tmp_path, "--large-print")
    page = client.post("/api/v1/handouts", json={"medicine": "baclofen", "format": "html", "level": "easy"})
    assert page.headers["content-type"] == "text/html; charset=utf-8" and "x-handout-pages" not in page.headers
    assert page.content == cli_build(tmp_path, "--format", "html", "--level", "easy")
    schema = client.get("/openapi.json").json()["components"]["schemas"]["HandoutRequest"]["properties"]
    assert schema["format"]["description"] and schema["large_print"]["description"]


def test_a_bad_plan_is_shown_next_to_its_field_without_its_values(server, client):
    answer = post_form(client, **(PLAN_FIELDS | {"step2_dose": "40", "p_prescription": ""}))
    assert answer.status_code == 422
    assert '<p class="error" id="p_prescription-error">Fill this in for a patient&#39;s plan.</p>' in answer.text
    answer = post_form(client, **(PLAN_FIELDS | {"step2_dose": "40"}), action="preview")
    error = re.search(r'<p class="error" id="step2_dose-error">([^<]*)</p>', answer.text)
    assert error and error[1].startswith("The total a day of this step is above the medicine")
    assert 'id="step2_dose" name="step2_dose" value="40"' in answer.text  # kept to be corrected
    assert "40" not in error[1]
    assert '<details id="patient" open>' in answer.text
    assert "Alex" not in server.access_log()


class _Rows(HTMLParser):
    """The step rows of a form page as a browser would show them: per row its dose, unit
    (the selected option), days and the times ticked, in the page's order."""

    def __init__(self, text: str):
        super().__init__()
        self.rows: dict[int, dict[str, object]] = {}
        self._select: int | None = None
        self.feed(text)

    def _row(self, name: str) -> tuple[dict[str, object] | None, str]:
        match = re.fullmatch(r"step([0-9]+)_([a-z]+)", name)
        if not match:
            return None, ""
        return self.rows.setdefault(int(match[1]), {"times": []}), match[2]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        row, part = self._row(a.get("name") or "")
        if tag == "select" and row is not None:
            self._select = int(re.findall(r"[0-9]+", a["name"] or "")[0])
        elif tag == "option" and self._select is not None and "selected" in a:
            self.rows[self._select]["unit"] = a["value"]
        elif tag == "input" and row is not None:
            if part == "times":
                if "checked" in a:
                    row["times"].append(a["value"])  # type: ignore[attr-defined]
            else:
                row[part] = a["value"]

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def rows_shown(text: str) -> list[tuple[object, ...]]:
    rows = _Rows(text).rows
    assert list(rows) == list(range(1, len(rows) + 1))  # in order, none missing
    return [(r["dose"], r.get("unit"), tuple(r["times"]), r["days"]) for r in rows.values()]  # type: ignore[arg-type]


USUAL = ("morning", "noon", "evening")
FRESH = ("", "mg", USUAL, "")  # the empty row a new page shows
SENT = [  # a taper as typed: three rows, each with its own times and unit
    ("15", "mg", ("morning", "bedtime"), "4"),
    ("2,5", "ml", ("noon",), "4"),
    ("5", "mg", ("morning", "evening", "bedtime"), "3"),
]


def step_fields(rows) -> dict[str, object]:
    fields: dict[str, object] = {}
    for n, (dose, unit, times, days) in enumerate(rows, 1):
        fields |= {f"step{n}_dose": dose, f"step{n}_unit": unit, f"step{n}_times": list(times), f"step{n}_days": days}
    return fields


TAPER = {k: v for k, v in PLAN_FIELDS.items() if not k.startswith("step")} | {"p_kind": "taper"}


def test_a_page_shown_again_keeps_every_row_as_sent(server, client):
    """A problem the page finds (a prescription number missing) and one the library finds
    (a dose in ml, which cannot be checked against the medicine's maximum in mg): the
    page comes back with the three rows exactly as typed, in order, each with its own
    times ticked, then the fresh rows (morning, noon and evening ticked, as on a new page),
    which an HTTP client need not send. The 503 page keeps them too (below)."""
    sent = TAPER | step_fields(SENT)
    answer = post_form(client, **(sent | {"p_prescription": ""}), action="preview")
    assert answer.status_code == 422 and 'id="p_prescription-error"' in answer.text
    assert rows_shown(answer.text) == [*SENT, FRESH, FRESH, FRESH]
    answer = post_form(client, **sent)
    assert answer.status_code == 422 and 'id="step2_unit-error"' in answer.text  # the library's refusal
    assert rows_shown(answer.text) == [*SENT, FRESH, FRESH, FRESH]
    browser = sent | step_fields([*SENT, ("", "mg", (), ""), ("", "mcg", ("noon",), ""), FRESH])
    answer = post_form(client, **(browser | {"p_prescription": ""}))  # what a browser sends: every row
    assert rows_shown(answer.text) == [*SENT, ("", "mg", (), ""), ("", "mcg", ("noon",), ""), FRESH]
    assert "Alex" not in server.access_log()


def test_a_full_page_grows_a_row_and_prints_every_step(client, tmp_path):
    """Without JavaScript a plan grows a row at a time: six rows used give a seventh,
    empty one on the page shown again; seven rows typed give the CLI's PDF of the
    seven-step plan, no step left out; twelve used rows (the plan's limit) give no
    thirteenth."""
    seven = [(str(dose), "mg", ("morning", "evening"), "2") for dose in (35, 30, 25, 20, 15, 10, 5)]
    answer = post_form(client, **(TAPER | step_fields(seven[:6]) | {"p_prescription": ""}))
    assert answer.status_code == 422
    assert rows_shown(answer.text) == [*seven[:6], FRESH]
    answer = post_form(client, **(TAPER | step_fields(seven)))
    assert answer.status_code == 200, answer.text
    plan = tmp_path / "plan.yaml"
    steps = "".join(
        f"  - {{day: {1 + 2 * n}, dose: {{value: {dose}, unit: mg}}, times: [morning, evening], days: 2}}\n"
        for n, (dose, *_) in enumerate(seven)
    )
    plan.write_text(PLAN_FILE[: PLAN_FILE.index("steps:")] + "taper:\n" + steps)
    assert answer.content == cli_build(tmp_path, "--patient", str(plan))
    twelve = [("1", "mg", USUAL, "1")] * plan_fields.MAX_ROWS
    answer = post_form(client, **(TAPER | step_fields(twelve) | {"p_prescription": ""}))
    assert rows_shown(answer.text) == twelve


def test_a_step_past_the_last_row_is_refused_not_dropped():
    """A post the page never makes (a thirteenth step): said at the last row, never a
    plan printed without it."""
    fields = {k: [v] if isinstance(v, str) else v for k, v in (TAPER | step_fields(SENT)).items()}
    fields |= {"step13_dose": ["5"], "step13_days": ["3"]}
    plan = plan_fields.read(fields)
    assert len(plan.rows) == plan_fields.MAX_ROWS and plan.given()
    _, problems = plan_fields.patient(plan, "baclofen")
    assert problems == {f"step{plan_fields.MAX_ROWS}_dose": "plan_too_many"}


def test_rows_become_steps_one_after_the_other():
    fields = {k: v if isinstance(v, list) else [v] for k, v in PLAN_FIELDS.items()}
    plan, problems = plan_fields.patient(plan_fields.read(fields), "baclofen")
    assert problems == {}
    assert [(s["day"], s["dose"]["value"], s.get("days")) for s in plan["steps"]] == [
        (1, 5, 3),
        (4, 10, 3),
        (7, 15, None),
    ]
    taper = plan_fields.read(fields | {"p_kind": ["taper"], "step1_dose": ["2,5"], "step1_unit": ["mcg"]})
    plan, problems = plan_fields.patient(taper, "baclofen")
    assert "steps" not in plan and plan["taper"][0]["dose"] == {"value": 2.5, "unit": "mcg"}


@pytest.mark.parametrize(
    ("dose", "days", "value"),
    [
        ("\u0662\u066b\u0665", "\u0663", 2.5),  # Arabic-Indic, with the Arabic decimal separator
        ("\u06f2,\u06f5", "\u06f3", 2.5),  # Extended Arabic-Indic (Persian, Urdu), a decimal comma
        ("\u0967\u0966", "\u0969", 10),  # Devanagari
        ("\u0e51\u0e50", "\u0e53", 10),  # Thai
    ],
    ids=["arabic-indic", "persian", "devanagari", "thai"],
)
def test_a_dose_and_days_in_another_scripts_digits_are_read_at_their_value(dose, days, value):
    fields = {k: v if isinstance(v, list) else [v] for k, v in PLAN_FIELDS.items()}
    fields |= {"step1_dose": [dose], "step1_days": [days]}
    plan, problems = plan_fields.patient(plan_fields.read(fields), "baclofen")
    assert problems == {}
    assert plan["steps"][0]["dose"]["value"] == value and plan["steps"][0]["days"] == 3
    assert plan["steps"][1]["day"] == 4


@pytest.mark.parametrize(
    ("change", "field", "word"),
    [
        ({"step2_dose": [""], "step2_days": [""]}, "step2_dose", "plan_gap"),  # row 3 below an empty row 2
        ({"step1_days": [""]}, "step1_days", "plan_days"),
        ({"step1_days": ["three"]}, "step1_days", "plan_days_number"),
        ({"step2_dose": ["ten mg"]}, "step2_dose", "plan_dose"),
        ({"step2_dose": ["\u06615"]}, "step2_dose", "plan_dose"),  # digits of two scripts: a slip, not guessed
        ({"step1_days": ["\u00b3"]}, "step1_days", "plan_days_number"),  # a superscript is not a number of days
        ({"step1_days": ["\u0660"]}, "step1_days", "plan_days_number"),  # zero days, in Arabic-Indic
        ({"step3_times": []}, "step3_times", "plan_times"),
        ({"p_name": [""]}, "p_name", "plan_required"),
    ],
)
def test_what_the_fields_cannot_make_is_said_at_the_field(change, field, word):
    fields = {k: v if isinstance(v, list) else [v] for k, v in PLAN_FIELDS.items()} | change
    _, problems = plan_fields.patient(plan_fields.read(fields), "baclofen")
    assert problems[field] == word


def test_nothing_typed_is_no_plan():
    assert not plan_fields.blank(__import__("datetime").date(2026, 12, 1)).given()


@pytest.mark.parametrize(
    ("key", "field"),
    [
        ("patient.steps[1].dose.value", "step2_dose"),
        ("patient.taper[0].dose.unit", "step1_unit"),
        ("patient.taper[3]", "step4_days"),  # "the last taper step must end"
        ("patient.steps[0].times", "step1_times"),
        ("patient.name", "p_name"),
        ("patient.steps", "step1_dose"),
        ("patient", None),  # the plan as a whole: listed at the top
        ("patient.steps[9].dose", "step10_dose"),  # a row the page grew
        ("patient.steps[12].dose", None),  # beyond the rows the page grows to
    ],
)
def test_a_library_problem_finds_its_field(key, field):
    assert plan_fields.field_of(key) == field


@pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient`")
def test_a_fault_is_a_500_without_traceback_or_what_was_typed(monkeypatch):
    """An exception inside the form or the API: a plain page for a person, the API's JSON
    for a system; the exception's text (here with a patient's name in it) is not shown."""
    from fastapi.testclient import TestClient

    from handouts.serve import api, page
    from handouts.serve.app import create_app
    from handouts.serve.settings import Settings

    async def failing(request, order):
        raise RuntimeError(f"failed for {order.patient and order.patient['name']} at /srv/handouts/x.py")

    monkeypatch.setattr(page, "make", failing)
    monkeypatch.setattr(api, "make", failing)
    client = TestClient(create_app(Settings(rate=0)), raise_server_exceptions=False)  # no renderers started
    token = client.get("/?ui=es").cookies["handouts_csrf"]
    fields = {"csrf": token, "medicine": "baclofen", "lang": "en", "action": "download"} | PLAN_FIELDS
    answer = client.post("/?ui=es", data=fields)
    assert answer.status_code == 500 and answer.headers["content-type"].startswith("text/html")
    assert "<h1>Algo salió mal</h1>" in answer.text and 'href="/?ui=es"' in answer.text
    answer_api = client.post("/api/v1/handouts", json={"medicine": "baclofen", "patient": {"name": "Alex Morgan"}})
    assert answer_api.status_code == 500
    assert (
        answer_api.json()["errors"][0]["message"] == "the service failed to make this answer; the server's log says why"
    )
    for text in (answer.text, answer_api.text):
        assert "Alex" not in text and "Traceback" not in text and "RuntimeError" not in text and "/srv" not in text


class _StoppedRenderers:
    """Renderers whose every order dies with its process, as ``Renderers.make`` reports a
    killed one (the real kill is in tests/test_serve_browser.py)."""

    count = 1

    async def make(self, order):
        from handouts.serve.renderer import RendererStopped

        raise RendererStopped


@pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient`")
@pytest.mark.parametrize(
    ("ui", "said"),
    [
        ("en", "The handout could not be made this time. Nothing was printed or saved. Please try again."),
        ("es", "Esta vez no se pudo hacer la hoja. No se imprimió ni se guardó nada. Inténtelo de nuevo."),
        ("ar", "تعذّر إعداد النشرة هذه المرة. لم يُطبع شيء ولم يُحفظ شيء. حاول مرة أخرى."),
    ],
)
def test_a_stopped_renderer_gives_the_form_again_in_its_language(ui, said):
    """The API's 503 (JSON, Retry-After) becomes, at the form, the form again: the same
    status and Retry-After, a plain sentence in the interface's language in the alert at
    the top, the choices still chosen, right to left for Arabic."""
    from fastapi.testclient import TestClient

    from handouts.serve.app import create_app
    from handouts.serve.settings import Settings

    app = create_app(Settings(rate=0))
    app.state.renderers = _StoppedRenderers()  # no lifespan: no real renderer started
    client = TestClient(app, raise_server_exceptions=False)
    token = client.get(f"/?ui={ui}").cookies["handouts_csrf"]
    fields = {"csrf": token, "ui": ui, "medicine": "baclofen", "lang": "es", "level": "easy", "paper": "a4"}
    answer = client.post(f"/?ui={ui}", data=fields | {"large_print": "yes", "action": "download"} | PLAN_FIELDS)
    assert answer.status_code == 503 and answer.headers["retry-after"] == "1"
    assert answer.headers["content-type"] == "text/html; charset=utf-8"
    assert answer.headers["cache-control"] == "no-store" and "content-disposition" not in answer.headers
    text = answer.text
    assert '<div class="summary" role="alert">' in text and f"<li>{said}</li>" in text
    assert f'<html lang="{ui}" dir="{"rtl" if ui == "ar" else "ltr"}">' in text
    assert '<option value="es" lang="es" dir="ltr" selected>' in text and 'value="easy" checked' in text
    assert '<option value="a4" selected>' in text and 'name="large_print" value="yes" checked' in text
    assert 'id="p_name" name="p_name" value="Alex Morgan"' in text  # pressing again keeps the plan
    assert rows_shown(text) == [
        ("5", "mg", USUAL, "3"),
        ("10", "mg", USUAL, "3"),
        ("15", "mg", ("morning", "evening"), ""),
        FRESH,
        FRESH,
        FRESH,
    ]
    assert '"errors"' not in text and "renderer" not in text and "Traceback" not in text


@pytest.mark.parametrize("package", ["uvicorn", "fastapi"])
def test_without_the_serve_extra_serve_says_what_to_install(package):
    """The extra missing, as on a base install: the import fails, and ``serve`` says which
    package is missing and the command that installs it (exit 2, no traceback)."""
    blocked = f"import sys; sys.modules[{package!r}] = None; from handouts.cli import main; main(['serve'])"
    result = subprocess.run([sys.executable, "-c", blocked], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert f"the service needs the 'serve' extra ({package} is missing)" in result.stderr
    assert "pip install 'handouts[serve]'" in result.stderr and "Traceback" not in result.stderr
