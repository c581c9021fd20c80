"""Unit tests of the supervision domain: Sagsforloeb, tilsyn's copy of a case's history."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from services.supervision.domain.sagsforloeb import Sagsforloeb


def haendelse(
    event_id: str, recorded_at: str, source: str, sequence: int, **extra: Any
) -> dict[str, Any]:
    return {
        "event_id": event_id,
        "recorded_at": recorded_at,
        "source": source,
        "sequence": sequence,
        "event_type": "Test",
        **extra,
    }


def nyt_forloeb() -> Sagsforloeb:
    sag_id = str(uuid4())
    forloeb = Sagsforloeb(sag_id=sag_id)
    assert str(forloeb.id) == sag_id
    assert forloeb.id == Sagsforloeb.create_id(sag_id)
    forloeb.collect_events()
    return forloeb


def test_records_each_event_once() -> None:
    forloeb = nyt_forloeb()
    h = haendelse("e-1", "2024-03-04T10:00:00+00:00", "visitation", 1, data={"x": 1})
    forloeb.registrer(h)
    forloeb.registrer(dict(h))
    forloeb.registrer({**h, "data": {"x": 2}})  # a redelivery with the same id
    events = forloeb.collect_events()
    assert [type(e) for e in events] == [Sagsforloeb.HaendelseRegistreret]
    assert events[0].haendelse == h
    assert forloeb.haendelser == [h]


def test_different_event_ids_are_all_recorded() -> None:
    forloeb = nyt_forloeb()
    for i in range(3):
        forloeb.registrer(haendelse(f"e-{i}", "2024-03-04T10:00:00+00:00", "visitation", i))
    assert len(forloeb.collect_events()) == 3
    assert [h["event_id"] for h in forloeb.haendelser] == ["e-0", "e-1", "e-2"]


def test_dedup_survives_replay() -> None:
    forloeb = Sagsforloeb(sag_id=str(uuid4()))
    h = haendelse("e-1", "2024-03-04T10:00:00+00:00", "visitation", 1)
    forloeb.registrer(h)
    copy: Sagsforloeb | None = None
    for e in forloeb.collect_events():
        copy = e.mutate(copy)
    assert copy is not None
    assert copy.haendelser == [h]
    copy.registrer(dict(h))
    assert copy.collect_events() == []
    assert copy.haendelser == [h]


def test_historik_orders_by_recorded_at_then_source_then_sequence() -> None:
    forloeb = nyt_forloeb()
    incoming = [
        haendelse("p-2", "2024-03-05T08:00:00+00:00", "provider", 2),
        haendelse("v-3", "2024-03-05T08:00:00+00:00", "visitation", 3),
        haendelse("p-1", "2024-03-05T08:00:00+00:00", "provider", 1),
        haendelse("v-1", "2024-03-04T09:00:00+00:00", "visitation", 1),
        haendelse("s-1", "2024-03-06T08:00:00+00:00", "supervision", 1),
        haendelse("v-2", "2024-03-04T12:00:00+00:00", "visitation", 2),
    ]
    for h in incoming:
        forloeb.registrer(h)
    assert [h["event_id"] for h in forloeb.historik()] == ["v-1", "v-2", "p-1", "p-2", "v-3", "s-1"]
    # historik() is a view: the record keeps arrival order.
    assert [h["event_id"] for h in forloeb.haendelser] == [h["event_id"] for h in incoming]


def test_historik_compares_instants_not_strings() -> None:
    forloeb = nyt_forloeb()
    # 10:00+01:00 is 09:00 UTC, earlier than 09:30 UTC although it sorts later as text.
    forloeb.registrer(haendelse("utc", "2024-03-04T09:30:00+00:00", "visitation", 1))
    forloeb.registrer(haendelse("cet", "2024-03-04T10:00:00+01:00", "provider", 1))
    forloeb.registrer(haendelse("zulu", "2024-03-04T09:15:00Z", "visitation", 2))
    assert [h["event_id"] for h in forloeb.historik()] == ["cet", "zulu", "utc"]


def test_historik_sequence_is_numeric() -> None:
    forloeb = nyt_forloeb()
    for seq in (10, 2, 1):
        forloeb.registrer(haendelse(f"v-{seq}", "2024-03-04T09:00:00+00:00", "visitation", seq))
    assert [h["sequence"] for h in forloeb.historik()] == [1, 2, 10]


def test_empty_history() -> None:
    assert nyt_forloeb().historik() == []
