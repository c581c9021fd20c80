"""`/metrics` in the Prometheus exposition format, the same for every service (issue 18).

What is measured, and where the cost is paid:
- per request, in a pure ASGI middleware: latency per method, route *template* and status,
  and for commands (POST, PUT, PATCH, DELETE) their outcome (201, 409, 422 ...). A raw
  path names citizens, cases and visits; a template never does, and an unmatched path
  (401 before routing, 404) is labelled `unmatched`;
- per store call: group-commit batch sizes and the latency of commits, relay reads and
  aggregate loads (`Timings`, held by each application, no-op when metrics are off);
- at scrape time, by a collector reading what the wiring already counts for `/health`:
  relay lag per topic (the store's last position minus the relay's), consumer lag per
  partition (from the readiness check, cached 1 s), the age of the oldest message a
  consumer holds unapplied, dead letters, parked cases. Nothing is added per message.

Every series is labelled by service parts (route, topic, group, partition, event type),
never by an id of a citizen or case. Each service gets its own registry: tests build
several apps in one process, and the default registry would mix (or refuse) them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import structlog
from fastapi import FastAPI
from fastapi.responses import Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    Metric,
)
from prometheus_client.process_collector import ProcessCollector
from prometheus_client.registry import Collector
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.infra.sagsfejl import SAGSFEJL, Sagsfejltaeller

if TYPE_CHECKING:
    from shared.infra.readiness import Readiness
    from shared.infra.runner import ServiceWiring

log = structlog.get_logger("metrics")

METRICS_PATH = "/metrics"
#: The methods whose answers are command outcomes (201 done, 409 lost a race, 422 refused).
COMMAND_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: Label of a request no route matched (refused before routing, or an unknown path).
UNMATCHED = "unmatched"
#: Methods labelled as themselves; anyone may send any other (before a token is checked),
#: so those share one label and cannot grow the series without bound.
METHODS = frozenset({"GET", "HEAD", "OPTIONS", *COMMAND_METHODS})

#: Requests: a read from memory takes ~1 ms, a command ~5-30 ms, a report seconds.
HTTP_BUCKETS = (0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
#: Store calls: a commit with fsync takes ~1-5 ms on a local disk.
STORE_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0)
#: Commands per group-commit transaction (group_commit.py caps it at 500).
BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256, 500)


class Timings:
    """Histograms a store application fills as it calls the store: latency per operation
    and commands per group-commit transaction. Not registered anywhere: the service's
    collector hands them to its registry, so two applications in one process stay apart.
    Off (metrics disabled), every call is a single attribute test."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self.store_calls = Histogram(
            "bum_store_call_duration_seconds",
            "Latency of calls to the event store, by operation",
            ["operation"],
            buckets=STORE_BUCKETS,
            registry=None,
        )
        self.batch_sizes = Histogram(
            "bum_group_commit_batch_size",
            "Commands stored per group-commit transaction",
            buckets=BATCH_BUCKETS,
            registry=None,
        )
        # labels() takes a lock and builds a tuple; the few operations are looked up once.
        self._children: dict[str, Any] = {}

    def store_call(self, operation: str, seconds: float) -> None:
        if not self.enabled:
            return
        child = self._children.get(operation)
        if child is None:
            child = self._children[operation] = self.store_calls.labels(operation)
        child.observe(seconds)

    def batch(self, commands: int) -> None:
        if self.enabled:
            self.batch_sizes.observe(commands)

    def collect(self) -> Iterator[Metric]:
        yield from self.store_calls.collect()
        yield from self.batch_sizes.collect()


