"""The README's walkthrough, word for word, against the three services on their embedded
SQLite default (as `make run` starts them) and on the host's clock: it must work on any day,
which `.ci/run` shows by running this test under libfaketime on a weekend day, a public
holiday and 29 February as well as today.

Only what ties the script to a developer's machine is replaced: the fixed ports and the
development key folder become this stack's.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from infra.local._net import free_port
from infra.local.broker import TansuBroker
from infra.local.stack import REPO_ROOT, SERVICES, LocalStack
from tests.identity import keys_dir

pytestmark = [pytest.mark.e2e, pytest.mark.integration]


def walkthrough() -> str:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Walkthrough", 1)[1]
    match = re.search(r"```sh\n(.*?)```", section, re.S)
    assert match, "the README's walkthrough has no sh block"
    return match.group(1)


@pytest.fixture
def sqlite_stack(own_broker: TansuBroker, tmp_path: Path) -> Iterator[LocalStack]:
    s = LocalStack(
        bootstrap=own_broker.bootstrap,
        data_dir=tmp_path / "data",
        ports={name: free_port() for name in SERVICES},
    )
    try:
        s.start(timeout=60)
        s.wait_consuming()  # as `make run` does before it prints the services' URLs
        yield s
    finally:
        s.stop()


def test_the_readme_walkthrough_works_today(sqlite_stack: LocalStack) -> None:
    script = walkthrough()
    for name, default in (("visitation", 8001), ("provider", 8002), ("supervision", 8003)):
        url = f"http://127.0.0.1:{default}"
        assert url in script, f"the walkthrough no longer uses {url}"
        script = script.replace(url, sqlite_stack.services[name].url)
    assert "--dir data/dev-keys" in script
    script = script.replace("--dir data/dev-keys", f"--dir {keys_dir()}")

    done = subprocess.run(
        ["bash", "-c", script],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    out = done.stdout
    assert done.returncode == 0, done.stderr
    # No step answered with a problem (every 4xx/5xx is application/problem+json).
    assert '"type":"urn:' not in out and '"status":4' not in out and '"status":5' not in out, out
    assert '"status":"leveret"' in out, out  # today's visit delivered
    assert '"rettidig":true' in out, out  # tomorrow's cancelled a day ahead
    figures = json.loads(out[out.rindex("[\n") :])  # the last command: leveringsgrad
    (provider,) = figures
    assert provider["leverede_besoeg"] == 1 and provider["aflyste_besoeg"] == {"borger": 1}
    for event in ("AfgoerelseTruffet", "IndsatsLeveret", "BesoegAflyst", "KlageOprettet"):
        assert f'"{event}"' in out, (event, out)
