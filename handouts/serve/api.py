"""``/api/v1``: the HTTP API for pharmacy systems, and its JSON models, which are also
the OpenAPI document at ``/openapi.json`` (every field described here is described there).

A request names what ``handouts build`` takes as options; names are checked with the
manifest's patterns (``names``) before anything is looked up, and only library names are
accepted for a brand or layout, never a file path. Every error answers in one shape,
``ErrorReport``: the CLI's diagnostics (file, line, column, message, hint) as JSON.
"""

from __future__ import annotations

import hmac
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field, field_validator
from starlette.exceptions import HTTPException

from .. import __version__, build
from ..errors import Diagnostic, clip, display_path
from ..model import LEVELS
from ..names import LANG, NAME, SLUG, is_library_name
from . import listing
from .renderer import Made, Order, Refused, Renderers, RendererStopped
from .settings import Settings

MAX_NAME = 64


def _whole(pattern: str) -> str:
    return f"^{pattern}$"  # pydantic searches; the manifest's patterns match whole values


class HandoutRequest(BaseModel):
    """One handout, as ``handouts build`` takes it."""

    model_config = ConfigDict(extra="forbid")

    medicine: str = Field(
        pattern=_whole(SLUG.pattern),
        max_length=MAX_NAME,
        description="Medicine id, as listed by GET /api/v1/medicines.",
        examples=["baclofen"],
    )
    lang: str = Field(
        "en",
        pattern=_whole(LANG.pattern),
        max_length=MAX_NAME,
        description="BCP 47 code of the language the handout is printed in (one the medicine is written in).",
        examples=["es", "zh-Hans"],
    )
    level: Literal["easy", "standard", "detailed"] = Field(
        "standard", description="Reading level: easy (short sentences), standard, or detailed."
    )
    paper: Literal["letter", "a4"] | None = Field(None, description="Paper size. Default: the brand's paper.")
    brand: str | None = Field(
        None,
        pattern=_whole(NAME.pattern),
        max_length=MAX_NAME,
        description="A brand's name in the content library (brands/NAME/brand.yaml). Default: the built-in "
        "sample brand. File paths are not accepted.",
    )
    layout: str | None = Field(
        None,
        pattern=_whole(NAME.pattern),
        max_length=MAX_NAME,
        description="A layout's name in the content library (layouts/NAME.yaml), e.g. essentials: which "
        "sections appear, in which order. Default: every section, in the medicine file's order.",
    )
    require_reviewed: bool = Field(
        False, description="Refuse draft content (422) instead of printing it with a DRAFT mark on every page."
    )
    require_current: bool = Field(
        False, description="Refuse a translation with stale units (422) instead of printing it."
    )
    large_print: bool = Field(
        False, description="Large print for low vision: all text 18 pt or larger, lines 1.5 apart (--large-print)."
    )
    format: Literal["pdf", "html"] = Field(
        "pdf",
        description="pdf, or html: the same handout as one self-contained accessible web page (text/html; "
        "no page count).",
    )
    patient: dict[str, Any] | None = Field(
        None,
        description="A patient's plan, with the keys of a `build --patient` file (medicine, name, prescriber, "
        "prescription, dispensed, start, steps, taper; dates as YYYY-MM-DD): adds 'For: NAME' and the pill card "
        "and calendars. Personal health information: never logged, never in a file name or an error message.",
    )

    @field_validator("brand", "layout")
    @classmethod
    def _a_name_not_a_file(cls, value: str | None) -> str | None:
        """``x.yaml`` would be read as a file path by ``build``: a request names library entries only."""
        if value is not None and not is_library_name(value):
            raise ValueError("a name in the content library is expected, not a file name")
        return value

    def to_request(self) -> build.Request:
        return build.Request(
            self.medicine,
            self.lang,
            self.level,
            Path(self.brand) if self.brand else None,
            Path(self.layout) if self.layout else None,
            self.paper,
            self.require_reviewed,
            self.require_current,
            large_print=self.large_print,
        )


class Problem(BaseModel):
    """One problem, as the command line prints it (``file:line:column: message``)."""

    file: str = Field(description="The content file at fault, 'request' for the request itself, or an option name.")
    line: int = Field(description="1-based line in that file; 0 when the problem is with the file as a whole.")
    column: int = Field(description="1-based column; 0 when unknown.")
    key: str = Field("", description="The key (or request field) at fault, e.g. 'lang' or 'sections.dose.body'.")
    message: str = Field(description="What is wrong, in plain words.")
    hint: str = Field("", description="How to fix it, when there is a known way.")


class ErrorReport(BaseModel):
    """Every error the API answers with (4xx and 5xx)."""

    errors: list[Problem] = Field(description="Every problem found, so a caller can fix them in one pass.")


