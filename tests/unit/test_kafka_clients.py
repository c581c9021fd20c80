"""The one place BUM reaches into kafka-python beyond its documented API: the group
consumer's broker wait, changed while it runs (shared/infra/kafka_clients.py,
AdaptiveWaitConsumer). If kafka-python moves it, this fails instead of the consumer
quietly keeping one wait (all idle CPU, or all lag)."""

from __future__ import annotations

import inspect

from kafka import KafkaConsumer
from kafka.consumer.fetcher import Fetcher

from shared.infra.kafka_clients import AdaptiveWaitConsumer


def test_the_consumer_keeps_its_fetcher_as_fetcher() -> None:
    assert "self._fetcher = Fetcher(" in inspect.getsource(KafkaConsumer.__init__)


def test_the_fetcher_reads_the_wait_from_its_config_for_every_request() -> None:
    assert "self.config = copy.copy(self.DEFAULT_CONFIG)" in inspect.getsource(Fetcher.__init__)
    assert "fetch_max_wait_ms" in Fetcher.DEFAULT_CONFIG
    built = inspect.getsource(Fetcher._create_fetch_requests)
    assert "max_wait_ms=self.config['fetch_max_wait_ms']" in built


def test_poll_keeps_the_libraries_signature() -> None:
    ours = inspect.signature(AdaptiveWaitConsumer.poll)
    theirs = inspect.signature(KafkaConsumer.poll)
    assert list(ours.parameters) == list(theirs.parameters)
    assert [p.default for p in ours.parameters.values()] == [
        p.default for p in theirs.parameters.values()
    ]
