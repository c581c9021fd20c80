"""Before/after of one change, in one run: POST levering served from several source trees.

    git archive main | tar -x -C /tmp/before            # the tree to compare against
    python -m bench.ab_trees ROUNDS CONNS SECONDS before=/tmp/before after=.

Each tree runs as the real provider service (`python -m services.provider`, cwd = the tree,
this venv) on its own fresh database with young orders seeded once (in this process, with
this tree's domain code). Every round runs the HTTP floor and baseline (a) (bench/
bare_service.py), then each tree in turn, started for its run and stopped after it, so no
tree's background threads run beside another's load. Prints one line per run and writes
the runs as JSON to stdout's last line. Server CPU per request is read from /proc as in
`make bench`; with the machine shared, compare the interleaved rounds, not absolutes.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import infra.local.stack as local_stack
from bench.env import BareService, new_stack, start_postgres, wait_relay_idle
from bench.run import _env, _meter
from bench.seed import seed_orders
from bench.throughput import bare_queues, delivery_queues, run_closed, trust_bench_keys
from infra.local.broker import TansuBroker
from services.provider.application.provider_app import ProviderApplication


def main() -> None:
    rounds, conns, seconds = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
    trees = {name: Path(tree).resolve() for name, tree in (a.split("=", 1) for a in sys.argv[4:])}
    per_round = max(conns * 8, 100)  # orders of 28 visits: more than any run delivers
    tmp = Path(tempfile.mkdtemp(prefix="bench-ab-"))
    trust_bench_keys(tmp / "keys")
    pg = start_postgres()
    out: dict[str, list[dict[str, Any]]] = {"http_floor": [], "bare_save": []}
    out |= {name: [] for name in trees}
    try:
        with TansuBroker() as broker:
            stacks, orders, warm = {}, {}, {}
            for name in trees:
                stacks[name] = new_stack(broker.bootstrap, tmp, pg, f"ab_{name}")
                url = stacks[name].database_urls["provider"]
                app = ProviderApplication(env=_env(url, "provider"))
                orders[name] = [seed_orders(app, per_round) for _ in range(rounds)]
                warm[name] = [seed_orders(app, conns) for _ in range(rounds)]
            pg.create_database("ab_bare")
            bare = BareService(pg.url("ab_bare"), tmp / "bare.log")
            try:
                bare.wait_healthy()
                bare_meter = _meter(pg, bare.process.pid)
                run_closed("warm-up", bare.port, bare_queues("save", conns, 500), 1.0, bare_meter)
                for r in range(rounds):
                    for key, kind in (("http_floor", "noop"), ("bare_save", "save")):
                        queues = bare_queues(kind, conns, 3000)
                        res = run_closed(key, bare.port, queues, seconds, bare_meter)
                        out[key].append(res.as_dict())
                        print(f"round {r} {key}: {res.per_s:.0f}/s {res.cpu_ms_per_op}", flush=True)
                    for name, tree in trees.items():
                        service = stacks[name].services["provider"]
                        local_stack.REPO_ROOT = tree  # ServiceProcess.start's cwd
                        service.start()
                        try:
                            stacks[name].wait_healthy(names=("provider",))
                            url = stacks[name].database_urls["provider"]
                            wait_relay_idle(service.url, url, "provider_events", 120)
                            assert service.process is not None
                            meter = _meter(pg, service.process.pid)
                            queues = delivery_queues(warm[name][r], conns)
                            run_closed("warm-up", service.port, queues, 1.0, meter)
                            queues = delivery_queues(orders[name][r], conns)
                            res = run_closed(name, service.port, queues, seconds, meter)
                            out[name].append(res.as_dict())
                            print(
                                f"round {r} {name}: {res.per_s:.0f}/s errors {res.errors} "
                                f"{res.cpu_ms_per_op}",
                                flush=True,
                            )
                        finally:
                            service.stop()
            finally:
                bare.stop()
    finally:
        pg.stop()
    print(json.dumps(out, default=str))


if __name__ == "__main__":
    main()
