"""Supervision records a public event in a case's history without replaying the history
(Sagsforloeb.hoved, issue 15): the cost of one more event is the same on a young case and
on an old one, and what is recorded is exactly what a replaying writer would have stored.
Against the real stores (SQLite and PostgreSQL), through the consumer's exactly-once path.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID, uuid4

import pytest

from services.supervision.application.supervision_app import _SIDE as SIDE
from services.supervision.application.supervision_app import SupervisionApplication
from services.supervision.domain.sagsforloeb import Sagsforloeb
from services.visitation.adapters.public_events import to_public
from shared.contracts import PublicEvent
from shared.contracts.provider import BestillingModtagetV1
from shared.infra.consumer import EventConsumer
from shared.infra.public_events import public_events
from tests.conftest import SettingsFactory
from tests.integration.test_aggregate_cache import (
    DAY,
    one_case,
    record,
    supervision_consumer,
    visitation,
)
from tests.leverandoerer import uden_register
from tests.scenario import decided_case

pytestmark = pytest.mark.integration


def later(event: PublicEvent, case_sequence: int) -> PublicEvent:
    """Another event of the same case (a provider's delivery would do the same)."""
    return event.model_copy(
        update={"event_id": uuid4(), "case_sequence": case_sequence, "sequence": case_sequence}
    )


class DecodeCount:
    """Counts the stored events the application decodes (its own mapper, on the real
    store): a replay decodes every one of the case's."""

    def __init__(self, app: SupervisionApplication) -> None:
        self.n = 0
        inner: Callable[[Any], Any] = app.mapper.to_domain_event

        def counted(stored: Any) -> Any:
            self.n += 1
            return inner(stored)

        app.mapper.to_domain_event = counted  # type: ignore[method-assign]


def apply_one_more(consumer: EventConsumer, event: PublicEvent, offset: int) -> int:
    app = consumer.app
    assert isinstance(app, SupervisionApplication)
    count = DecodeCount(app)
    if consumer.cache is not None:
        consumer.cache.clear()  # as after a restart, or with more cases than the cache holds
    assert consumer.process_record(record(event, offset)) == "applied"
    return count.n


def test_one_more_event_costs_the_same_on_a_young_and_an_old_case(
    store_settings: SettingsFactory,
) -> None:
    events = one_case(store_settings)
    consumer = supervision_consumer(store_settings("supervision"))
    app = consumer.app
    assert isinstance(app, SupervisionApplication)
    case_id = events[0].case_id
    for i, e in enumerate(events):
        consumer.process_record(record(e, i))
    young = apply_one_more(consumer, later(events[-1], 4), 3)
    for n in range(5, 305):
        consumer.process_record(record(later(events[-1], n), n - 1))
    old = apply_one_more(consumer, later(events[-1], 305), 304)
    # The newest event (it carries the citizen) and the first (the opening's date), not the
    # 305 events a replay decodes.
    assert young == old == 2
    forloeb = app.hent_forloeb(case_id)  # a query replays the whole history
    assert forloeb.hele_historikken and len(forloeb.haendelser) == 305
    assert forloeb.version == 306  # opened, then each event once
    assert forloeb.borger_id() == events[0].data["borger_id"]
    historik = [h["event_id"] for h in app.historik(case_id)]
    assert len(set(historik)) == 305 and {str(e.event_id) for e in events} <= set(historik)


def test_a_history_whose_newest_event_names_no_citizen_looks_for_the_first_that_does(
    store_settings: SettingsFactory,
) -> None:
    """Events that name no citizen come first (topics are unordered between each other, or
    the history was recorded before its events carried the citizen): the head reads the
    first page, and the citizen named later is still the case's."""
    events = one_case(store_settings)
    modtaget = BestillingModtagetV1(
        bestilling_id=uuid4(),
        bevilling_id=uuid4(),
        leverandoer_id="hjemmeplejen-nord",
        indsats_kode="PP-01",
        kategori="personlig",
        minutter_pr_besoeg=20,
    )
    anonyme = [
        later(events[-1], n).model_copy(
            update={
                "event_type": "BestillingModtaget",
                "source": "provider",
                "data": modtaget.model_dump(mode="json"),
            }
        )
        for n in range(1, 4)
    ]
    consumer = supervision_consumer(store_settings("supervision"))
    app = consumer.app
    assert isinstance(app, SupervisionApplication)
    for i, e in enumerate(anonyme):
        consumer.process_record(record(e, i))
    decoded = apply_one_more(consumer, events[0], 3)
    assert 2 <= decoded <= 1 + SIDE
    named = apply_one_more(consumer, later(events[0], 2), 4)
    assert named == 2  # from now on the newest event says who
    assert app.borger_id(events[0].case_id) == events[0].data["borger_id"]


def test_a_head_stores_what_a_replaying_writer_stores(store_settings: SettingsFactory) -> None:
    """The same messages through the consumer (heads) and through the policy alone (whole
    histories): the same envelopes, at the same versions, with the same citizen."""
    events = one_case(store_settings)
    more = [*events, *(later(events[-1], n) for n in range(4, 9))]
    via_consumer = supervision_consumer(store_settings("supervision"))
    assert via_consumer.cache is not None
    for i, e in enumerate(more):
        via_consumer.cache.clear()
        assert via_consumer.process_record(record(e, i)) == "applied"
    replaying = supervision_consumer(store_settings("supervision"))
    for e in more:
        replaying.app.save(*replaying.handler(e))  # no turn: the whole history each time
    case_id = events[0].case_id

    def stored(consumer: EventConsumer) -> list[tuple[int, str, Any]]:
        app = consumer.app
        assert isinstance(app, SupervisionApplication)
        return [
            (
                e.originator_version,
                type(e).__name__,
                e.haendelse["event_id"] if isinstance(e, Sagsforloeb.HaendelseRegistreret) else "",
            )
            for e in app.repository.event_store.get(case_id)
        ]

    assert stored(via_consumer) == stored(replaying)
    for consumer in (via_consumer, replaying):
        app = consumer.app
        assert isinstance(app, SupervisionApplication)
        assert app.borger_id(case_id) == events[0].data["borger_id"]


def test_a_head_is_never_what_a_query_reads(store_settings: SettingsFactory) -> None:
    events = one_case(store_settings)
    consumer = supervision_consumer(store_settings("supervision"))
    for i, e in enumerate(events):
        assert consumer.cache is not None
        consumer.cache.clear()
        consumer.process_record(record(e, i))
    app = consumer.app
    assert isinstance(app, SupervisionApplication)
    case_id = events[0].case_id
    assert consumer.cache is not None
    kept = consumer.cache.get(case_id)
    assert isinstance(kept, Sagsforloeb) and not kept.hele_historikken
    with pytest.raises(RuntimeError, match="head"):
        kept.historik()
    read = app.hent_forloeb(case_id)
    assert read is not kept and len(read.historik()) == 3


def test_a_batch_reads_its_case_histories_ahead_in_one_go(
    store_settings: SettingsFactory,
) -> None:
    """A batch over several known cases, the cache cold (as after a restart, or with more
    cases than it holds): the heads come from one read-ahead (es/forhaand.py), not a load
    per message, and what is stored is what one message at a time stores."""
    source = visitation(store_settings("visitation"))
    for n in range(4):
        decided_case(source, DAY, cpr=f"030140000{n + 1}")
    notifications = source.process_recorder.select_notifications(start=1, limit=1000)
    events = uden_register(public_events(source, "visitation", to_public, notifications, {}))
    first = [e for e in events if e.case_sequence == 1]
    rest = [e for e in events if e.case_sequence > 1]
    assert len(first) == 4 and len(rest) == 8

    consumer = supervision_consumer(store_settings("supervision"))
    app = consumer.app
    assert isinstance(app, SupervisionApplication) and consumer.cache is not None
    for i, e in enumerate(first):
        assert consumer.process_record(record(e, i)) == "applied"
    consumer.cache.clear()
    loads: list[UUID] = []
    head = app._forloebshoved

    def counted(sag_id: UUID) -> Any:
        loads.append(sag_id)
        return head(sag_id)

    app._forloebshoved = counted  # type: ignore[method-assign]
    outcomes = consumer.process_batch([record(e, i) for i, e in enumerate(rest, 4)])
    assert outcomes == ["applied"] * 8
    assert loads == []  # every head was read ahead
    for e in first:
        forloeb = app.hent_forloeb(e.case_id)
        assert forloeb.version == 4 and forloeb.borger_id() == e.data["borger_id"]
        assert [h["case_sequence"] for h in app.historik(e.case_id)] == [1, 2, 3]
