"""uvicorn started for ``handouts serve``: one front process (HTTP, the event loop) and
``--workers`` renderer processes behind it (``renderer``).

uvicorn's own access log is off: it prints the query string. ``guards.AccessLog`` prints
method, path and status instead.
"""

from __future__ import annotations

import logging

import uvicorn

from .app import create_app
from .protocol import DeadlineH11Protocol
from .settings import Settings

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
MAX_CONNECTIONS = 256  # beyond this uvicorn answers 503 at once instead of queueing


def serve(settings: Settings) -> None:
    settings.check()
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    config = uvicorn.Config(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        http=DeadlineH11Protocol,
        access_log=False,
        log_config=None,  # keep basicConfig's format for uvicorn's own lines
        timeout_keep_alive=settings.idle_timeout,
        limit_concurrency=MAX_CONNECTIONS,
        server_header=False,
    )
    uvicorn.Server(config).run()
