"""The three services' stores and the way events travel between them, in one process.

A year through Kafka would spend most of its time waiting for polls, so the broker is left
out and everything else runs as in production:
- the *relay's* work is the production code: `public_events` maps each new notification of
  a source's log to its envelope and numbers each case's events (`case_sequence`), and
  `RelayStateStore.save` stores the position, the counters and the published log
  (`bum_published_event`, what `/public-events` pages) in one transaction;
- the *consumers* are the services' own `EventConsumer`s (their `apply`: gap/duplicate
  check, the service's policy, the effects and a tracking record in one transaction),
  handed each envelope as the Kafka consumer would after decoding it.
What is not run: the Kafka hop itself (CloudEvents encode/decode, network) and the
per-provider topics' relays (each writes one more `bum_published_event` row per event of
its provider; counted as an estimate in the results).
"""

from __future__ import annotations

import time
from collections import ChainMap
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from services.provider.adapters.public_events import to_public as provider_to_public
from services.provider.application.policies import ProviderPolicy
from services.provider.application.provider_app import ProviderApplication
from services.supervision.application.supervision_app import (
    RecordEverything,
    SupervisionApplication,
)
from services.visitation.adapters.public_events import to_public as visitation_to_public
from services.visitation.application.policies import VisitationPolicy
from services.visitation.application.visitation_app import VisitationApplication
from shared.contracts import PROVIDER_EVENTS_TOPIC, VISITATION_EVENTS_TOPIC, PublicEvent
from shared.infra.consumer import EventConsumer
from shared.infra.crypto_shredding import KeyStore
from shared.infra.eventstore import EventStoreApplication, store_env
from shared.infra.public_events import PublicMapping, public_events
from shared.infra.relay_state import RelayStateStore, TopicBatch
from shared.infra.settings import ServiceSettings

#: The library's aggregate cache, as a long-running service would want it: without it every
#: command replays its aggregate from the first event, and an order with daily visits has
#: over a thousand by the year's end. Aggregates are handed out without a deep copy (a
#: thousand-visit order costs milliseconds to copy); the simulation issues only valid
#: commands, so no half-applied command is ever left in the cache.
#: Group commit is off: it shares a transaction between commands that arrive together,
#: and one driver thread never has two in flight, so it would only add a thread hand-off
#: (measured: ~half the simulation's wall time on a loaded 2-core box).
SIM_ENV = {
    "AGGREGATE_CACHE_MAXSIZE": "20000",
    "DEEPCOPY_FROM_AGGREGATE_CACHE": "n",
    "BUM_GROUP_COMMIT": "n",
}


def service_env(service: str, data_dir: Path | None, database_url: str | None) -> dict[str, str]:
    if database_url:
        settings = ServiceSettings(store="postgres", database_url=database_url)
    else:
        assert data_dir is not None
        settings = ServiceSettings(store="sqlite", data_dir=data_dir)
    return {**store_env(settings, service), **SIM_ENV}


class InProcessRelay:
    """One source's outbox relay minus the producer: what it would publish, in log order."""

    def __init__(
        self, app: EventStoreApplication, source: str, topic: str, mapping: PublicMapping
    ) -> None:
        self.app = app
        self.source = source
        self.mapping = mapping
        self.topic = topic
        self.store = RelayStateStore(app.process_recorder, source)
        self.state = self.store.load([topic])[topic]
        self.published = 0

    def next_batch(self, limit: int = 500) -> list[PublicEvent]:
        notifications = self.app.process_recorder.select_notifications(
            start=self.state.position + 1, limit=limit
        )
        if not notifications:
            return []
        counters: ChainMap[str, int] = ChainMap({}, self.state.case_sequences)
        events = public_events(self.app, self.source, self.mapping, notifications, counters)
        self.state.position = notifications[-1].id
        self.state.case_sequences.update(counters.maps[0])
        self.store.save(
            {self.topic: self.state}, {self.topic: TopicBatch(counters.maps[0], events)}
        )
        self.published += len(events)
        return events


def _consumer(app: EventStoreApplication, name: str, handler: Any) -> EventConsumer:
    # No broker: `bootstrap` is never dialled because only `apply` is called.
    return EventConsumer(app, group_id=name, topics=[], handler=handler, bootstrap="unused")


@dataclass
class Kommune:
    """The three services' applications and the pipes between them."""

    visitation: VisitationApplication
    provider: ProviderApplication
    supervision: SupervisionApplication

    @classmethod
    def open(
        cls, data_dir: Path | None, database_urls: Mapping[str, str] | None, keys: KeyStore
    ) -> Kommune:
        def env(service: str) -> dict[str, str]:
            url = database_urls[service] if database_urls else None
            return service_env(service, data_dir, url)

        kommune = cls(
            VisitationApplication(env=env("visitation"), keys=keys),
            # One key store for all three, as in a deployment (an erasure reaches every copy).
            ProviderApplication(env=env("provider"), keys=keys),
            SupervisionApplication(env=env("supervision"), keys=keys),
        )
        kommune._wire()
        return kommune

    def _wire(self) -> None:
        self.relays = [
            InProcessRelay(
                self.visitation, "visitation", VISITATION_EVENTS_TOPIC, visitation_to_public
            ),
            InProcessRelay(self.provider, "provider", PROVIDER_EVENTS_TOPIC, provider_to_public),
        ]
        supervision = _consumer(self.supervision, "supervision", RecordEverything(self.supervision))
        # Who subscribes to which source's topic (as in each service's wiring.py).
        self.subscribers: dict[str, list[EventConsumer]] = {
            "visitation": [
                _consumer(self.provider, "provider", ProviderPolicy(self.provider)),
                supervision,
            ],
            "provider": [
                _consumer(self.visitation, "visitation", VisitationPolicy(self.visitation)),
                supervision,
            ],
        }
        self.outcomes: dict[str, int] = {}
        #: Wall seconds spent relaying (per source) and applying (per consuming service).
        self.seconds: dict[str, float] = {}

    def pump(self) -> int:
        """Relay and consume until no source has anything new; returns events delivered."""
        moved = 0
        while True:
            round_moved = 0
            for relay in self.relays:
                while True:
                    started = time.perf_counter()
                    events = relay.next_batch()
                    self._took(f"relay {relay.source}", started)
                    if not events:
                        break
                    for event in events:
                        for consumer in self.subscribers[relay.source]:
                            started = time.perf_counter()
                            outcome = consumer.apply(event)
                            self._took(f"consumer {consumer.group_id}", started)
                            self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1
                    round_moved += len(events)
            moved += round_moved
            if round_moved == 0:
                return moved

    def _took(self, what: str, started: float) -> None:
        self.seconds[what] = self.seconds.get(what, 0.0) + time.perf_counter() - started

    def close(self) -> None:
        for app in (self.visitation, self.provider, self.supervision):
            app.close()
