"""A private, throw-away PostgreSQL cluster for tests and local runs.

It lives in a temporary directory, listens on 127.0.0.1 only and touches nothing in /etc,
so several can run side by side and none outlives its owner. Usage:

    with PrivateCluster() as pg:
        pg.create_database("bum_visitation")
        url = pg.url("bum_visitation")

`python -m infra.local.pg_cluster` starts one and waits for Ctrl-C.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import os
import pwd
import re
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType

import psycopg
from psycopg import errors, sql

from infra.local._net import free_port
from infra.local._proc import kill_tree, pid_alive

_PG_ROOT = Path("/usr/lib/postgresql")
_OS_USER = "postgres"  # PostgreSQL refuses to run as root, so root hands over to this user


class PgClusterError(RuntimeError):
    """The private cluster could not be installed, started or stopped."""


def find_pg_bin() -> Path | None:
    """The directory holding initdb and pg_ctl: the highest Debian version, else PATH."""
    candidates = [p for p in _PG_ROOT.glob("*/bin") if (p / "initdb").is_file()]
    candidates = [p for p in candidates if (p / "pg_ctl").is_file()]
    if candidates:
        # Numeric order, so that a future 100 beats 99.
        return max(candidates, key=lambda p: [int(n) for n in re.findall(r"\d+", p.parent.name)])
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        # resolve() follows /usr/local/bin symlinks to the real versioned bin dir.
        return Path(initdb).resolve().parent
    return None


def ensure_pg_binaries() -> Path:
    """Return the PostgreSQL bin dir, installing Debian's `postgresql` when missing (root only)."""
    if (found := find_pg_bin()) is not None:
        return found
    if os.geteuid() != 0:
        raise PgClusterError(
            "PostgreSQL binaries (initdb, pg_ctl) not found; install them with "
            "`apt-get install -y --no-install-recommends postgresql` (needs root)."
        )
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (
        ["apt-get", "update"],
        ["apt-get", "install", "-y", "--no-install-recommends", "postgresql"],
    ):
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise PgClusterError(f"{' '.join(cmd)} failed:\n{done.stderr[-2000:]}")
    if (found := find_pg_bin()) is None:
        raise PgClusterError("apt-get installed postgresql but initdb/pg_ctl are still missing")
    return found


