"""`make simulate`'s smoke preset: 50 citizens for four weeks through the real commands.

No timing is asserted (figures belong in the results file, never in a timed test); what is
asserted is that the year's work happened and that every published event had exactly one
effect in each consumer, as in production.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from infra.local.stack import REPO_ROOT


def test_smoke_year_flows_through_every_service(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "bench.simulate", "--preset", "smoke", "--quiet"]
    # As on a fresh machine: the simulator makes its own key store, nothing from the tests'.
    env = {k: v for k, v in os.environ.items() if not k.startswith("BUM_KEYSTORE_")}
    done = subprocess.run(
        [*command, "--out", str(tmp_path)],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads((tmp_path / "simulate-smoke.json").read_text())

    work = result["done"]
    for what in ("afgoerelser", "leveret", "aflyst_af_borger", "aflyst_af_leverandoer"):
        assert work[what] > 0, (what, work)
    # A provider's cancellation owes a replacement, and the simulation plans every one.
    assert work["erstatningsbesoeg"] == work["aflyst_af_leverandoer"]
    assert 2.0 <= result["grant_mix"]["average_hours_per_week"] <= 4.5

    published = result["published"]
    stores = result["stores"]
    # Each of the provider's public events was published once (beside them it stores its
    # periods' own bookkeeping: a month's period begun, a duty noted, never published);
    # each public event reached both of its consumers exactly once (no gap passed over, no
    # duplicate).
    assert stores["provider"]["published_log"] == published["provider"]
    assert stores["provider"]["events"] > published["provider"]
    assert result["consumer_outcomes"] == {"applied": 2 * sum(published.values())}
    assert stores["visitation"]["published_log"] == published["visitation"]
    assert result["stored_events_total"] == sum(s["events"] for s in stores.values())
    assert result["supervision_rebuild"]["events"] == stores["supervision"]["events"]
    assert result["case_reads"]["case_events"] > 0
