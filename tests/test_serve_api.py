"""``handouts serve``'s API, over HTTP against a real server: the same PDF as the CLI, the
CLI's errors as JSON, names checked as in manifests, the OpenAPI document, the token, the
rate limit, the access log without patient data, and the form's CSRF check."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import time

import httpx
import pytest
from conftest import TEST_CONTENT
from pypdf import PdfReader
from servers import running

from handouts import __version__, schema

TOKEN = "t" * 12 + "-long-enough-token"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with running(tmp_path_factory.mktemp("serve"), "--workers", "1", "--rate", "0") as server:
        yield server


@pytest.fixture(scope="module")
def client(server):
    with httpx.Client(base_url=server.url, timeout=60) as client:
        yield client


def test_the_api_pdf_is_the_cli_pdf_byte_for_byte(client, tmp_path):
    request = {"medicine": "baclofen", "lang": "es", "level": "easy", "paper": "a4", "layout": "essentials"}
    answer = client.post("/api/v1/handouts", json=request)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.headers["content-disposition"] == 'attachment; filename="baclofen-es-easy.pdf"'
    cli_pdf = tmp_path / "cli.pdf"
    options = ["--lang", "es", "--level", "easy", "--paper", "a4", "--layout", "essentials", "-o", str(cli_pdf)]
    subprocess.run([sys.executable, "-m", "handouts", "build", "baclofen", *options], check=True, capture_output=True)
    assert answer.content == cli_pdf.read_bytes()
    reader = PdfReader(io.BytesIO(answer.content))
    assert answer.headers["x-handout-pages"] == str(len(reader.pages))
    assert "Baclofeno" in reader.pages[0].extract_text()
    again = client.post("/api/v1/handouts", json=request)  # the renderer's kept handout, drawn again
    assert again.status_code == 200 and again.content == answer.content


def test_a_content_file_edited_while_serving_changes_the_next_answer(tmp_path):
    """A renderer keeps prepared handouts between requests; an edit under --content
    (same size, so only the time stamp tells) must show in the very next answer."""
    content = tmp_path / "content"
    shutil.copytree(TEST_CONTENT, content)
    for path in content.rglob("*"):  # older than the racy window: the handout is kept
        os.utime(path, (time.time() - 3600,) * 2)
    medicine = content / "medicines" / "testamine" / "en.yaml"
    source = medicine.read_text(encoding="utf-8")
    assert "made-up" in source

    def first_page_text(client: httpx.Client) -> str:
        answer = client.post("/api/v1/handouts", json={"medicine": "testamine"})
        assert answer.status_code == 200, answer.text
        return str(PdfReader(io.BytesIO(answer.content)).pages[0].extract_text())

    with (
        running(tmp_path, "--workers", "1", "--rate", "0", content=content) as server,
        httpx.Client(base_url=server.url, timeout=60) as client,
    ):
        assert "made-up" in first_page_text(client)
        assert "made-up" in first_page_text(client)  # kept now
        medicine.write_text(source.replace("made-up", "pretend"), encoding="utf-8")  # 7 letters for 7
        after = first_page_text(client)
    assert "pretend" in after and "made-up" not in after


def test_a_missing_translation_is_the_cli_error_as_json(client):
    answer = client.post("/api/v1/handouts", json={"medicine": "baclofen", "lang": "fr"})
    assert answer.status_code == 422
    [problem] = answer.json()["errors"]
    assert problem["message"] == "medicine 'baclofen' has no 'fr' translation"
    assert problem["hint"].startswith("'baclofen' exists in: ar, en, es")
    assert problem["file"].endswith("medicines")


def test_draft_content_with_require_reviewed_names_file_line_and_column(client):
    answer = client.post("/api/v1/handouts", json={"medicine": "baclofen", "require_reviewed": True})
    assert answer.status_code == 422
    [problem] = answer.json()["errors"]
    assert problem["file"].endswith("content/medicines/baclofen/en.yaml")
    assert (problem["line"], problem["column"], problem["key"]) == (9, 9, "status")
    assert "draft" in problem["message"] and "review" in problem["hint"]


@pytest.mark.parametrize(
    "field, value",
    [
        ("medicine", "../../etc/passwd"),
        ("medicine", "baclofen/../baclofen"),
        ("medicine", "Baclofen\x00"),
        ("lang", "../en"),
        ("lang", "en\n"),
        ("brand", "../../content/brands/default/brand.yaml"),
        ("brand", "/etc/passwd"),
        ("brand", "brand.yaml"),
        ("layout", "essentials.yaml"),
        ("layout", ".hidden"),
        ("layout", "x" * 65),
    ],
)
def test_hostile_names_are_refused_before_any_lookup(client, field, value):
    answer = client.post("/api/v1/handouts", json={"medicine": "baclofen", field: value})
    assert answer.status_code == 422
    [problem] = answer.json()["errors"]
    assert problem["file"] == "request" and problem["key"] == field
    assert problem["message"].startswith("'") or problem["message"].startswith("String should")


def test_an_unknown_brand_name_is_looked_up_in_the_library_only(client):
    answer = client.post("/api/v1/handouts", json={"medicine": "baclofen", "brand": "nonesuch"})
    assert answer.status_code == 422
    [problem] = answer.json()["errors"]
    assert problem["message"] == "no brand named 'nonesuch'"


def test_bad_json_says_where_reading_stopped(client):
    body = b'{"medicine":\n  "baclofen",,\n}'
    answer = client.post("/api/v1/handouts", content=body, headers={"content-type": "application/json"})
    assert answer.status_code == 400
    [problem] = answer.json()["errors"]
    assert (problem["file"], problem["line"], problem["column"]) == ("request", 2, 14)
    assert problem["message"].startswith("the body is not valid JSON")


def test_unknown_and_missing_fields(client):
    answer = client.post("/api/v1/handouts", json={"lang": "en", "colour": "red"})
    assert answer.status_code == 422
    found = {p["key"]: p["message"] for p in answer.json()["errors"]}
    assert found == {"medicine": "this field is required", "colour": "unknown field"}


def test_medicines_lists_languages_in_their_own_script(client):
    catalogue = client.get("/api/v1/medicines").json()
    assert catalogue["levels"] == list(schema.LEVELS)
    assert catalogue["layouts"] == ["essentials"]
    [baclofen] = catalogue["medicines"]
    languages = {entry["code"]: entry for entry in baclofen["languages"]}
    assert len(languages) == 8
    assert (languages["ar"]["name"], languages["ar"]["direction"]) == ("العربية", "rtl")
    assert languages["ru"]["name"] == "русский" and languages["ko"]["name"] == "한국어"
    assert languages["zh-Hans"]["medicine_name"] == "巴氯芬"
    assert {entry["status"] for entry in languages.values()} <= {"draft", "reviewed"}


def test_healthz(client):
    assert client.get("/api/v1/healthz").json() == {"status": "ok", "version": __version__, "workers": 1}


def test_openapi_documents_every_field(client):
    document = client.get("/openapi.json").json()
    assert set(document["paths"]) == {"/api/v1/handouts", "/api/v1/medicines", "/api/v1/healthz"}
    undocumented = [
        f"{name}.{field}"
        for name, model in document["components"]["schemas"].items()
        if name not in ("HTTPValidationError", "ValidationError")
        for field, spec in model.get("properties", {}).items()
        if not spec.get("description")
    ]
    assert undocumented == []
    post = document["paths"]["/api/v1/handouts"]["post"]
    assert "application/pdf" in post["responses"]["200"]["content"]
    assert {"400", "401", "413", "422", "429", "503"} <= set(post["responses"])


def test_the_access_log_holds_route_and_status_only(server, client):
    client.post("/api/v1/handouts?patient=Jane%20Doe", json={"medicine": "baclofen", "lang": "Jane-Doe"})
    client.get("/api/v1/medicines?name=Jane")
    log = server.access_log()
    assert re.search(r"handouts\.serve\.access: POST /api/v1/handouts 422 \d+ ms", log)
    assert re.search(r"handouts\.serve\.access: GET /api/v1/medicines 200 \d+ ms", log)
    assert "Jane" not in log and "patient=" not in log


def test_the_page_refuses_a_post_without_its_csrf_token(client):
    page = client.get("/")
    token = page.cookies["handouts_csrf"]
    form = {"medicine": "baclofen", "lang": "en", "level": "standard", "action": "download"}
    assert client.post("/", data={**form, "csrf": "forged"}).status_code == 403
    with httpx.Client(base_url=str(client.base_url), timeout=60) as stranger:  # no cookie
        assert stranger.post("/", data={**form, "csrf": token}).status_code == 403
    foreign = client.post("/", data={**form, "csrf": token}, headers={"origin": "http://evil.example"})
    assert foreign.status_code == 403
    good = client.post("/", data={**form, "csrf": token}, headers={"origin": str(client.base_url)})
    assert good.status_code == 200 and good.content.startswith(b"%PDF")
    assert good.headers["content-disposition"] == 'attachment; filename="baclofen-en-standard.pdf"'


def test_errors_are_shown_next_to_their_field(tmp_path):
    with running(tmp_path, "--rate", "0", content=TEST_CONTENT) as server, httpx.Client(base_url=server.url) as client:
        token = client.get("/").cookies["handouts_csrf"]
        form = {"csrf": token, "medicine": "testamine", "lang": "es", "level": "easy", "action": "preview"}
        page = client.post("/", data=form)
        assert page.status_code == 422
        assert re.search(r'<p class="error" id="lang-error">Testamine is not written in español\. '
                         r"It is written in: English\.</p>", page.text)  # fmt: skip
        assert 'aria-describedby="lang-error" aria-invalid="true"' in page.text
        draft = client.post("/", data={**form, "medicine": "baclofen", "lang": "en", "require_reviewed": "yes"})
        assert 'id="require_reviewed-error">Baclofen in English is a draft' in draft.text


def test_a_token_is_required_when_set_and_the_host_is_not_loopback_without_one(tmp_path):
    refused = subprocess.run(
        [sys.executable, "-m", "handouts", "serve", "--host", "0.0.0.0"],
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "HANDOUTS_API_TOKEN"},
        timeout=120,
    )
    assert refused.returncode == 2
    assert "--host 0.0.0.0 listens beyond this machine" in refused.stderr and "HANDOUTS_API_TOKEN" in refused.stderr
    assert "Traceback" not in refused.stderr
    with running(tmp_path, env={"HANDOUTS_API_TOKEN": TOKEN}) as server, httpx.Client(base_url=server.url) as client:
        body = {"medicine": "baclofen"}
        assert client.post("/api/v1/handouts", json=body).status_code == 401
        wrong = {"authorization": "Bearer " + TOKEN[:-1] + "x"}
        assert client.post("/api/v1/handouts", json=body, headers=wrong).status_code == 401
        right = {"authorization": "Bearer " + TOKEN}
        assert client.post("/api/v1/handouts", json=body, headers=right).status_code == 200


def test_a_client_over_its_rate_is_told_when_to_come_back(tmp_path):
    """One request per 100 s after a burst of 3: a loaded machine taking seconds over
    these five requests (at 0.5 per second, 2 s gave the client a 4th) refills nothing."""
    with running(tmp_path, "--rate", "0.01", "--burst", "3") as server, httpx.Client(base_url=server.url) as client:
        codes = [client.get("/api/v1/medicines").status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        limited = client.get("/api/v1/medicines")
        assert limited.status_code == 429 and 1 <= int(limited.headers["retry-after"]) <= 100
        assert "too many requests" in limited.json()["errors"][0]["message"]
        assert client.get("/api/v1/healthz").status_code == 200  # a load balancer's poll is never limited


PLAN = {
    "medicine": "baclofen",
    "name": "Alex Morgan",
    "prescriber": "Dr. Sam Rivera",
    "prescription": "RX-2026-004213",
    "dispensed": "2026-12-01",
    "steps": [{"day": 1, "dose": {"value": 5, "unit": "mg"}, "times": ["morning", "noon", "evening"], "days": 3}],
}


def test_a_patient_plan_is_the_cli_patient_pdf_and_named_for_what_it_is(server, client, tmp_path):
    answer = client.post("/api/v1/handouts", json={"medicine": "baclofen", "patient": PLAN})
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-disposition"] == 'attachment; filename="baclofen-en-standard.pdf"'
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "medicine: baclofen\nname: Alex Morgan\nprescriber: Dr. Sam Rivera\nprescription: RX-2026-004213\n"
        "dispensed: 2026-12-01\nsteps:\n"
        "  - {day: 1, dose: {value: 5, unit: mg}, times: [morning, noon, evening], days: 3}\n"
    )
    cli_pdf = tmp_path / "cli.pdf"
    command = [sys.executable, "-m", "handouts", "build", "baclofen", "--patient", str(plan), "-o", str(cli_pdf)]
    subprocess.run(command, check=True, capture_output=True)
    assert answer.content == cli_pdf.read_bytes()
    assert "Alex Morgan" in PdfReader(io.BytesIO(answer.content)).pages[0].extract_text()
    assert "Alex" not in server.access_log()


def test_a_patient_plan_as_a_web_page_is_the_cli_page(server, client, tmp_path):
    """format html with a plan: the page `build --patient --format html` writes, byte for
    byte, named for the handout; the name is in the page only, not in the log."""
    answer = client.post("/api/v1/handouts", json={"medicine": "baclofen", "patient": PLAN, "format": "html"})
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-disposition"] == 'attachment; filename="baclofen-en-standard.html"'
    assert answer.headers["cache-control"] == "no-store"
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "medicine: baclofen\nname: Alex Morgan\nprescriber: Dr. Sam Rivera\nprescription: RX-2026-004213\n"
        "dispensed: 2026-12-01\nsteps:\n"
        "  - {day: 1, dose: {value: 5, unit: mg}, times: [morning, noon, evening], days: 3}\n"
    )
    cli_page = tmp_path / "cli.html"
    command = [sys.executable, "-m", "handouts", "build", "baclofen", "--patient", str(plan), "-o", str(cli_page)]
    subprocess.run(command, check=True, capture_output=True)
    assert answer.content == cli_page.read_bytes()
    assert b"Alex Morgan" in answer.content and b'class="pill-card"' in answer.content
    assert "Alex" not in server.access_log()


def test_a_bad_plan_is_refused_without_quoting_it(client):
    plan = PLAN | {"dispensed": "Alex Morgan 1 Dec", "steps": [{"day": 1, "dose": {"value": -5, "unit": "mg"}}]}
    answer = client.post("/api/v1/handouts", json={"medicine": "baclofen", "patient": plan})
    assert answer.status_code == 422
    keys = {p["key"] for p in answer.json()["errors"]}
    assert "patient.dispensed" in keys and all(p["file"] == "request" for p in answer.json()["errors"])
    assert "Alex" not in answer.text and "-5" not in answer.text
