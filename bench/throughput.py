"""Figure 1: command throughput, HTTP to durable PostgreSQL commit, and its baselines."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.httpload import LoadOutcome, closed_loop, encode_post, open_loop
from bench.seed import Order
from bench.stats import CpuMeter, RunResult, summarise
from shared.infra.devtoken import dev_master_key, keygen, mint

HOST = "127.0.0.1"


def lev_headers() -> dict[str, str]:
    """A provider user's bearer token, signed with the bench's key pair (bench.run sets
    BUM_AUTH_JWKS_FILE before any service starts, so the services trust it)."""
    keys = Path(os.environ["BUM_AUTH_JWKS_FILE"]).parent
    token = mint(keys, sub="sosu-bench", rolle="leverandoer", leverandoer_id="omsorg-plus-aps")
    return {"Authorization": f"Bearer {token}"}


def _body() -> bytes:
    return json.dumps(
        {
            "leveret_tidspunkt": datetime.now(UTC).isoformat(),
            "faktiske_minutter": 25,
            "medarbejder_id": "sosu-bench",
        }
    ).encode()


def delivery_queues(orders: Sequence[Order], conns: int) -> list[list[bytes]]:
    """Connection k delivers the visits of orders k, k+conns, ... one after the other, so no
    two requests in flight touch the same order (each would be a 409 for the other)."""
    body = _body()
    headers = lev_headers()
    queues: list[list[bytes]] = [[] for _ in range(conns)]
    for i, order in enumerate(orders):
        for visit in order.besoeg_ids:
            path = f"/bestillinger/{order.bestilling_id}/besoeg/{visit}/levering"
            queues[i % conns].append(encode_post(HOST, path, body, headers))
    return queues


def bare_queues(kind: str, conns: int, per_conn: int) -> list[list[bytes]]:
    body = _body()
    headers = lev_headers()
    return [
        [
            encode_post(HOST, f"/{kind}/{uuid.uuid4()}/{uuid.uuid4()}", body, headers)
            for _ in range(per_conn)
        ]
        for _ in range(conns)
    ]


def _result(name: str, out: LoadOutcome, offered: float | None = None) -> RunResult:
    r = summarise(name, out.latencies, out.errors, out.seconds, offered)
    if out.errors:
        # Statuses are kept so a failing run explains itself in latest.json.
        r.name = f"{name} (statuses {dict(sorted(out.statuses.items()))})"
    return r


def run_closed(
    name: str, port: int, queues: list[list[bytes]], duration: float, meter: CpuMeter
) -> RunResult:
    meter.start()
    out = closed_loop(port, queues, duration)
    result = _result(name, out)
    result.cpu_ms_per_op = meter.stop(len(out.latencies) + out.errors)
    return result


def run_open(
    name: str, port: int, queues: list[list[bytes]], rate: float, duration: float, meter: CpuMeter
) -> RunResult:
    meter.start()
    out = open_loop(port, queues, rate, duration)
    result = _result(name, out, offered=rate)
    result.cpu_ms_per_op = meter.stop(len(out.latencies) + out.errors)
    return result


def trust_bench_keys(directory: Path) -> None:
    """Make every service the bench starts trust tokens signed with a fresh key pair, and
    give them (and the in-process seeding) a personal-data key store."""
    os.environ["BUM_AUTH_JWKS_FILE"] = str(keygen(directory))
    os.environ["BUM_KEYSTORE_MASTER_KEY"] = dev_master_key(directory)
    os.environ["BUM_KEYSTORE_DIR"] = str(directory / "keystore")


#: Items in one offline sync request in the bench: a worker's shift of visits.
SYNK_POSTER = 20


def keyed_delivery_queues(orders: Sequence[Order], conns: int) -> list[list[bytes]]:
    """As delivery_queues, each request with an Idempotency-Key of its own: what a phone
    sends, so the key's record is part of what is measured."""
    body = _body()
    headers = lev_headers()
    queues: list[list[bytes]] = [[] for _ in range(conns)]
    for i, order in enumerate(orders):
        for visit in order.besoeg_ids:
            path = f"/bestillinger/{order.bestilling_id}/besoeg/{visit}/levering"
            keyed = {**headers, "Idempotency-Key": str(uuid.uuid4())}
            queues[i % conns].append(encode_post(HOST, path, body, keyed))
    return queues


def sync_queues(
    orders: Sequence[Order], conns: int, per_sync: int = SYNK_POSTER
) -> list[list[bytes]]:
    """Offline shift syncs: connection k syncs the visits of its own orders (k, k+conns,
    ...), `per_sync` deliveries a request, each item with its own key. The device time is
    a minute ago (the bench's services run on the host's clock)."""
    headers = lev_headers()
    recorded = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    path = "/leverandoerer/omsorg-plus-aps/synkronisering"
    queues: list[list[bytes]] = [[] for _ in range(conns)]
    for k in range(conns):
        items = [
            {
                "art": "levering",
                "idempotens_noegle": str(uuid.uuid4()),
                "registreret_paa_enhed": recorded,
                "bestilling_id": str(order.bestilling_id),
                "besoeg_id": str(visit),
                "faktiske_minutter": 25,
                "medarbejder_id": "sosu-bench",
            }
            for order in orders[k::conns]
            for visit in order.besoeg_ids
        ]
        for start in range(0, len(items) - per_sync + 1, per_sync):
            body = {"enhed_id": f"bench-{k}", "poster": items[start : start + per_sync]}
            queues[k].append(encode_post(HOST, path, json.dumps(body).encode(), headers))
    return queues
