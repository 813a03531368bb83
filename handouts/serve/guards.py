"""What every request passes through before a route sees it: a size and a time limit on
its body, a rate limit per client, security headers on its answer, and one line in the
access log that holds no patient data.

These are plain ASGI middlewares (no per-request objects beyond a wrapped ``receive``),
so the 17-40 ms a warm renderer needs is not eaten by the front.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import time
from collections import OrderedDict
from dataclasses import dataclass

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

ACCESS = logging.getLogger("handouts.serve.access")
CLIENTS_KEPT = 10_000  # rate-limit buckets; the least recently seen client is forgotten first


class BodyLimits:
    """A body larger than ``max_body`` bytes gets 413 and is not read further; a client
    that stops sending its body for ``idle_timeout`` seconds gets 408. Both are raised as
    HTTPException from ``receive``, so they reach the app's error handler, whichever route
    was reading."""

    def __init__(self, app: ASGIApp, max_body: int, idle_timeout: float):
        self.app, self.max_body, self.idle_timeout = app, max_body, idle_timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body):
            await _plain_error(send, 413, f"the request body is larger than {self.max_body} bytes")
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            try:
                message = await asyncio.wait_for(receive(), self.idle_timeout)
            except asyncio.TimeoutError:
                raise HTTPException(408, f"no data for {self.idle_timeout:g} s: the request was dropped") from None
            seen += len(message.get("body", b""))
            if seen > self.max_body:
                raise HTTPException(413, f"the request body is larger than {self.max_body} bytes")
            return message

        await self.app(scope, limited, send)


@dataclass
class _Bucket:
    tokens: float
    stamp: float


class RateLimit:
    """A token bucket per client address: ``burst`` requests at once, then ``rate`` per
    second; beyond that 429 with Retry-After. The health check is never limited (a load
    balancer polls it)."""

    def __init__(self, app: ASGIApp, rate: float, burst: int, exempt: frozenset[str]):
        self.app, self.rate, self.burst, self.exempt = app, rate, burst, exempt
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.rate <= 0 or scope["path"] in self.exempt:
            await self.app(scope, receive, send)
            return
        wait = self._take(scope["client"][0] if scope.get("client") else "")
        if wait > 0:
            retry = {"Retry-After": str(math.ceil(wait))}
            await _plain_error(send, 429, "too many requests from this client; wait and try again", retry)
            return
        await self.app(scope, receive, send)

    def _take(self, client: str) -> float:
        """0 when the client may go on, else the seconds until it may."""
        now = time.monotonic()
        bucket = self._buckets.pop(client, None) or _Bucket(float(self.burst), now)
        bucket.tokens = min(float(self.burst), bucket.tokens + (now - bucket.stamp) * self.rate)
        bucket.stamp = now
        self._buckets[client] = bucket  # most recently seen last
        while len(self._buckets) > CLIENTS_KEPT:
            self._buckets.popitem(last=False)
        if bucket.tokens < 1:
            return (1 - bucket.tokens) / self.rate
        bucket.tokens -= 1
        return 0.0


class AccessLog:
    """One line per request: method, path, status, milliseconds. Never the query string,
    the body or a header: a dose plan or a patient's name must not reach a log file.
    (uvicorn's own access log prints the query string, so ``run`` turns it off.)"""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the client sees if the app fails before answering

        async def noting(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, noting)
        finally:
            ms = (time.perf_counter() - started) * 1000
            ACCESS.info("%s %s %d %.0f ms", scope["method"], scope["path"], status, ms)


# Every answer: no sniffing, no framing, no referrer beyond this site, and a CSP that allows the page's
# own stylesheet and the preview image (a data: URL) and nothing else: no script runs. A response that sets
# one of these itself keeps its own (an HTML handout's CSP allows its inline style; it has no script either).
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),  # not no-referrer: with it a browser sends "Origin: null" on POST
    (b"x-frame-options", b"DENY"),
    (
        b"content-security-policy",
        b"default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
        b"frame-ancestors 'none'; base-uri 'none'",
    ),
]


class SecurityHeaders:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def adding(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                own = {name.lower() for name, _ in headers}  # a handout's own CSP stays: two CSPs both apply
                message["headers"] = headers + [(n, v) for n, v in SECURITY_HEADERS if n not in own]
            await send(message)

        await self.app(scope, receive, adding)


async def _plain_error(send: Send, status: int, message: str, headers: dict[str, str] | None = None) -> None:
    """An error answered before the app ran, in the API's error shape (``api.ErrorReport``)."""
    body = json.dumps({"errors": [{"file": "request", "line": 0, "column": 0, "message": message, "hint": ""}]})
    extra = [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"connection", b"close"), *extra],
        }
    )
    await send({"type": "http.response.body", "body": body.encode()})
