"""`/metrics` of a real service on both stores: public like `/health`, labelled by route
template (never a raw path with a case id), command outcomes by status, store call and
group-commit timings; and gone, with its middleware, when metrics are turned off."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient

from infra.local.broker import TansuBroker
from services.visitation.wiring import build
from shared.contracts import VISITATION_EVENTS_TOPIC
from shared.infra.runner import ServiceWiring
from tests.conftest import SettingsFactory
from tests.identity import headers_for
from tests.metrik import has, ids_in_labels, samples, value

pytestmark = pytest.mark.integration

VIS = headers_for("visitator", "vis-anne")
NY_SAG = {
    "borger": {"cpr": "010140-1234", "navn": "Jens Hansen"},
    "modtaget_dato": "2026-11-02",
    "kanal": "telefon",
    "henvendelse_fra": "borger",
    "anmodninger": [{"beskrivelse": "Rengøring", "kategori": "praktisk"}],
}


def _wiring(settings: SettingsFactory, broker: TansuBroker, **overrides: object) -> ServiceWiring:
    base = settings("visitation").model_copy(
        update={"kafka_bootstrap": broker.bootstrap, **overrides}
    )
    return build(base)


@pytest.fixture
def client(store_settings: SettingsFactory, broker: TansuBroker) -> Iterator[TestClient]:
    with TestClient(_wiring(store_settings, broker).api, raise_server_exceptions=False) as c:
        yield c


def test_metrics_answer_without_a_token_and_name_no_case(client: TestClient) -> None:
    r = client.post("/sager", headers=VIS, json=NY_SAG)
    assert r.status_code == 201, r.text
    sag_id = r.json()["sag_id"]
    assert client.get(f"/sager/{sag_id}", headers=VIS).status_code == 200
    assert client.get(f"/sager/{uuid4()}", headers=VIS).status_code == 404
    bad = client.post("/sager", headers=VIS, json={**NY_SAG, "kanal": "brevdue"})
    assert bad.status_code == 422
    assert client.get(f"/sager/{sag_id}").status_code == 401  # no token: before routing
    assert client.get(f"/ingen/{sag_id}", headers=VIS).status_code == 404  # no such route
    client.request("BREW", f"/sager/{sag_id}")  # any method may come: one label for the rest

    r = client.get("/metrics")  # no token, like /health
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/plain")
    found = samples(r.text)

    latency = "bum_http_request_duration_seconds_count"
    assert value(found, latency, method="GET", route="/sager/{sag_id}", status="200") == 1
    assert value(found, latency, method="GET", route="/sager/{sag_id}", status="404") == 1
    assert value(found, latency, method="GET", route="unmatched", status="401") == 1
    assert value(found, latency, method="GET", route="unmatched", status="404") == 1
    assert value(found, latency, method="other", route="unmatched") == 1
    commands = "bum_http_commands_total"
    assert value(found, commands, method="POST", route="/sager", status="201") == 1
    assert value(found, commands, method="POST", route="/sager", status="422") == 1
    assert value(found, commands, method="GET") == 0  # reads are not commands
    assert value(found, "bum_store_call_duration_seconds_count", operation="commit") >= 1
    assert value(found, "bum_group_commit_batch_size_count") >= 1
    assert value(found, "bum_group_commit_transactions_total") >= 1
    for name in (
        "bum_relay_lag_events",
        "bum_consumer_dead_letters_total",
        "bum_consumer_parked_cases",
        "bum_consumer_oldest_unapplied_age_seconds",
        "bum_ready",
        "process_cpu_seconds_total",
    ):
        assert has(found, name), name
    # Nothing the relay has not published yet is hidden: the new case waits in the log.
    assert value(found, "bum_relay_lag_events", topic=VISITATION_EVENTS_TOPIC) >= 1
    assert ids_in_labels(found) == []
    assert sag_id not in r.text and "010140" not in r.text
    assert "/metrics" not in client.get("/openapi.json").json()["paths"]


def test_metrics_off_leaves_no_route_and_no_timings(
    store_settings: SettingsFactory, broker: TansuBroker
) -> None:
    wiring = _wiring(store_settings, broker, metrics_enabled=False)
    with TestClient(wiring.api, raise_server_exceptions=False) as client:
        assert client.post("/sager", headers=VIS, json=NY_SAG).status_code == 201
        assert client.get("/metrics").status_code == 404
    app = wiring.relays[0].app
    assert not app.timings.enabled
    counted = [s for m in app.timings.collect() for s in m.samples if s.name.endswith("_count")]
    assert all(s.value == 0 for s in counted)
