"""Tracing (issue 18) piece by piece: the CloudEvents distributed-tracing extension, the
log processor, the HTTP middleware and the switch (off unless an endpoint is set)."""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
import structlog
from fastapi import FastAPI
from fastapi.testclient import TestClient
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from shared.contracts import Actor, PublicEvent
from shared.contracts.cloudevents import from_kafka, structured, to_kafka
from shared.infra import tracing
from shared.infra.logging import configure_logging
from shared.infra.periodisk import koer_periodisk
from shared.infra.settings import ServiceSettings

TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    before = tracing.use_provider(provider)
    try:
        yield exporter
    finally:
        tracing.use_provider(before)


def _event(traceparent: str | None = None) -> PublicEvent:
    now = datetime(2026, 11, 2, 10, tzinfo=UTC)
    return PublicEvent(
        event_id=uuid.uuid4(),
        event_type="AnsoegningModtaget",
        schema_version=1,
        source="visitation",
        case_id=uuid.uuid4(),
        sequence=1,
        case_sequence=1,
        occurred_at=now,
        recorded_at=now,
        actor=Actor(id="vis-anne", rolle="visitator", organisation="kommune"),
        data={},
        traceparent=traceparent,
    )


def test_the_trace_context_travels_as_ce_traceparent() -> None:
    event = _event(TRACEPARENT)
    _key, value, headers = to_kafka(event)
    assert dict(headers)["ce_traceparent"] == TRACEPARENT.encode()
    assert from_kafka(headers, value) == event
    assert structured(event)["traceparent"] == TRACEPARENT  # what /public-events pages


def test_an_event_without_trace_context_has_no_header() -> None:
    event = _event()
    _key, value, headers = to_kafka(event)
    assert not any(k.endswith("traceparent") for k, _v in headers)
    assert "traceparent" not in structured(event)
    assert from_kafka(headers, value) == event


def test_a_malformed_trace_context_is_ignored_not_refused() -> None:
    _key, value, headers = to_kafka(_event())
    headers.append(("ce_traceparent", b"00-not-a-trace"))
    assert from_kafka(headers, value).traceparent is None


def test_off_by_default_nothing_is_traced() -> None:
    assert not tracing.enabled()
    assert tracing.current_traceparent() is None
    with tracing.span("x", SpanKind.INTERNAL, TRACEPARENT) as nothing:
        assert nothing is None
        assert tracing.current_traceparent() is None
    event: dict[str, Any] = {"event": "x"}
    assert tracing.add_trace_ids(None, "info", event) == {"event": "x"}


def test_settings_read_the_standard_otlp_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    assert ServiceSettings().otlp_endpoint is None
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318")
    assert ServiceSettings().otlp_endpoint == "http://collector:4318"
    monkeypatch.setenv("BUM_OTLP_ENDPOINT", "http://other:4318")
    assert ServiceSettings().otlp_endpoint == "http://other:4318"


def test_an_endpoint_switches_otlp_export_on() -> None:
    tracing.configure_tracing("visitation", None)
    assert not tracing.enabled()
    before = tracing._provider
    try:
        tracing.configure_tracing("visitation", "http://127.0.0.1:9/")
        assert tracing.enabled()
        assert tracing._provider.resource.attributes["service.name"] == "bum-visitation"
    finally:
        provider = tracing.use_provider(before)
        provider.shutdown()  # no span was made: nothing is sent


def test_log_lines_carry_the_current_span(
    spans: InMemorySpanExporter, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(logging, "basicConfig", lambda **_: None)  # the root logger stays
    before = structlog.get_config()
    try:
        configure_logging("visitation", "info")
        logger = structlog.get_logger("test")
        with tracing.span("request", SpanKind.SERVER, TRACEPARENT) as current:
            assert current is not None
            logger.info("inside")
        logger.info("outside")
    finally:
        structlog.configure(**before)
    inside, outside = (json.loads(line) for line in capsys.readouterr().out.splitlines())
    assert inside["trace_id"] == "4bf92f3577b34da6a3ce929d0e0e4736"
    assert inside["span_id"] == format(current.get_span_context().span_id, "016x")
    assert inside["span_id"] != "00f067aa0ba902b7"  # our span, child of the caller's
    assert "trace_id" not in outside and "span_id" not in outside


def _api() -> FastAPI:
    api = FastAPI()
    api.add_middleware(tracing.TraceRequests)

    @api.get("/sager/{sag_id}")
    def sag(sag_id: str) -> dict[str, str | None]:
        # Runs in the thread pool, where the request's span is still current.
        return {"traceparent": tracing.current_traceparent()}

    return api


def test_requests_are_spans_named_by_route(spans: InMemorySpanExporter) -> None:
    r = TestClient(_api()).get("/sager/123", headers={"traceparent": TRACEPARENT})
    assert r.status_code == 200
    (server,) = spans.get_finished_spans()
    assert server.name == "GET /sager/{sag_id}"
    assert server.kind == SpanKind.SERVER
    assert server.parent is not None and server.parent.span_id == 0x00F067AA0BA902B7
    assert server.context is not None
    assert server.context.trace_id == 0x4BF92F3577B34DA6A3CE929D0E0E4736
    assert (server.attributes or {})["http.response.status_code"] == 200
    assert (server.attributes or {})["http.route"] == "/sager/{sag_id}"
    # The endpoint saw the request's span: what it stores carries that.
    assert r.json()["traceparent"].split("-")[2] == format(server.context.span_id, "016x")


def test_requests_pass_straight_through_while_off() -> None:
    r = TestClient(_api()).get("/sager/123", headers={"traceparent": TRACEPARENT})
    assert r.status_code == 200 and r.json() == {"traceparent": None}


def test_a_daily_check_is_a_trace_of_its_own(spans: InMemorySpanExporter) -> None:
    stop, seen = threading.Event(), []

    def frister(dag: date) -> list[object]:
        seen.append(tracing.current_traceparent())
        stop.set()
        return []

    koer_periodisk("fristkontrol", [frister], stop, 0, lambda: date(2027, 1, 9))
    (check,) = spans.get_finished_spans()
    assert check.name.startswith("fristkontrol ") and check.parent is None
    assert check.context is not None
    (traceparent,) = seen  # what the check stored carries the check's span
    assert traceparent is not None
    assert traceparent.split("-")[1:3] == [
        f"{check.context.trace_id:032x}",
        f"{check.context.span_id:016x}",
    ]
