"""A small load on ``handouts serve`` with 2 renderers: 96 requests from 8 concurrent
async clients, baclofen in 8 languages x 3 levels. No request fails, every PDF is whole,
and the same handout is the same bytes whichever renderer made it and whatever it made
before (benchmarks/bench_serve.py sends 1,000 and times them)."""

from __future__ import annotations

import asyncio
import io
import itertools
import random
from collections import defaultdict

import httpx
from pypdf import PdfReader
from servers import running

from handouts.schema import LEVELS

LANGS = ("en", "es", "ru", "vi", "zh-Hans", "ko", "ar", "hi")
REQUESTS = 96
CONCURRENCY = 8


def test_concurrent_requests_in_eight_languages_all_succeed_with_identical_bytes(tmp_path):
    mix = list(itertools.islice(itertools.cycle(itertools.product(LANGS, LEVELS)), REQUESTS))
    random.Random(17).shuffle(mix)
    todo = iter(mix)
    answers: dict[tuple[str, str], list[httpx.Response]] = defaultdict(list)

    async def client(url: str) -> None:
        async with httpx.AsyncClient(base_url=url, timeout=120) as http:
            for lang, level in todo:
                body = {"medicine": "baclofen", "lang": lang, "level": level}
                answers[lang, level].append(await http.post("/api/v1/handouts", json=body))

    with running(tmp_path, "--workers", "2", "--rate", "0") as server:
        assert len(server.renderers()) == 2

        async def load() -> None:
            await asyncio.gather(*(client(server.url) for _ in range(CONCURRENCY)))

        asyncio.run(load())

    assert sum(len(found) for found in answers.values()) == REQUESTS
    for (lang, level), found in answers.items():
        assert [a.status_code for a in found] == [200] * len(found), (lang, level)
        assert len({a.content for a in found}) == 1, f"{lang} {level}: the same request gave different bytes"
        reader = PdfReader(io.BytesIO(found[0].content))
        assert len(reader.pages) == int(found[0].headers["x-handout-pages"])
