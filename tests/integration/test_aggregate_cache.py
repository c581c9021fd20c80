"""One writer per aggregate, kept in memory (shared/infra/aggregate_cache.py): every rule
that keeps a cached aggregate correct, against the real stores (SQLite and PostgreSQL).

- a command gets the cached aggregate without a replay; a query never gets that instance;
- a command that fails after changing the aggregate leaves nothing of it in the cache;
- a second application instance writing the same aggregate (another process) is caught by
  the store's version check: the stale command runs once more on fresh state, or answers
  409, and never overwrites the other write;
- a consumer keeps what its handler folds; a batch or message whose transaction failed
  leaves nothing in memory, so the redelivery applies once.
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime
from types import SimpleNamespace
from typing import Any
from uuid import UUID, uuid4

import pytest
from eventsourcing.persistence import IntegrityError, OperationalError
from kafka import TopicPartition

from services.provider.application.provider_app import ProviderApplication
from services.provider.application.read_model import ProviderWorkLists
from services.provider.domain.periode import Besoegsperiode
from services.supervision.application.supervision_app import (
    RecordEverything,
    SupervisionApplication,
)
from services.supervision.domain.sagsforloeb import Sagsforloeb
from services.visitation.adapters.public_events import to_public
from services.visitation.application.visitation_app import VisitationApplication
from services.visitation.domain.sag import Sag
from services.visitation.domain.values import Funktionsniveau, Funktionsvurdering
from shared.contracts import PublicEvent
from shared.contracts.cloudevents import to_kafka
from shared.infra import consumer as consumer_module
from shared.infra.consumer import EventConsumer, tracking_name
from shared.infra.eventstore import EventStoreApplication, store_env
from shared.infra.public_events import public_events
from shared.infra.tid import now
from shared.kernel import DomainRuleViolation
from shared.kernel.personoplysning import fritekst
from tests.conftest import SettingsFactory
from tests.integration import test_provider_operations as provider_ops
from tests.integration.test_provider_operations import OMSORG
from tests.leverandoerer import uden_register
from tests.scenario import VISITATOR, decided_case

pytestmark = pytest.mark.integration
DAY = date(2026, 11, 2)
KLAGEDAG = date(2026, 11, 20)


def visitation(settings: Any) -> VisitationApplication:
    return VisitationApplication(env=store_env(settings, "visitation"))


# The command on the case these tests write with: a new assessment with a remark (a
# complaint was it, until complaints moved beside the case, klagesag.py).
def vurdering(tekst: str) -> Funktionsvurdering:
    return Funktionsvurdering(uuid4(), KLAGEDAG, (Funktionsniveau("B1-3", 3),), fritekst(tekst))


def klag(app: VisitationApplication, sag_id: UUID, tekst: str) -> None:
    app.registrer_funktionsvurdering(sag_id, vurdering(tekst), VISITATOR)


def stored_versions(app: EventStoreApplication, aggregate_id: UUID) -> list[int]:
    return [e.originator_version for e in app.recorder.select_events(aggregate_id)]


def bemaerkninger(sag: Sag) -> list[str]:
    """The remarks of the assessments after the scenario's first one."""
    return [v.bemaerkning.vis() for v in sag.vurderinger[1:] if v.bemaerkning is not None]


def klager(app: VisitationApplication, sag_id: UUID) -> list[str]:
    return bemaerkninger(app.hent_sag(sag_id))


def test_a_command_gets_the_cached_case_and_a_query_never_does(
    store_settings: SettingsFactory,
) -> None:
    app = visitation(store_settings("visitation"))
    sag_id = decided_case(app, DAY)
    cache = app.writer_cache
    assert cache is not None
    klag(app, sag_id, "første")
    cached = cache.get(sag_id)
    assert isinstance(cached, Sag) and cached.version == stored_versions(app, sag_id)[-1]

    hits = cache.hits
    klag(app, sag_id, "anden")
    assert cache.hits == hits + 1  # no replay: the command was handed the kept case
    assert cache.get(sag_id) is cached and len(cached.vurderinger) - 1 == 2

    # A query replays: it never holds the writer's instance, and cannot change it.
    read = app.hent_sag(sag_id)
    assert read is not cached and len(read.vurderinger) - 1 == 2
    read.vurderinger.clear()
    assert len(cached.vurderinger) - 1 == 2


