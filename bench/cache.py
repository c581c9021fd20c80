"""python -m bench.cache: CPU per command and per consumed message with the aggregate cache
off (every command and message replays its aggregate, as before issue 15) and on (the one
writer keeps it in memory), on the same private PostgreSQL (fsync on), in one run.

Commands: deliveries through the provider's application layer (`registrer_levering`, the
order's one writer), round-robin over the orders so that each order is delivered on again
after the others, as under real load; a first round (which loads each order into the
cache) is not measured. Young orders (~30 events) and, with `--aged DAYS`,
orders of DAYS days at four visits a day (~1,490 events at 365).

Concurrent commands: the same deliveries from several threads, each on its own orders,
with the cache off, with a writer per aggregate (what the services do), and with one
command at a time in the whole application (a single writer thread's order): how many
commands share a transaction in the group committer, and the rate.

Consumed messages: supervision's consumer (RecordEverything, the case history) on the
public events of cases that each have `--history` complaints after their decision, in log
order (the cases interleaved), one message per transaction and in batches.

CPU is this process's (every thread: the group committer's, the consumer's); the
database server's is not counted (it does the same work either way). No figure is
asserted anywhere.
"""

from __future__ import annotations

import argparse
import contextlib
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from bench.seed import VISITATOR, Order, decide, seed_aged_orders, seed_cases, seed_orders
from bench.throughput import trust_bench_keys
from infra.local.pg_cluster import PrivateCluster
from services.provider.application.provider_app import ProviderApplication
from services.provider.domain.values import Levering
from services.supervision.application.supervision_app import (
    RecordEverything,
    SupervisionApplication,
)
from services.visitation.adapters.public_events import to_public
from services.visitation.application.visitation_app import VisitationApplication
from services.visitation.domain.klagesag import ny_klage
from shared.contracts.cloudevents import to_kafka
from shared.infra.consumer import EventConsumer
from shared.infra.eventstore import store_env
from shared.infra.public_events import public_events
from shared.infra.settings import ServiceSettings
from shared.kernel import Aktoer

MODES = {"cache off": 0, "cache on": 1000}
BUD = Aktoer("sosu-bench", "leverandoer", "omsorg-plus-aps")


def _env(pg: PrivateCluster, db: str, service: str, cache_size: int) -> dict[str, str]:
    pg.create_database(db)
    settings = ServiceSettings(
        store="postgres", database_url=pg.url(db), aggregate_cache_size=cache_size
    )
    return store_env(settings, service)


def _cpu(run: Callable[[], int]) -> tuple[float, float, int]:
    """(CPU ms per item, wall ms per item, items) of `run`, which returns its items."""
    cpu, wall = time.process_time(), time.perf_counter()
    n = run()
    return (
        (time.process_time() - cpu) * 1000 / max(n, 1),
        (time.perf_counter() - wall) * 1000 / max(n, 1),
        n,
    )


def deliveries(
    pg: PrivateCluster, label: str, cache_size: int, orders: int, per_order: int, aged: int
) -> tuple[float, float, int, int]:
    app = ProviderApplication(env=_env(pg, f"cmd_{label}", "provider", cache_size))
    seeded: list[Order] = seed_aged_orders(app, orders, aged) if aged else seed_orders(app, orders)
    events = round(sum(o.events for o in seeded) / len(seeded))

    def deliver(rounds: range) -> int:
        done = 0
        for round_ in rounds:
            for order in seeded:
                if round_ >= len(order.besoeg_ids):
                    continue
                levering = Levering(order.besoeg_ids[round_], datetime.now(UTC), 25, "sosu-bench")
                app.registrer_levering(order.bestilling_id, levering, BUD)
                done += 1
        return done

    # A first delivery on each order, not measured: with the cache on it loads the order
    # (a replay, as every delivery does with it off); what follows is the steady state.
    deliver(range(1))
    cpu, wall, n = _cpu(lambda: deliver(range(1, per_order + 1)))
    app.close()
    return cpu, wall, n, events


def concurrent(
    pg: PrivateCluster,
    label: str,
    cache_size: int,
    orders: int,
    per_order: int,
    threads: int,
    one_writer: bool,
) -> tuple[float, float, float]:
    """Deliveries from `threads` threads on their own orders: (CPU ms per command,
    commands/s, commands per transaction). `one_writer`: one command at a time in the
    whole application (a single writer), instead of one per aggregate."""
    app = ProviderApplication(env=_env(pg, f"par_{label}", "provider", cache_size))
    seeded = seed_orders(app, orders)
    gate: Any = threading.Lock() if one_writer else contextlib.nullcontext()

    def deliver(chunk: list[Order], rounds: range) -> None:
        for round_ in rounds:
            for order in chunk:
                levering = Levering(order.besoeg_ids[round_], datetime.now(UTC), 25, "sosu-bench")
                with gate:
                    app.registrer_levering(order.bestilling_id, levering, BUD)

    deliver(seeded, range(1))  # each order loaded once, as in `deliveries`
    before = app.group_commit_status()
    chunks = [seeded[i::threads] for i in range(threads)]

    def run() -> int:
        workers = [
            threading.Thread(target=deliver, args=(c, range(1, per_order + 1))) for c in chunks
        ]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        return sum(len(c) for c in chunks) * per_order

    cpu, wall, _ = _cpu(run)
    after = app.group_commit_status()
    app.close()
    per_tx = (after["commands"] - before["commands"]) / max(
        after["transactions"] - before["transactions"], 1
    )
    return cpu, 1000 / wall, per_tx


