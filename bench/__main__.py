"""python -m bench [--smoke | --preset NAME] [--out DIR] [--only PHASE ...]: run every
figure (or the phases named), write latest.json and latest.md; a partial run writes
only-<phases>.json instead, so it never replaces the full report."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from pathlib import Path

from bench.presets import PRESETS, SMOKE
from bench.report import write
from bench.run import PHASES, run

DEFAULT_OUT = Path(__file__).resolve().parent / "results"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="tiny preset: seconds, not minutes")
    parser.add_argument(
        "--preset", choices=sorted(PRESETS), default="full", help="run size (default full)"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument(
        "--only", nargs="+", choices=PHASES, help="run these phases only (e.g. propagation)"
    )
    parser.add_argument(
        "--rebuild-events",
        type=int,
        help="size of the supervision store the rebuild figure folds (preset's otherwise)",
    )
    args = parser.parse_args()
    began = time.monotonic()

    def log(message: str) -> None:
        print(f"[bench {time.monotonic() - began:6.1f}s] {message}", file=sys.stderr, flush=True)

    preset = SMOKE if args.smoke else PRESETS[args.preset]
    if args.rebuild_events:
        preset = dataclasses.replace(preset, rebuild_events=args.rebuild_events)
    if args.only:
        results = run(preset, log, tuple(args.only))
        partial = args.out / f"only-{'-'.join(args.only)}.json"
        args.out.mkdir(parents=True, exist_ok=True)
        partial.write_text(json.dumps(results, indent=2, default=str) + "\n")
        log(f"wrote {partial}")
        print(json.dumps(results, indent=2, default=str))
        return
    results = run(preset, log)
    js, md = write(results, args.out)
    log(f"wrote {js} and {md}")
    print(md.read_text())


if __name__ == "__main__":
    main()
