"""Where a delivery command's time goes inside the application layer (no HTTP).

Runs the provider's own `registrer_levering` path step by step, sequentially, against the
same database, timing each stage; the library's recorder and mapper are wrapped on this
instance only. Sequential on purpose: with one writer there is no lock wait, so the stage
times add up to the service time of one command.
"""

from __future__ import annotations

import cProfile
import pstats
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from bench.seed import Order
from services.provider.application.provider_app import ProviderApplication
from services.provider.domain.values import Levering
from shared.kernel import Aktoer

T = TypeVar("T")


def _timed(totals: dict[str, float], key: str, fn: Callable[..., T]) -> Callable[..., T]:
    def wrapper(*args: Any, **kwargs: Any) -> T:
        t0 = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            totals[key] = totals.get(key, 0.0) + time.perf_counter() - t0

    return wrapper


def stage_profile(app: ProviderApplication, orders: Sequence[Order], limit: int) -> dict[str, Any]:
    """Stage times of the first half of the commands, then cProfile's view of the second
    half (apart, because cProfile's own overhead would inflate the stage times)."""
    first = _stages(app, orders, limit // 2)
    profiler = cProfile.Profile()
    profiler.enable()
    _stages(app, orders, limit - limit // 2, skip=limit // 2)
    profiler.disable()
    stats = pstats.Stats(profiler)
    rows = []
    for (file, line, func), (_, calls, tottime, cumtime, _) in stats.stats.items():  # type: ignore[attr-defined]
        rows.append((tottime, f"{Path(file).name}:{line}({func})", calls, cumtime))
    rows.sort(reverse=True)
    n = max(limit - limit // 2, 1)
    first["cprofile_top_tottime_ms_per_command"] = [
        {"function": name, "tottime": round(t * 1000 / n, 3), "cumtime": round(c * 1000 / n, 3)}
        for t, name, _, c in rows[:15]
    ]
    return first


def _stages(
    app: ProviderApplication, orders: Sequence[Order], limit: int, skip: int = 0
) -> dict[str, Any]:
    totals: dict[str, float] = {}
    recorder: Any = app.recorder
    mapper: Any = app.mapper
    # Instance attributes shadow the class methods for this application object only; the
    # originals are put back at the end so a second pass does not time through two wrappers.
    originals = (recorder.insert_events, mapper.to_stored_event, mapper.to_domain_event)
    recorder.insert_events = _timed(totals, "store: lock+insert+commit", recorder.insert_events)
    mapper.to_stored_event = _timed(totals, "encode: event to JSON row", mapper.to_stored_event)
    mapper.to_domain_event = _timed(totals, "decode: rows to events", mapper.to_domain_event)
    aktoer = Aktoer("sosu-bench", "leverandoer", "omsorg-plus-aps")
    done = seen = 0
    began = time.perf_counter()
    for order in orders:
        for visit in order.besoeg_ids:
            seen += 1
            if seen <= skip:
                continue
            if done >= limit:
                break
            t0 = time.perf_counter()
            # What ProviderApplication.registrer_levering does, timed by stage: the order
            # and the visit's period.
            plan = app.plan_for_besoeg(app.hent_bestilling(order.bestilling_id), visit)
            t1 = time.perf_counter()
            plan.registrer_levering(
                Levering(visit, datetime.now(UTC), 25, "sosu-bench"), aktoer, datetime.now(UTC)
            )
            t2 = time.perf_counter()
            app.save(*plan.aendrede())
            t3 = time.perf_counter()
            for key, value in (("load (incl. decode)", t1 - t0), ("domain rules", t2 - t1)):
                totals[key] = totals.get(key, 0.0) + value
            totals["save (incl. encode, store)"] = (
                totals.get("save (incl. encode, store)", 0.0) + t3 - t2
            )
            done += 1
    wall = time.perf_counter() - began
    recorder.insert_events, mapper.to_stored_event, mapper.to_domain_event = originals
    per_command = {k: round(v * 1000 / max(done, 1), 3) for k, v in sorted(totals.items())}
    return {
        "commands": done,
        "sequential_per_s": round(done / wall, 1) if wall else 0.0,
        "ms_per_command": per_command,
    }


def main(argv: list[str] | None = None) -> None:
    """`python -m bench.profile [COMMANDS] [--aged [DAYS]]`: the stage profile alone on a
    private PostgreSQL, in a minute instead of a whole `make bench`, to compare a change
    before and after in one session. `--aged` delivers on year-old orders (four visits a
    day for DAYS days, 365 by default: ~1,490 events each) instead of young ones. Also
    prints the CPU per command of an unprofiled sequential pass."""
    import argparse
    import math
    import tempfile

    from bench.seed import seed_aged_orders, seed_orders
    from bench.throughput import trust_bench_keys
    from infra.local.pg_cluster import PrivateCluster
    from shared.infra.eventstore import store_env
    from shared.infra.settings import ServiceSettings

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("commands", type=int, nargs="?", default=500)
    parser.add_argument("--aged", type=int, nargs="?", const=365, metavar="DAYS")
    args = parser.parse_args(argv)
    commands: int = args.commands
    with tempfile.TemporaryDirectory() as tmp, PrivateCluster() as pg:
        trust_bench_keys(Path(tmp))
        pg.create_database("profile")
        settings = ServiceSettings(store="postgres", database_url=pg.url("profile"))
        app = ProviderApplication(env=store_env(settings, "provider"))
        # Twice the commands: the unprofiled pass below takes the second half's visits.
        orders_needed = math.ceil(2 * commands / 28)
        if args.aged:
            orders = seed_aged_orders(app, orders_needed, args.aged)
        else:
            orders = seed_orders(app, orders_needed)
        # A visit's day, as the service's read model gives it (this runs without one).
        app.besoegsdato = {v: d for o in orders for v, d in o.datoer.items()}.get
        result = stage_profile(app, orders, commands)
        cpu = time.process_time()
        _stages(app, orders, commands, skip=commands)
        cpu_ms = (time.process_time() - cpu) * 1000 / commands
    events = round(sum(o.events for o in orders) / len(orders))
    print(f"{commands} commands on orders of ~{events} events when seeded, ", end="")
    print(f"{result['sequential_per_s']}/s sequential")
    print(f"CPU of this process per command (unprofiled pass): {cpu_ms:.3f} ms")
    for stage, ms in result["ms_per_command"].items():
        print(f"  {stage:32s} {ms:7.3f} ms")
    print("cProfile, ms per command (own / cumulative):")
    for row in result["cprofile_top_tottime_ms_per_command"]:
        print(f"  {row['tottime']:7.3f} {row['cumtime']:7.3f}  {row['function']}")


if __name__ == "__main__":
    main()
