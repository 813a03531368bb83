"""The line of orders waiting for a renderer, served earliest-due first: an order is due a
few of its own service times after it came.

Why not first come, first served: handouts differ in cost about 3x (English easy renders in
about 20 ms warm, Arabic detailed in about 55 ms). Served in arrival order, a short handout
behind three long ones waits 6-8 times its own cost, and a front desk asking for one leaflet
waits for a pharmacy system's long ones. Due-first with a due time proportional to the
order's own cost (earliest deadline first) gives every order about the same wait relative
to its size, and, unlike shortest-first, never starves a long one: its due time is fixed
when it comes, and every later order is due later than it sooner or later.

Why one line for all renderers, not one each: an order given to the renderer with the
fewest waiting when it comes can still wait there behind a long one while another renderer
goes idle; from one line, whichever renderer is free first takes the next order.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

SLACK = 5.0  # an order is due SLACK of its own service times after it came (benchmarks/bench_dispatch.py)
FIRST_GUESS = 0.05  # s: the cost of an order before any order has been timed (a warm handout: 20-60 ms)
KEEP = 0.3  # weight of the newest time in an estimate: follows a content change within a few orders
STALL = 2.0  # a time over STALL x the estimate counts as STALL x: one stall moves it by 30 % at most
KINDS = 1024  # kinds of order remembered; the least recently asked are forgotten first

T = TypeVar("T")  # what waits: an order
R = TypeVar("R")  # what its taker answers


class Costs:
    """What each kind of order has recently cost a renderer, in seconds.

    A kind is what decides the cost (medicine, language, level, print size, format, with
    a plan or not), never the plan itself: nothing personal is kept. A kind never timed
    is guessed at the typical cost of all orders so far.

    One order that took far longer than its kind usually does (the machine stalled the
    renderer for a second) must not push the next orders of that kind to the back of the
    line, five of those seconds later: a time is counted as at most STALL times the
    estimate. A real change (a longer handout after a content edit) is still followed,
    by up to 30 % per order."""

    def __init__(self) -> None:
        self._by_kind: OrderedDict[Hashable, float] = OrderedDict()
        self._typical = FIRST_GUESS

    def estimate(self, kind: Hashable) -> float:
        return self._by_kind.get(kind, self._typical)

    def record(self, kind: Hashable, seconds: float) -> None:
        known = self._by_kind.pop(kind, None)
        self._by_kind[kind] = seconds if known is None else _follow(known, seconds)
        if len(self._by_kind) > KINDS:
            self._by_kind.popitem(last=False)
        self._typical = _follow(self._typical, seconds)


def _follow(estimate: float, seconds: float) -> float:
    """The estimate moved KEEP of the way to ``seconds``, a stall counted as STALL x."""
    return estimate + KEEP * (min(seconds, STALL * estimate) - estimate)


@dataclass(order=True)
class _Waiting(Generic[T, R]):
    due: float
    number: int  # arrival order: of two orders due at once, the first to come goes first
    item: T = field(compare=False)
    future: asyncio.Future[R] = field(compare=False)


class Line(Generic[T, R]):
    """Orders waiting, taken earliest-due first. ``add`` returns the future its taker
    settles; an order whose future is already done (its client went away) is skipped."""

    def __init__(self, slack: float = SLACK):
        self.slack = slack
        self._heap: list[_Waiting[T, R]] = []
        self._numbers = itertools.count()
        self._more = asyncio.Event()

    def add(self, item: T, cost: float, now: float) -> asyncio.Future[R]:
        future: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._heap, _Waiting(now + self.slack * cost, next(self._numbers), item, future))
        self._more.set()
        return future

    async def take(self) -> tuple[T, asyncio.Future[R]]:
        """The next order still wanted, waiting for one if there is none."""
        while True:
            while not self._heap:
                self._more.clear()
                await self._more.wait()
            waiting = heapq.heappop(self._heap)
            if not waiting.future.done():
                return waiting.item, waiting.future

    def __len__(self) -> int:
        return len(self._heap)
