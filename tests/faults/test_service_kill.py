"""A service SIGKILLed in the middle of consuming or of relaying, then started again:
nothing is missing or doubled in any store (tests/faults/ledger.py)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from shared.infra.relay_state import RelayStateStore
from tests.faults.harness import FaultStack, fault_stack, wait_for
from tests.leverandoerer import IMPORTERET_VED_START

CASES = 120  # 4 visitation events each: enough work that a kill lands mid-stream


def kill_while_consuming(fs: FaultStack, name: str, total: int) -> int:
    """SIGKILL `name` once its consumer has applied some but not all of `total` events;
    returns how many it had applied."""
    applied = 0

    def partly_done() -> bool:
        nonlocal applied
        applied = fs.applied(name)
        return applied >= max(10, total // 10)

    wait_for(partly_done, 120, lambda: f"{name} to start consuming: {fs.health(name)}")
    fs.kill(name)
    assert applied < total, f"{name} finished ({applied}/{total}) before it could be killed"
    return applied


def kill_after_progress(fs: FaultStack, name: str) -> None:
    """SIGKILL `name` once supervision has applied something more, so each kill lands
    while events are flowing."""
    before = fs.applied("supervision")
    wait_for(
        lambda: fs.applied("supervision") > before,
        120,
        lambda: f"progress before killing {name}: {fs.health('supervision')}",
    )
    fs.kill(name)


@pytest.mark.integration
@pytest.mark.e2e
def test_consumers_killed_mid_stream_lose_and_double_nothing(tmp_path: Path) -> None:
    with fault_stack(tmp_path) as fs:
        fs.seed_cases(CASES)
        visitation_events = fs.notification_count("visitation")
        fs.start("visitation", "provider")
        # Provider consumes visitation's backlog (an order per decision) and relays its own.
        kill_while_consuming(fs, "provider", visitation_events)
        fs.start("provider")
        # Supervision consumes both topics: killed while it is applying them.
        fs.start("supervision")
        kill_while_consuming(fs, "supervision", visitation_events)
        fs.start("supervision")
        summary = fs.wait_exactly_once()
        assert summary["provider orders"] == CASES
        # Each case's four events, and the provider register's events from visitation's start.
        assert summary["visitation->supervision"]["recorded"]["count"] == (
            4 * CASES + IMPORTERET_VED_START
        )


@pytest.mark.integration
@pytest.mark.e2e
def test_relay_killed_mid_batch_loses_and_doubles_nothing(tmp_path: Path) -> None:
    with fault_stack(tmp_path) as fs:
        fs.seed_cases(CASES)
        last = fs.notification_count("visitation")
        # Small batches, so the relay is certainly between two of them when it dies.
        fs.set_env("visitation", BUM_RELAY_BATCH_SIZE="20")
        fs.start("provider", "supervision")
        fs.start("visitation")
        wait_for(lambda: fs.relay_position("visitation") > 0, 120, lambda: "a first batch")
        fs.kill("visitation")
        store = RelayStateStore(fs.app("visitation").process_recorder, "visitation")
        topic = "bum.visitation.events.v1"
        assert 0 < store.load([topic])[topic].position < last, "the relay was not killed mid-stream"
        fs.start("visitation")
        summary = fs.wait_exactly_once()
        # Each case's four events, and the provider register's events from visitation's start.
        assert summary["visitation->supervision"]["recorded"]["count"] == (
            4 * CASES + IMPORTERET_VED_START
        )


#: The writer's bound in the chaos test (1,500 cases), should the kills take very long.
MAX_BATCHES = 60


@pytest.mark.chaos
def test_every_service_killed_repeatedly_under_load(tmp_path: Path) -> None:
    """Commands keep coming (through the application layer, so they survive the kills)
    while each service in turn is SIGKILLed three times and started again."""
    with fault_stack(tmp_path) as fs:
        fs.set_env("visitation", BUM_RELAY_BATCH_SIZE="20")
        fs.set_env("provider", BUM_RELAY_BATCH_SIZE="20")
        fs.start()
        written = threading.Event()
        kills_done = threading.Event()
        batches = 0

        def write() -> None:
            # At least 12 batches of 25 cases, and on until the last kill: the batched
            # consumers catch up within seconds, so a fixed 300 cases could all be applied
            # before the second round, leaving no progress to kill after.
            nonlocal batches
            while batches < 12 or (not kills_done.is_set() and batches < MAX_BATCHES):
                fs.seed_cases(25, first=1000 + 25 * batches, threads=2)
                batches += 1
            written.set()

        writer = threading.Thread(target=write, daemon=True)
        writer.start()
        for _round in range(3):
            for name in ("visitation", "provider", "supervision"):
                kill_after_progress(fs, name)
                fs.start(name)
        kills_done.set()
        writer.join(600)
        assert written.is_set()
        summary = fs.wait_exactly_once(timeout=600)
        assert summary["provider orders"] == 25 * batches >= 300
