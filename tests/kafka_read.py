"""Read what a topic holds now, without waiting for an idle timeout.

`list(KafkaConsumer(..., consumer_timeout_ms=3000))` ends only after 3 s without a message,
so every read of a topic costs at least that. Here the end offsets are taken first and the
partitions are read up to them: the same messages (everything published before the call),
as soon as they are in. Callers that wait for something still to come poll with `eventually`.
"""

from __future__ import annotations

import time
from typing import Any

from kafka import KafkaConsumer, TopicPartition


def read_to_end(bootstrap: str, *topics: str, timeout: float = 30.0) -> list[Any]:
    """Every message on `topics` up to their end offsets at the time of the call; a topic
    that does not exist holds none."""
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False)
    try:
        partitions = [
            TopicPartition(topic, p)
            for topic in topics
            for p in sorted(consumer.partitions_for_topic(topic) or ())
        ]
        if not partitions:
            return []
        consumer.assign(partitions)
        consumer.seek_to_beginning(*partitions)
        end = consumer.end_offsets(partitions)
        messages: list[Any] = []
        deadline = time.monotonic() + timeout
        while any(consumer.position(tp) < end[tp] for tp in partitions):
            if time.monotonic() > deadline:
                raise AssertionError(f"{topics} not read to {end} in {timeout}s")
            for batch in consumer.poll(timeout_ms=200).values():
                messages.extend(batch)
        return messages
    finally:
        consumer.close()
