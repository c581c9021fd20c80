"""The AsyncAPI 3.0 document of every topic, built from the contracts and topic specs.

Committed as `contracts/asyncapi.yaml` and served by each service at `/asyncapi.yaml` and
`/asyncapi.json`, so a partner builds a client from the document alone: topic names,
keys, partitions, retention, CloudEvents headers and payload schemas.
"""

from __future__ import annotations

from typing import Any

from shared.contracts.cloudevents import ce_source, ce_type, dataschema
from shared.contracts.envelope import TRACEPARENT_PATTERN
from shared.contracts.registry import CONTRACTS
from shared.contracts.schemas import payload_schema, source_of
from shared.contracts.topics import (
    DEAD_LETTER_RETENTION_MS,
    EVENT_RETENTION_MS,
    EVENT_TOPICS,
    PARTITIONS,
    PROVIDER_TOPIC_TEMPLATE,
    TopicSpec,
    dead_letter_topic,
)

ASYNCAPI_VERSION = "3.0.0"
DOCUMENT_VERSION = "1.0.0"
KAFKA_BINDING = "0.5.0"


def _header(description: str, **extra: Any) -> dict[str, Any]:
    return {"type": "string", "description": description, **extra}


def cloudevents_headers() -> dict[str, Any]:
    """Kafka headers of every message (CloudEvents 1.0, binary content mode)."""
    required = [
        "ce_specversion",
        "ce_id",
        "ce_source",
        "ce_type",
        "ce_subject",
        "ce_time",
        "ce_dataschema",
        "ce_partitionkey",
        "ce_sequence",
        "ce_logposition",
        "ce_recordedtime",
        "ce_actorid",
        "ce_actorrole",
        "ce_actororganisation",
        "content-type",
    ]
    return {
        "type": "object",
        "required": required,
        "properties": {
            "ce_specversion": _header("CloudEvents version", const="1.0"),
            "ce_id": _header(
                "Event id: stable across re-publishes; de-duplicate on it", format="uuid"
            ),
            "ce_source": _header("Publishing service", examples=[ce_source("visitation")]),
            "ce_type": _header(
                "Contract and version: dk.bum.<source>.<EventType>.v<N>",
                examples=[ce_type("visitation", "AfgoerelseTruffet", 1)],
            ),
            "ce_subject": _header("Case id (sag_id)", format="uuid"),
            "ce_time": _header("When it happened in the world", format="date-time"),
            "ce_dataschema": _header(
                "URN of the payload's JSON Schema",
                examples=[dataschema("AfgoerelseTruffet", 1)],
            ),
            "ce_partitionkey": _header("Partitioning extension: the case id (= message key)"),
            "ce_sequence": _header(
                "Sequence extension: 1, 2, 3 ... per case on this topic, without gaps, "
                "zero-padded to 20 digits. Apply n only after n-1; n at or below what you "
                "have is a redelivery.",
                pattern="^[0-9]{20}$",
            ),
            "ce_logposition": _header("Position in the publisher's event log (increasing)"),
            "ce_recordedtime": _header("When the publisher stored it", format="date-time"),
            "ce_actorid": _header("Who caused it (person or system id)"),
            "ce_actorrole": _header("The actor's role", examples=["visitator"]),
            "ce_actororganisation": _header("The actor's organisation"),
            "ce_legalbasis": _header(
                "Legal basis, when there is one", examples=["Serviceloven § 83"]
            ),
            "ce_traceparent": _header(
                "Distributed-tracing extension: the W3C trace context of the command that "
                "caused the event, when it was traced; the same on every re-publish",
                pattern=TRACEPARENT_PATTERN,
                examples=["00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"],
            ),
            "traceparent": _header(
                "W3C trace context of the publisher's send, when tracing is on: continue "
                "the trace from here (ce_traceparent when absent)",
                pattern=TRACEPARENT_PATTERN,
            ),
            "content-type": _header("Payload encoding", const="application/json"),
        },
    }


