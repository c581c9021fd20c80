"""Every hook BUM has into the eventsourcing library's internals (shared/infra/es), checked
against the installed library: a test per hook, named for it, so an upgrade that moves a
private name or changes a signature fails here and says which hook broke. The last tests
keep private library names out of every module outside the fence.

What needs a real PostgreSQL server is in tests/integration/test_library_hooks.py.
"""

from __future__ import annotations

import inspect
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from uuid import uuid4

import psycopg_pool
import pytest
from eventsourcing import postgres as library_postgres
from eventsourcing import sqlite as library_sqlite
from eventsourcing.application import Application, ProcessingEvent, Repository
from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import (
    InfrastructureFactory,
    IntegrityError,
    OperationalError,
    StoredEvent,
    Tracking,
)
from eventsourcing.utils import retry

from shared.infra import es
from shared.infra.es import postgres as our_postgres
from shared.infra.es import sqlite as our_sqlite
from shared.infra.es.common import RETRY_WRAPPER_NAME, retried_methods
from shared.infra.repository import HurtigRepository, projicer

ROOT = Path(__file__).resolve().parents[2]


def _params(func: Callable[..., Any]) -> list[str]:
    return list(inspect.signature(func).parameters)


def _calls_in_order(func: Callable[..., Any], *calls: str) -> bool:
    source = inspect.getsource(func)
    places = [source.find(call) for call in calls]
    return -1 not in places and places == sorted(places)


# -- the factories: PERSISTENCE_MODULE names our modules ------------------------------------


def test_hook_factory_sqlite_module_holds_one_factory() -> None:
    factory = InfrastructureFactory.construct(
        {"PERSISTENCE_MODULE": es.SQLITE_MODULE, "SQLITE_DBNAME": ":memory:"}
    )
    assert type(factory) is our_sqlite.SQLiteFactory
    assert isinstance(factory.process_recorder(), our_sqlite.SQLiteProcessRecorder)


def test_hook_factory_postgres_module_holds_one_factory() -> None:
    # Making the factory opens no connection (the pool opens on first use).
    factory = InfrastructureFactory.construct(
        {
            "PERSISTENCE_MODULE": es.POSTGRES_MODULE,
            "POSTGRES_DBNAME": "nowhere",
            "POSTGRES_HOST": "127.0.0.1",
            "POSTGRES_PORT": "1",
            "POSTGRES_USER": "nobody",
            "POSTGRES_PASSWORD": "",
        }
    )
    assert type(factory) is our_postgres.PostgresFactory
    assert isinstance(factory.datastore, our_postgres.PostgresDatastore)
    factory.close()


@pytest.mark.parametrize(
    "library", [library_sqlite.SQLiteFactory, library_postgres.PostgresFactory]
)
def test_hook_factory_chooses_the_recorder_by_process_recorder_class(library: type[Any]) -> None:
    assert issubclass(library.process_recorder_class, library_sqlite.SQLiteProcessRecorder) or (
        issubclass(library.process_recorder_class, library_postgres.PostgresProcessRecorder)
    )
    assert "process_recorder_class" in inspect.getsource(library.process_recorder)


