"""After the whole flow, the CPR number and name the test used appear neither in any
service's log nor in any message on the public topics (pseudonymous borger_id only)."""

from __future__ import annotations

import time

import pytest
from kafka import KafkaConsumer

from infra.local.stack import LocalStack
from shared.contracts import PROVIDER_EVENTS_TOPIC, VISITATION_EVENTS_TOPIC
from tests.e2e.test_bum_flow import stack  # noqa: F401  (the running services)
from tests.e2e.test_bum_flow import test_application_to_supervision as bum_flow

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

    consumer = KafkaConsumer(
        VISITATION_EVENTS_TOPIC,
        PROVIDER_EVENTS_TOPIC,
        bootstrap_servers=stack.bootstrap,
        auto_offset_reset="earliest",
        consumer_timeout_ms=3000,
        group_id=None,
    )
    deadline, messages = time.monotonic() + 30, 0
    try:
        for message in consumer:
            messages += 1
            blob = message.value + b"".join(v for _k, v in message.headers)
            for secret in SECRETS:
                assert secret not in blob, f"{secret!r} in {message.topic}"
            if time.monotonic() > deadline:
                break
    finally:
        consumer.close()
    assert messages >= 9