def test_a_failed_command_leaves_no_trace_in_the_cache(store_settings: SettingsFactory) -> None:
    app = visitation(store_settings("visitation"))
    sag_id = decided_case(app, DAY)
    klag(app, sag_id, "gemt")
    assert app.writer_cache is not None and sag_id in app.writer_cache
    versions = stored_versions(app, sag_id)
    runs: list[int] = []

    def changes_then_fails(sag: Sag) -> None:
        runs.append(len(sag.vurderinger) - 1)
        sag.registrer_funktionsvurdering(vurdering("aldrig"), VISITATOR, now())
        raise DomainRuleViolation("test", "fejler efter ændringen", "fails after the change")

    with pytest.raises(DomainRuleViolation):
        app._kommando(sag_id, changes_then_fails)
    # Run on the cached case first, then once on the stored one: both saw one complaint.
    assert runs == [1, 1]
    assert sag_id not in app.writer_cache
    assert stored_versions(app, sag_id) == versions
    klag(app, sag_id, "næste")
    assert klager(app, sag_id) == ["gemt", "næste"]
    assert bemaerkninger(app.writer_cache.get(sag_id))[-1] == "næste"


def test_a_failed_save_evicts_and_a_stale_command_runs_again_on_fresh_state(
    store_settings: SettingsFactory,
) -> None:
    """Another instance (another process) writes the case this one keeps in memory: the
    stale copy's save fails on the store's version check, and the command runs again on
    the stored case. Both complaints are kept, in order; nothing is overwritten."""
    settings = store_settings("visitation")
    one, other = visitation(settings), visitation(settings)
    sag_id = decided_case(one, DAY)
    klag(one, sag_id, "fra én")
    assert one.writer_cache is not None
    stale = one.writer_cache.get(sag_id)
    klag(other, sag_id, "fra en anden")
    assert one.writer_cache.get(sag_id) is stale  # a write elsewhere is not heard of

    klag(one, sag_id, "fra én igen")
    assert klager(one, sag_id) == ["fra én", "fra en anden", "fra én igen"]
    versions = stored_versions(one, sag_id)
    assert versions == list(range(1, len(versions) + 1))
    kept = one.writer_cache.get(sag_id)
    assert kept is not stale and kept.version == versions[-1]


def test_a_conflict_on_fresh_state_answers_409(store_settings: SettingsFactory) -> None:
    """When the other instance writes again while the command runs on fresh state, the
    second conflict is the answer (IntegrityError: 409), as without the cache."""
    settings = store_settings("visitation")
    one, other = visitation(settings), visitation(settings)
    sag_id = decided_case(one, DAY)
    klag(one, sag_id, "fra én")
    runs: list[str] = []

    def raced(sag: Sag) -> None:
        runs.append("run")
        klag(other, sag_id, f"fra en anden {len(runs)}")  # lands between load and save
        sag.registrer_funktionsvurdering(vurdering("taber"), VISITATOR, now())

    with pytest.raises(IntegrityError):
        one._kommando(sag_id, raced)
    assert runs == ["run", "run"]
    assert klager(one, sag_id) == ["fra én", "fra en anden 1", "fra en anden 2"]
    assert one.writer_cache is not None and sag_id not in one.writer_cache
    klag(one, sag_id, "bagefter")
    assert klager(one, sag_id)[-1] == "bagefter"


def test_a_race_in_this_process_answers_409_as_before(store_settings: SettingsFactory) -> None:
    """Two commands on one case at once in one process: the second does not wait for the
    first (it would then run on a decision its author never saw) but runs on its own
    replay, and the store's version check decides. The loser answers 409; it is not run
    again, although its copy came from the cache."""
    app = visitation(store_settings("visitation"))
    sag_id = decided_case(app, DAY)
    klag(app, sag_id, "én")
    runs: list[int] = []

    def holder(sag: Sag) -> None:
        runs.append(1)
        other = threading.Thread(target=lambda: klag(app, sag_id, "samtidig"))
        other.start()
        other.join()
        sag.registrer_funktionsvurdering(vurdering("taber"), VISITATOR, now())

    with pytest.raises(IntegrityError):
        app._kommando(sag_id, holder)
    assert runs == [1] and app.lanes.contended == 1
    assert klager(app, sag_id) == ["én", "samtidig"]
    klag(app, sag_id, "bagefter")
    assert klager(app, sag_id) == ["én", "samtidig", "bagefter"]


def test_a_write_in_this_process_evicts_older_copies(store_settings: SettingsFactory) -> None:
    """A save outside the commands' lanes (a clock check, a consumer) makes the command
    cache's copy older: it is evicted at once, not discovered at the next save."""
    app = visitation(store_settings("visitation"))
    sag_id = decided_case(app, DAY)
    klag(app, sag_id, "én")
    assert app.writer_cache is not None and sag_id in app.writer_cache
    sag = app.hent_sag(sag_id)  # a query's own replay, written outside the lanes
    sag.registrer_funktionsvurdering(vurdering("to"), VISITATOR, now())
    app.save(sag)
    assert sag_id not in app.writer_cache
    klag(app, sag_id, "tre")
    assert klager(app, sag_id) == ["én", "to", "tre"]