def _embed(node: Any, schemas: dict[str, Any]) -> Any:
    """Move a standalone schema's `$defs` into components/schemas and point its refs there."""
    if isinstance(node, list):
        return [_embed(v, schemas) for v in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key == "$defs":
            for name, definition in value.items():
                schemas[name] = _embed(definition, schemas)
        elif key == "$ref" and value.startswith("#/$defs/"):
            out[key] = "#/components/schemas/" + value.removeprefix("#/$defs/")
        elif key not in ("$schema", "$id"):
            out[key] = _embed(value, schemas)
    return out


def _message_name(event_type: str, version: int) -> str:
    return f"{event_type}V{version}"


def _contracts_of(source: str) -> list[tuple[str, int]]:
    return [key for key in sorted(CONTRACTS) if source_of(*key) == source]


def _channel_id(spec: TopicSpec, dead_letters: bool = False) -> str:
    return f"{spec.publisher}{'DeadLetters' if dead_letters else 'Events'}"


def _bindings(partitions: int, retention_ms: int) -> dict[str, Any]:
    return {
        "kafka": {
            "partitions": partitions,
            "topicConfiguration": {
                "cleanup.policy": ["delete"],
                "retention.ms": retention_ms,
            },
            "bindingVersion": KAFKA_BINDING,
        }
    }


def build_document() -> dict[str, Any]:
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    for spec in EVENT_TOPICS:
        refs = {}
        for event_type, version in _contracts_of(spec.publisher):
            name = _message_name(event_type, version)
            schema = payload_schema(event_type, version)
            schema_name = f"{event_type}.v{version}"
            schemas[schema_name] = _embed(schema, schemas)
            messages[name] = {
                "name": name,
                "title": f"{event_type} v{version}",
                "summary": (schema.get("description") or event_type).splitlines()[0],
                "contentType": "application/json",
                "headers": {"$ref": "#/components/schemas/CloudEventsHeaders"},
                "payload": {"$ref": f"#/components/schemas/{schema_name}"},
                "correlationId": {"location": "$message.header#/ce_subject"},
                "bindings": {
                    "kafka": {
                        "key": {"type": "string", "format": "uuid", "description": "case id"},
                        "bindingVersion": KAFKA_BINDING,
                    }
                },
            }
            refs[name] = {"$ref": f"#/components/messages/{name}"}
        channel = _channel_id(spec)
        channels[channel] = {
            "address": spec.name,
            "title": spec.name,
            "description": spec.description,
            "messages": refs,
            "bindings": _bindings(spec.partitions, spec.retention_ms),
        }
        operations[f"publish{channel[0].upper()}{channel[1:]}"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{channel}"},
            "messages": [{"$ref": f"#/channels/{channel}/messages/{m}"} for m in refs],
        }
        dlt = _channel_id(spec, dead_letters=True)
        channels[dlt] = {
            "address": dead_letter_topic(spec.name),
            "title": dead_letter_topic(spec.name),
            "description": (
                "Messages a consumer could not process, unchanged, with headers "
                "bum-dlt-original-topic, -partition, -offset, -consumer-group, -error and "
                "-attempts. Re-driven to the original topic after a fix, for the consumer "
                "group that dead-lettered them only (header bum-redrive-group)."
            ),
            "messages": dict(refs),
            "bindings": _bindings(spec.partitions, DEAD_LETTER_RETENTION_MS),
        }
    provider_refs = {
        _message_name(t, v): {"$ref": f"#/components/messages/{_message_name(t, v)}"}
        for t, v in _contracts_of("provider")
        if "leverandoer_id" in payload_schema(t, v).get("properties", {})
    }
    channels["providerOwnEvents"] = {
        "address": PROVIDER_TOPIC_TEMPLATE,
        "title": "One provider's own events",
        "description": (
            "The provider service's events that concern one leverandør (its orders, plans, "
            "deliveries, cancellations, replacements and change reports), and nothing of any "
            "other provider: grant a private provider's system this topic only. Same messages, "
            "ids and CloudEvents attributes as on bum.provider.events.v1; ce_sequence counts "
            "per case on this topic."
        ),
        "parameters": {
            "leverandoer_id": {
                "description": "the provider's id, e.g. omsorg-plus-aps",
                "examples": ["omsorg-plus-aps"],
            }
        },
        "messages": provider_refs,
        "bindings": _bindings(PARTITIONS, EVENT_RETENTION_MS),
    }
    operations["publishProviderOwnEvents"] = {
        "action": "send",
        "channel": {"$ref": "#/channels/providerOwnEvents"},
        "messages": [{"$ref": f"#/channels/providerOwnEvents/messages/{m}"} for m in provider_refs],
    }
    schemas["CloudEventsHeaders"] = cloudevents_headers()
    return {
        "asyncapi": ASYNCAPI_VERSION,
        "info": {
            "title": "BUM hjemmepleje: public events",
            "version": DOCUMENT_VERSION,
            "description": (
                "Events of the visitation (myndighed) and provider (leverandør) services. "
                "CloudEvents 1.0 in Kafka binary content mode: attributes in ce_* headers, "
                "the payload as JSON value, the case id as key. Payload schemas are open: "
                "ignore properties you do not know. Citizens appear only as pseudonymous "
                "borger_id, never by CPR number or name."
            ),
        },
        "defaultContentType": "application/json",
        "servers": {
            "production": {
                "host": "kafka:9092",
                "protocol": "kafka",
                "description": "Apache Kafka (KRaft), see docker-compose.yml",
            },
            "local": {
                "host": "127.0.0.1:19092",
                "protocol": "kafka",
                "description": "Tansu broker started by make run",
            },
        },
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": schemas},
    }
