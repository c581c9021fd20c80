"""Re-drive dead letters: after a fix, send what a consumer could not process back to the
topic it came from, in the order it was dead-lettered, for the consumer group that
dead-lettered it only.

    python -m shared.infra.redrive bum.visitation.events.v1 [--bootstrap HOST:PORT]

A dead-letter topic keeps a case's messages in order (same key, same partition), so the
poisoned event and the later events of its parked case return in their original order,
and the consumer applies them one after the other.

One run is bounded: it takes the dead-letter topic's end offsets when it starts and sends
each partition's letters up to that mark, no further, then prints how many it sent and
where it stopped. A letter that fails again is dead-lettered again *after* the mark, so it
is not picked up by the run that sent it (which is how the old, idle-timeout version fed
itself: one malformed message and one run left 32,902 records on the topic).

Every topic is read by several consumer groups, and each group dead-letters on its own.
A re-driven copy therefore names its group (header `bum-redrive-group`, from the letter's
`bum-dlt-consumer-group`): that group applies it, every other group passes it over as
already handled (`EventConsumer.redrives_for_other_groups`). The copy carries how often
the message has failed so far (`bum-redrive-attempts`); if it fails again, its group
dead-letters it once more with `bum-dlt-attempts` one higher and counts it as failed
again, not as a new dead letter (`dead_lettered` stays as it was).

The re-drive consumer group (`bum-redrive:<dlt>`) commits the offset of what it has sent,
only after the original topic has acknowledged it. So the next run starts after this
run's mark: it sends the letters dead-lettered since then, among them the ones this run
sent that failed again. Each explicit run thus retries a still-failing letter once, and
the dead-letter topic grows by one record per failing letter per run, never per group or
in a loop. Nothing is dropped: a letter stays on the topic, with its attempts, until a fix
lets it through.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, field
from typing import Any

import structlog
from kafka import KafkaConsumer, TopicPartition
from kafka.structs import OffsetAndMetadata

from shared.contracts import dead_letter_topic
from shared.infra import kafka_clients
from shared.infra.kafka_clients import make_producer, security_options
from shared.infra.logging import configure_logging
from shared.infra.settings import ServiceSettings

log = structlog.get_logger("redrive")

DLT_HEADER_PREFIX = "bum-dlt-"
#: Every header a re-drive adds starts with this; a later re-drive replaces them.
REDRIVE_HEADER_PREFIX = "bum-redrive"
REDRIVEN_FROM_HEADER = "bum-redriven-from"
#: The consumer group the re-driven copy is for; other groups pass it over.
REDRIVE_GROUP_HEADER = "bum-redrive-group"
#: How often the message has failed before this copy (the letter's bum-dlt-attempts).
REDRIVE_ATTEMPTS_HEADER = "bum-redrive-attempts"
DLT_ATTEMPTS_HEADER = "bum-dlt-attempts"
DLT_GROUP_HEADER = "bum-dlt-consumer-group"
DLT_TOPIC_HEADER = "bum-dlt-original-topic"


@dataclass
class RedriveReport:
    """What one run did: letters sent back, letters passed over (for another topic), the
    end offsets per dead-letter partition taken at the start, and whether it got there."""

    topic: str
    sent: int = 0
    skipped: int = 0
    end_offsets: dict[int, int] = field(default_factory=dict)
    complete: bool = True

    def summary(self) -> str:
        marks = ", ".join(f"{p}:{o}" for p, o in sorted(self.end_offsets.items())) or "none"
        text = (
            f"re-drove {self.sent} dead letters to {self.topic}"
            f" (skipped {self.skipped}); stopped at end offsets {marks}"
            f" of {dead_letter_topic(self.topic)}"
        )
        return text if self.complete else f"{text}; INCOMPLETE: timed out before the marks"


def redriven_headers(record: Any, dlt: str) -> list[tuple[str, bytes]]:
    """The headers of a letter's re-driven copy: the original message's own, and which
    letter it is, for which group, after how many attempts."""
    headers = list(record.headers or [])
    found = dict(headers)
    kept = [
        (k, v)
        for k, v in headers
        if not k.startswith(DLT_HEADER_PREFIX) and not k.startswith(REDRIVE_HEADER_PREFIX)
    ]
    added = [(REDRIVEN_FROM_HEADER, f"{dlt}:{record.partition}:{record.offset}".encode())]
    group = found.get(DLT_GROUP_HEADER)
    if group:
        added.append((REDRIVE_GROUP_HEADER, group))
    else:  # written by no consumer of ours: every group gets it, as before
        log.warning("redrive_without_group", dlt_offset=record.offset)
    added.append((REDRIVE_ATTEMPTS_HEADER, found.get(DLT_ATTEMPTS_HEADER) or b"1"))
    return [*kept, *added]


def redrive(topic: str, bootstrap: str, timeout_seconds: float = 120.0) -> RedriveReport:
    """Send the dead letters of `topic` not yet re-driven, up to the dead-letter topic's end
    offsets at the start, back to it, each for the group that dead-lettered it."""
    dlt = dead_letter_topic(topic)
    report = RedriveReport(topic)
    consumer = KafkaConsumer(
        bootstrap_servers=bootstrap,
        **security_options(),
        group_id=f"bum-redrive:{dlt}",  # only for its committed offsets: no group join
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        reconnect_backoff_max_ms=1000,
        request_timeout_ms=10000,
    )
    producer = None
    try:
        partitions = consumer.partitions_for_topic(dlt)
        if not partitions:
            log.info("redrive_no_dead_letter_topic", topic=dlt)
            return report
        tps = [TopicPartition(dlt, p) for p in sorted(partitions)]
        consumer.assign(tps)  # every partition, explicitly: no rebalance, no idle guessing
        ends: dict[TopicPartition, int] = consumer.end_offsets(tps)
        report.end_offsets = {tp.partition: ends[tp] for tp in tps}
        remaining = {tp for tp in tps if consumer.position(tp) < ends[tp]}
        consumer.pause(*[tp for tp in tps if tp not in remaining])
        log.info("redrive_started", topic=topic, end_offsets=report.end_offsets)
        producer = make_producer(bootstrap)
        deadline = time.monotonic() + timeout_seconds
        while remaining:
            if time.monotonic() > deadline:
                report.complete = False
                log.error(
                    "redrive_timed_out", topic=topic, left=sorted(tp.partition for tp in remaining)
                )
                break
            batches = consumer.poll(timeout_ms=500)
            done: dict[TopicPartition, OffsetAndMetadata] = {}
            for tp, records in batches.items():
                for record in records:
                    if record.offset >= ends[tp]:
                        break  # dead-lettered after the start: the next run's
                    _send_back(producer, record, topic, dlt, report)
                    done[tp] = OffsetAndMetadata(record.offset + 1, "", -1)
            for tp in list(remaining):
                if consumer.position(tp) >= ends[tp]:
                    remaining.discard(tp)
                    consumer.pause(tp)
                    done.setdefault(tp, OffsetAndMetadata(ends[tp], "", -1))
            if done:
                producer.flush(timeout=10)
                consumer.commit(done)  # only after the original topic has acknowledged them
    finally:
        if producer is not None:
            producer.close(timeout=5)
        consumer.close(autocommit=False)
    log.info("redrive_finished", topic=topic, sent=report.sent, end_offsets=report.end_offsets)
    return report


def _send_back(producer: Any, record: Any, topic: str, dlt: str, report: RedriveReport) -> None:
    target = dict(record.headers or []).get(DLT_TOPIC_HEADER, b"").decode()
    if target != topic:
        log.warning("redrive_skipped_foreign", offset=record.offset, to=target)
        report.skipped += 1
        return
    producer.send(
        topic, key=record.key, value=record.value, headers=redriven_headers(record, dlt)
    ).get(timeout=10)
    report.sent += 1
    log.info(
        "dead_letter_redriven",
        topic=topic,
        dlt_partition=record.partition,
        dlt_offset=record.offset,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Re-drive a topic's dead letters.")
    parser.add_argument("topic", help="the original topic, e.g. bum.visitation.events.v1")
    parser.add_argument("--bootstrap", default=None, help="default: BUM_KAFKA_BOOTSTRAP")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds (default 120)")
    args = parser.parse_args(argv)
    configure_logging("redrive", "INFO")
    settings = ServiceSettings()  # this tool's one read of the environment
    kafka_clients.configure(settings.kafka)
    bootstrap = args.bootstrap or settings.kafka_bootstrap
    report = redrive(args.topic, bootstrap, args.timeout)
    print(report.summary())
    return 0 if report.complete else 1


if __name__ == "__main__":
    sys.exit(main())
