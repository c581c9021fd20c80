"""Figure 2: propagation lag, visitation's commit to the effect committed downstream.

Decisions are written through visitation's application layer at an offered rate (one
transaction per 20 ms tick holding the decisions due by then), while the three services
run as processes: visitation's relay publishes them, the provider's consumer turns each
into an order, supervision's consumer records it in the case history.

Lag is read afterwards from PostgreSQL itself: `pg_xact_commit_timestamp(xmin)` of the
decision's row in visitation's store and of the effect's row in the consumer's store (the
cluster runs with track_commit_timestamp). Both are commit times on one server clock, so
nothing is guessed from event timestamps taken before a save, and no API polling adds its
own interval to the figure.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

import psycopg

from bench.seed import OpenCase, decide
from bench.stats import percentile
from services.provider.domain.bestilling import Bestilling
from services.visitation.application.visitation_app import VisitationApplication

TICK = 0.02


def offer_decisions(
    app: VisitationApplication, cases: Sequence[OpenCase], rate: float, duration: float
) -> dict[str, float]:
    """Decide cases at `rate` per second for `duration` (or until cases run out)."""
    total = min(len(cases), int(rate * duration))
    done = 0
    start = time.perf_counter()
    while done < total:
        due = min(total, int((time.perf_counter() - start) * rate) + 1)
        if due > done:
            batch = cases[done:due]
            for case in batch:
                decide(case)
            app.save(*(c.sag for c in batch))
            done = due
        time.sleep(TICK)
    seconds = time.perf_counter() - start
    return {"offered_per_s": rate, "decided": done, "achieved_per_s": round(done / seconds, 1)}


def _commit_times(url: str, sql: str, ids: list[UUID]) -> dict[UUID, datetime]:
    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute(sql, (ids,)).fetchall()
    return {row[0]: row[1] for row in rows}


DECISIONS = (
    "SELECT originator_id, pg_xact_commit_timestamp(xmin) FROM visitation_events "
    "WHERE originator_id = ANY(%s) AND topic LIKE '%%AfgoerelseTruffet'"
)
ORDERS = (
    "SELECT originator_id, pg_xact_commit_timestamp(xmin) FROM provider_events "
    "WHERE originator_id = ANY(%s) AND originator_version = 1"
)
HISTORY = (
    "SELECT originator_id, pg_xact_commit_timestamp(xmin) FROM supervision_events "
    "WHERE originator_id = ANY(%s) AND topic LIKE '%%HaendelseRegistreret' "
    "AND convert_from(state, 'UTF8') LIKE '%%AfgoerelseTruffet%%'"
)


def wait_effects(urls: dict[str, str], cases: Sequence[OpenCase], timeout: float) -> bool:
    """Until the provider has every order and supervision every decision (or time is up)."""
    orders = [Bestilling.create_id(c.bevilling_id) for c in cases if c.bevilling_id]
    sags = [c.sag.id for c in cases]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        have_orders = _commit_times(urls["provider"], ORDERS, orders)
        have_history = _commit_times(urls["supervision"], HISTORY, sags)
        if len(have_orders) == len(orders) and len(have_history) == len(sags):
            return True
        time.sleep(0.5)
    return False


def lag_figures(urls: dict[str, str], cases: Sequence[OpenCase]) -> dict[str, Any]:
    decided = {c.sag.id: c for c in cases if c.bevilling_id}
    commits = _commit_times(urls["visitation"], DECISIONS, list(decided))
    order_of = {
        Bestilling.create_id(c.bevilling_id): sid for sid, c in decided.items() if c.bevilling_id
    }
    orders = _commit_times(urls["provider"], ORDERS, list(order_of))
    history = _commit_times(urls["supervision"], HISTORY, list(decided))
    out: dict[str, Any] = {}
    for name, effects in (
        ("provider order", {order_of[k]: v for k, v in orders.items()}),
        ("supervision history", history),
    ):
        lags = sorted(
            (effects[sid] - commits[sid]).total_seconds() * 1000
            for sid in commits
            if sid in effects
        )
        out[name] = {
            "events": len(commits),
            "arrived": len(lags),
            "p50_ms": round(percentile(lags, 50), 1),
            "p99_ms": round(percentile(lags, 99), 1),
            "max_ms": round(lags[-1], 1) if lags else None,
        }
    return out
