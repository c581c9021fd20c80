"""`/health/ready` of a real service against a real store and broker that go away: not
ready (503) with the reason while the store or the broker cannot be reached or a consumer
is far behind, ready again once they are back; `/health/live` answers all along."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from kafka import KafkaProducer

from infra.local.broker import TansuBroker
from infra.local.pg_cluster import PrivateCluster
from services.supervision.wiring import build
from shared.contracts import PROVIDER_EVENTS_TOPIC, VISITATION_EVENTS_TOPIC, dead_letter_topic
from shared.contracts.topics import ADGANGSLOG_TOPIC
from shared.infra.kafka_clients import ensure_topics
from shared.infra.runner import BackgroundWorkers
from shared.infra.settings import ServiceSettings
from tests.metrik import Sample, has, samples, value

pytestmark = pytest.mark.integration

TOPICS = [VISITATION_EVENTS_TOPIC, PROVIDER_EVENTS_TOPIC, ADGANGSLOG_TOPIC]


@pytest.fixture
def pg() -> Iterator[PrivateCluster]:
    """A cluster of this test's own: it is stopped and started."""
    with PrivateCluster() as cluster:
        yield cluster


@pytest.fixture(autouse=True)
def _no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    # Every probe checks anew, so the test sees a change at once.
    monkeypatch.setenv("BUM_READY_CACHE_SECONDS", "0")


def wait_until(client: TestClient, status: int, timeout: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        r = client.get("/health/ready")
        if r.status_code == status:
            body: dict[str, Any] = r.json()
            return body
        assert time.monotonic() < deadline, f"not {status} in {timeout}s: {r.text}"
        time.sleep(0.3)


def scrape(client: TestClient) -> list[Sample]:
    r = client.get("/metrics")  # no token, and an answer whatever is down
    assert r.status_code == 200, r.text
    return samples(r.text)


def test_store_and_broker_outage(pg: PrivateCluster, own_broker: TansuBroker) -> None:
    ensure_topics(own_broker.bootstrap, TOPICS)
    pg.create_database("bum_supervision")
    wiring = build(
        ServiceSettings(
            store="postgres",
            database_url=pg.url("bum_supervision"),
            kafka_bootstrap=own_broker.bootstrap,
        )
    )
    client = TestClient(wiring.api)

    r = client.get("/health/ready")  # no token, like /health
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "ready" and r.json()["reasons"] == []
    assert r.json()["checks"]["store"] == "ok" and r.json()["checks"]["broker"] == "ok"
    groups = {c["group"]: c["lag"] for c in r.json()["checks"]["consumers"]}
    assert groups == {"supervision": 0, "supervision-adgangslog": 0}

    pg.stop_server()
    started = time.monotonic()
    r = client.get("/health/ready")
    assert time.monotonic() - started < 10  # a probe with a timeout of its own gets an answer
    assert r.status_code == 503, r.text
    body = r.json()
    assert body["status"] == "not_ready" and body["checks"]["store"] == "unreachable"
    assert len(body["reasons"]) == 1 and "event store unreachable" in body["reasons"][0]
    # Alive all the same: restarting the process would not bring the database back.
    assert client.get("/health/live").status_code == 200
    assert client.get("/health").status_code == 200
    # Prometheus still gets its figures, with the reason to alert among them.
    assert value(scrape(client), "bum_ready") == 0

    pg.start_server()
    body = wait_until(client, 200)  # the pool replaces its dead connections by itself
    assert body["checks"]["store"] == "ok"

    own_broker.kill()
    r = client.get("/health/ready")
    assert r.status_code == 503, r.text
    assert r.json()["checks"] == {"store": "ok", "broker": "unreachable"}
    assert "broker unreachable" in r.json()["reasons"][0]
    assert client.get("/health/live").status_code == 200
    found = scrape(client)
    assert value(found, "bum_ready") == 0 and not has(found, "bum_consumer_lag_messages")

    own_broker.start()  # same port, empty
    assert wait_until(client, 200)["checks"]["broker"] == "ok"


def test_not_ready_while_a_consumer_is_far_behind(
    own_broker: TansuBroker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BUM_READY_MAX_LAG", "5")
    ensure_topics(own_broker.bootstrap, TOPICS + [dead_letter_topic(t) for t in TOPICS])
    wiring = build(
        ServiceSettings(store="sqlite", data_dir=tmp_path, kafka_bootstrap=own_broker.bootstrap)
    )
    client = TestClient(wiring.api)
    assert client.get("/health/ready").status_code == 200

    # Twenty messages the service has not read: not CloudEvents, so once read they go to
    # the dead-letter topic, which is handling them too.
    producer = KafkaProducer(bootstrap_servers=own_broker.bootstrap)
    for i in range(20):
        producer.send(VISITATION_EVENTS_TOPIC, b"not an event", key=f"sag-{i % 4}".encode())
        producer.flush()  # one record batch each: Tansu's end offset is a batch's base + 1
    producer.close()

    r = client.get("/health/ready")
    assert r.status_code == 503, r.text
    lag = {c["group"]: c["lag"] for c in r.json()["checks"]["consumers"]}
    assert lag["supervision"] > 5 and lag["supervision-adgangslog"] == 0
    assert r.json()["reasons"] == [
        f"Forbrugeren supervision er {lag['supervision']} beskeder bagud / consumer group "
        f"supervision is {lag['supervision']} messages behind (more than 5)"
    ]
    # /metrics shows the same lag, per partition (the messages went to four keys).
    found = scrape(client)
    per_partition = [
        v
        for n, ls, v in found
        if n == "bum_consumer_lag_messages" and ls["topic"] == VISITATION_EVENTS_TOPIC
    ]
    assert len(per_partition) == 4 and sum(per_partition) == lag["supervision"]
    assert value(found, "bum_consumer_lag_messages", group="supervision") == lag["supervision"]

    workers = BackgroundWorkers(wiring)
    workers.start()
    try:
        body = wait_until(client, 200)
        assert {c["group"]: c["lag"] for c in body["checks"]["consumers"]}["supervision"] == 0
        found = scrape(client)
        assert value(found, "bum_consumer_dead_letters_total", group="supervision") == 20
        assert value(found, "bum_consumer_lag_messages", group="supervision") == 0
        assert value(found, "bum_ready") == 1
    finally:
        workers.shutdown()
