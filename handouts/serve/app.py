"""The service assembled: the API, the page, the guards around both, and the renderer
processes started with the app and stopped with it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException

from .. import __version__
from ..library import Library
from . import api, page
from .guards import AccessLog, BodyLimits, RateLimit, SecurityHeaders
from .renderer import Renderers
from .settings import Settings

DESCRIPTION = """Patient handouts (PDF) for pharmacy systems: the same handout, byte for byte,
as `handouts build` makes. Errors are JSON (`ErrorReport`): each names the file, line and
column at fault, what is wrong and how to fix it. When the service listens beyond
127.0.0.1, every `/api/v1` call needs `Authorization: Bearer $HANDOUTS_API_TOKEN`."""


async def internal_error(request: Request, exc: Exception) -> Response:
    """A bug's answer: a page for a person at the form, the API's JSON for everything else."""
    if request.url.path == "/":
        return page.internal_error(request, exc)
    return await api.internal_error(request, exc)


def create_app(settings: Settings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        renderers = Renderers(settings.workers, settings.content)
        app.state.renderers = renderers
        try:
            await renderers.ready()
            yield
        finally:
            renderers.close()

    app = FastAPI(
        title="handouts",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # the interactive docs load scripts from a CDN: not on a clinic's network
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.library = Library.with_content(settings.content)  # the lists; renderers keep their own
    app.include_router(api.router)
    app.include_router(api.health)
    app.include_router(page.router)
    app.add_exception_handler(RequestValidationError, api.invalid_request)
    app.add_exception_handler(HTTPException, api.http_error)
    app.add_exception_handler(Exception, internal_error)
    # added innermost first: the access log sees every answer, rate-limited ones too
    app.add_middleware(BodyLimits, max_body=settings.max_body, idle_timeout=settings.idle_timeout)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(RateLimit, rate=settings.rate, burst=settings.burst, exempt=frozenset({"/api/v1/healthz"}))
    app.add_middleware(AccessLog)
    return app
