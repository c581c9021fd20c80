"""Running one service: its API under uvicorn (uvloop) plus its relay and consumer threads."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import structlog
import uvicorn
from fastapi import FastAPI

from shared.infra import kafka_clients, tid, tracing
from shared.infra.consumer import EventConsumer
from shared.infra.contract_routes import add_contract_routes
from shared.infra.logging import configure_logging
from shared.infra.metrics import add_metrics
from shared.infra.readiness import Readiness, add_probes
from shared.infra.relay import OutboxRelay
from shared.infra.settings import ReadinessSettings, ServiceSettings
from shared.infra.tracing import configure_tracing

log = structlog.get_logger("runner")


@dataclass
class ServiceWiring:
    name: str
    api: FastAPI
    relays: list[OutboxRelay] = field(default_factory=list)
    consumers: list[EventConsumer] = field(default_factory=list)
    #: `/metrics` and its middleware (BUM_METRICS_ENABLED; off only to measure its cost).
    metrics: bool = True
    #: The readiness probe's limits (the service's settings.ready).
    readiness: ReadinessSettings = field(default_factory=ReadinessSettings)

    def __post_init__(self) -> None:
        # Every service publishes its contracts, probes and metrics the same way; wired
        # once, here.
        add_contract_routes(self.api, self.relays)
        readiness = Readiness(self, self.readiness)
        add_probes(self.api, self.name, readiness)
        if self.metrics:
            add_metrics(self.api, self, readiness)

    def status(self) -> dict[str, Any]:
        apps = {id(r.app): r.app for r in self.relays} | {id(c.app): c.app for c in self.consumers}
        return {
            "group_commit": [app.group_commit_status() for app in apps.values()],
            # The commands' aggregates kept in memory (aggregate_cache.py): size, hits...
            "aggregate_cache": [app.cache_status() for app in apps.values()],
            # Per topic, as when each topic had a relay of its own.
            "relays": [
                {
                    "topic": topic,
                    "position": state.position,
                    "published": r.published[topic],
                    # Several processes over one store: one publishes, the others stand
                    # by (relay_lease.py); a standby's position is where it last led.
                    "rolle": "leder" if r.leder else "standby",
                }
                for r in self.relays
                for topic, state in r.states.items()
            ],
            "consumers": [
                {
                    "topics": c.topics,
                    "applied": c.applied,
                    "duplicates": c.duplicates,
                    "dead_lettered": c.dead_lettered,
                    "dead_letters_failed_again": c.dead_letters_failed_again,
                    "redrives_for_other_groups": c.redrives_for_other_groups,
                    "gaps_passed_over": c.gaps_passed_over,
                    "parked_cases": len(c.parked),
                    "assigned_partitions": c.assigned_partitions,
                    "aggregate_cache": c.cache.status() if c.cache is not None else {},
                }
                for c in self.consumers
            ],
        }


class BackgroundWorkers:
    """Relays and consumers, each on its own thread, stopped together."""

    def __init__(self, wiring: ServiceWiring) -> None:
        self.stop = threading.Event()
        self.threads = [
            threading.Thread(
                target=w.run, args=(self.stop,), name=f"{wiring.name}-{kind}", daemon=True
            )
            for kind, workers in (("relay", wiring.relays), ("consumer", wiring.consumers))
            for w in workers
        ]

    def start(self) -> None:
        for t in self.threads:
            t.start()

    def shutdown(self, timeout: float = 10.0) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(timeout)


def serve(wiring: ServiceWiring, settings: ServiceSettings, default_port: int) -> None:
    port = settings.port or default_port
    workers = BackgroundWorkers(wiring)
    workers.start()
    log.info("service_starting", url=f"http://{settings.host}:{port}")
    try:
        # uvloop + httptools: with the default loop every keep-alive request pays ~44 ms.
        uvicorn.run(
            wiring.api,
            host=settings.host,
            port=port,
            loop="uvloop",
            http="httptools",
            log_config=None,
            access_log=False,
            timeout_graceful_shutdown=5,
        )
    finally:
        workers.shutdown()
        tracing.shutdown()  # export the spans still buffered
        log.info("service_stopped")


def main(name: str, default_port: int, build: Callable[[ServiceSettings], ServiceWiring]) -> None:
    """Entry point of `python -m services.<name>`: the settings tree is read here, once,
    and passed down."""
    settings = ServiceSettings()
    configure_logging(name, settings.log_level)
    configure_tracing(name, settings.otlp_endpoint)
    # Before anything is built: the applications and routes read this clock only (the
    # wiring hands `tid.UR` to each application), and every Kafka client these settings.
    tid.UR.set_offset(settings.clock_offset_seconds)
    kafka_clients.configure(settings.kafka)
    serve(build(settings), settings, default_port)
