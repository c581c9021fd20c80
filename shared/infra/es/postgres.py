"""The library's PostgreSQL persistence with our datastore and process recorder
(PERSISTENCE_MODULE names this module; the library takes the one infrastructure factory it
finds here)."""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import wraps
from typing import Any

import psycopg
import psycopg_pool
from eventsourcing import persistence as es
from eventsourcing import postgres as library
from eventsourcing.persistence import ProcessRecorder, StoredEvent

from shared.infra.es.common import MORE_TRACKING, libpq_tls, retried_methods

#: psycopg's errors as the library's own (what its get_connection raises), most specific
#: first: callers catch e.g. the library's IntegrityError and OperationalError.
_AS_LIBRARY_ERROR: tuple[tuple[type[Exception], type[Exception]], ...] = (
    (psycopg.InterfaceError, es.InterfaceError),
    (psycopg.OperationalError, es.OperationalError),
    (psycopg.DataError, es.DataError),
    (psycopg.IntegrityError, es.IntegrityError),
    (psycopg.InternalError, es.InternalError),
    (psycopg.ProgrammingError, es.ProgrammingError),
    (psycopg.NotSupportedError, es.NotSupportedError),
    (psycopg.DatabaseError, es.DatabaseError),
    (psycopg.Error, es.PersistenceError),
)


class PostgresDatastore(library.PostgresDatastore):
    """One PostgreSQL connection for all the calls of a consumer batch.

    Every recorder call checks a connection out of the pool, and the pool pings it first
    (POSTGRES_PRE_PING, so a restarted server's dead connections are dropped): a round trip
    per call, as costly as the query itself on a loaded machine (py-spy of the bench's
    consumers: ~15% of their time). A batch makes a call per aggregate it loads, so while
    a batch is open on a thread (`pinned`), that thread's calls share the connection
    checked out (and pinged) at its start. Other threads are not affected.

    The factory makes the library's datastore itself (no class to choose), so ours is the
    library's object given this class right after it is made (`_pinnable`); it adds no
    state but `pins`.
    """

    pins: threading.local

    @contextmanager
    def get_connection(self) -> Iterator[Any]:
        conn = getattr(self.pins, "conn", None)
        if conn is None:
            with super().get_connection() as fresh:
                yield fresh
            return
        try:
            yield conn
        except psycopg.Error as exc:
            for theirs, ours in _AS_LIBRARY_ERROR:
                if isinstance(exc, theirs):
                    raise ours(str(exc)) from exc
            raise

    @contextmanager
    def pinned(self) -> Iterator[None]:
        """Calls on this thread share one connection until the block ends."""
        if getattr(self.pins, "conn", None) is not None:
            yield
            return
        with super().get_connection() as conn:
            self.pins.conn = conn
            try:
                yield
            finally:
                self.pins.conn = None


def _pinnable(datastore: library.PostgresDatastore) -> PostgresDatastore:
    datastore.__class__ = PostgresDatastore
    assert isinstance(datastore, PostgresDatastore)
    datastore.pins = threading.local()
    return datastore


#: A connection handed out less than this long ago is handed out again without a ping.
PING_AFTER_IDLE_S = 1.0


class PingIfIdle:
    """The pool's connection check (POSTGRES_PRE_PING), made to ping only a connection
    that lay unused in the pool for a while.

    The library's check pings on every checkout, and a command checks out several times
    (the order, its period, the commit, the read model's catch-up, the relay): py-spy of the
    provider under load put ~13% of its samples in those pings. A connection handed out
    within the last second was working then; if the server restarted since, the first call
    on it fails quickly and the recorder's bounded retries (`_within_budget`) take the next
    connection, while the pool drops the broken one. A connection idle for longer (a
    restart, a firewall's idle cut) is pinged as before.
    """

    def __init__(self, idle_s: float = PING_AFTER_IDLE_S) -> None:
        self.idle_s = idle_s
        self._handed_out: weakref.WeakKeyDictionary[Any, float] = weakref.WeakKeyDictionary()
        self.pings = 0

    def __call__(self, conn: Any) -> None:
        now = time.monotonic()
        last = self._handed_out.get(conn)
        if last is None or now - last >= self.idle_s:
            self.pings += 1
            psycopg_pool.ConnectionPool.check_connection(conn)
        self._handed_out[conn] = now


