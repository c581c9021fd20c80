"""Public event contracts: what the services publish on Kafka and what partners build on.

Public events are deliberately separate from each service's internal domain events: a
domain event may be refactored, upcast or kept private; a contract only changes by getting
a new version. Every message is a `PublicEvent` envelope whose `data` validates against the
payload model registered for its (`event_type`, `schema_version`).
"""

from shared.contracts.envelope import Actor, PublicEvent
from shared.contracts.registry import CONTRACTS, parse_payload, payload_model
from shared.contracts.topics import (
    PROVIDER_EVENTS_TOPIC,
    VISITATION_EVENTS_TOPIC,
    dead_letter_topic,
)

__all__ = [
    "CONTRACTS",
    "PROVIDER_EVENTS_TOPIC",
    "VISITATION_EVENTS_TOPIC",
    "Actor",
    "PublicEvent",
    "dead_letter_topic",
    "parse_payload",
    "payload_model",
]
