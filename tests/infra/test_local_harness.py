"""The local harness itself: a private PostgreSQL and a memory-only Tansu broker."""

from __future__ import annotations

import time

import psycopg
import pytest
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition

from infra.local.broker import TansuBroker
from infra.local.pg_cluster import PrivateCluster

pytestmark = pytest.mark.integration

# Group join takes ~3 s with these; the defaults take ~23 s (see platform notes).
GROUP_SETTINGS: dict[str, object] = {
    "session_timeout_ms": 6000,
    "heartbeat_interval_ms": 1000,
    "enable_auto_commit": False,
    "auto_offset_reset": "earliest",
}


def _select_all(url: str) -> list[tuple[int, str]]:
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT id, note FROM harness ORDER BY id").fetchall()


def test_private_cluster_keeps_data_across_restart_and_crash() -> None:
    with PrivateCluster() as pg:
        pg.create_database("bum_harness")
        pg.create_database("bum_harness")  # idempotent
        url = pg.url("bum_harness")
        assert url == f"postgresql://postgres@127.0.0.1:{pg.port}/bum_harness"
        with psycopg.connect(url) as conn:
            conn.execute("CREATE TABLE harness (id int PRIMARY KEY, note text NOT NULL)")
            conn.execute("INSERT INTO harness VALUES (1, 'before restart')")
        assert _select_all(url) == [(1, "before restart")]

        port = pg.port
        pg.restart()
        assert pg.port == port
        assert _select_all(url) == [(1, "before restart")]

        # A committed row must also survive a crash (SIGKILL, then WAL recovery).
        with psycopg.connect(url) as conn:
            conn.execute("INSERT INTO harness VALUES (2, 'before crash')")
        pg.kill_server()
        with pytest.raises(psycopg.OperationalError):
            psycopg.connect(url, connect_timeout=2).close()
        pg.start_server()
        assert _select_all(url) == [(1, "before restart"), (2, "before crash")]
        data_dir = pg.data_dir
    assert not data_dir.exists()


def _consume(consumer: KafkaConsumer, count: int, timeout_s: float) -> list[tuple[bytes, bytes]]:
    got: list[tuple[bytes, bytes]] = []
    deadline = time.monotonic() + timeout_s
    while len(got) < count and time.monotonic() < deadline:
        for records in consumer.poll(timeout_ms=200).values():
            got.extend((r.key, r.value) for r in records)
    return got


def test_tansu_broker_round_trip_and_restart_comes_back_empty() -> None:
    topic = "bum.harness.v1"
    sent = [(f"sag-{i % 3}".encode(), f"event-{i}".encode()) for i in range(10)]
    with TansuBroker() as broker:
        assert broker.bootstrap == f"127.0.0.1:{broker.port}"
        producer = KafkaProducer(bootstrap_servers=broker.bootstrap, acks="all")
        for key, value in sent:
            producer.send(topic, key=key, value=value).get(timeout=10)
        producer.close()

        consumer = KafkaConsumer(
            topic, bootstrap_servers=broker.bootstrap, group_id="harness", **GROUP_SETTINGS
        )
        got = _consume(consumer, len(sent), timeout_s=20)
        consumer.commit()
        consumer.close()
        assert sorted(got) == sorted(sent)
        # One key, one partition: per-key order is what the services rely on.
        for key in {k for k, _ in sent}:
            assert [v for k, v in got if k == key] == [v for k, v in sent if k == key]

        port = broker.port
        broker.restart()
        assert broker.port == port
        # Memory-only: the topic is gone. (Clients that live across a restart would
        # re-create it through their metadata refreshes, so all of them were closed.)
        admin = KafkaAdminClient(bootstrap_servers=broker.bootstrap)
        assert topic not in admin.list_topics()
        admin.close()

        producer = KafkaProducer(bootstrap_servers=broker.bootstrap, acks="all")
        meta = producer.send(topic, key=b"sag-0", value=b"after").get(timeout=10)
        producer.close()
        assert meta.offset == 0  # a fresh log, not a continuation

        reader = KafkaConsumer(bootstrap_servers=broker.bootstrap, auto_offset_reset="earliest")
        tp = TopicPartition(topic, meta.partition)
        reader.assign([tp])
        reader.seek_to_beginning(tp)
        assert _consume(reader, 2, timeout_s=3) == [(b"sag-0", b"after")]
        reader.close()
