"""A group consumer against a real Tansu broker asks for the short broker wait while
records arrive and the long one when idle (kafka_clients.AdaptiveWaitConsumer): idle
services cost little CPU, and the first record after a quiet spell still arrives within
the idle wait, after which the consumer is back at the short one."""

from __future__ import annotations

import time
import uuid

import pytest

from infra.local.broker import TansuBroker
from shared.infra.kafka_clients import ensure_topics, make_group_consumer, make_producer
from shared.infra.settings import KafkaSettings

pytestmark = pytest.mark.integration


def test_the_wait_follows_the_traffic(broker: TansuBroker) -> None:
    kafka = KafkaSettings(idle_after_ms=500, idle_fetch_max_wait_ms=300)
    topic = f"test.{uuid.uuid4().hex[:8]}.idle"
    ensure_topics(broker.bootstrap, [topic])
    consumer = make_group_consumer(
        broker.bootstrap, f"g-{uuid.uuid4().hex[:8]}", [topic], 20, kafka=kafka
    )
    producer = make_producer(broker.bootstrap)
    try:
        deadline = time.monotonic() + 30
        while not consumer.assignment() and time.monotonic() < deadline:
            consumer.poll(timeout_ms=100)
        assert consumer.assignment()
        started = time.monotonic()
        while time.monotonic() - started < 1.0:
            assert not consumer.poll(timeout_ms=100)
        assert consumer.fetch_wait_ms == 300  # idle: the long wait

        sent = time.monotonic()
        producer.send(topic, key=b"k", value=b"v")
        producer.flush()
        got = {}
        while not got and time.monotonic() - sent < 10:
            got = consumer.poll(timeout_ms=100)
        assert got
        assert time.monotonic() - sent < 1.0  # within the idle wait, give or take a poll
        assert consumer.fetch_wait_ms == 20  # records: the short wait again
    finally:
        producer.close()
        consumer.close()
