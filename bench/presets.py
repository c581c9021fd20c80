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
    #: Aged orders (bench.seed.aged_order): four visits a day for `aged_days`, the last
    #: week's 28 visits open. At least `connections` of them, so each connection owns one.
    orders_aged: int = 48
    aged_days: int = 365  # a year: ~1,490 events per order
    aged_profile_commands: int = 100  # stage profile of deliveries on aged orders


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
    orders_aged=4,
    aged_days=21,  # ~65 events: proves the path, measures nothing
    aged_profile_commands=10,
)

#: Minutes, not seconds or a quarter of an hour: year-old orders at 8 connections, 5 s a
#: run; for comparing a change before and after (`python -m bench --preset small --only
#: throughput`), not for the committed figures.
SMALL = Preset(
    name="small",
    connections=8,
    duration=5.0,
    orders_closed=60,
    fixed_rate=1000.0,
    fixed_duration=3.0,
    orders_fixed=30,
    profile_commands=100,
    raw_duration=2.0,
    propagation=((20.0, 3.0), (200.0, 2.0)),
    quiet_timeout=120.0,
    rebuild_events=50_000,
    case_reads=50,
    orders_aged=16,
    aged_days=365,
    aged_profile_commands=40,
)

PRESETS = {p.name: p for p in (FULL, SMALL, SMOKE)}
