"""The three services as real processes beside a broker: for `make run` and end-to-end tests.

Each service is its own `python -m services.<name>` process with its own port and its own
store (SQLite files under the data folder unless a PostgreSQL URL is given per service).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from shared.infra import tid
from shared.infra.devtoken import dev_master_key, keygen

SERVICES: tuple[str, ...] = ("visitation", "provider", "supervision")
DEFAULT_PORTS: dict[str, int] = {"visitation": 8001, "provider": 8002, "supervision": 8003}
REPO_ROOT = Path(__file__).resolve().parents[2]


class StackError(RuntimeError):
    pass


@dataclass
class ServiceProcess:
    name: str
    port: int
    env: dict[str, str]
    log_path: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", f"services.{self.name}"],
            cwd=REPO_ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            # Own process group: Ctrl-C in the terminal reaches the stack, which then stops
            # each service in order instead of all of them at once.
            start_new_session=True,
        )
        log.close()

    def healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/health", timeout=1) as response:
                return bool(json.load(response).get("status") == "ok")
        except OSError:
            return False

    def consuming(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/health", timeout=1) as response:
                consumers = json.load(response).get("consumers", [])
        except OSError:
            return False
        return all(c.get("assigned_partitions", 0) > 0 for c in consumers)

    def stop(self, timeout: float = 15.0) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(5)


@dataclass
class LocalStack:
    bootstrap: str
    data_dir: Path
    ports: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_PORTS))
    database_urls: dict[str, str] = field(default_factory=dict)
    log_level: str = "info"
    #: The instant the services' application clock reads when the stack is built (it runs
    #: on from there); None keeps the host's clock. End-to-end tests work on a fixed day.
    clock: datetime | None = None
    services: dict[str, ServiceProcess] = field(default_factory=dict)

    def __post_init__(self) -> None:
        trusted_keys = {}
        if not (os.environ.get("BUM_AUTH_JWKS_FILE") or os.environ.get("BUM_AUTH_JWKS_URL")):
            # No identity broker configured: trust a development key pair kept with the data
            # (never committed); `python -m shared.infra.devtoken mint` signs with it.
            trusted_keys["BUM_AUTH_JWKS_FILE"] = str(keygen(self.dev_keys_dir))
        if not os.environ.get("BUM_KEYSTORE_MASTER_KEY"):
            # Likewise the master key of the personal-data key store (never committed).
            trusted_keys["BUM_KEYSTORE_MASTER_KEY"] = dev_master_key(self.dev_keys_dir)
            trusted_keys["BUM_KEYSTORE_DIR"] = str(self.data_dir / "keys")
        if self.clock is not None:
            # One offset for all three, computed once: their clocks agree to the millisecond.
            trusted_keys["BUM_CLOCK_OFFSET_SECONDS"] = repr(tid.offset_to(self.clock))
        for name in SERVICES:
            env = dict(os.environ)
            env.update(trusted_keys)
            env.update(
                BUM_PORT=str(self.ports[name]),
                BUM_KAFKA_BOOTSTRAP=self.bootstrap,
                BUM_DATA_DIR=str(self.data_dir),
                BUM_LOG_LEVEL=self.log_level,
                PYTHONUNBUFFERED="1",
            )
            if name in self.database_urls:
                env.update(BUM_STORE="postgres", BUM_DATABASE_URL=self.database_urls[name])
            self.services[name] = ServiceProcess(
                name, self.ports[name], env, self.data_dir / "logs" / f"{name}.log"
            )

    @property
    def dev_keys_dir(self) -> Path:
        return self.data_dir / "dev-keys"

    def start(self, timeout: float = 60.0) -> None:
        for service in self.services.values():
            service.start()
        self.wait_healthy(timeout)

    def wait_healthy(self, timeout: float = 60.0, names: tuple[str, ...] = SERVICES) -> None:
        deadline = time.monotonic() + timeout
        waiting = [self.services[n] for n in names]
        while waiting:
            for service in list(waiting):
                if service.process is not None and service.process.poll() is not None:
                    raise StackError(f"{service.name} exited; see {service.log_path}")
                if service.healthy():
                    waiting.remove(service)
            if waiting and time.monotonic() > deadline:
                raise StackError(f"not healthy in {timeout}s: {[s.name for s in waiting]}")
            time.sleep(0.2)

    def wait_consuming(self, timeout: float = 60.0) -> None:
        """Until every consumer of every service has joined its group and holds partitions
        (about 3 s after start): an event published before that is only read after the
        join, so a walkthrough typed at once would wait for its first order."""
        deadline = time.monotonic() + timeout
        for service in self.services.values():
            while not service.consuming():
                if time.monotonic() > deadline:
                    raise StackError(f"{service.name}'s consumers did not join in {timeout}s")
                time.sleep(0.2)

    def stop(self) -> None:
        for service in reversed(list(self.services.values())):
            service.stop()
