"""`tid.vent`: the background loops' wait, a relative sleep that a shifted clock (libfaketime
in `.ci/any-day`) cannot stretch into weeks."""

from __future__ import annotations

import threading
import time

from shared.infra import tid


def test_waits_the_interval_when_not_stopped() -> None:
    began = time.monotonic()
    assert tid.vent(threading.Event(), 0.3) is False
    assert 0.3 <= time.monotonic() - began < 1.0


def test_returns_soon_after_a_stop() -> None:
    stop = threading.Event()

    def stop_soon() -> None:  # not threading.Timer: its timed wait is the case at hand
        time.sleep(0.1)
        stop.set()

    threading.Thread(target=stop_soon).start()
    began = time.monotonic()
    assert tid.vent(stop, 30) is True
    assert time.monotonic() - began < 1.0


def test_a_stopped_loop_does_not_wait() -> None:
    stop = threading.Event()
    stop.set()
    assert tid.vent(stop, 30) is True