class RequestMetrics:
    """ASGI middleware: latency per (method, route template, status), and command outcomes.

    Outermost, so it also counts what is refused before routing (401, 413). The template
    is read from the scope after the inner app ran: the router puts the matched route
    there (as `authorize` in access.py reads it)."""

    def __init__(self, app: ASGIApp, *, registry: CollectorRegistry) -> None:
        self.app = app
        self.latency = Histogram(
            "bum_http_request_duration_seconds",
            "HTTP request latency by method, route template and status",
            ["method", "route", "status"],
            buckets=HTTP_BUCKETS,
            registry=registry,
        )
        self.commands = Counter(
            "bum_http_commands",
            "Command outcomes (POST, PUT, PATCH, DELETE) by route template and status",
            ["method", "route", "status"],
            registry=registry,
        )
        # (method, route, status) -> (histogram child, counter child or None): labels()
        # costs a lock and argument checks, a dict lookup does not.
        self._children: dict[tuple[str, str, int], tuple[Any, Any]] = {}
        self._lock = threading.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the client gets if nothing answers (InterneFejl re-raised)

        async def send_noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_noting_status)
        finally:
            self._observe(scope, status, time.perf_counter() - started)

    def _observe(self, scope: Scope, status: int, seconds: float) -> None:
        route = scope.get("route")
        template = getattr(route, "path", None) or UNMATCHED
        method = scope["method"] if scope["method"] in METHODS else "other"
        key = (method, template, status)
        children = self._children.get(key)
        if children is None:
            with self._lock:
                children = self._children.get(key)
                if children is None:
                    labels = (key[0], key[1], str(status))
                    children = (
                        self.latency.labels(*labels),
                        self.commands.labels(*labels) if key[0] in COMMAND_METHODS else None,
                    )
                    self._children[key] = children
        children[0].observe(seconds)
        if children[1] is not None:
            children[1].inc()


