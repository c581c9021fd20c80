"""The bench's phases, in order, each on infrastructure it starts and stops itself."""

from __future__ import annotations

import math
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import psycopg

from bench import rawsql
from bench.env import (
    BareService,
    new_stack,
    postmaster_pid,
    start_postgres,
    wait_quiet,
    wait_relay_idle,
)
from bench.metrics_cost import metrics_phase
from bench.presets import Preset
from bench.profile import stage_profile
from bench.propagation import lag_figures, offer_decisions, wait_effects
from bench.seed import Order, seed_aged_orders, seed_cases, seed_orders
from bench.stats import CpuMeter, descendants, peak_rss_mib
from bench.supervision_phase import supervision_phase
from bench.throughput import (
    SYNK_POSTER,
    bare_queues,
    delivery_queues,
    keyed_delivery_queues,
    run_closed,
    run_open,
    sync_queues,
    trust_bench_keys,
)
from infra.local.broker import TansuBroker
from infra.local.pg_cluster import PrivateCluster
from services.provider.application.provider_app import ProviderApplication
from services.visitation.application.visitation_app import VisitationApplication
from shared.infra.eventstore import store_env
from shared.infra.settings import ServiceSettings

VISITS_PER_ORDER = 28


def _env(url: str, name: str) -> dict[str, str]:
    return store_env(ServiceSettings(store="postgres", database_url=url), name)


def _meter(pg: PrivateCluster, server_pid: int | None) -> CpuMeter:
    """CPU of the HTTP server (if any), PostgreSQL and this process (the load generator)."""
    postmaster = postmaster_pid(pg)
    groups: dict[str, Any] = {} if server_pid is None else {"server": lambda: [server_pid]}
    groups["postgres"] = lambda: [postmaster, *descendants(postmaster)]
    groups["client"] = lambda: [os.getpid()]
    return CpuMeter(groups)


