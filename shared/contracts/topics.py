"""Topics: one per publishing service, plus its dead-letter topic. The key is always the case
id (sag_id), so all events of one case stay in one partition and in order.

Kafka retention is *not* the audit trail: the event stores are. A partner that was away
longer than the retention catches up through the REST endpoint `/public-events`.
"""

from __future__ import annotations

from dataclasses import dataclass

VISITATION_EVENTS_TOPIC = "bum.visitation.events.v1"
PROVIDER_EVENTS_TOPIC = "bum.provider.events.v1"

PARTITIONS = 4
EVENT_RETENTION_MS = 30 * 24 * 3600 * 1000  # 30 days
DEAD_LETTER_RETENTION_MS = 90 * 24 * 3600 * 1000  # long enough to fix and re-drive


def dead_letter_topic(topic: str) -> str:
    return f"{topic}.dlt"


@dataclass(frozen=True)
class TopicSpec:
    name: str
    publisher: str
    description: str
    partitions: int = PARTITIONS
    retention_ms: int = EVENT_RETENTION_MS


EVENT_TOPICS = (
    TopicSpec(
        VISITATION_EVENTS_TOPIC,
        "visitation",
        "Myndighedens hændelser: ansøgninger, funktionsvurderinger, afgørelser, "
        "leverandørskift, ophør og klager.",
    ),
    TopicSpec(
        PROVIDER_EVENTS_TOPIC,
        "provider",
        "Leverandørernes hændelser: bestillinger, besøgsplaner, leverancer, aflysninger, "
        "ændringsindberetninger og svigtende levering.",
    ),
)


def topic_of(source: str) -> TopicSpec:
    return next(t for t in EVENT_TOPICS if t.publisher == source)


def topic_config(name: str) -> dict[str, str]:
    """Kafka topic configuration for a topic we create (as documented in AsyncAPI)."""
    for spec in EVENT_TOPICS:
        if name == spec.name:
            return {"cleanup.policy": "delete", "retention.ms": str(spec.retention_ms)}
        if name == dead_letter_topic(spec.name):
            return {"cleanup.policy": "delete", "retention.ms": str(DEAD_LETTER_RETENTION_MS)}
    return {}