class LanguageEntry(BaseModel):
    code: str = Field(description="BCP 47 code, the value of 'lang' in a request.")
    name: str = Field(description="The language's name in that language and its script, e.g. 'español', 'العربية'.")
    direction: Literal["ltr", "rtl"] = Field(description="Text direction of the language.")
    medicine_name: str = Field(description="The medicine's name as written in this language.")
    status: Literal["draft", "reviewed"] = Field(
        description="draft: printed with a DRAFT mark, refused with require_reviewed."
    )
    revised: str = Field(description="Date (YYYY-MM-DD) this language's text was last revised.")


class MedicineEntry(BaseModel):
    id: str = Field(description="The value of 'medicine' in a request.")
    name: str = Field(description="The medicine's name in its source language.")
    languages: list[LanguageEntry] = Field(description="Every language the medicine is written or translated in.")


class Catalogue(BaseModel):
    medicines: list[MedicineEntry] = Field(description="Every medicine in the content library.")
    levels: list[str] = Field(description="Reading levels, the values of 'level'.")
    papers: list[str] = Field(description="Paper sizes, the values of 'paper'.")
    layouts: list[str] = Field(description="Layout names in the content library, the values of 'layout'.")


class Health(BaseModel):
    status: Literal["ok"] = Field(description="Always 'ok' when the service answers.")
    version: str = Field(description="The handouts release serving.")
    workers: int = Field(description="Renderer processes.")


def problems(diagnostics: tuple[Diagnostic, ...] | list[Diagnostic]) -> ErrorReport:
    return ErrorReport(
        errors=[
            Problem(file=display_path(d.path), line=d.line, column=d.col, key=d.key, message=d.message, hint=d.hint)
            for d in diagnostics
        ]
    )


def error_response(status: int, report: ErrorReport, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(report.model_dump(), status_code=status, headers=headers)


def request_problem(message: str, key: str = "", hint: str = "", line: int = 0, column: int = 0) -> ErrorReport:
    return ErrorReport(errors=[Problem(file="request", line=line, column=column, key=key, message=message, hint=hint)])


_bearer = HTTPBearer(auto_error=False, description="Required when the service listens beyond 127.0.0.1.")


def require_token(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> None:
    """The API's one lock: ``Authorization: Bearer $HANDOUTS_API_TOKEN`` when a token is set
    (it must be, to listen beyond this machine). Compared in constant time."""
    settings: Settings = request.app.state.settings
    if settings.token is None:
        return
    given = credentials.credentials.encode() if credentials else b""
    if not hmac.compare_digest(given, settings.token.encode()):
        raise HTTPException(401, "a bearer token is required: Authorization: Bearer $HANDOUTS_API_TOKEN")


ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorReport, "description": text}
    for code, text in {
        400: "The body is not JSON.",
        401: "The bearer token is missing or wrong.",
        408: "The client stopped sending its request.",
        413: "The body is too large.",
        422: "The request names something that is not there, or the content cannot be printed as asked "
        "(a draft with require_reviewed, a missing translation). The errors say which and how to fix it.",
        429: "Too many requests from this client; see Retry-After.",
        500: "A fault in the service (not in the request); the server's log has the details.",
        503: "The renderer making this handout stopped; nothing was sent. Try again.",
    }.items()
}

router = APIRouter(prefix="/api/v1", dependencies=[Depends(require_token)])
health = APIRouter(prefix="/api/v1")  # open: a load balancer or a monitor polls it without the token


@router.post(
    "/handouts",
    summary="Make one handout",
    response_class=Response,
    responses={
        200: {
            "content": {"application/pdf": {}, "text/html": {}},
            "description": "The PDF (or with format html the web page), with Content-Disposition naming it "
            "MEDICINE-LANG-LEVEL[-large].pdf (.html) and, for a PDF, X-Handout-Pages giving its page count.",
        },
        **ERRORS,
    },
)
async def make_handout(body: HandoutRequest, request: Request) -> Response:
    """The same PDF (or web page), byte for byte, as `handouts build` makes for the same options."""
    outcome = await make(request, Order(body.to_request(), patient=body.patient, format=body.format))
    if isinstance(outcome, Response):
        return outcome
    return handout_response(outcome, body.to_request(), inline=False)


async def make(request: Request, order: Order) -> Made | Response:
    """A handout from a renderer, or the error response saying why there is none."""
    renderers: Renderers = request.app.state.renderers
    try:
        outcome = await renderers.make(order)
    except RendererStopped:
        report = request_problem(
            "the renderer making this handout stopped before it was done; nothing was sent", hint="try again"
        )
        return error_response(503, report, {"Retry-After": "1"})
    if isinstance(outcome, Refused):
        return error_response(422, problems(outcome.diagnostics))
    return outcome


