"""Figure 6: what `/metrics` costs a command (issue 18: under 3% of a command's CPU).

Two provider processes side by side, on fresh databases of their own, one with metrics
(the default) and one with `BUM_METRICS_ENABLED=false` (no middleware, no `/metrics`, no
store or group-commit timings). The same closed-loop load of deliveries (as figure 1) runs
against each in turn, in the order on, off, off, on, so a machine that gets busier or
quieter during the phase weighs on both alike; the server CPU per command of each is the
sum over its runs. A Prometheus scrape every 15 s is not part of the load: its cost is per
scrape, not per command, and `scrape_ms` reports it beside.
"""

from __future__ import annotations

import asyncio
import math
import time
import urllib.request
from pathlib import Path
from typing import Any

from bench.env import new_stack, wait_relay_idle
from bench.presets import Preset
from bench.seed import seed_orders
from bench.stats import CpuMeter, RunResult, cpu_seconds
from bench.throughput import delivery_queues, run_closed
from infra.local.broker import TansuBroker
from infra.local.pg_cluster import PrivateCluster
from services.provider.application.provider_app import ProviderApplication
from shared.infra.eventstore import store_env
from shared.infra.settings import ServiceSettings

VARIANTS = ("on", "off")
#: A, B, B, A: a trend over the phase (another job starting on the box) cancels out.
ORDER = ("on", "off", "off", "on")
#: The issue's goal: metrics cost under 3% of a command's server CPU.
GOAL_OVERHEAD = 0.03


def in_process_cost(n: int = 100_000) -> dict[str, float]:
    """Process CPU microseconds the metrics add per request (the middleware around an app
    that answers at once) and per command's commit (store call and batch size timings):
    a figure the machine's noise does not blur, beside the end-to-end ratio."""
    from prometheus_client import CollectorRegistry

    from shared.infra.metrics import RequestMetrics, Timings

    class Route:
        path = "/bestillinger/{bestilling_id}/besoeg/{besoeg_id}/levering"

    async def answer(scope: Any, receive: Any, send: Any) -> None:
        scope["route"] = Route
        await send({"type": "http.response.start", "status": 201, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    async def send(message: Any) -> None:
        return None

    async def receive() -> Any:
        return {}

    async def per_request(app: Any) -> float:
        began = time.process_time()
        for _ in range(n):
            await app({"type": "http", "method": "POST", "path": "/"}, receive, send)
        return (time.process_time() - began) / n * 1e6

    bare = asyncio.run(per_request(answer))
    measured = asyncio.run(per_request(RequestMetrics(answer, registry=CollectorRegistry())))
    timings = Timings()
    began = time.process_time()
    for _ in range(n):
        timings.store_call("commit", 0.002)
        timings.batch(4)
    per_commit = (time.process_time() - began) / n * 1e6
    return {
        "middleware_us_per_request": round(measured - bare, 2),
        "timings_us_per_commit": round(per_commit, 2),
    }


def _scrape_ms(url: str, pid: int, times: int = 5) -> float:
    """Server CPU ms per scrape of /metrics (the readiness check's store and broker calls
    included), averaged over a few scrapes."""
    before = cpu_seconds([pid])
    for _ in range(times):
        with urllib.request.urlopen(f"{url}/metrics", timeout=10) as response:
            response.read()
    return round((cpu_seconds([pid]) - before) * 1000 / times, 2)


def metrics_phase(preset: Preset, pg: PrivateCluster, tmp: Path, log: Any) -> dict[str, Any]:
    c = preset.connections
    duration = max(1.0, preset.duration / 2)
    # Enough visits for each run at the fastest rate seen (the preset's orders last figure
    # 1's longer run), per connection at least one order.
    per_run = max(c, math.ceil(preset.orders_closed / 2))
    with TansuBroker() as broker:
        stacks = {v: new_stack(broker.bootstrap, tmp, pg, f"m{v}") for v in VARIANTS}
        stacks["off"].services["provider"].env["BUM_METRICS_ENABLED"] = "false"
        orders: dict[str, list[Any]] = {}
        for variant, stack in stacks.items():
            url = stack.database_urls["provider"]
            settings = ServiceSettings(store="postgres", database_url=url)
            app = ProviderApplication(env=store_env(settings, "provider"))
            log(f"metrics {variant}: seeding {per_run * 2 + c} orders")
            orders[variant] = seed_orders(app, per_run * 2 + c)
            app.close()
        runs: dict[str, list[RunResult]] = {v: [] for v in VARIANTS}
        try:
            for stack in stacks.values():
                stack.services["provider"].start()
            for stack in stacks.values():
                provider = stack.services["provider"]
                stack.wait_healthy(names=("provider",))
                wait_relay_idle(
                    provider.url,
                    stack.database_urls["provider"],
                    "provider_events",
                    preset.quiet_timeout,
                )
            meters, ports, pending = {}, {}, {}
            for variant, stack in stacks.items():
                provider = stack.services["provider"]
                assert provider.process is not None
                pid = provider.process.pid
                meters[variant] = CpuMeter({"server": lambda pid=pid: [pid]})
                ports[variant] = provider.port
                warm, rest = orders[variant][:c], orders[variant][c:]
                pending[variant] = [rest[:per_run], rest[per_run:]]
                log(f"metrics {variant}: warm-up")
                run_closed("warm-up", provider.port, delivery_queues(warm, c), 1.0, meters[variant])
            for variant in ORDER:
                log(f"metrics {variant}: POST levering, closed loop")
                runs[variant].append(
                    run_closed(
                        f"BUM provider POST .../levering, metrics {variant} ({c} conns)",
                        ports[variant],
                        delivery_queues(pending[variant].pop(0), c),
                        duration,
                        meters[variant],
                    )
                )
            on = stacks["on"].services["provider"]
            assert on.process is not None
            scrape_ms = _scrape_ms(on.url, on.process.pid)
        finally:
            for stack in stacks.values():
                stack.stop()
    out: dict[str, Any] = {
        "connections": c,
        "run_seconds": duration,
        "scrape_ms": scrape_ms,
        "in_process": in_process_cost(),
    }
    for variant in VARIANTS:
        done = sum(r.ok + r.errors for r in runs[variant])
        cpu = sum(
            (r.cpu_ms_per_op or {}).get("server", 0.0) * (r.ok + r.errors) for r in runs[variant]
        )
        seconds = sum(r.seconds for r in runs[variant])
        out[variant] = {
            "commands": done,
            "errors": sum(r.errors for r in runs[variant]),
            "per_s": round(sum(r.ok for r in runs[variant]) / seconds, 1) if seconds else 0.0,
            "cpu_ms_per_command": round(cpu / done, 3) if done else 0.0,
            "runs": [r.as_dict() for r in runs[variant]],
        }
    off_cpu = out["off"]["cpu_ms_per_command"]
    overhead = out["on"]["cpu_ms_per_command"] / off_cpu - 1 if off_cpu else None
    out["overhead"] = None if overhead is None else round(overhead, 4)
    return out
