"""CloudEvents 1.0 on Kafka, binary content mode: the attributes in `ce_*` headers, the
contract payload (`data`) as the message value.

A partner needs neither our code nor our envelope model to de-duplicate and order:
- `ce_id` is the event id, stable across every re-publish;
- `ce_subject` and `ce_partitionkey` are the case id (also the Kafka key);
- `ce_sequence` (CloudEvents sequence extension) numbers one case's events from one source
  on one topic 1, 2, 3 ..., zero-padded to 20 digits so that it orders lexicographically
  as the extension requires;
- `ce_type` names contract and version, `ce_dataschema` the JSON Schema the value obeys.

The remaining envelope fields travel as extension attributes (lower-case names of at most
20 characters, as the specification recommends): `ce_recordedtime`, `ce_logposition`,
`ce_actorid`, `ce_actorrole`, `ce_actororganisation`, `ce_legalbasis`, and, when the
command that caused the event was traced, `ce_traceparent` (the distributed-tracing
extension: the W3C trace context of that command, the same on every re-publish).

The same event in CloudEvents *structured* JSON (`structured()`) is what the catch-up REST
endpoints page, so what a late partner reads there equals what was published.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import ValidationError

from shared.contracts.envelope import TRACEPARENT_PATTERN, Actor, PublicEvent

SPECVERSION = "1.0"
CONTENT_TYPE = "application/json"
_TYPE = re.compile(r"^dk\.bum\.(?P<source>[a-z]+)\.(?P<name>[A-Za-z0-9]+)\.v(?P<version>[0-9]+)$")
_SOURCE_PREFIX = "urn:bum:service:"

Headers = list[tuple[str, bytes]]


class InvalidCloudEvent(ValueError):
    """A message that is not one of our CloudEvents (missing or malformed attributes)."""


def ce_type(source: str, event_type: str, schema_version: int) -> str:
    return f"dk.bum.{source}.{event_type}.v{schema_version}"


def ce_source(source: str) -> str:
    return f"{_SOURCE_PREFIX}{source}"


def dataschema(event_type: str, schema_version: int) -> str:
    """The schema's URN; the file is `contracts/schemas/<event_type>.v<version>.json` in the
    repository and `/contracts/schemas/<event_type>.v<version>.json` on every service."""
    return f"urn:bum:schema:{event_type}:v{schema_version}"


def sequence_text(case_sequence: int) -> str:
    return f"{case_sequence:020d}"


def attributes(event: PublicEvent) -> dict[str, str]:
    """The CloudEvents context attributes of an event (without `data`)."""
    attrs = {
        "specversion": SPECVERSION,
        "id": str(event.event_id),
        "source": ce_source(event.source),
        "type": ce_type(event.source, event.event_type, event.schema_version),
        "subject": str(event.case_id),
        "time": event.occurred_at.isoformat(),
        "dataschema": dataschema(event.event_type, event.schema_version),
        "partitionkey": str(event.case_id),
        "sequence": sequence_text(event.case_sequence),
        "logposition": str(event.sequence),
        "recordedtime": event.recorded_at.isoformat(),
        "actorid": event.actor.id,
        "actorrole": event.actor.rolle,
        "actororganisation": event.actor.organisation,
    }
    if event.legal_basis is not None:
        attrs["legalbasis"] = event.legal_basis
    if event.traceparent is not None:
        attrs["traceparent"] = event.traceparent
    return attrs


def to_kafka(event: PublicEvent) -> tuple[bytes, bytes, Headers]:
    """Key, value and headers of the Kafka message for an event (binary content mode)."""
    headers = [(f"ce_{k}", v.encode()) for k, v in attributes(event).items()]
    headers.append(("content-type", CONTENT_TYPE.encode()))
    value = json.dumps(event.data, ensure_ascii=False, separators=(",", ":")).encode()
    return str(event.case_id).encode(), value, headers


def structured(event: PublicEvent) -> dict[str, Any]:
    """The event in CloudEvents structured JSON format."""
    return {**attributes(event), "datacontenttype": CONTENT_TYPE, "data": event.data}


def _traceparent(value: str | None) -> str | None:
    """A malformed trace context is ignored (as W3C Trace Context says), never a reason to
    refuse the event."""
    return value if value is not None and re.match(TRACEPARENT_PATTERN, value) else None


def from_attributes(attrs: dict[str, str], data: Any) -> PublicEvent:
    """Rebuild the envelope from CloudEvents attributes; raises InvalidCloudEvent."""
    try:
        if attrs["specversion"] != SPECVERSION:
            raise InvalidCloudEvent(f"specversion {attrs['specversion']!r} is not {SPECVERSION}")
        match = _TYPE.match(attrs["type"])
        if match is None:
            raise InvalidCloudEvent(f"type {attrs['type']!r} is not dk.bum.<source>.<Name>.v<N>")
        source = match["source"]
        if attrs["source"] != ce_source(source):
            raise InvalidCloudEvent(f"source {attrs['source']!r} does not match type")
        if not isinstance(data, dict):
            raise InvalidCloudEvent("data is not a JSON object")
        return PublicEvent(
            event_id=UUID(attrs["id"]),
            event_type=match["name"],
            schema_version=int(match["version"]),
            source=source,
            case_id=UUID(attrs["subject"]),
            sequence=int(attrs["logposition"]),
            case_sequence=int(attrs["sequence"]),
            occurred_at=datetime.fromisoformat(attrs["time"]),
            recorded_at=datetime.fromisoformat(attrs["recordedtime"]),
            actor=Actor(
                id=attrs["actorid"],
                rolle=attrs["actorrole"],
                organisation=attrs["actororganisation"],
            ),
            legal_basis=attrs.get("legalbasis"),
            data=data,
            traceparent=_traceparent(attrs.get("traceparent")),
        )
    except KeyError as missing:
        raise InvalidCloudEvent(f"attribute {missing.args[0]!r} is missing") from None
    except (ValidationError, ValueError) as bad:
        if isinstance(bad, InvalidCloudEvent):
            raise
        raise InvalidCloudEvent(f"malformed attribute: {bad}") from None


def from_kafka(headers: Iterable[tuple[str, bytes]] | None, value: bytes | None) -> PublicEvent:
    """Decode a binary-mode Kafka message; raises InvalidCloudEvent."""
    try:
        attrs = {k[3:]: v.decode() for k, v in (headers or []) if k.startswith("ce_")}
        data = json.loads(value or b"")
    except (UnicodeDecodeError, json.JSONDecodeError) as bad:
        raise InvalidCloudEvent(f"undecodable message: {bad}") from None
    return from_attributes(attrs, data)
