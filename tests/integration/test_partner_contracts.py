"""What an integration partner gets, checked with an independent librdkafka client
(confluent-kafka) against the committed schemas, and the catch-up endpoint beside it."""

from __future__ import annotations

import json
import threading
import time
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from confluent_kafka import OFFSET_BEGINNING, Consumer, TopicPartition
from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator

from infra.local.broker import TansuBroker
from services.visitation.adapters.public_events import to_public
from services.visitation.application.visitation_app import VisitationApplication
from shared.contracts.asyncapi import cloudevents_headers
from shared.infra.access import roles, secure_api
from shared.infra.contract_routes import add_contract_routes
from shared.infra.eventstore import store_env
from shared.infra.relay import OutboxRelay
from tests.conftest import SettingsFactory
from tests.identity import headers_for
from tests.leverandoerer import IMPORTERET_VED_START
from tests.scenario import VISITATOR, decided_case

pytestmark = pytest.mark.integration
SCHEMA_DIR = Path(__file__).resolve().parents[2] / "contracts" / "schemas"


def committed_schema(urn: str) -> dict[str, Any]:
    """urn:bum:schema:<Type>:v<N> -> contracts/schemas/<Type>.v<N>.json, as a partner would."""
    _urn, _bum, _schema, event_type, version = urn.split(":")
    path = SCHEMA_DIR / f"{event_type}.{version}.json"
    return dict(json.loads(path.read_text()))


def consume_all(bootstrap: str, topic: str, expected: int, timeout: float = 60) -> list[Any]:
    consumer = Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": f"partner-{uuid.uuid4().hex[:8]}",
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
        }
    )
    messages: list[Any] = []
    deadline = time.monotonic() + timeout
    try:
        # Assigned, not subscribed: a partner replaying a topic needs no group join.
        partitions: dict[int, Any] = {}
        while not partitions and time.monotonic() < deadline:
            metadata = consumer.list_topics(topic, timeout=5).topics.get(topic)
            partitions = dict(metadata.partitions) if metadata and not metadata.error else {}
        consumer.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in sorted(partitions)])
        while len(messages) < expected and time.monotonic() < deadline:
            msg = consumer.poll(0.5)
            if msg is not None and msg.error() is None:
                messages.append(msg)
    finally:
        consumer.close()
    return messages


def test_partner_validates_every_message_and_catches_up_over_rest(
    store_settings: SettingsFactory, broker: TansuBroker
) -> None:
    visitation = VisitationApplication(env=store_env(store_settings("visitation"), "visitation"))
    cases = [decided_case(visitation, date(2026, 11, 2), cpr=f"03014{i:05d}") for i in range(4)]
    visitation.opret_klage(cases[0], "afgoerelse", date(2026, 11, 9), "For lidt hjælp", VISITATOR)
    topic = f"test.{uuid.uuid4().hex[:8]}.partner"
    relay = OutboxRelay(
        visitation, source="visitation", topic=topic, mapping=to_public, bootstrap=broker.bootstrap
    )
    stop = threading.Event()
    thread = threading.Thread(target=relay.run, args=(stop,), daemon=True)
    thread.start()
    try:
        messages = consume_all(broker.bootstrap, topic, expected=13 + IMPORTERET_VED_START)
    finally:
        stop.set()
        thread.join(15)
    # 3 events per decided case and the complaint, and the provider register visitation
    # imported at start.
    assert len(messages) == 13 + IMPORTERET_VED_START

    header_schema = Draft202012Validator(cloudevents_headers())
    sequences: dict[str, list[int]] = {}
    for msg in messages:
        headers = {k: v.decode() for k, v in msg.headers() if k != "bum-epoch"}
        header_schema.validate(headers)
        Draft202012Validator(committed_schema(headers["ce_dataschema"])).validate(
            json.loads(msg.value())
        )
        assert msg.key().decode() == headers["ce_subject"] == headers["ce_partitionkey"]
        assert headers["ce_type"].startswith("dk.bum.visitation.")
        sequences.setdefault(headers["ce_subject"], []).append(int(headers["ce_sequence"]))
    assert len({dict(m.headers())["ce_id"] for m in messages}) == 13 + IMPORTERET_VED_START
    for case_sequence in sequences.values():  # per case: 1, 2, 3 ... in partition order
        assert case_sequence == list(range(1, len(case_sequence) + 1))

    # The catch-up endpoint pages the same events, in structured form, from any position.
    api = secure_api("partner test", "0", "", {("GET", "/public-events"): roles("tilsyn")})
    add_contract_routes(api, [relay])
    client = TestClient(api, headers=headers_for("tilsyn"))
    first = client.get("/public-events", params={"limit": 5}).json()
    rest = client.get("/public-events", params={"after": first["next_after"]}).json()
    paged = first["events"] + rest["events"]
    assert len(paged) == 13 + IMPORTERET_VED_START and rest["next_after"] > first["next_after"]
    by_id = {dict(m.headers())["ce_id"].decode(): m for m in messages}
    for doc in paged:
        msg = by_id[doc["id"]]
        attributes = {k[3:]: v.decode() for k, v in msg.headers() if k.startswith("ce_")}
        assert attributes == {k: v for k, v in doc.items() if k not in ("data", "datacontenttype")}
        assert doc["data"] == json.loads(msg.value())
    assert client.get("/asyncapi.json").json()["asyncapi"] == "3.0.0"
    assert client.get("/contracts/schemas/KlageOprettet.v1.json").status_code == 200
    assert client.get("/contracts/schemas/Nope.v1.json").status_code == 404