# -- consumers -------------------------------------------------------------------------------


def record(event: PublicEvent, offset: int, partition: int = 0) -> Any:
    key, value, headers = to_kafka(event)
    return SimpleNamespace(
        topic="t", partition=partition, offset=offset, key=key, value=value, headers=headers
    )


def one_case(store_settings: SettingsFactory) -> list[PublicEvent]:
    source = visitation(store_settings("visitation"))
    decided_case(source, DAY, cpr="0301400001")
    notifications = source.process_recorder.select_notifications(start=1, limit=1000)
    events = uden_register(public_events(source, "visitation", to_public, notifications, {}))
    assert len(events) == 3
    return events


def supervision_consumer(settings: Any, group: str = "cache") -> EventConsumer:
    app = SupervisionApplication(env=store_env(settings, "supervision"))
    return EventConsumer(
        app, group_id=group, topics=[], handler=RecordEverything(app), bootstrap="unused:9"
    )


def history(consumer: EventConsumer, case_id: UUID) -> list[str]:
    app = consumer.app
    assert isinstance(app, SupervisionApplication)
    return [h["event_id"] for h in app.historik(case_id)]


def test_a_consumer_keeps_the_history_it_folds(store_settings: SettingsFactory) -> None:
    events = one_case(store_settings)
    consumer = supervision_consumer(store_settings("supervision"))
    assert consumer.cache is not None
    case_id = events[0].case_id
    assert consumer.process_record(record(events[0], 0)) == "applied"
    kept = consumer.cache.get(case_id)
    assert isinstance(kept, Sagsforloeb)
    hits = consumer.cache.hits
    assert consumer.process_batch([record(e, i) for i, e in enumerate(events[1:], 1)]) == [
        "applied",
        "applied",
    ]
    assert consumer.cache.hits == hits + 1 and consumer.cache.get(case_id) is kept
    assert len(kept.haendelser) == 3 and kept.version == stored_versions(consumer.app, case_id)[-1]
    assert history(consumer, case_id) == [str(e.event_id) for e in events]
    app = consumer.app
    assert isinstance(app, SupervisionApplication)
    assert app.hent_forloeb(case_id) is not kept  # a query replays


@pytest.mark.parametrize("path", ["batch", "one by one"])
def test_a_stale_copy_after_another_consumer_applied_is_evicted_and_applied_once(
    store_settings: SettingsFactory, path: str
) -> None:
    """A rebalance: another consumer (another process) applied the case's second message
    while this one kept the case at its first. Its save of the third fails on the
    version check; nothing of that attempt stays in memory, and the third is applied once
    on the stored history."""
    events = one_case(store_settings)
    settings = store_settings("supervision")
    mine, theirs = supervision_consumer(settings), supervision_consumer(settings)
    case_id = events[0].case_id
    mine.process_record(record(events[0], 0))
    theirs.process_record(record(events[1], 1))
    assert mine.cache is not None and len(mine.cache.get(case_id).haendelser) == 1

    if path == "batch":
        with pytest.raises(consumer_module._OneByOne, match="conflicting write"):
            mine.process_batch([record(events[1], 1), record(events[2], 2)])
        assert case_id not in mine.cache
        # The redelivery (the consumer goes one by one after a failed batch).
        assert mine.process_batch([record(events[1], 1), record(events[2], 2)]) == [
            "duplicate",
            "applied",
        ]
    else:
        assert mine.process_record(record(events[1], 1)) == "duplicate"
        assert mine.process_record(record(events[2], 2)) == "applied"
        assert mine.process_record(record(events[2], 2)) == "duplicate"
    assert history(mine, case_id) == [str(e.event_id) for e in events]
    # The history's creation, then one event per message: none twice, none overwritten.
    assert stored_versions(mine.app, case_id) == [1, 2, 3, 4]
    assert mine.cache.get(case_id).version == 4
    assert mine.app.last_tracked(tracking_name(events[0])) == 3


def test_a_failed_batch_leaves_nothing_applied_in_memory(store_settings: SettingsFactory) -> None:
    """The handler folded two messages into the kept history, then the batch failed: the
    history is evicted, and the redelivered batch applies each message once."""
    events = one_case(store_settings)
    consumer = supervision_consumer(store_settings("supervision"))
    case_id = events[0].case_id
    consumer.process_record(record(events[0], 0))
    good = consumer.handler

    def fails_last(event: PublicEvent) -> Any:
        changed = good(event)  # the kept history is changed in memory first
        if event.case_sequence == 3:
            raise RuntimeError("bug")
        return changed

    consumer.handler = fails_last
    batch = [record(events[1], 1), record(events[2], 2)]
    with pytest.raises(consumer_module._OneByOne, match="handler failed"):
        consumer.process_batch(batch)
    assert consumer.cache is not None and case_id not in consumer.cache
    consumer.handler = good
    assert consumer.process_batch(batch) == ["applied", "applied"]
    assert history(consumer, case_id) == [str(e.event_id) for e in events]
    # The kept copy is a head (Sagsforloeb.hoved: no history loaded), so its version says
    # what it holds: the creation and the three events, each applied once.
    assert consumer.cache.get(case_id).version == 4


