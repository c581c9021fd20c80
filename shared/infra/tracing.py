"""OpenTelemetry tracing across HTTP and Kafka, off unless an OTLP endpoint is configured.

One trace follows a command through the outbox: the request's span is current while the
command runs, and each event the command stores carries the span's W3C `traceparent`
beside its own attributes (stamped in the request thread, because the group commit writes
from another one). The relay publishes it as the CloudEvents distributed-tracing extension
(`ce_traceparent`, the event's origin, the same on every re-publish) and its own publish
span as a plain `traceparent` header; the consumer makes its span, a child of that, current
while the handler runs and stores, so what the handler stores carries the trace onward.
Events stored before tracing, or while it is off, have no traceparent and publish as before.

Off (no endpoint): no SDK provider, no spans, no headers parsed; each hook costs one check.
Tests hand in a provider of their own (`use_provider`) rather than the process-global one,
so tracing in one test leaves the next one untouched.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any
from uuid import UUID

import structlog
from eventsourcing.persistence import Mapper, StoredEvent
from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.trace import SpanKind, Status, StatusCode
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = structlog.get_logger("tracing")

TRACEPARENT = "traceparent"
#: Key of the traceparent in a stored event's state. Never part of the domain event: the
#: library hands an event's attributes to the aggregate's methods as keyword arguments.
STORED_KEY = "_traceparent"

_propagator = TraceContextTextMapPropagator()
_provider: Any = None  # an SDK TracerProvider while tracing is on
_tracer: trace.Tracer | None = None


# -- switching on ------------------------------------------------------------------------


def use_provider(provider: Any) -> Any:
    """Trace with `provider` (None: off); returns the one used before."""
    global _provider, _tracer
    before = _provider
    _provider = provider
    _tracer = None if provider is None else provider.get_tracer("bum")
    return before


def enabled() -> bool:
    return _tracer is not None


def configure_tracing(service: str, otlp_endpoint: str | None) -> None:
    """Export spans over OTLP/HTTP to `otlp_endpoint` (a collector's base URL, or its
    `/v1/traces` URL); None leaves tracing off and imports nothing more."""
    if not otlp_endpoint:
        return
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    url = otlp_endpoint.rstrip("/")
    if not url.endswith("/v1/traces"):
        url += "/v1/traces"
    provider = TracerProvider(resource=Resource.create({"service.name": f"bum-{service}"}))
    # Batched on a thread of the SDK's own: a slow or absent collector never holds a request.
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=url)))
    use_provider(provider)
    log.info("tracing_on", endpoint=url)


def shutdown() -> None:
    """Export what is buffered (at service stop)."""
    if _provider is not None:
        _provider.shutdown()


# -- context ---------------------------------------------------------------------------


def current_traceparent() -> str | None:
    """The current span's W3C traceparent, when tracing is on and a span is current."""
    if _tracer is None:
        return None
    carrier: dict[str, str] = {}
    _propagator.inject(carrier)
    return carrier.get(TRACEPARENT)


def _parent(traceparent: str | None) -> otel_context.Context | None:
    if not traceparent:
        return None
    return _propagator.extract({TRACEPARENT: traceparent})


@contextmanager
def span(
    name: str,
    kind: SpanKind,
    parent: str | None = None,
    attributes: dict[str, Any] | None = None,
) -> Iterator[trace.Span | None]:
    """A span, current inside the block, child of the `parent` traceparent (a new trace
    without one); None and nothing else while tracing is off."""
    if _tracer is None:
        yield None
        return
    with _tracer.start_as_current_span(
        name, context=_parent(parent), kind=kind, attributes=attributes
    ) as current:
        yield current


def start_span(name: str, kind: SpanKind, parent: str | None, attributes: dict[str, Any]) -> Any:
    """A span that is not made current (the relay ends it once the broker has the message);
    None while tracing is off."""
    if _tracer is None:
        return None
    return _tracer.start_span(name, context=_parent(parent), kind=kind, attributes=attributes)


def traceparent_of(span_: Any) -> str | None:
    if span_ is None:
        return None
    carrier: dict[str, str] = {}
    _propagator.inject(carrier, context=trace.set_span_in_context(span_))
    return carrier.get(TRACEPARENT)


@contextmanager
def current(span_: Any) -> Iterator[None]:
    """`span_` current inside the block (not ended by it); nothing for None."""
    if span_ is None:
        yield
        return
    with trace.use_span(span_, end_on_exit=False):
        yield


# -- stored events ---------------------------------------------------------------------


def stamp(events: Iterable[Any]) -> None:
    """Give the events the current traceparent, unless they have one (a consumer batch
    stamps each message's events while its span is current, then stores them together)."""
    traceparent = current_traceparent()
    if traceparent is None:
        return
    for event in events:
        vars(event).setdefault(STORED_KEY, traceparent)


class TracingMapper(Mapper[UUID]):
    """The library's mapper; a stamped event stores its traceparent (the library stores an
    event's attributes as they are), and it is taken off again when the event is read."""

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        return self.to_domain_event_traced(stored_event)[0]

    def to_domain_event_traced(self, stored_event: StoredEvent) -> tuple[Any, str | None]:
        event = super().to_domain_event(stored_event)
        traceparent = vars(event).pop(STORED_KEY, None)
        return event, traceparent


def decode_traced(mapper: Any, stored_event: Any) -> tuple[Any, str | None]:
    """A stored event as domain event, with the traceparent it was stored with (or None)."""
    if isinstance(mapper, TracingMapper):
        return mapper.to_domain_event_traced(stored_event)
    return mapper.to_domain_event(stored_event), None


# -- logs ------------------------------------------------------------------------------


def log_ids(span_: Any) -> dict[str, str]:
    """`trace_id` and `span_id` (hex) of a span, for a log line written outside it."""
    if span_ is None:
        return {}
    ctx = span_.get_span_context()
    if not ctx.is_valid:
        return {}
    return {"trace_id": format(ctx.trace_id, "032x"), "span_id": format(ctx.span_id, "016x")}


def add_trace_ids(_: object, __: str, event: structlog.typing.EventDict) -> Any:
    """structlog processor: the current span's `trace_id` and `span_id` (hex), if any."""
    if _tracer is None or "trace_id" in event:
        return event
    event.update(log_ids(trace.get_current_span()))
    return event


# -- HTTP ------------------------------------------------------------------------------


class TraceRequests:
    """ASGI middleware: a server span per HTTP request, child of the caller's `traceparent`
    header when it sends one, named by the route template (not the path: ids in paths
    would make every request a name of its own)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if _tracer is None or scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = None
        for name, value in scope.get("headers", ()):
            if name == b"traceparent":
                incoming = value.decode("latin-1")
                break
        method = scope.get("method", "")
        with span(
            f"{method} {scope.get('path', '')}",
            SpanKind.SERVER,
            parent=incoming,
            attributes={"http.request.method": method, "url.path": scope.get("path", "")},
        ) as server:
            assert server is not None

            async def send_status(message: Message) -> None:
                if message["type"] == "http.response.start":
                    status = int(message["status"])
                    server.set_attribute("http.response.status_code", status)
                    if status >= 500:
                        server.set_status(Status(StatusCode.ERROR))
                await send(message)

            try:
                await self.app(scope, receive, send_status)
            finally:
                route = getattr(scope.get("route"), "path", None)
                if route:
                    server.update_name(f"{method} {route}")
                    server.set_attribute("http.route", route)
