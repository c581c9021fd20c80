"""kafka-python clients configured once, for every relay and consumer."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from typing import Any

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka.admin import NewTopic
from kafka.errors import TopicAlreadyExistsError

from shared.contracts.topics import topic_config

DEFAULT_PARTITIONS = 4


def make_producer(bootstrap: str) -> Any:
    # acks=all and one request in flight keep a case's events in order across retries.
    # No idempotent producer: its producer id does not survive a broker that comes back
    # empty (UnknownProducerIdError); consumers recognise redeliveries instead.
    return KafkaProducer(
        bootstrap_servers=bootstrap,
        acks="all",
        retries=3,
        max_in_flight_requests_per_connection=1,
        enable_idempotence=False,
        linger_ms=2,
        request_timeout_ms=5000,
        max_block_ms=5000,
        reconnect_backoff_max_ms=1000,
    )


def make_group_consumer(bootstrap: str, group_id: str, topics: Iterable[str]) -> Any:
    consumer = KafkaConsumer(
        bootstrap_servers=bootstrap,
        group_id=group_id,
        enable_auto_commit=False,
        # A broker that forgot our committed offsets must be read from the start.
        auto_offset_reset="earliest",
        # Defaults make a group join take ~23 s; these take ~3 s (platform notes).
        session_timeout_ms=6000,
        heartbeat_interval_ms=1000,
        max_poll_records=500,
        reconnect_backoff_max_ms=1000,
        request_timeout_ms=10000,
    )
    consumer.subscribe(list(topics))
    return consumer


def make_metadata_consumer(bootstrap: str) -> Any:
    """A consumer outside any group, used only to ask for partitions and end offsets."""
    return KafkaConsumer(
        bootstrap_servers=bootstrap,
        group_id=None,
        enable_auto_commit=False,
        reconnect_backoff_max_ms=1000,
        request_timeout_ms=10000,
    )


def ensure_topics(
    bootstrap: str, topics: Iterable[str], partitions: int = DEFAULT_PARTITIONS
) -> None:
    admin = KafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=10000)
    try:
        existing = set(admin.list_topics())
        missing = [t for t in topics if t not in existing]
        if missing:
            with contextlib.suppress(TopicAlreadyExistsError):
                admin.create_topics(
                    [
                        NewTopic(
                            t,
                            num_partitions=partitions,
                            replication_factor=1,
                            topic_configs=topic_config(t),
                        )
                        for t in missing
                    ]
                )
    finally:
        admin.close()
