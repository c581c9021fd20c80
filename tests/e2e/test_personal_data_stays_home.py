"""After the whole flow, the CPR number and name the test used appear neither in any
service's log nor in any message on the public topics (pseudonymous borger_id only), and
each provider's own topic carries that provider's events and nobody else's."""

from __future__ import annotations

import json

import httpx
import pytest

from infra.local.stack import LocalStack
from shared.contracts import PROVIDER_EVENTS_TOPIC, VISITATION_EVENTS_TOPIC
from shared.contracts.topics import provider_topic
from tests.e2e.test_bum_flow import (
    eventually,
    stack,  # noqa: F401  (the running services)
)
from tests.e2e.test_bum_flow import test_application_to_supervision as bum_flow
from tests.identity import headers_for
from tests.kafka_read import read_to_end

pytestmark = [pytest.mark.e2e, pytest.mark.integration]

CPR, NAVN = "010140-1234", "Jens Hansen"  # what bum_flow registers
SECRETS = [CPR.encode(), CPR.replace("-", "").encode(), NAVN.encode()]


def test_no_cpr_or_name_in_logs_or_on_topics(stack: LocalStack) -> None:  # noqa: F811
    bum_flow(stack)
    logs = sorted((stack.data_dir / "logs").glob("*.log"))
    assert len(logs) == 3
    for log in logs:
        text = log.read_bytes()
        assert text, f"{log} is empty"
        for secret in SECRETS:
            assert secret not in text, f"{secret!r} in {log.name}"

    messages = eventually(
        lambda: read_to_end(stack.bootstrap, VISITATION_EVENTS_TOPIC, PROVIDER_EVENTS_TOPIC),
        lambda found: len(found) >= 9,
        timeout=30,
    )
    for message in messages:
        blob = message.value + b"".join(v for _k, v in message.headers)
        for secret in SECRETS:
            assert secret not in blob, f"{secret!r} in {message.topic}"


def test_each_provider_gets_its_own_events_only(stack: LocalStack) -> None:  # noqa: F811
    bum_flow(stack)  # the order goes to omsorg-plus-aps
    p = stack.services["provider"].url
    own = provider_topic("omsorg-plus-aps")
    messages = eventually(
        lambda: read_to_end(stack.bootstrap, own), lambda found: len(found) >= 4, timeout=30
    )
    for message in messages:
        assert json.loads(message.value)["leverandoer_id"] == "omsorg-plus-aps"
    # The same events on the provider service's shared topic, with the same ids.
    ids = {dict(m.headers)["ce_id"] for m in messages}
    shared = eventually(
        lambda: {
            dict(m.headers)["ce_id"] for m in read_to_end(stack.bootstrap, PROVIDER_EVENTS_TOPIC)
        },
        lambda found: ids <= found,
        timeout=30,
    )
    assert ids <= shared

    omsorg = headers_for("leverandoer", "it-omsorg", leverandoer_id="omsorg-plus-aps")
    nord = headers_for("leverandoer", "it-nord", leverandoer_id="hjemmeplejen-nord")
    # The catch-up pages the same events (the broker is shared by this session's tests, so
    # its topic may also hold other test runs' cases: compare by inclusion).
    paged = eventually(
        lambda: httpx.get(f"{p}/public-events", params={"topic": own}, headers=omsorg).json(),
        lambda page: len(page["events"]) >= 4,
        timeout=30,
    )
    assert {e["id"].encode() for e in paged["events"]} <= ids
    # Another provider's system cannot read it, nor the shared topic: as if absent.
    assert httpx.get(f"{p}/public-events", params={"topic": own}, headers=nord).status_code == 404
    assert httpx.get(f"{p}/public-events", headers=omsorg).status_code == 404
    assert not [
        m
        for m in read_to_end(stack.bootstrap, provider_topic("hjemmeplejen-nord"))
        if json.loads(m.value).get("leverandoer_id") != "hjemmeplejen-nord"
    ]