class WiringCollector(Collector):
    """What the service's relays and consumers count, read at scrape time."""

    def __init__(
        self, wiring: ServiceWiring, readiness: Readiness, sagsfejl: Sagsfejltaeller = SAGSFEJL
    ) -> None:
        self.wiring = wiring
        self.readiness = readiness
        self.sagsfejl = sagsfejl

    def collect(self) -> Iterator[Metric]:
        apps = {id(r.app): r.app for r in self.wiring.relays}
        apps |= {id(c.app): c.app for c in self.wiring.consumers}
        for app in apps.values():
            yield from app.timings.collect()
        yield from self._group_commit(list(apps.values()))
        yield from self._relays()
        yield from self._consumers()
        yield from self._consumer_lag()
        yield self._sagsfejl()

    def _sagsfejl(self) -> Metric:
        # Counted per process (sagsfejl.py), by where in the code; /health lists the cases.
        left_out = CounterMetricFamily(
            "bum_sagsfejl",
            "Times a case was left out of an answer because a rule could not handle it",
            labels=["hvor"],
        )
        for hvor, n in sorted(self.sagsfejl.status()["pr_sted"].items()):
            left_out.add_metric([hvor], n)
        return left_out

    def _group_commit(self, apps: list[Any]) -> Iterator[Metric]:
        pending = GaugeMetricFamily(
            "bum_group_commit_pending", "Commands handed to the group commit, not yet answered"
        )
        transactions = CounterMetricFamily(
            "bum_group_commit_transactions", "Transactions the group commit stored"
        )
        for app in apps:
            status = app.group_commit_status()
            if status:
                pending.add_metric([], status["pending"])
                transactions.add_metric([], status["transactions"])
        yield pending
        yield transactions

    def _relays(self) -> Iterator[Metric]:
        lag = GaugeMetricFamily(
            "bum_relay_lag_events",
            "Store notifications not yet published: the log's last position minus the relay's",
            labels=["topic"],
        )
        published = CounterMetricFamily(
            "bum_relay_published_events",
            "Events the relay published, by topic and event type",
            labels=["topic", "event_type"],
        )
        leader = GaugeMetricFamily(
            "bum_relay_leader",
            "1 if this process's relay publishes its store, 0 if it stands by (relay_lease.py)",
            labels=["source"],
        )
        for relay in self.wiring.relays:
            leader.add_metric([relay.source], 1 if relay.leder else 0)
            for (topic, event_type), n in list(relay.published_by_type.items()):
                published.add_metric([topic, event_type], n)
            if not relay.leder:
                continue  # a standby's positions are where it last led: the leader's lag counts
            try:
                last = relay.app.process_recorder.max_notification_id() or 0
            except Exception as exc:  # the store is away: /health/ready says so; no lag now
                log.debug("metrics_store_unreachable", error=repr(exc))
                last = None
            for topic, state in list(relay.states.items()):
                if last is not None:
                    lag.add_metric([topic], max(0, last - state.position))
        yield lag
        yield published
        yield leader

    def _consumers(self) -> Iterator[Metric]:
        messages = CounterMetricFamily(
            "bum_consumer_messages",
            "Messages a consumer group handled, by outcome",
            labels=["group", "outcome"],
        )
        dead = CounterMetricFamily(
            "bum_consumer_dead_letters",
            "Messages sent to the dead-letter topic for the first time",
            labels=["group"],
        )
        again = CounterMetricFamily(
            "bum_consumer_dead_letters_failed_again",
            "Re-driven dead letters that failed again",
            labels=["group"],
        )
        parked = GaugeMetricFamily(
            "bum_consumer_parked_cases",
            "Cases whose events wait behind a dead letter",
            labels=["group"],
        )
        age = GaugeMetricFamily(
            "bum_consumer_oldest_unapplied_age_seconds",
            "Age of the oldest message the consumer has fetched and not yet applied "
            "(0 when it holds none)",
            labels=["group"],
        )
        now_ms = time.time() * 1000  # broker timestamps are the host's clock, not tid's
        for c in self.wiring.consumers:
            g = c.group_id
            messages.add_metric([g, "applied"], c.applied)
            messages.add_metric([g, "duplicate"], c.duplicates)
            messages.add_metric([g, "gap"], c.gaps_passed_over)
            messages.add_metric([g, "redrive_for_other_group"], c.redrives_for_other_groups)
            dead.add_metric([g], c.dead_lettered)
            again.add_metric([g], c.dead_letters_failed_again)
            parked.add_metric([g], len(c.parked))
            oldest = c.oldest_unapplied_ms
            age.add_metric([g], 0.0 if oldest is None else max(0.0, (now_ms - oldest) / 1000))
        yield from (messages, dead, again, parked, age)

    def _consumer_lag(self) -> Iterator[Metric]:
        lag = GaugeMetricFamily(
            "bum_consumer_lag_messages",
            "Messages a consumer group trails a partition by (end offset minus committed)",
            labels=["group", "topic", "partition"],
        )
        ready = GaugeMetricFamily(
            "bum_ready", "1 when /health/ready answers ready (store, broker, consumer lag)"
        )
        if self.wiring.relays or self.wiring.consumers:
            svar = self.readiness.check()  # cached for a second: a burst of scrapes is free
            ready.add_metric([], 1.0 if svar.klar else 0.0)
            for group, partitions in list(self.readiness.partition_lags.items()):
                for (topic, partition), n in sorted(partitions.items()):
                    lag.add_metric([group, topic, str(partition)], n)
        yield lag
        yield ready


def add_metrics(api: FastAPI, wiring: ServiceWiring, readiness: Readiness) -> CollectorRegistry:
    """The middleware and `GET /metrics` on a service's app (public, like `/health`: the
    series carry no personal data and no ids; access.py lists the path)."""
    registry = CollectorRegistry(auto_describe=False)
    ProcessCollector(registry=registry)  # CPU seconds, memory, open files of the process
    registry.register(WiringCollector(wiring, readiness))
    api.add_middleware(RequestMetrics, registry=registry)

    # Prometheus' scrape, not an operation of the API: left out of the OpenAPI. A sync
    # route: the collector queries the store and the broker (on a worker thread).
    @api.get(METRICS_PATH, include_in_schema=False)
    def metrics() -> Response:
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    return registry