class PrivateCluster:
    """A PostgreSQL server in a temporary directory (trust auth, superuser `postgres`)."""

    def __init__(self, port: int | None = None) -> None:
        self._requested_port = port
        self._port: int | None = None
        self._dir: Path | None = None
        self._bin: Path | None = None
        self._as_root = os.geteuid() == 0

    @property
    def port(self) -> int:
        if self._port is None:
            raise PgClusterError("cluster not started")
        return self._port

    @property
    def data_dir(self) -> Path:
        if self._dir is None:
            raise PgClusterError("cluster not started")
        return self._dir

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{dbname}"

    def start(self) -> PrivateCluster:
        """initdb a fresh temp dir and start the server on a free (or the given) port."""
        if self._dir is not None:
            raise PgClusterError("cluster already started")
        self._bin = ensure_pg_binaries()
        self._dir = Path(tempfile.mkdtemp(prefix="bum-pg-"))
        atexit.register(self.stop)  # never leave a postmaster behind if the caller forgets
        try:
            if self._as_root:
                try:
                    ids = pwd.getpwnam(_OS_USER)
                except KeyError:
                    raise PgClusterError(f"running as root needs an OS user {_OS_USER!r}") from None
                os.chown(self._dir, ids.pw_uid, ids.pw_gid)
            # --no-sync: initdb's own fsyncs cost ~1 s and this cluster is throw-away; the
            # server itself runs with fsync=on so timings and crash tests stay honest.
            flags = "-U postgres --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync"
            self._run("initdb", "-D", str(self._dir), *flags.split())
            # A kernel-chosen port can be taken before we bind it: retry with a new one.
            attempts = 1 if self._requested_port else 3
            for attempt in range(attempts):
                self._port = self._requested_port or free_port()
                try:
                    self.start_server()
                    break
                except PgClusterError:
                    if attempt == attempts - 1:
                        raise
        except BaseException:
            self.stop()
            raise
        return self

    def start_server(self) -> None:
        """Start the server on the existing data dir and port (after kill/stop_server)."""
        # max_connections: each service (and each application a test builds) keeps its own
        # pool, and a full test session or bench run holds several hundred at once.
        opts = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.data_dir} -c fsync=on "
            "-c max_connections=500"
        )
        log = ["-l", str(self._log)]
        self._run("pg_ctl", "-D", str(self.data_dir), *log, "-o", opts, "-w", "-t", "30", "start")

    def stop_server(self) -> None:
        """Clean shutdown (-m fast: disconnect clients, checkpoint), keeping the data."""
        self._run("pg_ctl", "-D", str(self.data_dir), "-m", "fast", "-w", "stop")

    def kill_server(self) -> None:
        """Simulate a crash: SIGKILL the postmaster and its children, keeping the data.

        The next start_server() runs crash recovery from the WAL. The backends are killed
        too, because a new postmaster refuses to start while old ones still hold the
        shared memory segment.
        """
        pid = self._postmaster_pid()
        if pid is None:
            return
        if not kill_tree(pid):
            raise PgClusterError(f"postmaster {pid} or its children survived SIGKILL")
        # The dead postmaster is an orphan that PID 1 reaps when it gets round to it (every
        # ~2 s on these machines); until then it is a zombie, which a new postmaster's
        # kill(pid, 0) lock-file checks take for a live server. It is dead: drop the locks.
        (self.data_dir / "postmaster.pid").unlink(missing_ok=True)
        (self.data_dir / f".s.PGSQL.{self.port}.lock").unlink(missing_ok=True)

    def restart(self) -> None:
        """Stop the server cleanly and start it again on the same port with the same data."""
        self.stop_server()
        self.start_server()

    def create_database(self, name: str) -> None:
        """CREATE DATABASE name unless it exists (CREATE DATABASE cannot run in a txn)."""
        with psycopg.connect(self.url(), autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            if exists.fetchone() is not None:
                return
            # DuplicateDatabase: created concurrently by someone else, which is what we wanted.
            with contextlib.suppress(errors.DuplicateDatabase):
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))

    def stop(self) -> None:
        """Stop the server (if running) and delete everything. Safe to call twice."""
        atexit.unregister(self.stop)
        if self._dir is None:
            return
        try:
            if self._postmaster_pid() is not None:
                # -m immediate, not fast: the data is deleted next, so the shutdown
                # checkpoint a clean stop writes (every dirty buffer, fsync on) is wasted.
                # After a test session's few hundred databases it took 50-100 s, past
                # pg_ctl's 60 s wait, and then the server was killed anyway.
                try:
                    self._run("pg_ctl", "-D", str(self.data_dir), "-m", "immediate", "-w", "stop")
                except PgClusterError:
                    self.kill_server()
        finally:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None

    def __enter__(self) -> PrivateCluster:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def _log(self) -> Path:
        return self.data_dir / "log"

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self._log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no server log)"

    def _postmaster_pid(self) -> int | None:
        try:
            first = (self.data_dir / "postmaster.pid").read_text().splitlines()[0]
        except (OSError, IndexError):
            return None
        pid = int(first)
        return pid if pid_alive(pid) else None

    def _run(self, tool: str, *args: str) -> None:
        assert self._bin is not None
        cmd = [str(self._bin / tool), *args]
        if self._as_root:
            cmd = ["runuser", "-u", _OS_USER, "--", *cmd]
        # Output is captured for the error message; pg_ctl -l sends the daemon's own output
        # to the log, so nothing keeps these pipes (or pytest's) open after pg_ctl exits.
        done = subprocess.run(
            cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise PgClusterError(
                f"{tool} failed (exit {done.returncode}): {done.stderr.strip() or done.stdout}"
                f"\n--- server log tail ---\n{self.log_tail()}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description="Run a throw-away PostgreSQL until Ctrl-C.")
    parser.add_argument("--port", type=int, default=None)
    parser.add_argument("--db", action="append", default=[], help="database to create")
    args = parser.parse_args()
    # Both signals raise KeyboardInterrupt (SIGINT may arrive ignored when started with &).
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.default_int_handler)
    with PrivateCluster(port=args.port) as pg:
        for name in args.db:
            pg.create_database(name)
        for name in ["postgres", *args.db]:
            print(pg.url(name), flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            print("stopping", flush=True)


if __name__ == "__main__":
    main()
