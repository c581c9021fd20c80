"""`make simulate`: a municipality's year through the services' application layer.

    python -m bench.simulate --preset smoke            # 50 citizens, 4 weeks, seconds
    python -m bench.simulate --preset slagelse         # 2,500 citizens, a year
    python -m bench.simulate --preset slagelse --postgres-url postgresql://u@host/postgres
    python -m bench.simulate --preset medium --private-postgres

Writes bench/results/simulate-<preset>.json (events per store, wall time, what was done).
SQLite files go to a fresh folder in /dev/shm (removed afterwards unless --keep DIR).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import resource
import shutil
import signal
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import UUID

from tqdm import tqdm

from bench.simulate.flow import Kommune
from bench.simulate.population import Borgerforloeb, befolkning, gennemsnit
from bench.simulate.stores import postgres_urls, tael
from bench.simulate.year import Aar
from services.supervision.rebuild import rebuild_all
from shared.infra.crypto_shredding import KeyStore
from shared.infra.logging import configure_logging

RESULTS = Path(__file__).resolve().parents[1] / "results"


@dataclass(frozen=True)
class Preset:
    citizens: int
    days: int


PRESETS = {
    "smoke": Preset(50, 28),
    "medium": Preset(250, 365),
    "slagelse": Preset(2500, 365),
}


def _case_reads(kommune: Kommune, samples: int = 50) -> dict[str, Any]:
    """The biggest simulated case, read as of moments in its history (figure 4 on real
    data rather than one case built from copies)."""
    sizes: dict[str, int] = {}
    for relay in kommune.relays:
        for case, last in relay.state.case_sequences.items():
            sizes[case] = sizes.get(case, 0) + last
    if not sizes:
        return {}
    case, events = max(sizes.items(), key=lambda kv: kv[1])
    app = kommune.supervision
    sag_id = UUID(case)
    moments = [h["recorded_at"] for h in app.historik(sag_id)]
    chosen = [datetime.fromisoformat(moments[(i * 7919) % len(moments)]) for i in range(samples)]
    ms = []
    for moment in chosen:
        t = time.perf_counter()
        app.tilstand(sag_id, moment)
        ms.append((time.perf_counter() - t) * 1000)
    ms.sort()
    return {
        "case_events": events,
        "state_as_of_p50_ms": round(statistics.median(ms), 2),
        "state_as_of_p99_ms": round(ms[min(len(ms) - 1, int(0.99 * len(ms)))], 2),
    }


def _run_year(
    args: argparse.Namespace,
    result: dict[str, Any],
    borgere: list[Borgerforloeb],
    days: int,
    work: Path,
    keys: KeyStore,
    use_pg: bool,
) -> None:
    pg = postgres_urls(args.postgres_url, args.private_postgres, f"sim_{args.preset}")
    with pg if use_pg else contextlib.nullcontext() as urls:
        kommune = Kommune.open(None if use_pg else work, urls, keys)
        aar = Aar(kommune, borgere, days, args.seed)
        started = time.perf_counter()
        cpu = time.process_time()
        timeline = []  # (day, wall seconds, events published) every 4 weeks
        with tqdm(range(days), unit="dag", file=sys.stderr, disable=args.quiet) as bar:
            for d in bar:
                aar.dag(d)
                if d % 28 == 27 or d == days - 1:
                    published = sum(r.published for r in kommune.relays)
                    timeline.append([d + 1, round(time.perf_counter() - started, 1), published])
                bar.set_postfix(
                    leveret=aar.tal["leveret"],
                    haendelser=sum(r.published for r in kommune.relays),
                    refresh=False,
                )
        wall = time.perf_counter() - started
        result["wall_seconds"] = round(wall, 1)
        result["cpu_seconds"] = round(time.process_time() - cpu, 1)
        result["timeline_day_wall_published"] = timeline
        result["done"] = dict(sorted(aar.tal.items()))
        result["published"] = {r.source: r.published for r in kommune.relays}
        result["consumer_outcomes"] = dict(sorted(kommune.outcomes.items()))
        # Per component: wall seconds and events handled per second of its own time.
        handled = {
            "relay visitation": result["published"]["visitation"],
            "relay provider": result["published"]["provider"],
            "consumer provider": result["published"]["visitation"],
            "consumer visitation": result["published"]["provider"],
            "consumer supervision": sum(result["published"].values()),
        }
        result["components"] = {
            what: {
                "seconds": round(sec, 1),
                "events": handled.get(what, 0),
                "events_per_s": round(handled.get(what, 0) / sec) if sec else None,
            }
            for what, sec in sorted(kommune.seconds.items())
        }
        result["stores"] = tael(kommune, None if use_pg else work)
        stored = sum(s["events"] for s in result["stores"].values())
        result["stored_events_total"] = stored
        result["stored_events_per_s"] = round(stored / wall)
        provider_events = result["published"].get("provider", 0)
        # The per-provider topics' relays are not run (flow.py): each would store one more
        # published-log row per provider event, in the provider's database.
        result["estimated_per_provider_topic_rows"] = provider_events
        count, seconds = rebuild_all(kommune.supervision)
        result["supervision_rebuild"] = {
            "events": count,
            "seconds": round(seconds, 2),
            "events_per_s": round(count / seconds) if seconds else None,
        }
        result["case_reads"] = _case_reads(kommune)
        result["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        kommune.close()


def simulate(args: argparse.Namespace) -> dict[str, Any]:
    preset = PRESETS[args.preset]
    citizens = args.citizens or preset.citizens
    days = args.days or preset.days
    # SQLite commits fsync their WAL; on this machine's disk that is ~25 ms per transaction
    # and would be all a year measures. Durable commits are `make bench`'s subject; here the
    # stores live in memory-backed /dev/shm when there is one (--keep DIR: on DIR).
    shm = Path("/dev/shm")
    work = (
        Path(args.keep)
        if args.keep
        else Path(tempfile.mkdtemp(prefix="bum-simulate-", dir=shm if shm.is_dir() else None))
    )
    work.mkdir(parents=True, exist_ok=True)
    master = hashlib.sha256(f"simulate-{args.seed}".encode()).digest()
    keys = KeyStore(master, sqlite_path=work / "keystore.sqlite")
    use_pg = bool(args.postgres_url or args.private_postgres)
    borgere = befolkning(citizens, days, args.seed)
    result: dict[str, Any] = {
        "preset": args.preset,
        "citizens": citizens,
        "days": days,
        "seed": args.seed,
        "store": "postgres" if use_pg else "sqlite",
        "flow": "in-process relays and the services' EventConsumer.apply (no broker)",
        "grant_mix": gennemsnit(borgere),
    }
    try:
        _run_year(args, result, borgere, days, work, keys, use_pg)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.simulate", description=__doc__)
    parser.add_argument("--preset", choices=sorted(PRESETS), default="slagelse")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--citizens", type=int, help="override the preset's number")
    parser.add_argument("--days", type=int, help="override the preset's number")
    parser.add_argument("--postgres-url", default=os.environ.get("BUM_SIMULATE_DATABASE_URL"))
    parser.add_argument("--private-postgres", action="store_true")
    parser.add_argument("--keep", metavar="DIR", help="keep the SQLite stores in DIR")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    # A stopped run still removes its stores and stops a private PostgreSQL (finally
    # blocks and context managers run on SystemExit, not on a bare SIGTERM).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    # One log line per applied event is what a service writes at info; here it would be
    # millions of lines and a measurable share of the time.
    configure_logging("simulate", "warning")
    result = simulate(args)
    args.out.mkdir(parents=True, exist_ok=True)
    target = args.out / f"simulate-{args.preset}.json"
    target.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(result, indent=2, ensure_ascii=False))
    print(f"wrote {target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
