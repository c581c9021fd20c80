"""Topic names. One topic per publishing service; the key is always the case id (sag_id),
so all events of one case stay in one partition and in order."""

VISITATION_EVENTS_TOPIC = "bum.visitation.events.v1"
PROVIDER_EVENTS_TOPIC = "bum.provider.events.v1"


def dead_letter_topic(topic: str) -> str:
    return f"{topic}.dlt"