def test_a_failed_message_leaves_nothing_applied_in_memory(
    store_settings: SettingsFactory,
) -> None:
    events = one_case(store_settings)
    consumer = supervision_consumer(store_settings("supervision"))
    case_id = events[0].case_id
    consumer.process_record(record(events[0], 0))
    app = consumer.app
    failures = iter([True])

    def store_fails_once(*args: Any, **kwargs: Any) -> None:
        # The transaction fails after the handler changed the kept history: as when the
        # database goes away at the commit.
        if next(failures, False):
            raise OperationalError("database away at the commit")
        type(app).save_with_tracking(app, *args, **kwargs)

    app.save_with_tracking = store_fails_once  # type: ignore[method-assign]
    with pytest.raises(consumer_module.RetryLater):
        consumer.process_record(record(events[1], 1))
    assert consumer.cache is not None and case_id not in consumer.cache
    assert consumer.process_record(record(events[1], 1)) == "applied"
    assert consumer.process_record(record(events[1], 1)) == "duplicate"
    assert consumer.process_record(record(events[2], 2)) == "applied"
    assert history(consumer, case_id) == [str(e.event_id) for e in events]


def test_a_revoked_partition_or_a_new_epoch_drops_its_aggregates(
    store_settings: SettingsFactory,
) -> None:
    events = one_case(store_settings)
    consumer = supervision_consumer(store_settings("supervision"))
    case_id = events[0].case_id
    consumer.process_record(record(events[0], 0, partition=2))
    assert consumer.cache is not None and case_id in consumer.cache
    listener = consumer_module._DropOnRebalance(consumer)
    listener.on_partitions_revoked([TopicPartition("t", 1)])
    assert case_id in consumer.cache  # another partition's loss is not this case's
    listener.on_partitions_revoked([TopicPartition("t", 2)])
    assert case_id not in consumer.cache

    consumer.process_record(record(events[1], 1, partition=2))
    assert case_id in consumer.cache
    listener.on_partitions_assigned([TopicPartition("t", 2)])
    assert case_id not in consumer.cache

    consumer.process_record(record(events[2], 2, partition=2))
    consumer.drop_partition("t/2")  # what a publisher's new epoch does
    assert case_id not in consumer.cache
    assert history(consumer, case_id) == [str(e.event_id) for e in events]


# -- the provider's orders, through the same base ----------------------------------------------


def test_an_order_written_by_another_instance_is_not_overwritten(
    store_settings: SettingsFactory,
) -> None:
    settings = store_settings("provider")
    one, other = (ProviderApplication(env=store_env(settings, "provider")) for _ in range(2))
    for app in (one, other):  # as the service wires it: a visit's day from the read model
        lists = ProviderWorkLists(app)
        app.besoegsdato, app.perioder_for = lists.besoegsdato, lists.perioder_for
    provider_ops.apply(one, provider_ops.decision())
    order = one.find_bestilling(provider_ops.BEVILLING)
    assert order is not None
    # The visits live in the order's monthly periods (Besoegsperiode); three in one month.
    visits = sorted(one.hel_besoegsplan(order).besoeg.values(), key=lambda b: b.dato)[:3]
    assert len({(v.dato.year, v.dato.month) for v in visits}) == 1

    def cancel(app: ProviderApplication, n: int) -> None:
        when = datetime(2026, 11, 1, 18, tzinfo=UTC)
        app.aflys_besoeg(order.id, visits[n].besoeg_id, "leverandoer", "Syg", when, OMSORG)

    cancel(one, 0)
    periode_id = Besoegsperiode.create_id(order.id, f"{visits[0].dato:%Y-%m}")
    assert one.writer_cache is not None and order.id in one.writer_cache
    assert periode_id in one.writer_cache
    cancel(other, 1)
    cancel(one, 2)  # on a stale copy: run again on the stored order
    fresh = ProviderApplication(env=store_env(settings, "provider"))
    stored = fresh.hel_besoegsplan(fresh.hent_bestilling(order.id))
    assert [stored.status(v.besoeg_id) for v in visits] == ["aflyst"] * 3
    for aggregate_id in (order.id, periode_id):
        versions = stored_versions(one, aggregate_id)
        assert versions == list(range(1, len(versions) + 1))