def throughput_phase(preset: Preset, pg: PrivateCluster, tmp: Path, log: Any) -> dict[str, Any]:
    c = preset.connections
    with TansuBroker() as broker:
        stack = new_stack(broker.bootstrap, tmp, pg, "tp")
        url = stack.database_urls["provider"]
        app = ProviderApplication(env=_env(url, "provider"))
        log("seeding orders")
        warm = seed_orders(app, c)
        closed = seed_orders(app, preset.orders_closed)
        # Deliveries with an Idempotency-Key, and the same deliveries as offline syncs.
        keyed = seed_orders(app, preset.orders_closed)
        synk = seed_orders(app, preset.orders_closed)
        fixed = seed_orders(app, preset.orders_fixed)
        profiled = seed_orders(app, math.ceil(preset.profile_commands / VISITS_PER_ORDER))
        log(f"seeding {preset.orders_aged} aged orders ({preset.aged_days} days, 4 visits a day)")
        seeding = time.monotonic()
        aged = seed_aged_orders(app, max(preset.orders_aged, c), preset.aged_days)
        aged_seconds = time.monotonic() - seeding
        aged_profiled = seed_aged_orders(
            app, math.ceil(preset.aged_profile_commands / VISITS_PER_ORDER), preset.aged_days, 16
        )
        # The stage profile runs this application without a read model: it is told each
        # visit's day, as the service's read model tells the service.
        app.besoegsdato = {
            v: d for o in (*profiled, *aged_profiled) for v, d in o.datoer.items()
        }.get
        provider = stack.services["provider"]
        pg.create_database("tp_bare")
        bare = BareService(pg.url("tp_bare"), tmp / "tp" / "logs" / "bare.log")
        runs: dict[str, Any] = {}
        try:
            provider.start()
            stack.wait_healthy(names=("provider",))
            bare.wait_healthy()
            # The relay publishes the seeded orders first; measuring during that would
            # charge its catch-up to the commands. Aged orders make it long (a year-old
            # order is ~1,490 events to publish), so how long it took is reported.
            catching_up = time.monotonic()
            relay_idle = wait_relay_idle(provider.url, url, "provider_events", preset.quiet_timeout)
            relay_catch_up_s = round(time.monotonic() - catching_up, 1)
            log(f"relay caught up with the seeding in {relay_catch_up_s} s: {relay_idle}")
            assert provider.process is not None
            ours_meter = _meter(pg, provider.process.pid)
            bare_meter = _meter(pg, bare.process.pid)
            per_conn = int(preset.duration * 3000 / c) + 10  # more than any rate seen here
            warmup = min(1.0, preset.duration)
            log("warm-up")
            run_closed("warm-up", provider.port, delivery_queues(warm, c), warmup, ours_meter)
            run_closed("warm-up", bare.port, bare_queues("save", c, 500), warmup, bare_meter)

            log("HTTP floor and baseline (a)")
            runs["http_floor"] = run_closed(
                f"bare FastAPI, parse body, no store ({c} conns)",
                bare.port, bare_queues("noop", c, per_conn), preset.duration, bare_meter,
            )  # fmt: skip
            runs["bare_save"] = run_closed(
                f"(a) bare FastAPI + eventsourcing, one save/request ({c} conns)",
                bare.port, bare_queues("save", c, per_conn), preset.duration, bare_meter,
            )  # fmt: skip
            log("ours: POST levering, closed loop")
            runs["ours"] = run_closed(
                f"BUM provider POST .../levering ({c} conns)",
                provider.port, delivery_queues(closed, c), preset.duration, ours_meter,
            )  # fmt: skip
            # Beside it, in the same run: the same deliveries with a key each, and as offline
            # shift syncs of SYNK_POSTER items a request. Items/s counts the deliveries
            # the store holds afterwards, not requests answered.
            log("ours: POST levering with Idempotency-Key, closed loop")
            runs["ours_keyed"] = run_closed(
                f"BUM provider POST .../levering with Idempotency-Key ({c} conns)",
                provider.port, keyed_delivery_queues(keyed, c), preset.duration, ours_meter,
            )  # fmt: skip
            log("ours: offline shift sync, closed loop")
            before = _deliveries(url)
            runs["sync"] = run_closed(
                f"BUM provider POST .../synkronisering, {SYNK_POSTER} deliveries a request "
                f"({c} conns)",
                provider.port, sync_queues(synk, c), preset.duration, ours_meter,
            )  # fmt: skip
            sync_items = _deliveries(url) - before
            sync_items_per_s = round(sync_items / max(runs["sync"].seconds, 1e-9), 1)
            # The same load against orders a year old: what a delivery costs once history
            # has grown. Right after the young run, so both see the same machine.
            log("ours: POST levering on aged orders, closed loop")
            runs["ours_aged"] = run_closed(
                f"BUM provider POST .../levering, aged orders (~{_mean_events(aged)} events) "
                f"({c} conns)",
                provider.port, delivery_queues(aged, c), preset.duration, ours_meter,
            )  # fmt: skip
            ours_rate = runs["ours"].per_s
            reachable = ours_rate >= preset.fixed_rate * 1.05
            rate = preset.fixed_rate if reachable else max(1.0, round(ours_rate * 0.7))
            log(f"open loop at {rate}/s")
            runs["ours_fixed"] = run_open(
                f"BUM provider at {rate:g}/s offered",
                provider.port, delivery_queues(fixed, c), rate, preset.fixed_duration, ours_meter,
            )  # fmt: skip
            runs["bare_fixed"] = run_open(
                f"(a) bare save at {rate:g}/s offered",
                bare.port, bare_queues("save", c, per_conn), rate, preset.fixed_duration,
                bare_meter,
            )  # fmt: skip

            log("raw psycopg baselines")
            payload = _sample_payload(url)
            pg.create_database("tp_raw")
            raw_url = pg.url("tp_raw")
            rawsql.prepare(raw_url)
            raw_meter = _meter(pg, None)
            raw = preset.raw_duration
            runs["raw_single"] = rawsql.raw_inserts(
                f"(b) psycopg, 1 row/txn ({c} clients)", raw_url, payload, c, raw, meter=raw_meter
            )
            runs["raw_single_locked"] = rawsql.raw_inserts(
                f"psycopg, 1 row/txn + LOCK TABLE EXCLUSIVE ({c} clients)",
                raw_url, payload, c, raw, lock=True, meter=raw_meter,
            )  # fmt: skip
            runs["raw_one_client"] = rawsql.raw_inserts(
                "psycopg, 1 row/txn (1 client: commit+fsync floor)", raw_url, payload, 1, raw
            )
            runs["raw_batch"] = rawsql.raw_inserts(
                f"(c) psycopg, 100 rows/txn ({c} clients)",
                raw_url, payload, c, raw, batch=100, meter=raw_meter,
            )  # fmt: skip
            log("stage profile")
            profile = stage_profile(app, profiled, preset.profile_commands)
            log("stage profile on aged orders")
            profile_aged = stage_profile(app, aged_profiled, preset.aged_profile_commands)
            memory = {"provider (throughput phase)": peak_rss_mib(provider.process.pid)}
            memory["bare baseline service"] = peak_rss_mib(bare.process.pid)
        finally:
            bare.stop()
            stack.stop()
    return {
        "connections": c,
        "fixed_rate": preset.fixed_rate,
        "fixed_rate_reachable": reachable,
        "payload_bytes": len(payload),
        "sync": {
            "items_per_request": SYNK_POSTER,
            "items_applied": sync_items,
            "items_per_s": sync_items_per_s,
        },
        "runs": {k: v.as_dict() for k, v in runs.items()},
        "profile": profile,
        "profile_aged": profile_aged,
        "orders": {
            "young_events_per_order": _mean_events(closed),
            "aged_events_per_order": _mean_events(aged),
            "aged_orders": len(aged),
            "aged_days": preset.aged_days,
            "aged_open_visits": sum(len(o.besoeg_ids) for o in aged),
            "aged_seeding_s": round(aged_seconds, 1),
            # Start of the service and its relay publishing every seeded event; False:
            # the figures below include the rest of that catch-up.
            "relay_catch_up_s": relay_catch_up_s,
            "relay_caught_up": relay_idle,
        },
        "memory_mib": memory,
    }


