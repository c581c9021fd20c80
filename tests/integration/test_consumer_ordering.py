"""The consumer's per-case ordering rule on both stores: event n of a case is applied only
right after n-1, whatever order and how many times the broker delivers it."""

from __future__ import annotations

import threading
import time
from datetime import date
from uuid import UUID, uuid4

import pytest

from infra.local.broker import TansuBroker
from services.provider.application.policies import ProviderPolicy
from services.provider.application.provider_app import ProviderApplication
from services.provider.domain.bestilling import Bestilling
from services.supervision.application.supervision_app import (
    RecordEverything,
    SupervisionApplication,
)
from services.supervision.domain.sagsforloeb import Sagsforloeb
from services.visitation.adapters.public_events import to_public
from services.visitation.application.visitation_app import VisitationApplication
from shared.contracts import PublicEvent
from shared.contracts.cloudevents import to_kafka
from shared.infra.consumer import EventConsumer
from shared.infra.eventstore import store_env
from shared.infra.kafka_clients import ensure_topics, make_producer
from shared.infra.public_events import public_events
from shared.infra.relay import EPOCH_HEADER
from tests.conftest import SettingsFactory
from tests.faults.ledger import Tally, envelope_digest
from tests.leverandoerer import uden_register
from tests.scenario import decided_case

pytestmark = pytest.mark.integration


def test_gap_is_passed_over_and_filled_in_order(store_settings: SettingsFactory) -> None:
    visitation = VisitationApplication(env=store_env(store_settings("visitation"), "visitation"))
    decided_case(visitation, date(2026, 11, 2))
    notifications = visitation.process_recorder.select_notifications(start=1, limit=100)
    first, second, third = uden_register(
        public_events(visitation, "visitation", to_public, notifications, {})
    )
    assert [e.case_sequence for e in (first, second, third)] == [1, 2, 3]

    supervision = SupervisionApplication(
        env=store_env(store_settings("supervision"), "supervision")
    )
    consumer = EventConsumer(
        supervision,
        group_id="ordering",
        topics=[],
        handler=RecordEverything(supervision),
        bootstrap="unused:9",
    )
    # The second message was lost by the broker: the third waits for it.
    assert [consumer.apply(e) for e in (first, third)] == ["applied", "gap"]
    # The publisher starts over and sends the case again, in order.
    assert [consumer.apply(e) for e in (first, second, third)] == [
        "duplicate",
        "applied",
        "applied",
    ]
    sag = supervision.historik(first.case_id)
    assert [h["event_id"] for h in sag] == [str(e.event_id) for e in (first, second, third)]


def test_duplicates_and_out_of_order_across_partitions_have_one_effect_each(
    store_settings: SettingsFactory, broker: TansuBroker
) -> None:
    """Produced straight onto the topic with kafka-python: every event twice, an old event
    again after newer ones, and the partitions (and the cases within one) in the opposite
    of log order. Each case stays in its own partition in its own order, as the relay keys
    it. Supervision records every event once in case order, and the provider orders each
    grant once."""
    visitation = VisitationApplication(env=store_env(store_settings("visitation"), "visitation"))
    cases = [decided_case(visitation, date(2026, 11, 2), cpr=f"03014{i:05d}") for i in range(8)]
    notifications = visitation.process_recorder.select_notifications(start=1, limit=1000)
    events = uden_register(public_events(visitation, "visitation", to_public, notifications, {}))
    per_case: dict[UUID, list[PublicEvent]] = {c: [] for c in cases}
    for e in events:
        per_case[e.case_id].append(e)

    topic = f"test.{uuid4().hex[:8]}.dup"
    ensure_topics(broker.bootstrap, [topic], partitions=4)
    producer = make_producer(broker.bootstrap)
    epoch = (EPOCH_HEADER, b"test")
    sent = 0
    for partition in reversed(range(4)):  # the last cases' partition first
        mine = [c for i, c in enumerate(cases) if i % 4 == partition]
        messages: list[PublicEvent] = []
        for case in reversed(mine):  # within a partition, too, the newer case first
            first, *rest = per_case[case]
            messages += [first, first]
            for e in rest:
                messages += [e, e, first]  # each twice, and the first again after it
        for e in messages:
            key, value, headers = to_kafka(e)
            producer.send(
                topic, key=key, value=value, headers=[*headers, epoch], partition=partition
            )
            sent += 1
    producer.flush()
    producer.close()

    supervision = SupervisionApplication(
        env=store_env(store_settings("supervision"), "supervision")
    )
    provider = ProviderApplication(env=store_env(store_settings("provider"), "provider"))
    consumers = [
        EventConsumer(
            app, group_id=f"g-{uuid4().hex[:6]}", topics=[topic], handler=handler,
            bootstrap=broker.bootstrap, poll_ms=100,
        )
        for app, handler in (
            (supervision, RecordEverything(supervision)),
            (provider, ProviderPolicy(provider)),
        )
    ]  # fmt: skip
    stop = threading.Event()
    threads = [threading.Thread(target=c.run, args=(stop,), daemon=True) for c in consumers]
    for t in threads:
        t.start()
    try:
        deadline = time.monotonic() + 120
        while any(c.applied + c.duplicates < sent for c in consumers):
            assert time.monotonic() < deadline, [(c.applied, c.duplicates) for c in consumers]
            time.sleep(0.2)
    finally:
        stop.set()
        for t in threads:
            t.join(15)

    for c in consumers:
        assert (c.applied, c.duplicates, c.gaps_passed_over) == (len(events), sent - len(events), 0)
        assert c.dead_lettered == 0
    recorded = [
        e.haendelse
        for e in (
            supervision.mapper.to_domain_event(n)
            for n in supervision.process_recorder.select_notifications(start=1, limit=1000)
        )
        if isinstance(e, Sagsforloeb.HaendelseRegistreret)
    ]
    # Counts and checksums, as in the fault tests' ledger.
    assert Tally.of(map(envelope_digest, recorded)) == Tally.of(
        envelope_digest(e.model_dump(mode="json")) for e in events
    )
    for case in cases:
        assert [h["event_id"] for h in supervision.historik(case)] == [
            str(e.event_id) for e in per_case[case]
        ]
        assert provider.last_tracked(f"visitation/{case}") == len(per_case[case])
    orders = [
        e
        for n in provider.process_recorder.select_notifications(start=1, limit=10_000)
        if isinstance(e := provider.mapper.to_domain_event(n), Bestilling.BestillingModtaget)
    ]
    assert sorted(str(o.sag_id) for o in orders) == sorted(map(str, cases))
