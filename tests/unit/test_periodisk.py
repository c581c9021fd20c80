"""The daily checks' loop (shared/infra/periodisk.py): today from the application clock, and
one failing check neither stops the loop nor the other checks of its round."""

from __future__ import annotations

import threading
from datetime import date, timedelta

from shared.infra import tid
from shared.infra.periodisk import koer_periodisk


def test_the_checks_read_today_from_the_application_clock() -> None:
    stop, dage = threading.Event(), []

    def kontrol(dag: date) -> list[object]:
        dage.append(dag)
        stop.set()
        return []

    before = tid.current_offset()
    tid.set_offset(timedelta(days=1000).total_seconds())
    try:
        forventet = tid.idag()
        koer_periodisk("test", [kontrol], stop, 0)
    finally:
        tid.set_offset(before)
    assert dage == [forventet]
    assert forventet > date.today() + timedelta(days=999)


def test_a_failing_check_does_not_stop_the_round_or_the_loop() -> None:
    stop, runder = threading.Event(), []

    def fejler(dag: date) -> list[object]:
        raise RuntimeError("lageret er nede")

    def taeller(dag: date) -> list[object]:
        runder.append(dag)
        if len(runder) == 2:
            stop.set()
        return [dag]

    koer_periodisk("test", [fejler, taeller], stop, 0, lambda: date(2027, 1, 9))
    assert runder == [date(2027, 1, 9)] * 2