# The HTML handout's own policy (its <meta> CSP): inline style and data: images, no script.
HTML_HANDOUT_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'"
)


def handout_response(made: Made, request: build.Request, *, inline: bool) -> Response:
    """The PDF or web page, named for what it is (never for whom: no patient's name in a
    file name)."""
    disposition = "inline" if inline else "attachment"
    name = request.default_output(f".{made.format}").name
    headers = {"Content-Disposition": f'{disposition}; filename="{name}"', "Cache-Control": "no-store"}
    if made.format == "html":
        return Response(
            made.data,
            media_type="text/html; charset=utf-8",
            headers=headers | {"Content-Security-Policy": HTML_HANDOUT_CSP},
        )
    return Response(made.data, media_type="application/pdf", headers=headers | {"X-Handout-Pages": str(made.pages)})


@router.get("/medicines", summary="What can be printed", response_model=Catalogue, responses=ERRORS)
async def medicines(request: Request) -> Catalogue:
    """Medicines, the languages each is written in (named in their own script), levels,
    papers and layouts: the values a request may name."""
    library = request.app.state.library
    return Catalogue(
        medicines=[
            MedicineEntry(
                id=m.id,
                name=m.name,
                languages=[
                    LanguageEntry(
                        code=e.language.code,
                        name=e.language.name,
                        direction=e.language.direction,  # type: ignore[arg-type]
                        medicine_name=e.medicine_name,
                        status=e.status,  # type: ignore[arg-type]
                        revised=e.revised.isoformat(),
                    )
                    for e in m.editions
                ],
            )
            for m in listing.medicines(library)
        ],
        levels=list(LEVELS),
        papers=["letter", "a4"],
        layouts=listing.layouts(library),
    )


@health.get("/healthz", summary="Is the service up (no token needed)", response_model=Health)
async def healthz(request: Request) -> Health:
    return Health(status="ok", version=__version__, workers=request.app.state.renderers.count)


async def invalid_request(request: Request, exc: Exception) -> JSONResponse:
    """pydantic's errors in the API's shape: the field, what is wrong, and for a body that
    is not JSON the line and column where reading it stopped."""
    assert isinstance(exc, RequestValidationError)
    found: list[Problem] = []
    status = 422
    for error in exc.errors():
        where = [str(part) for part in error.get("loc", ()) if part != "body"]
        if error.get("type") == "json_invalid":
            status = 400
            line, column = _position(await request.body(), error.get("loc", ("body", 0))[-1])
            reason = error.get("ctx", {}).get("error", "")
            found.append(
                Problem(
                    file="request",
                    line=line,
                    column=column,
                    key="",
                    message=f"the body is not valid JSON: {reason}",
                    hint='send a JSON object, e.g. {"medicine": "baclofen", "lang": "es"}',
                )
            )
            continue
        key = ".".join(where)
        found.append(Problem(file="request", line=0, column=0, key=key, message=_plain(error), hint=_hint(key)))
    return error_response(status, ErrorReport(errors=found))


def _position(body: bytes, offset: object) -> tuple[int, int]:
    if not isinstance(offset, int):
        return 0, 0
    before = body[:offset].decode("utf-8", "replace")
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


def _plain(error: Any) -> str:
    """pydantic's message, with the value quoted (clipped) when there is one."""
    message = str(error.get("msg", "invalid"))
    if error.get("type") == "missing":
        return "this field is required"
    if error.get("type") == "extra_forbidden":
        return "unknown field"
    given = error.get("input")
    if isinstance(given, str):
        return f"'{clip(given)}': {message[0].lower()}{message[1:]}"
    return message


def _hint(key: str) -> str:
    return {
        "medicine": "a medicine id from GET /api/v1/medicines, e.g. baclofen",
        "lang": "a language code from GET /api/v1/medicines, e.g. en, es, zh-Hans",
        "brand": "a brand's name in the content library, not a file path",
        "layout": "a layout's name in the content library, e.g. essentials",
    }.get(key, "")


async def internal_error(request: Request, exc: Exception) -> JSONResponse:
    """A bug, not bad input: the API's shape still, and no detail (the server's log has the
    traceback)."""
    report = request_problem("the service failed to make this answer; the server's log says why", hint="try again")
    return error_response(500, report)


async def http_error(request: Request, exc: Exception) -> JSONResponse:
    """Starlette's HTTP errors (404, 405, 401, 408, 413) in the API's shape."""
    assert isinstance(exc, HTTPException)
    return error_response(exc.status_code, request_problem(str(exc.detail)), dict(exc.headers or {}))
