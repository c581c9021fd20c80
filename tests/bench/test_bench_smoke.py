"""`python -m bench --smoke` keeps working: it runs every phase and writes both reports.

No timing is asserted here: figures belong in `make bench`, never in a timed test.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from infra.local.stack import REPO_ROOT

pytestmark = [pytest.mark.integration, pytest.mark.e2e]


def test_smoke_preset_writes_the_reports(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--smoke", "--out", str(tmp_path)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads((tmp_path / "latest.json").read_text())
    runs = results["throughput"]["runs"]
    names = ("ours", "ours_aged", "bare_save", "raw_single", "raw_batch", "ours_fixed")
    for name in (*names, "ours_keyed", "sync"):
        assert runs[name]["ok"] > 0, runs[name]
        assert runs[name]["errors"] == 0, runs[name]
    # Aged orders: older than young ones (a smoke run's are ~65 events, a full run's ~1,490).
    orders = results["throughput"]["orders"]
    assert orders["aged_events_per_order"] > 50 > orders["young_events_per_order"]
    assert runs["ours_aged"]["cpu_ms_per_op"]["server"] > 0
    assert results["throughput"]["profile_aged"]["commands"] > 0
    for figure in results["propagation"]["rates"].values():
        assert figure["complete"], figure
        for target in ("provider order", "supervision history"):
            assert figure[target]["arrived"] == figure[target]["events"] > 0
    assert all(v for v in results["throughput"]["memory_mib"].values())
    table = (tmp_path / "latest.md").read_text()
    assert "| figure | ours | baseline(s) | ratio | goal | met? |" in table
    assert "vs aged" in table and "Throughput on aged orders" in table
    assert "sequential, aged orders" in table
    # Offline sync beside single deliveries, in the same run: the items it stored.
    assert results["throughput"]["sync"]["items_applied"] > 0
    assert "19. Offline sync" in table
    supervision = results["supervision"]
    assert supervision["rebuild"]["ours_best_events_per_s"] > 0
    assert supervision["rebuild"]["library_mapper_events_per_s"] > 0
    assert supervision["case_reads"]["case_events"] >= 1000
    assert "3. Rebuild of every supervision projection" in table
    assert "4. Aktindsigt answer" in table
    # Issue 18: the provider with and without metrics, measured in the same run.
    metrics = results["metrics"]
    for variant in ("on", "off"):
        assert metrics[variant]["commands"] > 0 and metrics[variant]["errors"] == 0, metrics
        assert metrics[variant]["cpu_ms_per_command"] > 0
    assert "middleware_us_per_request" in metrics["in_process"]  # no timing asserted
    assert "6. Metrics cost" in table
