"""Tracing (issue 18): one trace from a decision over HTTP in visitation, through its relay,
the provider's order and plan (and the provider's own relay), to supervision's case history,
with the three services, their relays and consumers in this process against a real broker.
And: events stored without a trace context publish exactly as before."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
import structlog
from fastapi.testclient import TestClient
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from infra.local.broker import TansuBroker
from services.provider.wiring import build as build_provider
from services.supervision.wiring import build as build_supervision
from services.visitation.adapters.public_events import to_public
from services.visitation.application.visitation_app import VisitationApplication
from services.visitation.wiring import build as build_visitation
from shared.contracts.cloudevents import from_kafka, to_kafka
from shared.contracts.topics import PROVIDER_EVENTS_TOPIC, VISITATION_EVENTS_TOPIC
from shared.infra import tracing
from shared.infra.eventstore import store_env
from shared.infra.runner import BackgroundWorkers, ServiceWiring
from shared.infra.settings import ServiceSettings
from tests.conftest import SettingsFactory
from tests.identity import headers_for
from tests.integration.test_applications import published
from tests.scenario import decided_case
from tests.ur import TODAY

pytestmark = pytest.mark.integration
VIS = headers_for("visitator", "vis-anne")
TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
CALLER_SPAN = "00f067aa0ba902b7"


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    """Tracing on for this test only, every span kept in memory."""
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    before = tracing.use_provider(provider)
    try:
        yield exporter
    finally:
        tracing.use_provider(before)
        provider.shutdown()


@pytest.fixture
def log_lines() -> Iterator[list[dict[str, Any]]]:
    """Every log line (debug too) as the event dict the JSON renderer would get."""
    captured: list[dict[str, Any]] = []

    def keep(_: object, __: str, event: structlog.typing.EventDict) -> Any:
        captured.append(dict(event))
        raise structlog.DropEvent

    before = structlog.get_config()
    structlog.configure(
        processors=[structlog.contextvars.merge_contextvars, tracing.add_trace_ids, keep],
        wrapper_class=structlog.make_filtering_bound_logger(logging.DEBUG),
        cache_logger_on_first_use=False,
    )
    try:
        yield captured
    finally:
        structlog.configure(**before)


def _in_trace(exporter: InMemorySpanExporter) -> list[ReadableSpan]:
    return [
        s
        for s in exporter.get_finished_spans()
        if s.context is not None and format(s.context.trace_id, "032x") == TRACE_ID
    ]


def _consumed(spans: list[ReadableSpan], group: str, source: str) -> list[ReadableSpan]:
    return [
        s
        for s in spans
        if s.kind == SpanKind.CONSUMER
        and (s.attributes or {}).get("messaging.consumer.group.name") == group
        and (s.attributes or {}).get("bum.source") == source
    ]


def _published(spans: list[ReadableSpan], topic: str) -> list[ReadableSpan]:
    return [
        s
        for s in spans
        if s.kind == SpanKind.PRODUCER
        and (s.attributes or {}).get("messaging.destination.name") == topic
    ]


def test_a_decision_is_one_trace_across_the_three_services(
    tmp_path: Any,
    own_broker: TansuBroker,
    ur: Any,
    spans: InMemorySpanExporter,
    log_lines: list[dict[str, Any]],
) -> None:
    settings = ServiceSettings(
        store="sqlite",
        data_dir=tmp_path / "data",
        kafka_bootstrap=own_broker.bootstrap,
        relay_poll_seconds=0.05,
        consumer_poll_ms=100,
        fristkontrol_interval_s=0,
    )
    wirings: list[ServiceWiring] = [
        build_visitation(settings),
        build_provider(settings),
        build_supervision(settings),
    ]
    workers = [BackgroundWorkers(w) for w in wirings]
    for w in workers:
        w.start()
    try:
        client = TestClient(wirings[0].api)
        today = TODAY.isoformat()
        r = client.post(
            "/sager",
            headers=VIS,
            json={
                "borger": {"cpr": "020250-4321", "navn": "Else Jensen"},
                "modtaget_dato": today,
                "kanal": "telefon",
                "henvendelse_fra": "borger",
                "anmodninger": [{"beskrivelse": "Morgenpleje", "kategori": "personlig"}],
            },
        )
        assert r.status_code == 201, r.text
        sag_id, a1 = r.json()["sag_id"], r.json()["anmodninger"][0]["anmodning_id"]
        r = client.post(
            f"/sager/{sag_id}/funktionsvurderinger",
            headers=VIS,
            json={"vurderet_dato": today, "funktionsniveauer": [{"omraade": "B1-3", "niveau": 3}]},
        )
        assert r.status_code == 201, r.text
        r = client.post(
            f"/sager/{sag_id}/rehabiliteringsvurdering",
            headers=VIS,
            json={
                "vurderet_dato": today,
                "kan_forbedre_funktionsevne": False,
                "begrundelse": "Varigt nedsat funktionsevne.",
            },
        )
        assert r.status_code == 201, r.text
        # The decision comes from a caller that traces: its context is the parent.
        r = client.post(
            f"/sager/{sag_id}/afgoerelse",
            headers={**VIS, "traceparent": f"00-{TRACE_ID}-{CALLER_SPAN}-01"},
            json={
                "truffet_dato": today,
                "udfald": [{"anmodning_id": a1, "resultat": "bevilget"}],
                "bevillinger": [
                    {
                        "anmodning_id": a1,
                        "indsats_kode": "H1.1",
                        "indsats_navn": "Personlig pleje",
                        "kategori": "personlig",
                        "hyppighed": {"antal": 1, "periode": "dag"},
                        "minutter_pr_besoeg": 20,
                        "leverandoer_id": "omsorg-plus-aps",
                        "startdato": today,
                    }
                ],
            },
        )
        assert r.status_code == 201, r.text

        # Supervision's history holds the provider's order and plan, in the same trace.
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            found = _in_trace(spans)
            history = _consumed(found, "supervision", "provider")
            types = {(s.attributes or {}).get("bum.event_type") for s in history}
            if {"BestillingModtaget", "BesoegPlanlagt"} <= types:
                break
            time.sleep(0.2)
        else:
            pytest.fail(f"no provider events in supervision's trace: {sorted(map(str, types))}")
    finally:
        for w in workers:
            w.shutdown()

    found = _in_trace(spans)
    (server,) = [s for s in found if s.kind == SpanKind.SERVER]
    assert server.name == "POST /sager/{sag_id}/afgoerelse"
    assert server.parent is not None and format(server.parent.span_id, "016x") == CALLER_SPAN
    assert (server.attributes or {})["http.response.status_code"] == 201
    assert _published(found, VISITATION_EVENTS_TOPIC), "visitation's relay"
    order = _consumed(found, "provider", "visitation")
    assert {"AfgoerelseTruffet"} <= {(s.attributes or {}).get("bum.event_type") for s in order}
    assert _published(found, PROVIDER_EVENTS_TOPIC), "the provider's relay"
    assert _consumed(found, "supervision", "visitation"), "supervision's history"
    assert _consumed(found, "supervision", "provider"), "supervision's history"
    # Each consumer continues from the send that delivered it (its parent is a publish).
    by_id = {s.context.span_id: s for s in found if s.context is not None}
    for consumed in _consumed(found, "supervision", "provider"):
        assert consumed.parent is not None
        assert by_id[consumed.parent.span_id].kind == SpanKind.PRODUCER
    # The earlier requests are traces of their own: nothing of them leaked into this one.
    assert {"AnsoegningModtaget"}.isdisjoint(
        {(s.attributes or {}).get("bum.event_type") for s in found}
    )

    # What the provider published (and pages at /public-events) carries the trace onward.
    provider_relay = wirings[1].relays[0]
    page = provider_relay.published_page(PROVIDER_EVENTS_TOPIC, 0, 1000)
    ordered = [d for d in page if d["subject"] == sag_id and d["type"].endswith("Modtaget.v1")]
    assert ordered and ordered[0]["traceparent"].split("-")[1] == TRACE_ID

    # The log lines written inside the trace's spans carry its ids.
    ids = {format(s.context.span_id, "016x") for s in found if s.context is not None}
    traced = [line for line in log_lines if line.get("trace_id") == TRACE_ID]
    assert traced, "no log line carries the trace id"
    assert all(line["span_id"] in ids for line in traced)
    assert {"event_published", "event_applied"} <= {line["event"] for line in traced}


def test_events_stored_without_a_trace_publish_as_before(
    store_settings: SettingsFactory, spans: InMemorySpanExporter
) -> None:
    settings = store_settings("visitation")
    app = VisitationApplication(env=store_env(settings, "visitation"))
    before = tracing.use_provider(None)  # tracing off, as before this feature
    try:
        untraced = decided_case(app, TODAY)
    finally:
        tracing.use_provider(before)
    with tracing.span("a caller", SpanKind.SERVER) as caller:
        assert caller is not None
        traced = decided_case(app, TODAY, cpr="0202501234")
        expected = tracing.current_traceparent()
    assert expected is not None

    events = published(app, "visitation", to_public)
    old = [e for e in events if e.case_id == untraced]
    new = [e for e in events if e.case_id == traced]
    assert old and new
    for e in old:
        assert e.traceparent is None
        _key, _value, headers = to_kafka(e)
        assert "ce_traceparent" not in dict(headers)
        assert from_kafka(headers, _value) == e  # consumers read it as before
    for e in new:
        assert e.traceparent == expected
        _key, _value, headers = to_kafka(e)
        assert dict(headers)["ce_traceparent"] == expected.encode()
        assert from_kafka(headers, _value) == e

    # The trace context is the store's, not the domain's: replayed aggregates never see it,
    # and a fresh application (no cache) rebuilds both cases from the stored events.
    fresh = VisitationApplication(env=store_env(settings, "visitation"))
    for sag_id in (untraced, traced):
        sag = fresh.hent_sag(sag_id)
        assert sag.afgoerelser
        assert all(tracing.STORED_KEY not in vars(e) for e in fresh.events.get(sag_id))


def test_an_otlp_endpoint_receives_the_spans() -> None:
    """BUM_OTLP_ENDPOINT / OTEL_EXPORTER_OTLP_ENDPOINT: spans go to a collector over
    OTLP/HTTP (here a local HTTP server standing in for the collector)."""
    received: list[bytes] = []

    class Collector(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            assert self.path == "/v1/traces"
            received.append(self.rfile.read(int(self.headers["Content-Length"])))
            self.send_response(200)
            self.send_header("Content-Type", "application/x-protobuf")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Collector)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    before = tracing.use_provider(None)
    try:
        endpoint = f"http://127.0.0.1:{server.server_address[1]}"
        tracing.configure_tracing("visitation", endpoint)
        with tracing.span("POST /sager", SpanKind.SERVER, f"00-{TRACE_ID}-{CALLER_SPAN}-01"):
            pass
        tracing.shutdown()  # what a stopping service does: the buffered spans go out
    finally:
        tracing.use_provider(before)
        server.shutdown()

    request = ExportTraceServiceRequest.FromString(b"".join(received))
    (resource,) = request.resource_spans
    names = {a.key: a.value.string_value for a in resource.resource.attributes}
    assert names["service.name"] == "bum-visitation"
    (exported,) = [s for scope in resource.scope_spans for s in scope.spans]
    assert exported.name == "POST /sager"
    assert exported.trace_id.hex() == TRACE_ID
