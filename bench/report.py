"""latest.json and latest.md: each figure next to its baselines from the same run."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

GOAL_RATE = 2500.0
GOAL_P99_FIXED_MS = 50.0
GOAL_LAG_P99_MS = 100.0
GOAL_AGED_CPU_RATIO = 1.2  # CPU per command on aged orders within 1.2x of young ones
GOAL_AGED_X_BARE = 3.0  # delivery throughput on aged orders at least 3x (a)
GOAL_METRICS_OVERHEAD = 0.03  # /metrics and its timings: under 3% of a command's CPU


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b else "n/a"


def _met(ok: bool) -> str:
    return "yes" if ok else "**no**"


def _ratio_p50(cr: dict[str, Any]) -> str:
    replay, ours = cr.get("state_as_of_replay_p50_ms"), cr["state_as_of_p50_ms"]
    return f"{replay / ours:.0f}x faster (p50)" if replay and ours else "-"


def _server_cpu(run: dict[str, Any]) -> float:
    return float((run.get("cpu_ms_per_op") or {}).get("server", 0.0))


def aged_rows(tp: dict[str, Any]) -> list[list[str]]:
    """Young and aged orders side by side, each beside (a) from the same run (issue 15)."""
    r = tp["runs"]
    if "ours_aged" not in r:
        return []
    young, aged, bare = r["ours"], r["ours_aged"], r["bare_save"]
    orders = tp.get("orders", {})
    ye, ae = orders.get("young_events_per_order", "?"), orders.get("aged_events_per_order", "?")
    c = tp["connections"]
    cy, ca, cb = _server_cpu(young), _server_cpu(aged), _server_cpu(bare)
    pg = "postgres"
    days = orders.get("aged_days", "?")
    return [
        [
            f"1. Young ({ye} events when seeded) vs aged ({ae}, {days} days) orders: server "
            "CPU ms per delivery (PostgreSQL)",
            f"young {cy:g} ({young['cpu_ms_per_op'].get(pg, 0):g}); aged {ca:g} "
            f"({aged['cpu_ms_per_op'].get(pg, 0):g})",
            f"(a) {cb:g} ({bare['cpu_ms_per_op'].get(pg, 0):g})",
            f"aged {_ratio(ca, cy)} of young; young {_ratio(cy, cb)}, aged {_ratio(ca, cb)} of (a)",
            f"aged <= {GOAL_AGED_CPU_RATIO:g}x young",
            _met(bool(cy) and ca <= GOAL_AGED_CPU_RATIO * cy),
        ],
        [
            f"1. Throughput on aged orders, POST levering, {c} conns (/s; p50 / p99 ms)",
            f"{aged['per_s']:.0f} ({aged['p50_ms']} / {aged['p99_ms']})",
            f"young {young['per_s']:.0f} ({young['p50_ms']} / {young['p99_ms']}); (a) "
            f"{bare['per_s']:.0f}",
            f"aged {_ratio(aged['per_s'], young['per_s'])} of young; "
            f"{_ratio(aged['per_s'], bare['per_s'])} of (a)",
            f">= {GOAL_AGED_X_BARE:g}x (a)",
            _met(aged["per_s"] >= GOAL_AGED_X_BARE * bare["per_s"] and aged["errors"] == 0),
        ],
    ]


def sync_rows(tp: dict[str, Any]) -> list[list[str]]:
    """Offline shift sync beside single deliveries, with and without a key (issue 19)."""
    r, sync = tp["runs"], tp.get("sync")
    if sync is None or "sync" not in r:
        return []
    ours, keyed, c = r["ours"], r["ours_keyed"], tp["connections"]
    return [
        [
            f"19. Offline sync, {sync['items_per_request']} deliveries a request, {c} conns "
            "(items stored /s; requests p50 / p99 ms)",
            f"{sync['items_per_s']:.0f} ({r['sync']['p50_ms']} / {r['sync']['p99_ms']})",
            f"single POST levering {ours['per_s']:.0f}; with Idempotency-Key "
            f"{keyed['per_s']:.0f} ({keyed['p50_ms']} / {keyed['p99_ms']})",
            f"sync {_ratio(sync['items_per_s'], ours['per_s'])} of single; key "
            f"{_ratio(keyed['per_s'], ours['per_s'])} of single",
            "-",
            "-" if r["sync"]["errors"] == 0 else "**errors**",
        ]
    ]


def metrics_rows(results: dict[str, Any]) -> list[list[str]]:
    """What metrics cost a command: the provider with and without them, same run (issue 18)."""
    m = results.get("metrics")
    if not m:
        return []
    on, off, overhead = m["on"], m["off"], m["overhead"]
    return [
        [
            f"6. Metrics cost: server CPU ms per delivery, metrics on vs off, {m['connections']} "
            "conns (/s)",
            f"on {on['cpu_ms_per_command']:g} ({on['per_s']:.0f}/s; a scrape "
            f"{m['scrape_ms']:g} ms CPU; in process: middleware "
            f"{m['in_process']['middleware_us_per_request']:g} us/request, timings "
            f"{m['in_process']['timings_us_per_commit']:g} us/commit)",
            f"off {off['cpu_ms_per_command']:g} ({off['per_s']:.0f}/s)",
            "n/a" if overhead is None else f"{overhead:+.1%}",
            f"< {GOAL_METRICS_OVERHEAD:.0%} more",
            _met(overhead is not None and overhead < GOAL_METRICS_OVERHEAD and not on["errors"]),
        ]
    ]


def rows(results: dict[str, Any]) -> list[list[str]]:
    tp = results["throughput"]
    r = tp["runs"]
    ours, bare, raw, batch = r["ours"], r["bare_save"], r["raw_single"], r["raw_batch"]
    c = tp["connections"]
    out = [
        [
            f"1. Command throughput, POST levering, {c} conns (/s)",
            f"{ours['per_s']:.0f}",
            f"(a) {bare['per_s']:.0f}; (b) {raw['per_s']:.0f}; (c) {batch['per_s']:.0f}",
            f"{_ratio(ours['per_s'], bare['per_s'])} of (a); "
            f"{_ratio(ours['per_s'], raw['per_s'])} of (b)",
            f">= {GOAL_RATE:.0f}/s",
            _met(ours["per_s"] >= GOAL_RATE),
        ],
        [
            f"1. Latency p50 / p99 at {c} conns, closed loop (ms)",
            f"{ours['p50_ms']} / {ours['p99_ms']}",
            f"(a) {bare['p50_ms']} / {bare['p99_ms']}; (b) {raw['p50_ms']} / {raw['p99_ms']}",
            f"p99 {_ratio(ours['p99_ms'], bare['p99_ms'])} of (a)",
            "-",
            "-",
        ],
    ]
    out += aged_rows(tp)
    out += sync_rows(tp)
    fixed, bare_fixed = r["ours_fixed"], r["bare_fixed"]
    rate = tp["fixed_rate"]
    if tp["fixed_rate_reachable"]:
        label = f"1. p99 at {rate:g}/s offered (ms)"
        met = _met(fixed["p99_ms"] < GOAL_P99_FIXED_MS and fixed["errors"] == 0)
    else:
        label = (
            f"1. p99 at {rate:g}/s offered: NOT REACHABLE (max {ours['per_s']:.0f}/s); "
            f"shown at {fixed['offered_per_s']:g}/s (ms)"
        )
        met = "**no**"
    out.append(
        [
            label,
            f"{fixed['p99_ms']} (p50 {fixed['p50_ms']})",
            f"(a) {bare_fixed['p99_ms']} (p50 {bare_fixed['p50_ms']})",
            _ratio(fixed["p99_ms"], bare_fixed["p99_ms"]),
            f"< {GOAL_P99_FIXED_MS:g} ms at {rate:g}/s",
            met,
        ]
    )
    for rate_key, fig in results["propagation"]["rates"].items():
        for target in ("provider order", "supervision history"):
            lag = fig[target]
            arrived = f"{lag['arrived']}/{lag['events']}"
            out.append(
                [
                    f"2. Propagation lag to {target} at {rate_key}/s offered "
                    f"(achieved {fig['achieved_per_s']}/s), p50 / p99 (ms)",
                    f"{lag['p50_ms']} / {lag['p99_ms']} ({arrived} arrived)",
                    "-",
                    "-",
                    f"p99 < {GOAL_LAG_P99_MS:g} ms",
                    _met(lag["p99_ms"] < GOAL_LAG_P99_MS and lag["arrived"] == lag["events"]),
                ]
            )
    rb = results["supervision"]["rebuild"]
    cr = results["supervision"]["case_reads"]
    out += [
        [
            f"3. Rebuild of every supervision projection, {rb['events']:,} events (events/s, "
            "best of 3 wall)",
            f"{rb['ours_best_events_per_s']:,} (wall/CPU runs: {rb['ours_runs_wall_cpu_per_s']})",
            f"library mapper + same folds {rb['library_mapper_events_per_s']:,}; library "
            "projection runner ~950 (platform notes, one commit per event)",
            f"{rb['ratio_to_mapper']}x of the mapper",
            ">= 50,000/s",
            _met(rb["ours_best_events_per_s"] >= 50_000),
        ],
        [
            f"4. Case state as of a moment, case of {cr['case_events']} events, p50 / p99 (ms)",
            f"{cr['state_as_of_p50_ms']} / {cr['state_as_of_p99_ms']} (cached; first, cold "
            f"read {cr.get('state_as_of_first_read_ms', '-')})",
            f"uncached replay + fold {cr.get('state_as_of_replay_p50_ms', '-')} / "
            f"{cr.get('state_as_of_replay_p99_ms', '-')}",
            _ratio_p50(cr),
            "p99 < 10 ms",
            _met(cr["state_as_of_p99_ms"] < 10),
        ],
        [
            f"4. Aktindsigt answer (JSON + HTML + PDF), same case, p50 / p99 (ms, "
            f"{cr['aktindsigt_samples']} runs)",
            f"{cr['aktindsigt_p50_ms']} / {cr['aktindsigt_p99_ms']} (first answer of a fresh "
            f"process, read models caught up from the whole log: "
            f"{cr.get('aktindsigt_first_answer_ms', '-')})",
            "-",
            "-",
            "p99 < 1 s",
            _met(cr["aktindsigt_p99_ms"] < 1000),
        ],
    ]
    out += metrics_rows(results)
    memory = {**tp["memory_mib"], **results["propagation"].get("memory_mib", {})}
    out.append(
        [
            "5. Peak RSS per process (MiB, VmHWM)",
            "; ".join(f"{k} {v}" for k, v in memory.items()),
            "-",
            "-",
            "-",
            "-",
        ]
    )
    return out


def markdown(results: dict[str, Any]) -> str:
    header = ["figure", "ours", "baseline(s)", "ratio", "goal", "met?"]
    lines = [
        f"# make bench: {results['preset']} preset, {results['finished']}",
        "",
        f"{results['cpus']} CPUs. Every figure and its baselines come from this one run on "
        "this machine; compare ratios, not absolute numbers, across machines.",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows(results)]
    if not results["propagation"].get("settled_before", True):
        lines += [
            "",
            "Warning: the consumers had not caught up with the seeded cases when the "
            "propagation clock started; the lag figures include that backlog.",
        ]
    if not results["throughput"].get("orders", {}).get("relay_caught_up", True):
        lines += [
            "",
            "Warning: the provider's relay had not published the seeded orders when the "
            "throughput runs started; their CPU figures include the rest of that catch-up.",
        ]
    lines += ["", "## Every run (CPU ms per operation by process group)", ""]
    lines += ["| run | ok/s | p50 ms | p99 ms | errors | CPU ms/op |", "|---|---|---|---|---|---|"]
    metrics = results.get("metrics", {})
    metric_runs = [r for v in ("on", "off") for r in metrics.get(v, {}).get("runs", [])]
    for run in [*results["throughput"]["runs"].values(), *metric_runs]:
        cpu = ", ".join(f"{k} {v}" for k, v in (run.get("cpu_ms_per_op") or {}).items())
        lines.append(
            f"| {run['name']} | {run['per_s']} | {run['p50_ms']} | {run['p99_ms']} "
            f"| {run['errors']} | {cpu} |"
        )
    tp = results["throughput"]
    lines += _profile_lines(tp["profile"], "")
    if "profile_aged" in tp:
        events = tp.get("orders", {}).get("aged_events_per_order", "?")
        lines += _profile_lines(tp["profile_aged"], f", aged orders (~{events} events)")
    return "\n".join(lines) + "\n"


def _profile_lines(prof: dict[str, Any], what: str) -> list[str]:
    lines = [
        "",
        f"## One delivery command in the application layer, sequential{what} "
        f"({prof['commands']} commands, {prof['sequential_per_s']}/s)",
        "",
        "| stage | ms per command |",
        "|---|---|",
    ]
    lines += [f"| {k} | {v} |" for k, v in prof["ms_per_command"].items()]
    top = prof.get("cprofile_top_tottime_ms_per_command", [])
    if top:
        lines += ["", "cProfile, same path, top functions by own time (ms per command):", ""]
        lines += ["| function | own | cumulative |", "|---|---|---|"]
        lines += [f"| `{t['function']}` | {t['tottime']} | {t['cumtime']} |" for t in top]
    return lines


def write(results: dict[str, Any], out_dir: Path) -> tuple[Path, Path]:
    results["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
    out_dir.mkdir(parents=True, exist_ok=True)
    js, md = out_dir / "latest.json", out_dir / "latest.md"
    js.write_text(json.dumps(results, indent=2, default=str) + "\n")
    md.write_text(markdown(results))
    return js, md
