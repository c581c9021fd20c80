"""The group committer's batching and conflict splitting, with a store stand-in that lets
the test decide when a commit finishes (the real stores are in tests/integration)."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import pytest
from eventsourcing.persistence import IntegrityError, OperationalError

from shared.infra.group_commit import GroupCommitter


class GatedStore:
    def __init__(self) -> None:
        self.gate = threading.Event()
        self.transactions: list[list[Any]] = []

    def put(self, events: Sequence[Any]) -> list[Any]:
        self.gate.wait(5)
        if "conflict" in events and len(events) > 1:
            raise IntegrityError("duplicate version")
        if list(events) == ["conflict"]:
            raise IntegrityError("duplicate version")
        self.transactions.append(list(events))
        return [f"stored:{e}" for e in events]


def test_commands_queued_during_a_commit_share_the_next_transaction() -> None:
    store = GatedStore()
    committer = GroupCommitter(store.put)
    results: dict[str, Any] = {}

    def command(name: str, events: list[str]) -> None:
        try:
            results[name] = committer.put(events)
        except IntegrityError:
            results[name] = "409"

    first = threading.Thread(target=command, args=("first", ["a1"]))
    first.start()
    while committer.transactions == 0:  # the writer holds the first commit at the gate
        threading.Event().wait(0.01)
    later = [threading.Thread(target=command, args=(f"c{i}", [f"e{i}", f"f{i}"])) for i in range(5)]
    later.append(threading.Thread(target=command, args=("bad", ["conflict"])))
    for t in later:
        t.start()
    threading.Event().wait(0.2)  # let them all queue behind the first commit
    store.gate.set()
    for t in [first, *later]:
        t.join(5)

    assert results["first"] == ["stored:a1"]
    for i in range(5):
        assert results[f"c{i}"] == [f"stored:e{i}", f"stored:f{i}"]  # each its own events
    assert results["bad"] == "409"  # only the conflicting command fails
    # One transaction for the first command, then the batch was split one by one because
    # of the conflict: 1 + 5 successful single commits.
    assert store.transactions[0] == ["a1"]
    assert committer.commands == 7 and committer.transactions == 2


def test_without_conflicts_a_batch_is_one_transaction() -> None:
    store = GatedStore()
    committer = GroupCommitter(store.put)
    done: list[Any] = []
    first = threading.Thread(target=lambda: done.append(committer.put(["x"])))
    first.start()
    while committer.transactions == 0:
        threading.Event().wait(0.01)
    rest = [
        threading.Thread(target=lambda i=i: done.append(committer.put([f"y{i}"]))) for i in range(8)
    ]
    for t in rest:
        t.start()
    threading.Event().wait(0.2)
    store.gate.set()
    for t in [first, *rest]:
        t.join(5)
    assert len(done) == 9
    assert [len(t) for t in store.transactions] == [1, 8]


def test_a_store_failure_reaches_every_waiter() -> None:
    def broken(_: Sequence[Any]) -> list[Any]:
        raise ConnectionError("database away")

    with pytest.raises(ConnectionError):
        GroupCommitter(broken).put(["a"])


class DownStore:
    """A store whose database is away: each commit fails once the test opens the gate."""

    def __init__(self) -> None:
        self.gate = threading.Event()
        self.attempts = 0

    def put(self, events: Sequence[Any]) -> list[Any]:
        self.attempts += 1
        self.gate.wait(5)
        raise OperationalError("couldn't get a connection after 3.00 sec")


def test_commands_queued_behind_a_failing_commit_fail_with_it() -> None:
    """Each would otherwise wait out the database timeout once more (tests/faults)."""
    store = DownStore()
    committer = GroupCommitter(store.put)
    errors: dict[str, str] = {}

    def command(name: str) -> None:
        try:
            committer.put([name])
        except OperationalError as exc:
            errors[name] = str(exc)

    first = threading.Thread(target=command, args=("first",))
    first.start()
    while committer.pending == 0 or store.attempts == 0:
        threading.Event().wait(0.01)
    later = [threading.Thread(target=command, args=(f"c{i}",)) for i in range(4)]
    for t in later:
        t.start()
    while committer.pending < 5:  # all four queued behind the failing commit
        threading.Event().wait(0.01)
    store.gate.set()
    for t in [first, *later]:
        t.join(5)
    assert sorted(errors) == ["c0", "c1", "c2", "c3", "first"]
    assert store.attempts == 1  # one wait for the database, not five
