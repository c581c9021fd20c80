"""Process helpers for the local harness (Linux /proc based; this harness is Linux-only)."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path


def pid_alive(pid: int) -> bool:
    """True unless pid is gone or a zombie (orphans wait for PID 1 to reap them)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


def children_of(pid: int) -> list[int]:
    """Direct children of pid, read from /proc (they are not our children to wait for)."""
    children = []
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat_file.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            children.append(int(stat_file.parent.name))
    return children


def kill_tree(pid: int, timeout: float = 10.0) -> bool:
    """SIGKILL pid and its direct children; True once all are dead within timeout."""
    victims = [pid, *children_of(pid)]
    for victim in victims:
        with contextlib.suppress(ProcessLookupError):
            os.kill(victim, signal.SIGKILL)
    deadline = time.monotonic() + timeout
    while any(pid_alive(v) for v in victims):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True
