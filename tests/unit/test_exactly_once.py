"""The consumer's exactly-once rule as one pure function (shared/infra/consumer.py), used
by both the one-message and the batch path: per (source, case), message n is applied only
right after n-1."""

from __future__ import annotations

import pytest

from shared.infra.consumer import Udfald, exactly_once


@pytest.mark.parametrize(
    ("case_sequence", "tracked", "parked", "udfald"),
    [
        (1, 0, False, Udfald.ANVEND),  # a case's first message
        (5, 4, False, Udfald.ANVEND),  # the next one
        (5, 4, True, Udfald.ANVEND),  # the poisoned one itself, after a fix (re-driven)
        (4, 4, False, Udfald.DUBLET),  # the last applied, again
        (1, 4, False, Udfald.DUBLET),  # an old one, again (a publisher's start-over)
        (3, 4, True, Udfald.DUBLET),  # a redelivery stays one for a parked case
        (6, 4, False, Udfald.HUL),  # one missing before it: passed over, comes round again
        (2, 0, False, Udfald.HUL),  # a case whose first message is missing
        (6, 4, True, Udfald.VENT),  # behind a poisoned one: follows it to the dead letters
    ],
)
def test_the_rule(case_sequence: int, tracked: int, parked: bool, udfald: Udfald) -> None:
    assert exactly_once(case_sequence, tracked, parked) is udfald


def test_a_case_in_order_is_applied_once_whatever_the_redeliveries() -> None:
    """Fold the rule over a delivery with repeats, a gap and the start-over that fills it:
    every number is applied exactly once, in order."""
    tracked, applied = 0, []
    for n in [1, 2, 2, 1, 4, 3, 3, 1, 2, 3, 4, 5, 4]:
        if exactly_once(n, tracked) is Udfald.ANVEND:
            applied.append(n)
            tracked = n
    assert applied == [1, 2, 3, 4, 5]


def test_outcomes_keep_the_names_the_logs_and_counters_use() -> None:
    assert [u.value for u in Udfald] == ["applied", "duplicate", "gap", "parked"]
