"""``/``: the form for front-desk staff. Plain HTML forms, so it works without JavaScript:
one form, three buttons (preview, download, open to print), each a POST to ``/``. The
patient's name and dose plan are optional fields in a ``<details>`` (``plan_fields`` turns
them into the plan the API takes); large print and PDF or HTML are the ``build`` options.

CSRF: the page sets a random token in a ``SameSite=Strict`` cookie and in a hidden field;
a POST is served only when both are there and equal, and, when the browser says where
the request came from (``Origin``), only from this server. Another site can neither read
the cookie nor make the browser send it.

Problems the page can see coming (a language the medicine is not written in, a draft
with "reviewed only" ticked) are said in plain words next to their field, before any
renderer is asked; anything else ``build`` refuses is shown with its message and hint.
When no handout could be made this time (a renderer stopped), the page says so in plain
words and keeps the choices: JSON is the API's answer, not a person's.
"""

from __future__ import annotations

import base64
import datetime
import hmac
import json
import re
import secrets
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qs, urlsplit

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, select_autoescape

from .. import build, schema
from ..model import LEVELS
from ..names import LANG, SLUG, is_library_name
from . import listing, plan_fields, ui
from .api import handout_response, make
from .renderer import Made, Order

CSRF_COOKIE = "handouts_csrf"
ACTIONS = ("preview", "download", "open")
FORMATS = ("pdf", "html")

router = APIRouter(include_in_schema=False)


@dataclass
class Form:
    """What the person chose, as sent; ``errors`` maps a field to what is wrong with it."""

    medicine: str = ""
    lang: str = "en"
    level: str = "standard"
    paper: str = ""
    layout: str = ""
    require_reviewed: bool = False
    large_print: bool = False
    format: str = "pdf"
    plan: plan_fields.PlanFields = field(default_factory=lambda: plan_fields.blank(datetime.date.today()))
    errors: dict[str, str] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)  # problems not tied to one field

    def request(self) -> build.Request:
        return build.Request(
            self.medicine,
            self.lang,
            self.level,
            None,
            Path(self.layout) if self.layout else None,
            self.paper or None,
            self.require_reviewed,
            large_print=self.large_print,
        )


@lru_cache(maxsize=1)
def _templates() -> Environment:
    env = Environment(autoescape=select_autoescape(default=True), trim_blocks=True, lstrip_blocks=True)
    env.globals["levels"] = LEVELS
    return env


def _template(name: str) -> Any:
    text = resources.files(__package__).joinpath("templates").joinpath(name).read_text(encoding="utf-8")
    return _templates().from_string(text)


@router.get("/static/form.css")
async def stylesheet() -> Response:
    css = resources.files(__package__).joinpath("templates").joinpath("form.css").read_text(encoding="utf-8")
    return Response(css, media_type="text/css", headers={"Cache-Control": "max-age=3600"})


@router.get("/", response_class=HTMLResponse)
async def form_page(request: Request, ui_lang: Annotated[str, Query(alias="ui")] = ui.DEFAULT) -> Response:
    form = Form()
    medicines = listing.medicines(request.app.state.library)
    if medicines:
        form.medicine = medicines[0].id
    return _page(request, form, _ui(ui_lang))


@router.post("/", response_class=HTMLResponse)
async def form_post(request: Request) -> Response:
    fields = parse_qs((await request.body()).decode("utf-8", "replace"), keep_blank_values=True)

    def one(name: str, default: str = "") -> str:
        return fields.get(name, [default])[0]

    lang_ui = _ui(one("ui", ui.DEFAULT))
    words = ui.words(lang_ui)
    form = Form(
        medicine=one("medicine"),
        lang=one("lang", "en"),
        level=one("level", "standard"),
        paper=one("paper"),
        layout=one("layout"),
        require_reviewed=one("require_reviewed") == "yes",
        large_print=one("large_print") == "yes",
        format=one("format", "pdf"),
        plan=plan_fields.read(fields),
    )
    if not _csrf_ok(request, one("csrf")):
        form.general.append(words["expired"])
        return _page(request, form, lang_ui, status=403)
    _check(request, form, words)
    patient = None
    if form.plan.given():
        patient, found = plan_fields.patient(form.plan, form.medicine)
        form.errors |= {name: words[key] for name, key in found.items() if name not in form.errors}
    if form.errors or form.general:
        return _page(request, form, lang_ui, status=422)
    action = one("action", "preview")
    order = Order(form.request(), preview=action == "preview", patient=patient, format=form.format)
    made = await make(request, order)
    if isinstance(made, Response):
        if made.status_code == 422:
            _place_refusal(form, made)
            return _page(request, form, lang_ui, status=422)
        return _not_made(request, form, lang_ui, made)
    if action in ("download", "open"):
        return handout_response(made, form.request(), inline=action == "open")
    return _page(request, form, lang_ui, made=made)


def _not_made(request: Request, form: Form, lang_ui: str, answer: Response) -> Response:
    """No handout this time, through no fault of the request (the renderer making it was
    killed or ran out of memory): the API's JSON is for systems, a person gets the form
    again with what they chose still chosen and a plain sentence saying nothing was made,
    with the API's status and ``Retry-After``. The patient's fields are kept too, as on
    every answer of this page (``no-store``): pressing again must not print a handout
    without the plan."""
    form.general.append(ui.words(lang_ui)["not_made"])
    retry = answer.headers.get("retry-after")
    return _page(request, form, lang_ui, status=answer.status_code, headers={"Retry-After": retry} if retry else {})


