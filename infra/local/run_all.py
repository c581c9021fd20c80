"""`make run`: the broker and the three services on the embedded SQLite default.

Prints each service's base URL once it answers /health; Ctrl-C stops everything. A second
run continues from the stored data; the broker starts empty and the relays re-publish.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

from infra.local.broker import TansuBroker
from infra.local.stack import LocalStack


def main() -> int:
    data_dir = Path(os.environ.get("BUM_DATA_DIR", "data")).resolve()
    broker_port = int(os.environ.get("BUM_BROKER_PORT", "19092"))
    broker = TansuBroker(port=broker_port)
    stack: LocalStack | None = None
    stopping = False

    def on_signal(_signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        broker.start()
        print(f"broker       {broker.bootstrap}  (Tansu, in memory)", flush=True)
        stack = LocalStack(bootstrap=broker.bootstrap, data_dir=data_dir)
        stack.start()
        stack.wait_consuming()
        for name, service in stack.services.items():
            print(f"{name:<12} {service.url}  (API docs: {service.url}/docs)", flush=True)
        print(f"data in {data_dir}, logs in {data_dir / 'logs'}; Ctrl-C stops all", flush=True)
        print(
            "tokens: .venv/bin/python -m shared.infra.devtoken mint --dir "
            f"{stack.dev_keys_dir} --rolle visitator --sub vis-anne",
            flush=True,
        )
        while not stopping:
            for service in stack.services.values():
                if service.process is not None and service.process.poll() is not None:
                    print(
                        f"{service.name} stopped unexpectedly; see {service.log_path}",
                        file=sys.stderr,
                    )
                    return 1
            time.sleep(0.5)
        return 0
    finally:
        print("stopping ...", flush=True)
        if stack is not None:
            stack.stop()
        broker.stop()
        print("stopped", flush=True)


if __name__ == "__main__":
    sys.exit(main())