def case_records(pg: PrivateCluster, cases: int, history: int) -> list[Any]:
    """The public events of `cases` decided cases with `history` complaints each, as
    Kafka records in log order (each round of complaints saved across all cases)."""
    pg.create_database("cache_visitation")
    settings = ServiceSettings(store="postgres", database_url=pg.url("cache_visitation"))
    visitation = VisitationApplication(env=store_env(settings, "visitation"))
    seeded = seed_cases(visitation, cases)
    for case in seeded:
        decide(case)
    visitation.save(*(c.sag for c in seeded))
    for nr in range(1, history + 1):
        # Each complaint is a Klagesag beside its case; published on the case as before.
        visitation.save(
            *(
                ny_klage(
                    c.sag, nr, "afgoerelse", date.today(), "Klage", VISITATOR, datetime.now(UTC)
                )
                for c in seeded
            )
        )
    notifications = visitation.process_recorder.select_notifications(start=1, limit=10**7)
    events = public_events(visitation, "visitation", to_public, notifications, {})
    visitation.close()
    records = []
    for offset, event in enumerate(events):
        key, value, headers = to_kafka(event)
        records.append(
            SimpleNamespace(
                topic="t", partition=0, offset=offset, key=key, value=value, headers=headers
            )
        )
    return records


def consumed(
    pg: PrivateCluster, label: str, cache_size: int, records: list[Any], batch: int
) -> tuple[float, float, int, int]:
    app = SupervisionApplication(env=_env(pg, f"msg_{label}", "supervision", cache_size))
    consumer = EventConsumer(
        app, group_id="cache", topics=[], handler=RecordEverything(app), bootstrap="unused:9"
    )

    def run() -> int:
        if batch > 1:
            for i in range(0, len(records), batch):
                consumer.process_batch(records[i : i + batch])
        else:
            for record in records:
                consumer.process_record(record)
        return len(records)

    cpu, wall, n = _cpu(run)
    assert consumer.applied == len(records), consumer.applied
    hits = consumer.cache.hits if consumer.cache is not None else 0
    app.close()
    return cpu, wall, n, hits


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=40)
    parser.add_argument("--deliveries", type=int, default=10, help="per order")
    parser.add_argument("--aged", type=int, default=0, metavar="DAYS")
    parser.add_argument("--aged-orders", type=int, default=12)
    parser.add_argument("--cases", type=int, default=100)
    parser.add_argument("--history", type=int, default=20, help="complaints per case")
    parser.add_argument("--batch", type=int, default=50, help="messages per consumer batch")
    parser.add_argument("--threads", type=int, default=8, help="for the concurrent commands")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp, PrivateCluster() as pg:
        trust_bench_keys(Path(tmp))
        print("commands: registrer_levering, CPU of this process (ms per command)")
        sizes = [("young", args.orders, 0)]
        if args.aged:
            sizes.append(("aged", args.aged_orders, args.aged))
        for size, orders, aged in sizes:
            for mode, cache_size in MODES.items():
                label = f"{size}_{cache_size}"
                cpu, wall, n, events = deliveries(
                    pg, label, cache_size, orders, args.deliveries, aged
                )
                print(
                    f"  {size:5} orders (~{events} events) {mode:9}: {cpu:6.2f} ms CPU, "
                    f"{wall:6.2f} ms wall per command ({n} commands)",
                    flush=True,
                )
        print(f"commands from {args.threads} threads, each on its own young orders")
        for mode, cache_size, one_writer in (
            ("cache off", 0, False),
            ("cache on, a writer per aggregate", MODES["cache on"], False),
            ("cache on, one writer in all", MODES["cache on"], True),
        ):
            label = f"{cache_size}_{int(one_writer)}"
            cpu, rate, per_tx = concurrent(
                pg, label, cache_size, args.orders, args.deliveries, args.threads, one_writer
            )
            print(
                f"  {mode:33}: {cpu:6.2f} ms CPU per command, {rate:5.0f} commands/s, "
                f"{per_tx:4.1f} commands per transaction",
                flush=True,
            )
        records = case_records(pg, args.cases, args.history)
        print(
            f"consumer: supervision's case history, {len(records)} messages of "
            f"{args.cases} cases (~{len(records) // args.cases} each), CPU per message"
        )
        for batch in (1, args.batch):
            for mode, cache_size in MODES.items():
                label = f"{batch}_{cache_size}"
                cpu, wall, n, hits = consumed(pg, label, cache_size, records, batch)
                how = "one by one" if batch == 1 else f"batches of {batch}"
                print(
                    f"  {how:15} {mode:9}: {cpu:6.2f} ms CPU, {wall:6.2f} ms wall per "
                    f"message ({n} messages, {hits} cache hits)",
                    flush=True,
                )


if __name__ == "__main__":
    main()
