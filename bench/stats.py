"""Latency summaries and the CPU accounting read from /proc (no psutil needed)."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

_TICKS = os.sysconf("SC_CLK_TCK")


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile of an already sorted list (0 for an empty one)."""
    if not sorted_values:
        return 0.0
    rank = max(0, min(len(sorted_values) - 1, round(q / 100 * len(sorted_values) + 0.5) - 1))
    return sorted_values[rank]


@dataclass
class RunResult:
    """One load run: how many operations succeeded in how long, and their latencies."""

    name: str
    ok: int
    errors: int
    seconds: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    offered_per_s: float | None = None
    cpu_ms_per_op: dict[str, float] | None = None

    @property
    def per_s(self) -> float:
        return self.ok / self.seconds if self.seconds > 0 else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "per_s": round(self.per_s, 1)}


def summarise(
    name: str, latencies_s: list[float], errors: int, seconds: float, offered: float | None = None
) -> RunResult:
    ms = sorted(v * 1000 for v in latencies_s)
    return RunResult(
        name=name,
        ok=len(ms),
        errors=errors,
        seconds=round(seconds, 3),
        p50_ms=round(percentile(ms, 50), 2),
        p99_ms=round(percentile(ms, 99), 2),
        max_ms=round(ms[-1], 2) if ms else 0.0,
        offered_per_s=offered,
    )


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of the given processes (threads included), from /proc/<pid>/stat."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue  # a backend that ended: its CPU is lost, which undercounts slightly
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15 of stat)
    return total / _TICKS


def peak_rss_mib(pid: int) -> float | None:
    """VmHWM: the peak resident set size of a live process, in MiB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def descendants(pid: int) -> list[int]:
    """pid's children, grandchildren... (PostgreSQL backends are the postmaster's children)."""
    parents: dict[int, list[int]] = {}
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat_file.read_text().rpartition(")")[2].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        parents.setdefault(ppid, []).append(int(stat_file.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


class CpuMeter:
    """CPU used by groups of processes between start() and stop(), per group.

    Each group is a function giving its pids now, so backends PostgreSQL forks during the
    run are counted from zero. Dividing by the operations done gives CPU ms per operation:
    on a 2-core machine that, more than wall time, says where a command's cost goes.
    """

    def __init__(self, groups: dict[str, Any]) -> None:
        self.groups = groups
        self._start: dict[str, dict[int, float]] = {}

    def _snapshot(self) -> dict[str, dict[int, float]]:
        return {
            name: {pid: cpu_seconds([pid]) for pid in pids_of()}
            for name, pids_of in self.groups.items()
        }

    def start(self) -> None:
        self._start = self._snapshot()

    def stop(self, operations: int) -> dict[str, float]:
        end = self._snapshot()
        out: dict[str, float] = {}
        for name, now in end.items():
            before = self._start.get(name, {})
            used = sum(cpu - before.get(pid, 0.0) for pid, cpu in now.items())
            out[name] = round(used * 1000 / max(operations, 1), 3)
        return out
