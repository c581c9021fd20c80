"""One PostgreSQL connection for all the calls of a consumer batch.

Every recorder call checks a connection out of the pool, and the pool pings it first
(POSTGRES_PRE_PING, so a restarted server's dead connections are dropped): a round trip
per call, as costly as the query itself on a loaded machine (py-spy of the bench's
consumers: ~15% of their time). A batch makes a call per aggregate it loads, so while a
batch is open on a thread, that thread's calls share the connection checked out (and
pinged) at its start. Other threads are not affected. SQLite stores are left alone.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from eventsourcing import persistence as es

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


class ConnectionPin:
    def __init__(self, recorder: Any) -> None:
        self._local = threading.local()
        self._checkout: Any = None
        datastore: Any = getattr(recorder, "datastore", None)
        if datastore is None or not type(recorder).__module__.endswith("postgres"):
            return
        checkout = self._checkout = datastore.get_connection

        @contextmanager
        def get_connection() -> Iterator[Any]:
            conn = getattr(self._local, "conn", None)
            if conn is None:
                with checkout() as fresh:
                    yield fresh
                return
            try:
                yield conn
            except psycopg.Error as exc:
                for theirs, ours in _AS_LIBRARY_ERROR:
                    if isinstance(exc, theirs):
                        raise ours(str(exc)) from exc
                raise

        datastore.get_connection = get_connection

    @contextmanager
    def pinned(self) -> Iterator[None]:
        """Calls on this thread share one connection until the block ends."""
        if self._checkout is None or getattr(self._local, "conn", None) is not None:
            yield
            return
        with self._checkout() as conn:
            self._local.conn = conn
            try:
                yield
            finally:
                self._local.conn = None