def test_an_application_refuses_the_libraries_own_recorder() -> None:
    factory = InfrastructureFactory.construct(
        {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": ":memory:"}
    )
    with pytest.raises(TypeError, match="PERSISTENCE_MODULE"):
        es.our_process_recorder(factory)


# -- several tracking records in one transaction (_insert_events, _insert_tracking) ---------


@pytest.mark.parametrize(
    ("library", "cursor"),
    [
        (library_sqlite.SQLiteProcessRecorder, "c"),
        (library_postgres.PostgresProcessRecorder, "curs"),
    ],
)
def test_hook_insert_events_and_insert_tracking_signatures(library: type[Any], cursor: str) -> None:
    assert _params(library._insert_events) == ["self", cursor, "stored_events", "kwargs"]
    assert _params(library._insert_tracking)[:3] == ["self", cursor, "tracking"]


def test_hook_insert_events_is_called_inside_the_libraries_transaction() -> None:
    assert "self._insert_events(" in inspect.getsource(
        library_postgres.PostgresApplicationRecorder.insert_events
    )
    assert "self._insert_events(" in inspect.getsource(
        library_sqlite.SQLiteAggregateRecorder.insert_events
    )


def _stored(n: int = 1) -> list[StoredEvent]:
    oid = uuid4()
    return [StoredEvent(oid, v, "t", b"{}") for v in range(1, n + 1)]


def test_hook_several_trackings_written_with_the_events_on_sqlite() -> None:
    recorder = InfrastructureFactory.construct(
        {"PERSISTENCE_MODULE": es.SQLITE_MODULE, "SQLITE_DBNAME": ":memory:"}
    ).process_recorder()
    recorder.insert_events(
        _stored(2),
        tracking=Tracking("a", 1),
        **{es.MORE_TRACKING: [Tracking("b", 4), Tracking("a", 2)]},
    )
    assert (recorder.max_tracking_id("a"), recorder.max_tracking_id("b")) == (2, 4)
    with pytest.raises(IntegrityError):  # "b" is at 4 already: nothing of this is stored
        recorder.insert_events(
            _stored(), tracking=Tracking("c", 1), **{es.MORE_TRACKING: [Tracking("b", 4)]}
        )
    assert recorder.max_tracking_id("c") is None
    assert recorder.max_notification_id() == 2


# -- bounded retries (the retry decorator found by its wrapper's name) ----------------------


def test_hook_retry_decorator_keeps_its_wrapper_name() -> None:
    def f() -> None: ...

    wrapped = retry(OperationalError, max_attempts=2)(f)
    assert wrapped.__code__.co_name == RETRY_WRAPPER_NAME
    assert wrapped.__wrapped__ is f


def test_hook_retries_found_on_the_postgres_process_recorder() -> None:
    found = retried_methods(library_postgres.PostgresProcessRecorder)
    assert len(found) > 0
    for name in ("insert_events", "select_events", "select_notifications", "max_tracking_id"):
        assert name in found, f"the library no longer retries {name}"
    assert tuple(sorted(found)) == our_postgres.BOUNDED_RETRIES
    for name in found:  # ours replace every one of them
        ours = getattr(our_postgres.PostgresProcessRecorder, name)
        assert ours.__code__.co_name != RETRY_WRAPPER_NAME, name


def test_hook_bounded_retries_give_up_within_the_budget() -> None:
    calls: list[float] = []

    def inner(self: Any) -> None:
        calls.append(time.monotonic())
        raise OperationalError("down")

    def retried(self: Any) -> str:
        return "library"

    call = our_postgres._within_budget("x", retried, inner)
    recorder = type("R", (), {"retry_budget": 0.5})()
    start = time.monotonic()
    with pytest.raises(OperationalError):
        call(recorder)
    assert 2 <= len(calls) <= 4 and time.monotonic() - start < 1.0
    recorder.retry_budget = None  # before the factory sets one: the library's own retries
    assert call(recorder) == "library"


# -- the pinned connection (PostgresDatastore.get_connection) -------------------------------


def test_hook_postgres_datastore_get_connection_is_what_transactions_use() -> None:
    datastore = library_postgres.PostgresDatastore
    assert _params(datastore.get_connection) == ["self"]
    assert "self.get_connection()" in inspect.getsource(datastore.transaction)
    assert "self.get_connection()" in inspect.getsource(datastore.cursor)


def test_hook_postgres_factory_makes_a_datastore_we_can_give_our_class() -> None:
    # The factory makes the library's datastore itself; ours adds methods, no slots.
    assert "self.datastore = PostgresDatastore(" in inspect.getsource(
        library_postgres.BasePostgresFactory.__init__
    )
    assert our_postgres.PostgresDatastore.__init__ is library_postgres.PostgresDatastore.__init__
    assert "__slots__" not in vars(library_postgres.PostgresDatastore)


def test_hook_pool_check_is_ours_and_the_pool_calls_it() -> None:
    """`_ping_only_idle` replaces the pool's `_check` (the library passes psycopg_pool's
    `check_connection` when POSTGRES_PRE_PING is on); the pool must still call `_check` on
    every checkout."""
    assert "check = ConnectionPool.check_connection if pre_ping else None" in inspect.getsource(
        library_postgres.PostgresDatastore.__init__
    )
    assert "self._check(conn)" in inspect.getsource(psycopg_pool.ConnectionPool._check_connection)
    assert "self._check_connection(conn)" in inspect.getsource(
        psycopg_pool.ConnectionPool._getconn_with_check_loop
    )
    factory = InfrastructureFactory.construct(
        {
            "PERSISTENCE_MODULE": es.POSTGRES_MODULE,
            "POSTGRES_DBNAME": "nowhere",
            "POSTGRES_HOST": "127.0.0.1",
            "POSTGRES_PORT": "1",
            "POSTGRES_USER": "nobody",
            "POSTGRES_PASSWORD": "",
            "POSTGRES_PRE_PING": "y",
        }
    )
    try:
        assert isinstance(factory.datastore.pool._check, our_postgres.PingIfIdle)
    finally:
        factory.close()


class _Connection:
    """Stands in for a psycopg connection in the check's own logic (no server needed)."""

    autocommit = True

    def __init__(self) -> None:
        self.pings = 0

    def execute(self, query: str) -> None:
        self.pings += 1


def test_pool_check_pings_only_a_connection_idle_for_a_while() -> None:
    check = our_postgres.PingIfIdle(idle_s=0.05)
    conn = _Connection()
    check(conn)  # never handed out before: pinged
    check(conn)  # handed out just now: not pinged
    assert conn.pings == 1
    time.sleep(0.06)
    check(conn)  # idle past the limit: pinged again
    assert conn.pings == 2
    other = _Connection()
    check(other)
    assert other.pings == 1


# -- the application's private save path ----------------------------------------------------


def test_hook_application_save_path_signatures() -> None:
    assert _params(Application._record) == ["self", "processing_event"]
    assert _params(Application._take_snapshots) == ["self", "processing_event"]
    assert _params(Application._notify) == ["self", "recordings"]
    assert _calls_in_order(
        Application.save, "self._record(", "self._take_snapshots(", "self._notify("
    )


class _Teller(Aggregate):
    @event("Counted")
    def count(self) -> None:
        pass


def test_hook_application_routes_every_write_through_our_hooks() -> None:
    seen: list[str] = []

    class App(es.LibraryApplication):
        def record_events(self, processing_event: ProcessingEvent[Any]) -> Any:
            seen.append("record")
            return super().record_events(processing_event)

        def recorded(self, recordings: Any) -> None:
            seen.append(f"recorded {len(recordings)}")

        def construct_recorder(self) -> Any:
            return self.factory.process_recorder()

    app = App(env={"PERSISTENCE_MODULE": es.SQLITE_MODULE, "SQLITE_DBNAME": ":memory:"})
    teller = _Teller()
    app.save(teller)
    processing_event: ProcessingEvent[Any] = ProcessingEvent(tracking=Tracking("up", 1))
    teller.count()
    processing_event.collect_events(teller)
    app.store_processing_event(processing_event)
    assert seen == ["record", "recorded 1", "record", "recorded 1"]
    assert app.repository.get(teller.id).version == 2
    assert app.recorder.max_tracking_id("up") == 1  # type: ignore[attr-defined]
    app.close()


# -- the repository (a public method overridden, checked all the same) ----------------------


def test_hook_repository_get_keywords() -> None:
    theirs = inspect.signature(Repository.get).parameters
    ours = inspect.signature(HurtigRepository.get).parameters
    assert list(ours) == list(theirs)
    assert theirs["projector_func"].kind is inspect.Parameter.KEYWORD_ONLY


def test_hook_repository_answers_from_the_open_batch_on_its_thread() -> None:
    app = Application[Any](env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    repository = HurtigRepository(event_store=app.events)
    teller = _Teller()
    app.save(teller)
    batch = repository.open_batch()
    first = repository.get(teller.id)
    assert repository.get(teller.id) is first and batch == {teller.id: first}
    assert repository.get(teller.id, version=1) is not first  # older versions: the store
    assert repository.get(teller.id, projector_func=projicer) is first
    repository.close_batch()
    assert repository.get(teller.id) is not first


# -- recorder attributes we read (our own tables, the log reader, LISTEN) -------------------


def test_hook_recorder_attributes_on_sqlite() -> None:
    recorder = InfrastructureFactory.construct(
        {"PERSISTENCE_MODULE": es.SQLITE_MODULE, "SQLITE_DBNAME": ":memory:"}
    ).process_recorder()
    assert not es.is_postgres(recorder)
    assert isinstance(es.datastore_of(recorder), library_sqlite.SQLiteDatastore)
    assert es.events_table(recorder) == "stored_events"
    assert es.tracking_table(recorder) == "tracking"
    with es.datastore_of(recorder).transaction(commit=False) as c:
        c.execute("SELECT COUNT(*) FROM tracking")  # the name tracking.py's SQL uses
    assert es.notify_channel(recorder) == ""


def test_hook_recorder_attributes_on_postgres() -> None:
    # Making a PostgreSQL recorder connects, so the values are read with a real server in
    # tests/integration/test_library_hooks.py; here, that the library still sets them.
    made = inspect.getsource(library_postgres.PostgresApplicationRecorder.__init__)
    assert "self.channel_name" in made
    made = inspect.getsource(library_postgres.PostgresRecorder.__init__)
    assert "self.datastore = datastore" in made
    assert {"events_table_name", "tracking_table_name"} <= set(
        _params(library_postgres.PostgresProcessRecorder.__init__)
    )
    assert "schema" in _params(library_postgres.PostgresDatastore.__init__)


def test_hook_nondurable_transaction_reads_the_sqlite_pools_settings(tmp_path: Path) -> None:
    """`nondurable_transaction` opens its own SQLite connection from the pool's database
    name and lock timeout, and leaves an in-memory database to the pool."""
    made = inspect.getsource(library_sqlite.SQLiteConnectionPool.__init__)
    for name in ("self.db_name", "self.lock_timeout", "self.is_sqlite_memory_mode"):
        assert name in made, name
    assert "self.pool = SQLiteConnectionPool(" in inspect.getsource(
        library_sqlite.SQLiteDatastore.__init__
    )
    for dbname in (str(tmp_path / "hook.sqlite"), ":memory:"):
        recorder = InfrastructureFactory.construct(
            {"PERSISTENCE_MODULE": es.SQLITE_MODULE, "SQLITE_DBNAME": dbname}
        ).process_recorder()
        with es.nondurable_transaction(recorder) as cur:
            cur.execute("CREATE TABLE t (k TEXT)")
            cur.execute("INSERT INTO t VALUES ('a')")
        with es.datastore_of(recorder).transaction(commit=False) as cur:
            cur.execute("SELECT k FROM t")
            assert [r[0] for r in cur.fetchall()] == ["a"]


# -- a head: an aggregate at a version without its history (es/hoved.py) -------------------


class _Strøm(Aggregate):
    @event("Åbnet")
    def __init__(self) -> None:
        self.n = 0

    @event("Talt")
    def tael(self) -> None:
        self.n += 1


def test_hook_snapshot_mutate_makes_an_aggregate_from_a_state() -> None:
    """`aggregat_ved_version` builds a library Snapshot in memory: its `mutate` must still
    set the id, version and pending events itself and take the rest from `state` (where
    `_created_on`/`_modified_on` are the library's own attribute names)."""
    source = inspect.getsource(Aggregate.Snapshot.mutate)
    for name in ('aggregate_state["_id"]', 'aggregate_state["_version"]', "_pending_events"):
        assert name in source, name
    full = _Strøm()
    full.tael()
    full.tael()
    head = es.aggregat_ved_version(
        _Strøm, full.id, full.version, full.created_on, full.modified_on, {"n": 2}
    )
    assert (head.id, head.version, head.n) == (full.id, 3, 2)
    assert (head.created_on, head.modified_on) == (full.created_on, full.modified_on)
    assert head.pending_events == []
    head.tael()
    (talt,) = head.collect_events()
    assert talt.originator_version == 4 and head.n == 3


# -- the fence: nothing outside shared/infra/es uses the library's internals ----------------

#: The library's private methods we override or call.
_HOOKED = (
    "record|notify|take_snapshots|insert_events|insert_tracking|insert_stored_events"
    "|lock_table|max_tracking_id|repository|notification_log"
)

#: Private names of the library (and its internals we fenced), as they would be written.
_PRIVATE = re.compile(
    r"from eventsourcing[\w.]* import \(?[^)]*\b_\w+"  # importing an underscore name
    r"|eventsourcing(\.\w+)*\._\w+"  # reaching for one through the module
    # the private methods we override (a method: `self` first) or reach for (`x._name`)
    rf"|\._({_HOOKED})\b|def _({_HOOKED})\(self\b"
    r"|\bco_name\b|\bretry_decorator\b|\.get_connection\b|\.datastore\b"
    r"|\b(events|tracking)_table_name\b|\bchannel_name\b|__class__\s*="
)

_FENCE = ROOT / "shared" / "infra" / "es"


#: The hook tests name what they check, so they are left out of the scan.
_HOOK_TESTS = {
    ROOT / "tests" / "unit" / "test_library_hooks.py",
    ROOT / "tests" / "integration" / "test_library_hooks.py",
}


def _modules_outside_the_fence() -> list[Path]:
    found = [
        path
        for top in ("shared", "services", "bench", "infra", "tests")
        for path in sorted((ROOT / top).rglob("*.py"))
        if _FENCE not in path.parents and path not in _HOOK_TESTS
    ]
    assert len(found) > 50
    return found


def test_no_private_library_name_outside_the_fence() -> None:
    offences = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
        for path in _modules_outside_the_fence()
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if _PRIVATE.search(line)
    ]
    assert not offences, "use shared.infra.es instead:\n" + "\n".join(offences)


def test_the_fence_scan_sees_what_the_fence_does() -> None:
    """The pattern is no typo: the fence itself uses each kind of name it looks for."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(_FENCE.glob("*.py")))
    for needle in (
        "._insert_events(",
        "super()._record(",
        "def _notify(self,",
        "code.co_name",
        "recorder.datastore",
        ".get_connection()",
    ):
        assert _PRIVATE.search(needle), needle
        assert needle in text, needle
    for innocent in ("def _record(out, status)", "self.process_record(record)"):
        assert not _PRIVATE.search(innocent), innocent


def test_hook_events_are_stamped_by_the_application_clock() -> None:
    """The library takes an event's timestamp from `CanCreateTimestamp.create_timestamp`,
    looked up on the event class; the fence replaces it so a moved clock moves the stamps
    that as-of views cut on (tidsstempel.py)."""
    from datetime import UTC, datetime, timedelta

    from eventsourcing.domain import CanCreateTimestamp

    from shared.infra import tid

    assert issubclass(Aggregate.Event, CanCreateTimestamp)
    assert "create_timestamp" in vars(CanCreateTimestamp)

    class Termometer(Aggregate):
        @event("Maalt")
        def maal(self) -> None:
            pass

    before = tid.current_offset()
    tid.set_offset(timedelta(days=400).total_seconds())
    try:
        aggregate = Termometer()
        aggregate.maal()
        stamps = [e.timestamp for e in aggregate.collect_events()]
    finally:
        tid.set_offset(before)
    ahead = datetime.now(UTC) + timedelta(days=399)
    assert all(stamp > ahead for stamp in stamps), stamps


def test_the_database_urls_tls_reaches_every_connection_of_the_librarys_pool() -> None:
    """The library takes no TLS options: our factory adds the URL's (store_env puts them in
    the store's mapping, not in os.environ) to the pool's connection arguments. The pool
    is made unopened, so nothing connects here."""
    from eventsourcing.utils import Environment

    from shared.infra.es.postgres import PostgresFactory
    from shared.infra.eventstore import store_env
    from shared.infra.settings import ServiceSettings

    url = "postgresql://bum:pw@db:5432/bum_visitation?sslmode=verify-full&sslrootcert=/ca.pem"
    env = store_env(ServiceSettings(store="postgres", database_url=url), "visitation")
    pool = PostgresFactory(Environment("visitation", env)).datastore.pool
    assert isinstance(pool.kwargs, dict)
    assert (pool.kwargs["sslmode"], pool.kwargs["sslrootcert"]) == ("verify-full", "/ca.pem")
