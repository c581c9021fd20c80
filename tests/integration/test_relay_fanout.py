"""One relay per store against a real Tansu broker: it reads the log once and fans every
event out to each topic that carries it, with each topic's own numbering; a store written
when each topic had a relay of its own carries on where those left off; a position lost
with a non-durable commit only makes the relay send again (consumers drop the copies);
a topic the broker lost starts over alone."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import pytest
from kafka import KafkaAdminClient

from infra.local.broker import TansuBroker
from services.visitation.adapters.public_events import to_public
from services.visitation.application.visitation_app import VisitationApplication
from shared.infra import es
from shared.infra.eventstore import store_env
from shared.infra.public_events import PublicDraft, PublicMapping, public_events
from shared.infra.relay import EPOCH_HEADER, OutboxRelay, Route
from tests.conftest import SettingsFactory
from tests.integration.test_relay_consumer import Pipeline, assert_exactly_once_in_order, wait_for
from tests.kafka_read import read_to_end
from tests.leverandoerer import IMPORTERET_VED_START, uden_register
from tests.scenario import decided_case

pytestmark = pytest.mark.integration
DAY = date(2026, 11, 2)


def without(event_type: str) -> PublicMapping:
    """`to_public` minus one event type: a topic that carries part of what the main one does
    (as each provider's own topic does)."""

    def mapped(event: Any) -> PublicDraft | None:
        draft = to_public(event)
        return None if draft is None or draft.event_type == event_type else draft

    return mapped


def read_topic(bootstrap: str, topic: str, expected: int) -> list[Any]:
    """Every message on `topic`, at least `expected`. The relay that wrote it has stopped
    (its thread joined) and counted each message only once the broker had it, so the topic
    holds all it ever will: read to its end offsets instead of until 2 s of silence."""
    messages = read_to_end(bootstrap, topic)
    assert len(messages) >= expected, f"{len(messages)} messages on {topic}, not {expected}"
    return messages


def per_case(messages: list[Any]) -> dict[str, list[tuple[int, str]]]:
    """Per case, (case_sequence, event id) in partition order."""
    out: dict[str, list[tuple[int, str]]] = {}
    for m in sorted(messages, key=lambda m: (m.partition, m.offset)):
        h = {k: v.decode() for k, v in m.headers}
        out.setdefault(h["ce_subject"], []).append((int(h["ce_sequence"]), h["ce_id"]))
    return out


def epochs(messages: list[Any]) -> set[str]:
    return {dict(m.headers)[EPOCH_HEADER].decode() for m in messages}


@contextmanager
def running(relay: OutboxRelay) -> Iterator[None]:
    stop = threading.Event()
    thread = threading.Thread(target=relay.run, args=(stop,), daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(15)


def last_position(app: VisitationApplication) -> int:
    notifications = app.process_recorder.select_notifications(start=1, limit=100_000)
    return notifications[-1].id


def wait_published(relay: OutboxRelay, app: VisitationApplication) -> None:
    last = last_position(app)
    wait_for(
        lambda: all(s.position >= last for s in relay.states.values()),
        60,
        lambda: f"every topic at {last}: {[s.position for s in relay.states.values()]}",
    )


def expected_ids(app: VisitationApplication, mapping: PublicMapping) -> dict[str, list[str]]:
    notifications = app.process_recorder.select_notifications(start=1, limit=100_000)
    out: dict[str, list[str]] = {}
    for e in public_events(app, "visitation", mapping, notifications, {}):
        out.setdefault(str(e.case_id), []).append(str(e.event_id))
    return out


def assert_topic_holds_once_in_order(messages: list[Any], expected: dict[str, list[str]]) -> None:
    got = per_case(messages)
    assert {case: [i for _s, i in seq] for case, seq in got.items()} == expected
    for seq in got.values():  # each topic numbers each case 1, 2, 3 ... on its own
        assert [s for s, _i in seq] == list(range(1, len(seq) + 1))


def first_type(app: VisitationApplication) -> str:
    notifications = app.process_recorder.select_notifications(start=1, limit=100)
    return uden_register(public_events(app, "visitation", to_public, notifications, {}))[
        0
    ].event_type


@pytest.fixture
def visitation(store_settings: SettingsFactory) -> Iterator[VisitationApplication]:
    app = VisitationApplication(env=store_env(store_settings("visitation"), "visitation"))
    yield app
    app.close()


def test_one_relay_fans_out_with_each_topics_own_numbering(
    visitation: VisitationApplication, broker: TansuBroker
) -> None:
    for i in range(4):
        decided_case(visitation, DAY, cpr=f"04014{i:05d}")
    all_topic, part_topic = (f"test.{uuid.uuid4().hex[:8]}.{n}" for n in ("all", "part"))
    part = without(first_type(visitation))
    relay = OutboxRelay(
        visitation,
        source="visitation",
        routes=[Route(all_topic, to_public), Route(part_topic, part)],
        bootstrap=broker.bootstrap,
        poll_seconds=0.02,
    )
    with running(relay):
        wait_published(relay, visitation)
    everything = expected_ids(visitation, to_public)
    some = expected_ids(visitation, part)
    assert 0 < sum(map(len, some.values())) < sum(map(len, everything.values()))
    assert_topic_holds_once_in_order(read_topic(broker.bootstrap, all_topic, 12), everything)
    assert_topic_holds_once_in_order(read_topic(broker.bootstrap, part_topic, 8), some)
    # 4 cases' events, and the provider register imported at start, on both.
    assert relay.published == {
        all_topic: 12 + IMPORTERET_VED_START,
        part_topic: 8 + IMPORTERET_VED_START,
    }
    # One row holds every topic's place: a new relay over the store publishes nothing again.
    again = OutboxRelay(
        visitation,
        source="visitation",
        routes=[Route(all_topic, to_public), Route(part_topic, part)],
        bootstrap=broker.bootstrap,
    )
    assert {t: s.position for t, s in again.states.items()} == {
        t: s.position for t, s in relay.states.items()
    }
    assert {t: s.epoch for t, s in again.states.items()} == {
        t: s.epoch for t, s in relay.states.items()
    }


def _execute(app: VisitationApplication, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
    """One statement on the store's own tables; a SELECT's rows as tuples."""
    recorder = app.process_recorder
    p = "%s" if es.is_postgres(recorder) else "?"
    with es.datastore_of(recorder).transaction(commit=True) as cur:
        cur.execute(sql.replace("?", p), params)
        if not sql.startswith("SELECT"):
            return []
        return [tuple(r.values()) if isinstance(r, dict) else tuple(r) for r in cur.fetchall()]


def test_a_store_written_by_one_relay_per_topic_carries_on(
    visitation: VisitationApplication, broker: TansuBroker
) -> None:
    """The state as the relays before this one left it (a row per topic, format 2): the
    topic it names carries on in its epoch and sends nothing twice; a topic it does not
    name starts at the beginning of the log."""
    for i in range(3):
        decided_case(visitation, DAY, cpr=f"05014{i:05d}")
    old_topic, new_topic = (f"test.{uuid.uuid4().hex[:8]}.{n}" for n in ("old", "new"))
    before = OutboxRelay(
        visitation,
        source="visitation",
        topic=old_topic,
        mapping=to_public,
        bootstrap=broker.bootstrap,
        poll_seconds=0.02,
    )
    with running(before):
        wait_published(before, visitation)
    # Back to the layout of a store written by one relay per topic.
    [(value,)] = _execute(
        visitation, "SELECT value FROM bum_local_state WHERE key = ?", ("relay:visitation",)
    )
    head = json.loads(value)["topics"][old_topic]
    _execute(visitation, "DELETE FROM bum_local_state WHERE key = ?", ("relay:visitation",))
    _execute(
        visitation,
        "INSERT INTO bum_local_state (key, value) VALUES (?, ?)",
        (f"relay:visitation->{old_topic}", json.dumps({"format": 2, **head})),
    )
    for i in range(3, 5):
        decided_case(visitation, DAY, cpr=f"05014{i:05d}")

    after = OutboxRelay(
        visitation,
        source="visitation",
        routes=[Route(old_topic, to_public), Route(new_topic, to_public)],
        bootstrap=broker.bootstrap,
        poll_seconds=0.02,
    )
    assert after.states[old_topic].epoch == before.state.epoch
    assert after.states[old_topic].position == head["position"]
    assert after.states[new_topic].position == 0
    with running(after):
        wait_published(after, visitation)
    everything = expected_ids(visitation, to_public)
    on_old = read_topic(broker.bootstrap, old_topic, 15)
    assert_topic_holds_once_in_order(on_old, everything)  # nothing sent twice
    assert epochs(on_old) == {before.state.epoch}
    assert_topic_holds_once_in_order(read_topic(broker.bootstrap, new_topic, 15), everything)
    assert after.published == {old_topic: 6, new_topic: 15 + IMPORTERET_VED_START}


def test_positions_lost_with_a_non_durable_commit_only_resend(
    store_settings: SettingsFactory, broker: TansuBroker
) -> None:
    """The relay's state is committed without waiting for the disk, so a database crash
    may take the last commits with it: the relay then resumes from an older position with
    the older counters. Put the state back by hand as such a crash would leave it: the
    relay sends those events again with the same numbers and the consumer drops them."""
    p = Pipeline(store_settings, broker.bootstrap)
    for i in range(4):
        decided_case(p.visitation, DAY, cpr=f"06014{i:05d}")
    with p.running():
        assert_exactly_once_in_order(p)
    state = _execute(p.visitation, "SELECT key, value FROM bum_local_state")
    counters = _execute(
        p.visitation, "SELECT relay, case_id, last_sequence FROM bum_relay_case_sequence"
    )
    for i in range(4, 8):
        decided_case(p.visitation, DAY, cpr=f"06014{i:05d}")
    with p.running():
        assert_exactly_once_in_order(p)
    duplicates_before = p.consumer.duplicates

    # The crash: the last commits of the relay's state are gone.
    _execute(p.visitation, "DELETE FROM bum_local_state")
    _execute(p.visitation, "DELETE FROM bum_relay_case_sequence")
    for row in state:
        _execute(p.visitation, "INSERT INTO bum_local_state (key, value) VALUES (?, ?)", row)
    for row in counters:
        _execute(
            p.visitation,
            "INSERT INTO bum_relay_case_sequence (relay, case_id, last_sequence) VALUES (?, ?, ?)",
            row,
        )
    p.relay = OutboxRelay(
        p.visitation,
        source="visitation",
        topic=p.topic,
        mapping=to_public,
        bootstrap=broker.bootstrap,
        poll_seconds=0.02,
    )
    assert p.relay.state.position < last_position(p.visitation)
    with p.running():
        wait_published(p.relay, p.visitation)
        wait_for(
            lambda: p.consumer.duplicates >= duplicates_before + 12,
            60,
            lambda: f"the re-sent events to arrive as duplicates: {p.diagnostics()}",
        )
        assert_exactly_once_in_order(p)
    assert p.relay.published_total == 12  # the last four cases, once more


def test_a_topic_the_broker_lost_starts_over_alone(
    visitation: VisitationApplication, broker: TansuBroker
) -> None:
    for i in range(3):
        decided_case(visitation, DAY, cpr=f"07014{i:05d}")
    kept, lost = (f"test.{uuid.uuid4().hex[:8]}.{n}" for n in ("kept", "lost"))
    relay = OutboxRelay(
        visitation,
        source="visitation",
        routes=[Route(kept, to_public), Route(lost, to_public)],
        bootstrap=broker.bootstrap,
        poll_seconds=0.02,
        check_seconds=0.2,
    )
    with running(relay):
        wait_published(relay, visitation)
        kept_epoch, lost_epoch = relay.states[kept].epoch, relay.states[lost].epoch
        admin = KafkaAdminClient(bootstrap_servers=broker.bootstrap)
        try:
            admin.delete_topics([lost])
        finally:
            admin.close()
        wait_for(lambda: relay.states[lost].epoch != lost_epoch, 60, "the lost topic to start over")
        decided_case(visitation, DAY, cpr="0701499999")
        wait_published(relay, visitation)
    everything = expected_ids(visitation, to_public)
    on_kept = read_topic(broker.bootstrap, kept, 12)
    assert_topic_holds_once_in_order(on_kept, everything)
    assert epochs(on_kept) == {kept_epoch} == {relay.states[kept].epoch}
    on_lost = read_topic(broker.bootstrap, lost, 12)
    assert_topic_holds_once_in_order(on_lost, everything)
    assert epochs(on_lost) == {relay.states[lost].epoch}


def test_a_route_added_while_running_gets_every_event_from_the_head_of_the_log(
    visitation: VisitationApplication, broker: TansuBroker
) -> None:
    """A provider approved while the service runs gets its own topic at once
    (OutboxRelay.add_route, provider wiring): the new topic is sent everything it carries,
    from the start of the log, and the topics served before send nothing twice."""
    decided_case(visitation, DAY, cpr="0501400001")
    old_topic, new_topic = (f"test.{uuid.uuid4().hex[:8]}.{n}" for n in ("old", "new"))
    relay = OutboxRelay(
        visitation,
        source="visitation",
        routes=[Route(old_topic, to_public)],
        bootstrap=broker.bootstrap,
        poll_seconds=0.02,
    )
    with running(relay):
        wait_published(relay, visitation)
        assert relay.add_route(Route(new_topic, to_public))
        assert not relay.add_route(Route(old_topic, to_public))  # served already
        decided_case(visitation, DAY, cpr="0501400002")
        wait_for(lambda: new_topic in relay.states, 30, "the new route taken in")
        wait_published(relay, visitation)
    everything = expected_ids(visitation, to_public)
    n = sum(map(len, everything.values()))
    assert relay.published == {old_topic: n, new_topic: n}
    assert_topic_holds_once_in_order(read_topic(broker.bootstrap, old_topic, n), everything)
    assert_topic_holds_once_in_order(read_topic(broker.bootstrap, new_topic, n), everything)
