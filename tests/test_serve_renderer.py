"""A renderer's warm-up: what it makes before it serves, and that a request for any
handout of the library then finds it laid out and prepared (a warm render)."""

from __future__ import annotations

import pytest

from handouts.build import Request
from handouts.library import Library
from handouts.schema import LEVELS
from handouts.serve import renderer
from handouts.serve.renderer import Made, Order, warm_up


def test_the_warm_up_makes_a_handout_in_each_language_first_then_every_level():
    library = Library.with_content(None)
    every = {(medicine, lang, level) for medicine, lang, _ in library.medicines() for level in LEVELS}
    languages = {lang for _, lang, _ in library.medicines()}
    assert len(languages) >= 8

    requests = warm_up(library, renderer.WARM_HANDOUTS)

    assert {(r.medicine, r.lang, r.level) for r in requests} == every
    assert len(requests) == len(every)
    assert {r.lang for r in requests[: len(languages)]} == languages


def test_the_warm_up_stops_at_its_limit_with_every_language_in_it():
    library = Library.with_content(None)
    languages = {lang for _, lang, _ in library.medicines()}

    requests = warm_up(library, most=len(languages) + 1)

    assert len(requests) == len(languages) + 1
    assert {r.lang for r in requests} == languages


def test_after_the_warm_up_every_handout_of_the_library_is_a_warm_render(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(renderer, "_WORKER", None)  # this process's renderer state, put back after
    renderer.start(None)
    worker = renderer._WORKER
    assert worker is not None
    kept = (len(worker.cache.paragraphs), len(worker.cache.shaped), len(worker.prepared))

    made = [renderer.make(Order(request)) for request in warm_up(worker.library, renderer.WARM_HANDOUTS)]

    assert all(isinstance(m, Made) and m.pages > 0 for m in made)
    # nothing new laid out, shaped or prepared: each request was made from what the warm-up kept
    assert (len(worker.cache.paragraphs), len(worker.cache.shaped), len(worker.prepared)) == kept
    assert len(worker.prepared) == len(made)


def test_a_request_outside_the_warm_up_is_laid_out_when_first_asked(monkeypatch: pytest.MonkeyPatch):
    """The check above can fail: a handout the warm-up left out adds its layouts."""
    monkeypatch.setattr(renderer, "WARM_HANDOUTS", 1)
    monkeypatch.setattr(renderer, "_WORKER", None)
    renderer.start(None)
    worker = renderer._WORKER
    assert worker is not None
    first = warm_up(worker.library, most=1)[0]
    other = next(r for r in warm_up(worker.library, 100) if r.lang != first.lang)
    before = len(worker.cache.paragraphs)

    renderer.make(Order(Request(other.medicine, other.lang, other.level)))

    assert len(worker.cache.paragraphs) > before
