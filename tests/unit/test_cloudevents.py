"""The CloudEvents binary-mode codec: what partners read from the headers and the value."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import pytest

from shared.contracts import Actor, PublicEvent
from shared.contracts.cloudevents import InvalidCloudEvent, from_kafka, structured, to_kafka


def event(**changes: object) -> PublicEvent:
    base = PublicEvent(
        event_id=uuid.uuid4(),
        event_type="KlageOprettet",
        schema_version=1,
        source="visitation",
        case_id=uuid.uuid4(),
        sequence=17,
        case_sequence=4,
        occurred_at=datetime(2026, 11, 2, 9, 30, tzinfo=UTC),
        recorded_at=datetime(2026, 11, 2, 9, 31, tzinfo=UTC),
        actor=Actor(id="borger", rolle="borger", organisation="herlev"),
        legal_basis="Retssikkerhedsloven §§ 60 og 66-67",
        data={"beskrivelse": "Jeg kan ikke selv gøre rent."},
    )
    return base.model_copy(update=changes)


def test_round_trip_through_headers_and_value() -> None:
    e = event()
    key, value, headers = to_kafka(e)
    assert key == str(e.case_id).encode()
    h = dict(headers)
    assert h["ce_specversion"] == b"1.0"
    assert h["ce_id"] == str(e.event_id).encode()
    assert h["ce_type"] == b"dk.bum.visitation.KlageOprettet.v1"
    assert h["ce_source"] == b"urn:bum:service:visitation"
    assert h["ce_subject"] == h["ce_partitionkey"] == key
    assert h["ce_sequence"] == b"00000000000000000004"
    assert h["ce_dataschema"] == b"urn:bum:schema:KlageOprettet:v1"
    assert h["content-type"] == b"application/json"
    assert json.loads(value) == e.data  # binary mode: the value is the payload alone
    assert from_kafka(headers, value) == e


def test_structured_form_carries_the_same_attributes() -> None:
    e = event(legal_basis=None)
    doc = structured(e)
    assert doc["id"] == str(e.event_id) and doc["data"] == e.data
    assert "legalbasis" not in doc
    _key, _value, headers = to_kafka(e)
    assert {k[3:]: v.decode() for k, v in headers if k.startswith("ce_")} == {
        k: v for k, v in doc.items() if k not in ("data", "datacontenttype")
    }


@pytest.mark.parametrize(
    ("headers", "value"),
    [
        ([], b"{}"),
        (None, b"\x00not json"),
        ([("ce_specversion", b"0.3")], b"{}"),
        ([("ce_type", b"\xff")], b"{}"),
    ],
)
def test_garbage_is_refused_with_a_clear_error(
    headers: list[tuple[str, bytes]] | None, value: bytes
) -> None:
    with pytest.raises(InvalidCloudEvent):
        from_kafka(headers, value)


def test_a_wrong_type_or_source_is_refused() -> None:
    _key, value, headers = to_kafka(event())
    for name, bad in [("ce_type", b"com.example.Other"), ("ce_source", b"urn:bum:service:x")]:
        changed = [(k, bad if k == name else v) for k, v in headers]
        with pytest.raises(InvalidCloudEvent):
            from_kafka(changed, value)
    with pytest.raises(InvalidCloudEvent):
        from_kafka(headers, b"[1, 2]")
