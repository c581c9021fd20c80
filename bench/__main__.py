"""python -m bench [--smoke] [--out DIR]: run every figure, write latest.json and latest.md."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from bench.presets import FULL, SMOKE
from bench.report import write
from bench.run import run

DEFAULT_OUT = Path(__file__).resolve().parent / "results"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="tiny preset: seconds, not minutes")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    began = time.monotonic()

    def log(message: str) -> None:
        print(f"[bench {time.monotonic() - began:6.1f}s] {message}", file=sys.stderr, flush=True)

    results = run(SMOKE if args.smoke else FULL, log)
    js, md = write(results, args.out)
    log(f"wrote {js} and {md}")
    print(md.read_text())


if __name__ == "__main__":
    main()