def internal_error(request: Request, exc: Exception) -> Response:
    """A bug, not bad input, on the page: a plain page saying so, in the interface's
    language (the form posts to ``/?ui=CODE`` so that this answer knows it without the
    body); never the traceback or what was typed (the server's log has the traceback)."""
    lang_ui = _ui(request.query_params.get("ui", ui.DEFAULT))
    html = _template("error.html").render(t=ui.words(lang_ui), ui=listing.language(lang_ui))
    return HTMLResponse(html, status_code=500, headers={"Cache-Control": "no-store"})


def _ui(code: str) -> str:
    return code if code in ui.TEXTS else ui.DEFAULT


def _check(request: Request, form: Form, words: dict[str, str]) -> None:
    """What the lists already tell: each value is one the page offered, the medicine is
    written in the language, and it is reviewed when only reviewed content may print."""
    library = request.app.state.library
    medicines = {m.id: m for m in listing.medicines(library)}
    offered = {
        "medicine": bool(SLUG.fullmatch(form.medicine)) and form.medicine in medicines,
        "lang": bool(LANG.fullmatch(form.lang)),
        "level": form.level in LEVELS,
        "paper": form.paper in ("", "letter", "a4"),
        "layout": form.layout == "" or (is_library_name(form.layout) and form.layout in listing.layouts(library)),
        "format": form.format in FORMATS,
    }
    for name, ok in offered.items():
        if not ok:
            form.errors[name] = words["choose"]
    if form.errors:
        return
    medicine = medicines[form.medicine]
    editions = {e.language.code: e for e in medicine.editions}
    chosen = listing.language(form.lang).name
    if form.lang not in editions:
        names = ", ".join(e.language.name for e in medicine.editions)
        form.errors["lang"] = words["no_translation"].format(medicine=medicine.name, language=chosen, languages=names)
    elif form.require_reviewed and editions[form.lang].status != "reviewed":
        form.errors["require_reviewed"] = words["is_draft"].format(
            medicine=editions[form.lang].medicine_name, language=chosen
        )


def _place_refusal(form: Form, response: Response) -> None:
    """What ``build`` refused (the CLI's message and hint; no file paths), next to the
    field it names when it names one (a plan's problem, by its key)."""
    report = json.loads(bytes(response.body))
    for problem in report["errors"]:
        text = _sentence(problem["message"]) + (" " + _sentence(problem["hint"]) if problem["hint"] else "")
        name = plan_fields.field_of(problem["key"])
        if name is None or name in form.errors:
            form.general.append(text)
        else:
            form.errors[name] = text


def _csrf_ok(request: Request, sent: str) -> bool:
    cookie = request.cookies.get(CSRF_COOKIE, "")
    if not cookie or not sent or not hmac.compare_digest(cookie.encode(), sent.encode()):
        return False
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return origin is None  # "null": a sandboxed or privacy-stripped origin, not ours
    return urlsplit(origin).netloc == request.headers.get("host", "")


def _page(
    request: Request,
    form: Form,
    lang_ui: str,
    *,
    status: int = 200,
    made: Made | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    library = request.app.state.library
    token = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)
    words = ui.words(lang_ui)
    medicines = listing.medicines(library)
    chosen = next((m for m in medicines if m.id == form.medicine), None)
    html = _template("form.html").render(
        t=words,
        ui=listing.language(lang_ui),
        interfaces=[listing.language(code) for code in ui.TEXTS],
        form=form,
        medicines=medicines,
        languages=listing.interface_languages(library),
        layouts=listing.layouts(library),
        token=token,
        made=made,
        times=schema.TIMES,
        units=plan_fields.UNITS,
        max_rows=plan_fields.MAX_ROWS,
        kinds=plan_fields.KINDS,
        labels={name: _label(name, words) for name in form.errors},
        plan_open=form.plan.given() or any(name.startswith(("p_", "step")) for name in form.errors),
        preview=base64.b64encode(made.preview_png).decode() if made and made.preview_png else "",
        title=next((e.medicine_name for e in chosen.editions if e.language.code == form.lang), "") if chosen else "",
    )
    response = HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-store"} | (headers or {}))
    response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict", path="/")
    return response


# "(80 mg, content/medicines/baclofen/en.yaml:43)": where the content says it, for an author, not the front desk
_CONTENT_PLACE = re.compile(r",? ?[\w./-]+\.ya?ml:[0-9]+")


def _sentence(text: str) -> str:
    """The CLI's lower-case message as a sentence on the page, without content file places."""
    text = _CONTENT_PLACE.sub("", text).replace("()", "").strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def _label(name: str, words: dict[str, str]) -> str:
    """A field's label, for the list of problems at the top: "Step 2, Dose each time"."""
    if name.startswith("step"):
        n, part = name.removeprefix("step").split("_")
        return f"{words['step'].format(n=n)}, {words[part]}"
    return words.get(name, name)
