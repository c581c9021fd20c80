"""Replay without the library's runtime Protocol check (shared/infra/repository.py)."""

from __future__ import annotations

import pytest
from eventsourcing.domain import Aggregate, event

from shared.infra.repository import projicer


class Taeller(Aggregate):
    def __init__(self) -> None:
        self.n = 0

    @event("Talt")
    def tael(self) -> None:
        self.n += 1


def test_projicer_replays_like_the_library() -> None:
    t = Taeller()
    t.tael()
    t.tael()
    kopi = projicer(None, t.collect_events())
    assert (kopi.id, kopi.version, kopi.n) == (t.id, 3, 2)


def test_projicer_refuses_what_is_not_an_aggregate_event() -> None:
    with pytest.raises(TypeError):
        projicer(None, [object()])
