"""python -m bench.consumer_rate [CASES]: supervision's and the provider's consumers in
process, one transaction per message against one per batch, on the same messages.

Cases are seeded and decided through visitation's application layer on a private
PostgreSQL (fsync on); their public events (application, assessment, decision: three per
case) are handed to each consumer as Kafka records, without a broker, so the figure is the
consumer's own cost: decoding, the handler, loading aggregates and storing. Each run gets
fresh databases. No figure is asserted anywhere; the numbers go to scaling.md.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from bench.env import start_postgres
from bench.run import _env
from bench.seed import decide, seed_cases
from bench.throughput import trust_bench_keys
from services.provider.application.policies import ProviderPolicy
from services.provider.application.provider_app import ProviderApplication
from services.supervision.application.supervision_app import (
    RecordEverything,
    SupervisionApplication,
)
from services.visitation.adapters.public_events import to_public
from services.visitation.application.visitation_app import VisitationApplication
from shared.contracts.cloudevents import to_kafka
from shared.infra.consumer import EventConsumer
from shared.infra.public_events import public_events

BATCH = 500  # the consumers' max_poll_records


def _records(visitation: VisitationApplication) -> list[Any]:
    notifications = visitation.process_recorder.select_notifications(start=1, limit=10**7)
    events = public_events(visitation, "visitation", to_public, notifications, {})
    out = []
    for offset, event in enumerate(events):
        key, value, headers = to_kafka(event)
        out.append(
            SimpleNamespace(
                topic="t", partition=0, offset=offset, key=key, value=value, headers=headers
            )
        )
    return out


def _consumer(service: str, url: str) -> EventConsumer:
    if service == "supervision":
        supervision = SupervisionApplication(env=_env(url, "supervision"))
        app: Any = supervision
        handler: Any = RecordEverything(supervision)
    else:
        provider = ProviderApplication(env=_env(url, "provider"))
        app, handler = provider, ProviderPolicy(provider)
    return EventConsumer(app, group_id="rate", topics=[], handler=handler, bootstrap="unused:9")


def main() -> None:
    cases = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    trust_bench_keys(Path(tempfile.mkdtemp(prefix="bum-rate-")) / "keys")
    pg = start_postgres()
    try:
        pg.create_database("rate_visitation")
        visitation = VisitationApplication(env=_env(pg.url("rate_visitation"), "visitation"))
        seeded = seed_cases(visitation, cases)
        for case in seeded:
            decide(case)
        visitation.save(*(c.sag for c in seeded))
        records = _records(visitation)
        for service in ("supervision", "provider"):
            for mode in ("one by one", "batched"):
                db = f"rate_{service}_{mode.replace(' ', '_')}"
                pg.create_database(db)
                consumer = _consumer(service, pg.url(db))
                began = time.perf_counter()
                if mode == "batched":
                    for i in range(0, len(records), BATCH):
                        consumer.process_batch(records[i : i + BATCH])
                else:
                    for record in records:
                        consumer.process_record(record)
                seconds = time.perf_counter() - began
                assert consumer.applied == len(records), consumer.applied
                print(
                    f"{service:11} {mode:10}: {len(records) / seconds:6.0f} messages/s "
                    f"({seconds * 1000 / len(records):.2f} ms each, {len(records)} messages)",
                    flush=True,
                )
    finally:
        pg.stop()


if __name__ == "__main__":
    main()
