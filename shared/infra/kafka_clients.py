"""kafka-python clients configured once, for every relay and consumer."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterable
from typing import Any

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka.admin import NewTopic
from kafka.errors import TopicAlreadyExistsError

from shared.contracts.topics import topic_config
from shared.infra.settings import KafkaSettings

DEFAULT_PARTITIONS = 4

#: This process's broker settings: set once at start from the settings tree (runner.main);
#: a tool or test that configures nothing gets the defaults (plaintext; the consumers'
#: waits as in settings.KafkaSettings, which bench/idle.py measured).
_configured = KafkaSettings()


def configure(kafka: KafkaSettings) -> None:
    """Every client this process makes from now on uses `kafka` (security and waits)."""
    global _configured
    _configured = kafka


def configured() -> KafkaSettings:
    return _configured


def security_options(kafka: KafkaSettings | None = None) -> dict[str, Any]:
    return (kafka or _configured).client_options()


def make_producer(bootstrap: str) -> Any:
    # acks=all and one request in flight keep a case's events in order across retries.
    # No idempotent producer: its producer id does not survive a broker that comes back
    # empty (UnknownProducerIdError); consumers recognise redeliveries instead.
    return KafkaProducer(
        bootstrap_servers=bootstrap,
        **security_options(),
        acks="all",
        retries=3,
        max_in_flight_requests_per_connection=1,
        enable_idempotence=False,
        linger_ms=2,
        request_timeout_ms=5000,
        max_block_ms=5000,
        reconnect_backoff_max_ms=1000,
    )


class AdaptiveWaitConsumer(KafkaConsumer):  # type: ignore[misc]
    """A group consumer whose broker wait follows the traffic.

    How long the broker may hold a fetch that finds nothing (`fetch_max_wait_ms`) is the
    consumer's lag: Apache Kafka answers as soon as data arrives, but Tansu answers only
    within the wait (measured here: max lag ~wait/2; at the default 500 ms the lag from
    publish to consume was p50 144 ms / p99 256 ms, at 20 ms 9 / 18 ms). Each empty fetch
    costs kafka-python ~1.2 ms of CPU, so a 20 ms wait burns 6-8% of a core doing
    nothing. So: the short `active` wait while records arrive, the long `idle` wait once
    none came for `idle_after_s`, and back to the short one with the first record. Under
    load nothing changes; the first message after a quiet spell waits up to ~idle/2 longer.

    kafka-python has no public setter for the wait: its fetcher copies the setting at
    construction and reads `config['fetch_max_wait_ms']` for every request it builds
    (tests/unit/test_kafka_clients.py fails if that changes).
    """

    def __init__(
        self,
        *topics: str,
        active_wait_ms: int,
        idle_wait_ms: int,
        idle_after_s: float,
        **configs: Any,
    ) -> None:
        super().__init__(*topics, fetch_max_wait_ms=active_wait_ms, **configs)
        self.active_wait_ms = active_wait_ms
        self.idle_wait_ms = max(idle_wait_ms, active_wait_ms)
        self.idle_after_s = idle_after_s
        self._last_records = time.monotonic()

    @property
    def fetch_wait_ms(self) -> int:
        """The wait the next fetch request asks for."""
        return int(self._fetcher.config["fetch_max_wait_ms"])

    def _set_wait(self, wait_ms: int) -> None:
        self._fetcher.config["fetch_max_wait_ms"] = wait_ms

    def poll(
        self, timeout_ms: int = 0, max_records: int | None = None, update_offsets: bool = True
    ) -> Any:
        records = super().poll(
            timeout_ms=timeout_ms, max_records=max_records, update_offsets=update_offsets
        )
        now = time.monotonic()
        if records:
            self._last_records = now
            if self.fetch_wait_ms != self.active_wait_ms:
                self._set_wait(self.active_wait_ms)
        elif (
            now - self._last_records >= self.idle_after_s
            and self.fetch_wait_ms != self.idle_wait_ms
        ):
            self._set_wait(self.idle_wait_ms)
        return records


def make_group_consumer(
    bootstrap: str,
    group_id: str,
    topics: Iterable[str],
    fetch_max_wait_ms: int | None = None,
    listener: Any = None,
    kafka: KafkaSettings | None = None,
) -> Any:
    """A group consumer; `fetch_max_wait_ms` is its broker wait while records flow (a
    consumer whose lag matters little passes a longer one), BUM_KAFKA_FETCH_MAX_WAIT_MS
    (20) by default; BUM_KAFKA_IDLE_FETCH_MAX_WAIT_MS (see AdaptiveWaitConsumer) once
    nothing came for BUM_KAFKA_IDLE_AFTER_MS (`kafka`: this process's settings)."""
    kafka = kafka or _configured
    active = fetch_max_wait_ms or kafka.fetch_max_wait_ms
    consumer = AdaptiveWaitConsumer(
        bootstrap_servers=bootstrap,
        **kafka.client_options(),
        group_id=group_id,
        enable_auto_commit=False,
        # A broker that forgot our committed offsets must be read from the start.
        auto_offset_reset="earliest",
        # Defaults make a group join take ~23 s; these take ~3 s (platform notes).
        session_timeout_ms=6000,
        heartbeat_interval_ms=1000,
        max_poll_records=500,
        active_wait_ms=active,
        idle_wait_ms=kafka.idle_fetch_max_wait_ms,
        idle_after_s=kafka.idle_after_ms / 1000,
        reconnect_backoff_max_ms=1000,
        request_timeout_ms=10000,
    )
    # The listener hears of partitions revoked and assigned (a consumer's cache drops them).
    consumer.subscribe(list(topics), listener=listener)
    return consumer


def make_metadata_consumer(bootstrap: str) -> Any:
    """A consumer outside any group, used only to ask for partitions and end offsets."""
    return KafkaConsumer(
        bootstrap_servers=bootstrap,
        **security_options(),
        group_id=None,
        enable_auto_commit=False,
        reconnect_backoff_max_ms=1000,
        request_timeout_ms=10000,
    )


def ensure_topics(
    bootstrap: str, topics: Iterable[str], partitions: int = DEFAULT_PARTITIONS
) -> None:
    admin = KafkaAdminClient(
        bootstrap_servers=bootstrap, request_timeout_ms=10000, **security_options()
    )
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
