"""Topics: one per publishing service, plus its dead-letter topic. The key is always the case
id (sag_id), so all events of one case stay in one partition and in order.

Kafka retention is *not* the audit trail: the event stores are. A partner that was away
longer than the retention catches up through the REST endpoint `/public-events`.
"""

from __future__ import annotations

from dataclasses import dataclass

VISITATION_EVENTS_TOPIC = "bum.visitation.events.v1"
PROVIDER_EVENTS_TOPIC = "bum.provider.events.v1"
#: Reads of citizens' personal data, from every service that holds them (one key per case).
ADGANGSLOG_TOPIC = "bum.adgangslog.v1"

PARTITIONS = 4
EVENT_RETENTION_MS = 30 * 24 * 3600 * 1000  # 30 days
DEAD_LETTER_RETENTION_MS = 90 * 24 * 3600 * 1000  # long enough to fix and re-drive


def dead_letter_topic(topic: str) -> str:
    return f"{topic}.dlt"


@dataclass(frozen=True)
class TopicSpec:
    name: str
    #: The contracts on the topic: those of `shared/contracts/<publisher>.py`.
    publisher: str
    description: str
    partitions: int = PARTITIONS
    retention_ms: int = EVENT_RETENTION_MS
    #: The services that publish there (each with its own ce_source), when not `publisher`.
    sources: tuple[str, ...] = ()

    @property
    def udgivere(self) -> tuple[str, ...]:
        return self.sources or (self.publisher,)


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
    TopicSpec(
        ADGANGSLOG_TOPIC,
        "adgangslog",
        "Adgangsloggen: hvem der har læst en borgers personoplysninger gennem et API, i hvilken "
        "rolle og organisation, hvornår og med hvilket formål. Udgives af visitation og "
        "leverandør; tilsyn samler den med sine egne opslag til aktindsigt og tilsyn.",
        sources=("visitation", "provider"),
    ),
)


#: Per provider: that provider's own orders, plans, deliveries and changes, and nothing of
#: any other provider, so a private provider's system can be granted exactly its topic.
PROVIDER_TOPIC_TEMPLATE = "bum.leverandoer.{leverandoer_id}.v1"


def provider_topic(leverandoer_id: str) -> str:
    return PROVIDER_TOPIC_TEMPLATE.format(leverandoer_id=leverandoer_id)


def topic_of(source: str) -> TopicSpec:
    return next(t for t in EVENT_TOPICS if t.publisher == source)


def topic_config(name: str) -> dict[str, str]:
    """Kafka topic configuration for a topic we create (as documented in AsyncAPI)."""
    if name.startswith("bum.leverandoer.") and name.endswith(".v1"):
        return {"cleanup.policy": "delete", "retention.ms": str(EVENT_RETENTION_MS)}
    for spec in EVENT_TOPICS:
        if name == spec.name:
            return {"cleanup.policy": "delete", "retention.ms": str(spec.retention_ms)}
        if name == dead_letter_topic(spec.name):
            return {"cleanup.policy": "delete", "retention.ms": str(DEAD_LETTER_RETENTION_MS)}
    return {}
