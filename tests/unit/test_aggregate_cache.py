"""The aggregate cache and the writer lanes on their own (shared/infra/aggregate_cache.py,
writer_lanes.py); their use by the applications and consumers is tested against the real
stores in tests/integration/test_aggregate_cache.py."""

from __future__ import annotations

import threading
from uuid import UUID

import pytest
from eventsourcing.domain import Aggregate, event

from shared.infra.aggregate_cache import AggregateCache, Turn
from shared.infra.writer_lanes import WriterLanes


class Taeller(Aggregate):
    def __init__(self) -> None:
        self.n = 0

    @event("Talt")
    def tael(self) -> None:
        self.n += 1


def saved() -> Taeller:
    t = Taeller()
    t.collect_events()  # as a save leaves it: nothing pending
    return t


def test_least_recently_used_goes_first() -> None:
    cache = AggregateCache(maxsize=2)
    a, b, c = saved(), saved(), saved()
    cache.put(a)
    cache.put(b)
    assert cache.get(a.id) is a  # a is now the most recent
    cache.put(c)
    assert b.id not in cache and a.id in cache and c.id in cache
    assert cache.status()["size"] == 2
    with pytest.raises(ValueError):
        AggregateCache(maxsize=0)


def test_a_write_elsewhere_evicts_only_older_copies() -> None:
    cache = AggregateCache()
    a = saved()
    cache.put(a)
    cache.evict_older(a.id, a.version)  # the writer's own save: its copy is that version
    assert cache.get(a.id) is a
    cache.evict_older(a.id, a.version + 1)
    assert a.id not in cache


def test_a_copy_out_while_this_process_stored_a_later_version_is_not_kept() -> None:
    cache = AggregateCache()
    a = saved()
    cache.put(a)
    cache.evict_older(a.id, a.version + 1)  # another command stored the next version
    assert cache.written_here(a.id) == a.version + 1
    cache.put(a)  # the turn that held the old copy ends without saving it
    assert a.id not in cache


def test_drop_tag_forgets_a_partitions_aggregates() -> None:
    cache = AggregateCache()
    a, b, untagged = saved(), saved(), saved()
    cache.put(a, "t/0")
    cache.put(b, "t/1")
    cache.put(b, "t/0")  # folded from two partitions: dropped with either
    cache.put(untagged)
    cache.drop_tag("t/0")
    assert a.id not in cache and b.id not in cache and untagged.id in cache


def test_a_turn_keeps_what_it_saved_and_evicts_what_it_changed_unsaved() -> None:
    cache = AggregateCache()
    read, stored, unsaved = saved(), saved(), saved()
    cache.put(unsaved)
    turn = Turn(cache)
    turn.handed.update({read.id: read, stored.id: stored, unsaved.id: unsaved})
    unsaved.tael()  # changed and never saved (pending)
    turn.succeeded(keep_handed=True)
    assert read.id in cache and stored.id in cache and unsaved.id not in cache


def test_a_consumer_turn_keeps_only_what_its_handler_returned() -> None:
    cache = AggregateCache()
    returned, only_read = saved(), saved()
    turn = Turn(cache)
    turn.handed.update({returned.id: returned, only_read.id: only_read})
    turn.keep([returned], "t/3")
    turn.succeeded(keep_handed=False)
    assert returned.id in cache and only_read.id not in cache
    cache.drop_tag("t/3")
    assert returned.id not in cache


def test_a_failed_turn_evicts_everything_it_was_handed() -> None:
    cache = AggregateCache()
    a = saved()
    cache.put(a)
    turn = Turn(cache)
    turn.handed[a.id] = a
    turn.failed()
    assert a.id not in cache


def test_a_turn_during_which_a_partition_was_dropped_keeps_nothing() -> None:
    cache = AggregateCache()
    a = saved()
    turn = Turn(cache)
    turn.keep([a], "t/0")
    cache.drop_tag("t/0")  # a rebalance while the batch ran
    turn.succeeded(keep_handed=False)
    assert a.id not in cache


def test_one_command_at_a_time_holds_an_aggregate() -> None:
    lanes = WriterLanes()
    a, b = UUID(int=1), UUID(int=2)
    answers: list[bool] = []
    with lanes.claim([a]) as mine:
        assert mine and lanes.owns(a) and not lanes.owns(b)

        def other_thread() -> None:
            with lanes.claim([a]) as theirs:
                answers.append(theirs)  # held here: it runs on its own replay instead
            with lanes.claim([b]) as theirs:
                answers.append(theirs)  # another aggregate: its own writer, in parallel
            with lanes.claim([a, b]) as theirs:
                answers.append(theirs)  # all or nothing

        t = threading.Thread(target=other_thread)
        t.start()
        t.join()
    assert answers == [False, True, False] and lanes.contended == 2
    assert not lanes.owns(a)
    with lanes.claim([a, b]) as mine:
        assert mine


def test_a_command_within_a_command_keeps_what_it_holds() -> None:
    lanes = WriterLanes()
    a, b = UUID(int=7), UUID(int=2)
    with lanes.claim([a]) as outer:
        assert outer
        with lanes.claim([a, b]) as inner:
            assert inner and lanes.held() == {a, b}
        assert lanes.held() == {a}
    assert lanes.held() == frozenset()
