"""The group committer's batching and conflict splitting, with a store stand-in that lets
the test decide when a commit finishes (the real stores are in tests/integration)."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import pytest
from eventsourcing.persistence import IntegrityError

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
