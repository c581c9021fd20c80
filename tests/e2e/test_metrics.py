"""Issue 18: after the whole flow across the three service processes, each one's `/metrics`
answers without a token and shows, with values above zero, what the flow exercised:
requests and command outcomes by route template, store calls, group commits, relays and
consumers; the series of what it did not exercise (dead letters, parked cases) exist at
zero. No label value looks like an id of a citizen or case."""

from __future__ import annotations

import httpx
import pytest

from infra.local.stack import LocalStack
from shared.contracts import PROVIDER_EVENTS_TOPIC, VISITATION_EVENTS_TOPIC
from tests.e2e.test_bum_flow import stack  # noqa: F401 (the fixture, reused as is)
from tests.e2e.test_bum_flow import test_application_to_supervision as bum_flow
from tests.metrik import Sample, has, ids_in_labels, samples, value

pytestmark = [pytest.mark.e2e, pytest.mark.integration]

#: In every service, whatever it did: the alert rules in infra/prometheus read these.
EVERYWHERE = (
    "bum_http_request_duration_seconds_bucket",
    "bum_consumer_lag_messages",
    "bum_consumer_oldest_unapplied_age_seconds",
    "bum_consumer_dead_letters_total",
    "bum_consumer_dead_letters_failed_again_total",
    "bum_consumer_parked_cases",
    "bum_ready",
    "process_cpu_seconds_total",
)


def scrape(url: str) -> tuple[str, list[Sample]]:
    r = httpx.get(f"{url}/metrics")  # no token: Prometheus scrapes like an orchestrator probes
    assert r.status_code == 200, r.text
    return r.text, samples(r.text)


def test_metrics_after_the_flow(stack: LocalStack) -> None:  # noqa: F811
    bum_flow(stack)
    v, p, t = (stack.services[n] for n in ("visitation", "provider", "supervision"))

    text, vis = scrape(v.url)
    for name in EVERYWHERE:
        assert has(vis, name), f"visitation: {name}"
    commands = "bum_http_commands_total"
    assert value(vis, commands, method="POST", route="/sager", status="201") == 1
    decision = "/sager/{sag_id}/afgoerelse"
    assert value(vis, commands, method="POST", route=decision, status="422") == 2
    assert value(vis, commands, method="POST", route=decision, status="201") == 1
    latency = "bum_http_request_duration_seconds_count"
    assert value(vis, latency, method="GET", route="/sager/{sag_id}", status="200") >= 1
    assert value(vis, "bum_store_call_duration_seconds_count", operation="commit") >= 5
    assert value(vis, "bum_store_call_duration_seconds_count", operation="commit_tracking") >= 1
    assert value(vis, "bum_store_call_duration_seconds_count", operation="load") >= 1
    assert value(vis, "bum_store_call_duration_seconds_count", operation="select_notifications")
    assert value(vis, "bum_group_commit_batch_size_count") >= 5
    assert value(vis, "bum_relay_published_events_total", topic=VISITATION_EVENTS_TOPIC) >= 5
    assert value(vis, "bum_relay_published_events_total", event_type="AfgoerelseTruffet") == 1
    assert has(vis, "bum_relay_lag_events")
    assert value(vis, "bum_consumer_messages_total", group="visitation", outcome="applied") >= 1
    assert value(vis, "bum_consumer_dead_letters_total") == 0
    assert value(vis, "bum_consumer_parked_cases") == 0

    text_p, prov = scrape(p.url)
    for name in EVERYWHERE:
        assert has(prov, name), f"provider: {name}"
    delivery = "/bestillinger/{bestilling_id}/besoeg/{besoeg_id}/levering"
    assert value(prov, commands, method="POST", route=delivery, status="201") == 1
    assert value(prov, "bum_consumer_messages_total", group="provider", outcome="applied") >= 1
    assert value(prov, "bum_relay_published_events_total", topic=PROVIDER_EVENTS_TOPIC) >= 4
    assert value(prov, "bum_store_call_duration_seconds_count", operation="commit") >= 2
    partitions = [ls for n, ls, _v in prov if n == "bum_consumer_lag_messages"]
    assert {ls["group"] for ls in partitions} == {"provider"}
    assert {ls["topic"] for ls in partitions} == {VISITATION_EVENTS_TOPIC}

    text_t, sup = scrape(t.url)
    for name in EVERYWHERE:
        assert has(sup, name), f"supervision: {name}"
    applied = value(sup, "bum_consumer_messages_total", group="supervision", outcome="applied")
    assert applied >= 10  # the case history the flow reads back
    assert value(sup, "bum_store_call_duration_seconds_count", operation="commit_tracking") >= 1
    route = "/sager/{sag_id}/historik"
    assert value(sup, latency, method="GET", route=route, status="200") >= 1
    groups = {ls["group"] for n, ls, _v in sup if n == "bum_consumer_lag_messages"}
    assert groups == {"supervision", "supervision-adgangslog"}

    scraped = {"visitation": (vis, text), "provider": (prov, text_p), "supervision": (sup, text_t)}
    for name, (found, body) in scraped.items():
        assert ids_in_labels(found) == [], name
        assert "010140" not in body, name
