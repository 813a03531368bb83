"""uvicorn's HTTP/1.1 protocol (h11) with a deadline for clients that send nothing.

uvicorn times out an idle keep-alive connection, but not a new connection that never
completes its request headers: a client that connects and stays silent (or sends a byte
now and then) would hold a connection open for ever, and enough of them take every one
the server has. Here a connection must complete a request's headers within
``timeout_keep_alive`` seconds of opening, or of its previous answer, or it is closed.
A request whose *body* stalls is answered 408 by ``guards.BodyLimits``.
"""

from __future__ import annotations

import asyncio

from uvicorn.protocols.http.h11_impl import H11Protocol


class DeadlineH11Protocol(H11Protocol):
    _deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        super().connection_lost(exc)

    def _arm(self) -> None:
        """Close the connection unless a new request has started by the deadline
        (uvicorn makes a new ``cycle`` for each request whose headers are complete)."""
        if self._deadline is not None:
            self._deadline.cancel()
        waiting_since = self.cycle
        self._deadline = self.loop.call_later(self.timeout_keep_alive, self._expire, waiting_since)

    def _expire(self, waiting_since: object) -> None:
        if self.cycle is waiting_since and not self.transport.is_closing():
            self.transport.close()
