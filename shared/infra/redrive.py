"""Re-drive dead letters: after a fix, send what a consumer could not process back to the
topic it came from, in the order it was dead-lettered.

    python -m shared.infra.redrive bum.visitation.events.v1 [--bootstrap HOST:PORT]

A dead-letter topic keeps a case's messages in order (same key, same partition), so the
poisoned event and the later events of its parked case return in their original order,
and the consumer applies them one after the other. The re-drive consumer group commits
what it has sent, so running the command again sends only newer dead letters. Messages
that still fail go to the dead-letter topic again; nothing is dropped.
"""

from __future__ import annotations

import argparse
import sys
import time

import structlog
from kafka import KafkaConsumer

from shared.contracts import dead_letter_topic
from shared.infra.kafka_clients import make_producer, security_options
from shared.infra.logging import configure_logging
from shared.infra.settings import ServiceSettings

log = structlog.get_logger("redrive")

DLT_HEADER_PREFIX = "bum-dlt-"
REDRIVEN_FROM_HEADER = "bum-redriven-from"


def redrive(topic: str, bootstrap: str, idle_seconds: float = 3.0) -> int:
    """Send every not yet re-driven dead letter of `topic` back to it; returns how many."""
    dlt = dead_letter_topic(topic)
    consumer = KafkaConsumer(
        dlt,
        bootstrap_servers=bootstrap,
        **security_options(),
        group_id=f"bum-redrive:{dlt}",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        session_timeout_ms=6000,
        heartbeat_interval_ms=1000,
    )
    producer = make_producer(bootstrap)
    sent = 0
    last_seen = time.monotonic()
    try:
        while time.monotonic() - last_seen < idle_seconds:
            batches = consumer.poll(timeout_ms=500)
            if not batches:
                if not consumer.assignment():
                    last_seen = time.monotonic()  # still joining the group: not idle yet
                continue
            last_seen = time.monotonic()
            for records in batches.values():
                for record in records:
                    headers = dict(record.headers or [])
                    target = headers.get(f"{DLT_HEADER_PREFIX}original-topic", b"").decode()
                    if target != topic:
                        log.warning("redrive_skipped_foreign", offset=record.offset, to=target)
                        continue
                    kept = [
                        (k, v)
                        for k, v in (record.headers or [])
                        if not k.startswith(DLT_HEADER_PREFIX) and k != REDRIVEN_FROM_HEADER
                    ]
                    origin = f"{dlt}:{record.partition}:{record.offset}".encode()
                    producer.send(
                        topic,
                        key=record.key,
                        value=record.value,
                        headers=[*kept, (REDRIVEN_FROM_HEADER, origin)],
                    ).get(timeout=10)
                    sent += 1
                    log.info("dead_letter_redriven", topic=topic, dlt_offset=record.offset)
            consumer.commit()  # only after the original topic has acknowledged them
    finally:
        producer.close(timeout=5)
        consumer.close(autocommit=False)
    return sent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Re-drive a topic's dead letters.")
    parser.add_argument("topic", help="the original topic, e.g. bum.visitation.events.v1")
    parser.add_argument("--bootstrap", default=None, help="default: BUM_KAFKA_BOOTSTRAP")
    args = parser.parse_args(argv)
    configure_logging("redrive", "INFO")
    bootstrap = args.bootstrap or ServiceSettings().kafka_bootstrap
    count = redrive(args.topic, bootstrap)
    print(f"re-drove {count} dead letters to {args.topic}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