def _ping_only_idle(datastore: PostgresDatastore) -> None:
    """The library gives its pool `ConnectionPool.check_connection` when pre-ping is on
    and takes no other check; the pool keeps it as `_check` (test_library_hooks)."""
    pool = datastore.pool
    if getattr(pool, "_check", None) is not None:
        pool._check = PingIfIdle()


class PostgresProcessRecorder(library.PostgresProcessRecorder):
    """The library's process recorder with two changes.

    Tracking records for a whole batch of messages: the library writes one tracking record
    per transaction; a consumer that applies a poll batch in one transaction needs several
    (one per case the batch touches). `insert_events(..., tracking=t1, more_tracking=[t2,
    ...])` writes every record in the events' transaction, through the same private hooks
    the library's own record uses (`_insert_events`, `_insert_tracking`), so inside its
    transaction, with its table lock. Each insert fails (IntegrityError, everything rolls
    back) when its name already has that position or a later one, like the first record.

    Bounded retries: see `_within_budget` (set per recorder as `retry_budget`).
    """

    #: Seconds each retried database call may take in all; None: the library's retries.
    retry_budget: float | None = None

    def _insert_events(
        self, curs: Any, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> None:
        # After the library's own record, in the order given: a name may come twice (its
        # first position in the batch, which guards against a redelivery, then its last).
        # This hook runs before the table lock and the events' insert, so a conflict fails
        # early, as the library's own record does.
        super()._insert_events(curs, stored_events, **kwargs)
        for tracking in kwargs.get(MORE_TRACKING, ()):
            self._insert_tracking(curs, tracking)


_RETRY_PAUSE_S = 0.2


def _within_budget(name: str, retried: Callable[..., Any], inner: Callable[..., Any]) -> Any:
    """Give each of the recorder's database calls `retry_budget` seconds in all, retries
    included.

    eventsourcing retries every PostgreSQL call 10 times on OperationalError, and each
    attempt waits up to the pool timeout for a connection: while the database was down, a
    request hung 10 x (3 + 0.2) s before it could answer 503 (tests/faults). Quick
    failures (a dead pooled connection, a deadlock) are still retried within the budget.
    """

    @wraps(inner)
    def call(self: PostgresProcessRecorder, *args: Any, **kwargs: Any) -> Any:
        budget = self.retry_budget
        if budget is None:
            return retried(self, *args, **kwargs)
        deadline = time.monotonic() + budget
        while True:
            try:
                return inner(self, *args, **kwargs)
            except (es.InterfaceError, es.OperationalError):
                if time.monotonic() + _RETRY_PAUSE_S >= deadline:
                    raise
                time.sleep(_RETRY_PAUSE_S)

    call.__name__ = name
    return call


#: The library's retried methods of its process recorder, each given a budget instead.
BOUNDED_RETRIES = tuple(sorted(retried_methods(library.PostgresProcessRecorder)))
for _name, _inner in retried_methods(library.PostgresProcessRecorder).items():
    _retried = getattr(library.PostgresProcessRecorder, _name)
    setattr(PostgresProcessRecorder, _name, _within_budget(_name, _retried, _inner))


class PostgresFactory(library.PostgresFactory):
    process_recorder_class = PostgresProcessRecorder

    def __init__(self, env: Any) -> None:
        super().__init__(env)
        # TLS from the database URL (store_env): on every connection of the pool, which
        # the library made unopened.
        kwargs = self.datastore.pool.kwargs
        assert isinstance(kwargs, dict)  # the library passes a dict
        kwargs.update(libpq_tls(self.env))
        self.datastore = _pinnable(self.datastore)
        _ping_only_idle(self.datastore)

    def process_recorder(self) -> ProcessRecorder:
        recorder = super().process_recorder()
        assert isinstance(recorder, PostgresProcessRecorder)
        # The library passes POSTGRES_CONNECT_TIMEOUT to the pool as its wait for a
        # connection; a call gets that long in all.
        recorder.retry_budget = float(self.env.get(self.POSTGRES_CONNECT_TIMEOUT) or 3)
        return recorder


__all__ = ["BOUNDED_RETRIES", "PostgresDatastore", "PostgresFactory", "PostgresProcessRecorder"]