def _deliveries(url: str) -> int:
    """Deliveries stored in the provider's store (each is one IndsatsLeveret event)."""
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT count(*) FROM provider_events WHERE topic LIKE %s", ("%IndsatsLeveret",)
        ).fetchone()
    return int(row[0]) if row else 0


def _mean_events(orders: list[Order]) -> int:
    return round(sum(o.events for o in orders) / max(len(orders), 1))


def _sample_payload(url: str) -> bytes:
    """The stored state of a real delivery event: (b) and (c) insert exactly these bytes."""
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT state FROM provider_events WHERE topic LIKE '%IndsatsLeveret' LIMIT 1"
        ).fetchone()
    assert row is not None, "no delivery was stored"
    return bytes(row[0])


def _service_meter(pg: PrivateCluster, stack: Any) -> CpuMeter:
    """CPU of each service process, PostgreSQL and this process (seeding, offering)."""
    groups: dict[str, Any] = {
        name: (lambda s=service: [s.process.pid] if s.process is not None else [])
        for name, service in stack.services.items()
    }
    postmaster = postmaster_pid(pg)
    groups["postgres"] = lambda: [postmaster, *descendants(postmaster)]
    groups["bench"] = lambda: [os.getpid()]
    return CpuMeter(groups)


def propagation_phase(preset: Preset, pg: PrivateCluster, tmp: Path, log: Any) -> dict[str, Any]:
    with TansuBroker() as broker:
        stack = new_stack(broker.bootstrap, tmp, pg, "pr")
        urls = stack.database_urls
        app = VisitationApplication(env=_env(urls["visitation"], "visitation"))
        needed = [int(rate * seconds) for rate, seconds in preset.propagation]
        log(f"seeding {sum(needed)} cases")
        cases = seed_cases(app, sum(needed))
        names = ("visitation", "provider", "supervision")
        out: dict[str, Any] = {"rates": {}}
        try:
            stack.start()
            log("waiting for the services to consume the seeded cases")
            out["settled_before"] = wait_quiet(stack, names, preset.quiet_timeout)
            offset = 0
            meter = _service_meter(pg, stack)
            for (rate, seconds), n in zip(preset.propagation, needed, strict=True):
                batch = cases[offset : offset + n]
                offset += n
                log(f"offering decisions at {rate:g}/s")
                meter.start()
                began = time.monotonic()
                offered = offer_decisions(app, batch, rate, seconds)
                complete = wait_effects(urls, batch, preset.quiet_timeout)
                wait_quiet(stack, names, preset.quiet_timeout)
                out["rates"][f"{rate:g}"] = {
                    **offered,
                    "complete": complete,
                    **lag_figures(urls, batch),
                    # Until every effect was in and the consumers were idle again (the
                    # quiet check polls every 0.5 s): CPU per decision shows which process
                    # the two cores went to.
                    "settled_s": round(time.monotonic() - began, 1),
                    "cpu_ms_per_decision": meter.stop(int(offered["decided"])),
                }
            out["memory_mib"] = {
                n: peak_rss_mib(s.process.pid)
                for n, s in stack.services.items()
                if s.process is not None
            }
        finally:
            stack.stop()
    return out


#: Every phase in the order a full run takes them; `--only` picks some.
PHASES = ("throughput", "propagation", "supervision", "metrics")


def run(preset: Preset, log: Any, only: tuple[str, ...] = PHASES) -> dict[str, Any]:
    tmp = Path(tempfile.mkdtemp(prefix="bum-bench-"))
    trust_bench_keys(tmp / "keys")
    log(f"private PostgreSQL; logs under {tmp}")
    pg = start_postgres()
    out: dict[str, Any] = {"preset": preset.name, "cpus": os.cpu_count()}
    try:
        if "throughput" in only:
            out["throughput"] = throughput_phase(preset, pg, tmp, log)
        if "propagation" in only:
            out["propagation"] = propagation_phase(preset, pg, tmp, log)
        if "supervision" in only:
            out["supervision"] = supervision_phase(preset, pg, log)
        if "metrics" in only:
            out["metrics"] = metrics_phase(preset, pg, tmp, log)
        return out
    finally:
        pg.stop()
