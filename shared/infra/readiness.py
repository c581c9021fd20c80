"""Liveness and readiness, apart: an orchestrator restarts a process that is not live, and
sends no traffic to one that is not ready.

Live: the process answers HTTP. Ready: its event store answers a query, its broker answers
a metadata request, and none of its consumer groups is far behind (committed offset against
the partition's end). A service that is not ready says why in the body (503), so whoever
looks at a failing health check sees which dependency to fix.

Tansu reports the base offset of the last record batch + 1 as a partition's end (see
relay.py), so the lag measured here can trail the real one by up to one batch: enough to
tell a consumer that is far behind from one that keeps up, which is all readiness needs.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import structlog
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from kafka import KafkaAdminClient, KafkaConsumer, TopicPartition
from pydantic import BaseModel, Field

from shared.infra.kafka_clients import security_options
from shared.infra.settings import ReadinessSettings

if TYPE_CHECKING:
    from shared.infra.runner import ServiceWiring

log = structlog.get_logger("readiness")


@dataclass
class Svar:
    """One readiness answer: the checks done and, if any failed, why."""

    klar: bool
    aarsager: list[str] = field(default_factory=list)
    kontroller: dict[str, Any] = field(default_factory=dict)

    def body(self, service: str) -> dict[str, Any]:
        return {
            "status": "ready" if self.klar else "not_ready",
            "service": service,
            "reasons": self.aarsager,
            "checks": self.kontroller,
        }


class Readiness:
    """The readiness checks of one service, run against what its wiring holds."""

    def __init__(self, wiring: ServiceWiring, settings: ReadinessSettings) -> None:
        self.wiring = wiring
        self.settings = settings
        self._lock = threading.Lock()
        self._cached: tuple[float, Svar] | None = None
        self._admin: Any = None
        self._metadata: Any = None
        #: Group -> (topic, partition) -> messages behind, from the last broker check;
        #: /metrics shows it per partition (empty while the broker is unreachable).
        self.partition_lags: dict[str, dict[tuple[str, int], int]] = {}

    # -- the answer ------------------------------------------------------------------
    def check(self) -> Svar:
        with self._lock:  # concurrent probes wait for one round of checks, not start more
            now = time.monotonic()
            if self._cached and now - self._cached[0] < self.settings.cache_seconds:
                return self._cached[1]
            svar = self._check()
            self._cached = (time.monotonic(), svar)
            if not svar.klar:
                log.warning("not_ready", reasons=svar.aarsager)
            return svar

    def _check(self) -> Svar:
        svar = Svar(klar=True)
        self._check_store(svar)
        if self._bootstrap():
            self._check_broker(svar)
        svar.klar = not svar.aarsager
        return svar

    # -- store ---------------------------------------------------------------------------
    def _apps(self) -> list[Any]:
        apps = {id(r.app): r.app for r in self.wiring.relays}
        apps |= {id(c.app): c.app for c in self.wiring.consumers}
        return list(apps.values())

    def _check_store(self, svar: Svar) -> None:
        for app in self._apps():
            try:
                # The cheapest query every recorder answers; on PostgreSQL it needs a pooled
                # connection, which the store's own timeout bounds (db_timeout_seconds).
                app.process_recorder.max_notification_id()
            except Exception as exc:
                svar.kontroller["store"] = "unreachable"
                svar.aarsager.append(
                    f"Hændelseslageret svarer ikke / event store unreachable: {_kort(exc)}"
                )
                return
        svar.kontroller["store"] = "ok"

    # -- broker and consumer lag -------------------------------------------------------
    def _bootstrap(self) -> str:
        bootstraps = [r.bootstrap for r in self.wiring.relays]
        bootstraps += [c.bootstrap for c in self.wiring.consumers]
        return bootstraps[0] if bootstraps else ""

    def _clients(self) -> tuple[Any, Any]:
        if self._admin is None or self._metadata is None:
            self._close()
            options = {
                "bootstrap_servers": self._bootstrap(),
                **security_options(),
                "request_timeout_ms": self.settings.timeout_ms,
                "bootstrap_timeout_ms": self.settings.timeout_ms,
                "reconnect_backoff_max_ms": 1000,
            }
            self._admin = KafkaAdminClient(**options)
            self._metadata = KafkaConsumer(group_id=None, enable_auto_commit=False, **options)
        return self._admin, self._metadata

    def _close(self) -> None:
        for client in (self._admin, self._metadata):
            if client is not None:
                try:
                    client.close()
                except Exception as exc:  # a client of a dead broker may fail to close
                    log.debug("readiness_client_close_failed", error=repr(exc))
        self._admin = self._metadata = None

    def _check_broker(self, svar: Svar) -> None:
        try:
            admin, metadata = self._clients()
            metadata.topics()  # a metadata round trip: the broker answers
            svar.kontroller["broker"] = "ok"
            lags = [self._lag(admin, metadata, c.group_id, c.topics) for c in self.wiring.consumers]
        except Exception as exc:
            # Built anew next time: a client of a broker that went away may not recover.
            self._close()
            self.partition_lags = {}
            svar.kontroller["broker"] = "unreachable"
            svar.aarsager.append(f"Brokeren svarer ikke / broker unreachable: {_kort(exc)}")
            return
        svar.kontroller["consumers"] = lags
        for lag in lags:
            if lag["lag"] > self.settings.max_lag:
                svar.aarsager.append(
                    f"Forbrugeren {lag['group']} er {lag['lag']} beskeder bagud / consumer "
                    f"group {lag['group']} is {lag['lag']} messages behind "
                    f"(more than {self.settings.max_lag})"
                )

    def _lag(self, admin: Any, metadata: Any, group: str, topics: list[str]) -> dict[str, Any]:
        tps = [
            TopicPartition(topic, p)
            for topic in topics
            for p in sorted(metadata.partitions_for_topic(topic) or ())
        ]
        if not tps:
            self.partition_lags[group] = {}
            return {"group": group, "lag": 0}
        committed = admin.list_group_offsets({group: tps}).get(group, {})
        ends = metadata.end_offsets(tps)
        # A partition the group never committed on is read from its start (auto reset
        # "earliest"), so everything in it is still to be applied.
        starts = metadata.beginning_offsets(tps)
        lags: dict[tuple[str, int], int] = {}
        for tp in tps:
            done = committed.get(tp)
            at = done.offset if done is not None and done.offset >= 0 else starts.get(tp, 0)
            lags[(tp.topic, tp.partition)] = max(0, ends.get(tp, 0) - at)
        self.partition_lags[group] = lags
        return {"group": group, "lag": sum(lags.values())}


def _kort(exc: BaseException) -> str:
    """The error's type and first line: enough to act on, no stack in a probe's body."""
    name = type(exc).__name__
    lines = str(exc).strip().splitlines()
    first = lines[0][:200] if lines else ""
    # Some errors (kafka-python's) start their text with their own name already.
    return first if first.startswith(name) else f"{name}: {first}" if first else name


class Liveness(BaseModel):
    status: str = Field(examples=["live"])
    service: str


def add_probes(app: FastAPI, service: str, readiness: Readiness) -> None:
    """`/health/live` and `/health/ready` beside `/health` (which stays as it is: the
    progress figures tests and `make run` read). Public, like `/health`: no personal data."""

    @app.get(
        "/health/live",
        tags=["drift"],
        response_model=Liveness,
        summary="Liveness: the process answers",
    )
    def live() -> Liveness:
        return Liveness(status="live", service=service)

    # The orchestrator's probe (infra/README.md), not an operation of the API: left out of
    # the OpenAPI, where its 503 would read as a fault to generated clients and fuzzers.
    @app.get("/health/ready", include_in_schema=False)
    def ready() -> JSONResponse:
        # A sync route: the checks block (store query, broker round trip) on a worker thread.
        svar = readiness.check()
        return JSONResponse(svar.body(service), status_code=200 if svar.klar else 503)
