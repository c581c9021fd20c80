"""How big a run is: `--smoke` proves the harness works in seconds; the default measures."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Preset:
    name: str
    connections: int  # concurrent HTTP clients / database clients
    duration: float  # seconds per closed-loop run
    orders_closed: int  # 28 visits each, enough for `duration` at the fastest expected rate
    fixed_rate: float  # the offered rate for the p99 figure
    fixed_duration: float
    orders_fixed: int
    profile_commands: int
    raw_duration: float
    #: (offered decisions per second, seconds): every decision needs a case seeded first,
    #: and the consumers must work through the seeding before the clock starts.
    propagation: tuple[tuple[float, float], ...]
    quiet_timeout: float  # how long consumers may take to catch up before a figure counts
    rebuild_events: int = 100_000  # supervision store size for the rebuild figure
    case_reads: int = 200  # reads of the 1,200-event case per figure


FULL = Preset(
    name="full",
    connections=32,
    duration=15.0,
    orders_closed=1000,
    fixed_rate=1000.0,
    fixed_duration=10.0,
    orders_fixed=400,
    profile_commands=500,
    raw_duration=8.0,
    # 20/s is the floor: a rate the consumers sustain, so its lag is the pipeline's own.
    propagation=((20.0, 5.0), (200.0, 5.0), (1000.0, 2.0)),
    quiet_timeout=180.0,
)

SMOKE = Preset(
    name="smoke",
    connections=4,
    duration=1.0,
    orders_closed=12,
    fixed_rate=1000.0,
    fixed_duration=1.0,
    orders_fixed=6,
    profile_commands=20,
    raw_duration=0.5,
    propagation=((20.0, 1.0),),
    quiet_timeout=60.0,
    rebuild_events=3_000,
    case_reads=20,
)
