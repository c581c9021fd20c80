"""The event store every service uses: an eventsourcing Application on SQLite or PostgreSQL.

The application is built with a *process* recorder so that a consumer can write the events a
message causes together with its tracking record, in one transaction (exactly-once in
effect). Each service gets its own database (PostgreSQL) or its own file (SQLite).
"""

from __future__ import annotations

import contextvars
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, ClassVar, TypeVar
from urllib.parse import parse_qs, unquote, urlparse
from uuid import UUID

import structlog
from eventsourcing.application import ProcessingEvent, Repository
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import (
    IntegrityError,
    InterfaceError,
    JSONTranscoder,
    Mapper,
    OperationalError,
    ProcessRecorder,
    Recording,
    Tracking,
)
from eventsourcing.utils import Environment, strtobool

from shared.infra import tid
from shared.infra.aggregate_cache import DEFAULT_SIZE, AggregateCache, Turn
from shared.infra.crypto_shredding import KeyStore, PersonoplysningTranscoding
from shared.infra.es import (
    LIBPQ_TLS_PARAMS,
    MORE_TRACKING,
    POSTGRES_MODULE,
    SQLITE_MODULE,
    LibraryApplication,
    notify_channel,
    our_process_recorder,
)
from shared.infra.group_commit import GroupCommitter
from shared.infra.log_wakeup import LogListener, conninfo_from_env
from shared.infra.metrics import Timings
from shared.infra.public_events import remember_recorded
from shared.infra.repository import HurtigRepository
from shared.infra.settings import ServiceSettings, fra_miljoeet
from shared.infra.tid import Ur
from shared.infra.tracing import TracingMapper, stamp
from shared.infra.tracking import last_tracked_many
from shared.infra.transcoding import DateAsISO, dataclass_transcoding
from shared.infra.writer_lanes import WriterLanes
from shared.kernel import Aktoer

log = structlog.get_logger("eventstore")
T = TypeVar("T")


def store_env(settings: ServiceSettings, service: str) -> dict[str, str]:
    """Translate our settings into the eventsourcing library's environment variables."""
    if settings.store == "sqlite":
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        return {
            "PERSISTENCE_MODULE": SQLITE_MODULE,
            "SQLITE_DBNAME": str(Path(settings.data_dir) / f"{service}.sqlite"),
            "SQLITE_LOCK_TIMEOUT": "10",
            **_writer_env(settings),
        }
    if not settings.database_url:
        raise ValueError("BUM_STORE=postgres needs BUM_DATABASE_URL")
    url = urlparse(settings.database_url)
    return {
        "PERSISTENCE_MODULE": POSTGRES_MODULE,
        "POSTGRES_DBNAME": url.path.lstrip("/") or f"bum_{service}",
        "POSTGRES_HOST": url.hostname or "127.0.0.1",
        "POSTGRES_PORT": str(url.port or 5432),
        "POSTGRES_USER": unquote(url.username or "postgres"),
        "POSTGRES_PASSWORD": unquote(url.password or ""),
        # Never POSTGRES_ENABLE_DB_FUNCTIONS: it skips the table lock and followers of the
        # notification log then miss events (see the platform notes).
        "POSTGRES_POOL_SIZE": "5",
        "POSTGRES_MAX_OVERFLOW": "10",
        "POSTGRES_CONN_MAX_AGE": "300",
        "POSTGRES_PRE_PING": "y",
        # The library passes this to the pool as its wait for a connection, and the pool
        # retries connecting meanwhile: while the database is down a request gets an
        # OperationalError (503) after this long, and the first request after it is back
        # gets a fresh connection (pre-ping drops the dead ones).
        "POSTGRES_CONNECT_TIMEOUT": str(settings.db_timeout_seconds),
        **_libpq_tls_from_query(url.query),
        **_writer_env(settings),
    }


def _writer_env(settings: ServiceSettings) -> dict[str, str]:
    """The one writer's settings, as the application reads them (aggregate_cache.py,
    group_commit.py, metrics.py): beside the store's, in the store's mapping."""
    return {
        "BUM_AGGREGATE_CACHE_SIZE": str(settings.aggregate_cache_size),
        "BUM_METRICS": "y" if settings.metrics_enabled else "n",
        "BUM_GROUP_COMMIT": "y" if settings.group_commit else "n",
    }


def _libpq_tls_from_query(query: str) -> dict[str, str]:
    """`postgresql://u:p@db/bum?sslmode=verify-full&sslrootcert=/ca.pem` turns TLS on: the
    libpq parameters, in the store's mapping (shared/infra/es/postgres.py gives them to
    every connection of the library's pool; log_wakeup.py to its own)."""
    found: dict[str, str] = {}
    for name, values in parse_qs(query).items():
        if name not in LIBPQ_TLS_PARAMS:
            raise ValueError(f"unsupported database URL parameter {name!r}")
        found[LIBPQ_TLS_PARAMS[name]] = values[-1]
    return found


def _yes(value: str) -> bool:
    return value.lower() in ("y", "yes", "true", "1")


class ConcurrentChange(IntegrityError):
    """A command lost the race: `aggregate_id` was changed by someone else first and is now
    at `current_version` (answered 409 with both)."""

    def __init__(self, aggregate_id: UUID, current_version: int) -> None:
        super().__init__(f"{aggregate_id} was changed concurrently; now at {current_version}")
        self.aggregate_id = aggregate_id
        self.current_version = current_version


class Udsat:
    """Saves held back until the answer is known (shared/infra/idempotens.py): while one
    is active on a thread (`Udsat.aktiv`), `EventStoreApplication.save` collects the
    events here instead of writing them, and `gem_alle` writes each application's held
    events in one transaction, with the key's record of the answer among them."""

    aktiv: contextvars.ContextVar[Udsat | None] = contextvars.ContextVar("udsat_gem", default=None)

    def __init__(self) -> None:
        #: Per application: the held events, and the version each aggregate was loaded at.
        self.holdt: dict[int, tuple[EventStoreApplication, ProcessingEvent[UUID], dict[UUID, int]]]
        self.holdt = {}
        #: The aggregates whose one writer held them (a command's turn): cached once written.
        self.egne: set[UUID] = set()

    def hold(
        self, app: EventStoreApplication, objs: tuple[Any, ...], egne: Iterable[UUID] = ()
    ) -> None:
        _, pe, loaded_at = self.holdt.setdefault(id(app), (app, ProcessingEvent(), {}))
        for a in objs:
            if isinstance(a, Aggregate):
                loaded_at.setdefault(a.id, a.version - len(a.pending_events))
        pe.collect_events(*objs)
        self.egne.update(egne)

    def aendrede(self) -> list[UUID]:
        """The aggregates with changes held so far (not stored yet)."""
        return [i for _, pe, _ in self.holdt.values() for i in pe.aggregates]

    def events(self, app: EventStoreApplication) -> list[Any]:
        """The events held for `app` so far."""
        held = self.holdt.get(id(app))
        return [] if held is None else list(held[1].events)

    def gem_alle(self, app: EventStoreApplication | None = None, *med: Aggregate) -> None:
        """Write what was held (the aggregates `med` go with `app`'s events)."""
        if app is not None:
            self.hold(app, med)
        holdt, self.holdt = self.holdt, {}
        for owner, pe, loaded_at in holdt.values():
            owner.gem_udsat(pe, loaded_at, [i for i in pe.aggregates if i in self.egne])


class EventStoreApplication(LibraryApplication):
    """Base class of the three services' applications."""

    #: Frozen dataclasses used inside domain events, registered for JSON transcoding.
    value_types: ClassVar[tuple[type[Any], ...]] = ()

    def __init__(
        self,
        env: Mapping[str, str] | None = None,
        keys: KeyStore | None = None,
        *,
        settings: ServiceSettings | None = None,
        ur: Ur | None = None,
    ):
        #: The service's settings: the tree its wiring built once at start. An application
        #: built alone (a tool, a test) gets the environment's.
        self.settings = settings or fra_miljoeet()
        #: The application clock: commands are stamped with its `now()` and default to its
        #: `idag()` (the process's clock unless a test gives another).
        self.ur = ur or tid.UR
        # Personal data (Personoplysning) is written encrypted with its owner's key from this
        # key store; an application without one refuses to store personal data at all.
        self.keys = keys
        #: Store call latency and group-commit batch sizes, for /metrics (metrics.py). Made
        #: before the library builds the repository, which times its loads with it; on or
        #: off once the library has read the environment.
        self.timings = Timings()
        super().__init__(env=env)
        self.timings.enabled = _yes(self.env.get("BUM_METRICS", "y"))
        # Commands share transactions (see group_commit.py) unless switched off; consumers
        # write with a tracking record and always go straight to the store.
        self._committer = (
            GroupCommitter(self.events.put, timings=self.timings)
            if _yes(self.env.get("BUM_GROUP_COMMIT", "y"))
            else None
        )

        # Followers in this process (relays) wait on this instead of polling the store.
        self._log_advanced = threading.Condition()
        self._log_generation = 0

        self._listener: LogListener | None = None

        # One writer per aggregate, kept in memory (aggregate_cache.py, writer_lanes.py):
        # the commands' cache, and every consumer's, so that a write evicts older copies.
        self._cache_size = int(self.env.get("BUM_AGGREGATE_CACHE_SIZE") or DEFAULT_SIZE)
        self._caches: weakref.WeakSet[AggregateCache] = weakref.WeakSet()
        self.lanes = WriterLanes()
        self.writer_cache = self.new_aggregate_cache()

    # -- one writer per aggregate ------------------------------------------------------------
    def new_aggregate_cache(self) -> AggregateCache | None:
        """A cache for one writer (None: caching is off, BUM_AGGREGATE_CACHE_SIZE=0). Every
        write recorded by this application evicts the older copies it holds."""
        if self._cache_size <= 0:
            return None
        cache = AggregateCache(self._cache_size)
        self._caches.add(cache)
        return cache

    @property
    def hurtig_repository(self) -> HurtigRepository:
        repository = self.repository
        assert isinstance(repository, HurtigRepository)
        return repository

    def run_command(self, aggregate_ids: UUID | Iterable[UUID], command: Callable[[], T]) -> T:
        """Run `command` as the one writer of `aggregate_ids`: it holds them while it runs
        and saves, and `repository.get` hands it those aggregates from memory, without a
        copy (and without replaying them).

        A command that fails evicts every aggregate it was handed (its in-memory changes
        may not be stored). If it was handed a cached aggregate and stored nothing, it runs
        once more on state read from the store: a cached copy is stale when another
        process wrote the aggregate meanwhile, which the store's version check reports as
        IntegrityError (or the stale copy made a rule refuse). Not so when it lost a race
        to a command of this process (a second command on the same aggregate runs on its
        own replay, writer_lanes.py): that is 409, as without the cache. A second failure
        is the answer. An unavailable database is never retried here (503 at once)."""
        ids = [aggregate_ids] if isinstance(aggregate_ids, UUID) else list(aggregate_ids)
        repository = self.hurtig_repository
        if self.writer_cache is None:
            return command()
        if repository.current_turn() is not None:
            # Within a turn already (a command calling a command): same turn.
            with self.lanes.claim(ids):
                return command()
        for attempt in range(2):
            with self.lanes.claim(ids) as mine:
                if not mine:
                    # Another command holds the aggregate: run on a replay of its own, as
                    # before the cache; the store's version check decides between them.
                    return command()
                turn = Turn(self.writer_cache, self.lanes.owns)
                repository.begin_turn(turn)
                try:
                    result = command()
                except Exception as exc:
                    again = attempt == 0 and self._stale_copy_may_explain(turn, exc)
                    turn.failed()
                    if again:
                        log.info("command_retried_on_fresh_state", error=repr(exc)[:200])
                        continue
                    raise
                except BaseException:
                    turn.failed()
                    raise
                finally:
                    repository.end_turn()
                turn.succeeded(keep_handed=True)
                udsat = Udsat.aktiv.get()
                if udsat is not None and turn.cache is not None:
                    # Its saves are held (Udsat): until they are written no other command
                    # may be handed the changed copies (gem_udsat keeps them once written);
                    # what it only read stays, as after any command. Still in its lanes.
                    turn.cache.evict(udsat.aendrede())
                return result
        raise AssertionError("unreachable: the second attempt returns or raises")

    def _stale_copy_may_explain(self, turn: Turn, failure: Exception) -> bool:
        if not turn.from_cache or turn.saved:
            return False  # it saw the stored state, or stored something: its answer stands
        if isinstance(failure, OperationalError | InterfaceError):
            return False
        if isinstance(failure, ConcurrentChange) and turn.cache is not None:
            # Lost to a write of this process, which evicts older copies at once: the copy
            # was current when handed out, so this was a race like any other.
            here = turn.cache.written_here(failure.aggregate_id)
            return here is None or here != failure.current_version
        return True

    def forget_aggregates(self, aggregate_ids: Iterable[UUID]) -> None:
        """A save of these failed (someone else wrote them, or the database is away and
        the commit's outcome unknown): no cache keeps them, and the turn on this thread
        reads them from the store next time."""
        ids = list(aggregate_ids)
        for cache in list(self._caches):
            cache.evict(ids)
        turn = self.hurtig_repository.current_turn()
        if turn is not None:
            turn.forget(ids)

    def cache_status(self) -> dict[str, int]:
        c = self.writer_cache
        return {} if c is None else c.status()

    def construct_env(self, name: str, env: Mapping[str, str] | None = None) -> Environment:
        """The library's settings from the mapping given (store_env) alone: unlike the
        library's own, never merged with the process environment, so what configures a
        store is what the wiring passed."""
        merged = dict(type(self).env)
        if type(self).is_snapshotting_enabled or type(self).snapshotting_intervals:
            merged["IS_SNAPSHOTTING_ENABLED"] = "y"
        merged.update(env or {})
        return Environment(name, merged)

    def store_processing_event(
        self, processing_event: ProcessingEvent[UUID]
    ) -> list[Recording[UUID]]:
        try:
            return super().store_processing_event(processing_event)
        except BaseException:
            self.forget_aggregates(processing_event.aggregates)
            raise

    def recorded(self, recordings: list[Recording[UUID]]) -> None:
        if recordings:
            remember_recorded(self, recordings)
            # What this process just stored makes every other writer's copy older.
            caches = list(self._caches)
            if caches:
                for r in recordings:
                    event = r.domain_event
                    for cache in caches:
                        cache.evict_older(event.originator_id, event.originator_version)
            self._wake_followers()

    def _wake_followers(self) -> None:
        with self._log_advanced:
            self._log_generation += 1
            self._log_advanced.notify_all()

    def _listen_for_other_writers(self) -> None:
        """On PostgreSQL, commits by other processes wake the followers too (NOTIFY)."""
        if self._listener is not None or "POSTGRES_DBNAME" not in self.env:
            return
        with self._log_advanced:
            if self._listener is None:
                channel = notify_channel(self.recorder)
                if not channel:
                    return
                self._listener = LogListener(
                    conninfo_from_env(self.env), channel, self._wake_followers
                )
                self._listener.start()

    def close(self) -> None:
        if self._listener is not None:
            self._listener.close()
        super().close()

    @property
    def log_generation(self) -> int:
        """Changes whenever this process records events; read it before looking at the log."""
        return self._log_generation

    def wait_for_new_events(self, seen: int, timeout: float) -> bool:
        """Block until this process has recorded events since `seen` was read, or `timeout`
        passes (another process writing to the same store is noticed at the timeout)."""
        self._listen_for_other_writers()
        with self._log_advanced:
            return self._log_advanced.wait_for(
                lambda: self._log_generation != seen, timeout=timeout
            )

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording[UUID]]:
        # The version each aggregate was loaded at, so a lost race can name the aggregate
        # and the version it has now (a 409 tells the client what to reload).
        aggregates = [a for a in objs if isinstance(a, Aggregate)]
        udsat = Udsat.aktiv.get()
        if udsat is not None and not kwargs:
            turn = self.hurtig_repository.current_turn()
            egne = [a.id for a in aggregates if turn is not None and turn.owns(a.id)]
            udsat.hold(self, objs, egne)
            recordings: list[Recording[UUID]] = []
        else:
            try:
                recordings = self._save_naming_conflicts(aggregates, *objs, **kwargs)
            except BaseException:
                self.forget_aggregates(a.id for a in aggregates)
                raise
        turn = self.hurtig_repository.current_turn()
        if turn is not None:
            turn.saved = True
            for a in aggregates:  # new aggregates of the turn's own are kept too
                if turn.owns(a.id):
                    turn.handed.setdefault(a.id, a)
        return recordings

    def _save_naming_conflicts(
        self, aggregates: list[Aggregate], *objs: Any, **kwargs: Any
    ) -> list[Recording[UUID]]:
        loaded_at = {a.id: a.version - len(a.pending_events) for a in aggregates}
        return self._naming_conflicts(
            loaded_at, lambda: super(EventStoreApplication, self).save(*objs, **kwargs)
        )

    def gem_udsat(
        self, pe: ProcessingEvent[UUID], loaded_at: dict[UUID, int], keep: list[UUID]
    ) -> None:
        """Write held saves (Udsat) in one transaction; then the aggregates `keep` are
        cached for their one writer, as a command's turn would have kept them."""
        if not pe.events:
            return
        try:
            self._naming_conflicts(loaded_at, lambda: self.store_processing_event(pe))
        except BaseException:
            self.forget_aggregates(pe.aggregates)
            raise
        cache = self.writer_cache
        if cache is not None and keep:
            with self.lanes.claim(keep) as mine:
                if mine:  # else another command holds one now and keeps its own copy
                    for aggregate_id in keep:
                        cache.put(pe.aggregates[aggregate_id])

    def _naming_conflicts(
        self, loaded_at: dict[UUID, int], write: Callable[[], list[Recording[UUID]]]
    ) -> list[Recording[UUID]]:
        try:
            return write()
        except ConcurrentChange:
            raise
        except IntegrityError as lost:
            for aggregate_id, version in loaded_at.items():
                stored = self.recorder.select_events(aggregate_id, desc=True, limit=1)
                now_at = stored[0].originator_version if stored else 0
                if now_at != version:
                    raise ConcurrentChange(aggregate_id, now_at) from lost
            raise

    def group_commit_status(self) -> dict[str, int]:
        c = self._committer
        if c is None:
            return {}
        return {"transactions": c.transactions, "commands": c.commands, "pending": c.pending}

    def record_events(self, processing_event: ProcessingEvent[UUID]) -> list[Recording[UUID]]:
        # Here, on the command's own thread: the group commit stores from another one.
        stamp(processing_event.events)
        if self._committer is None or processing_event.tracking is not None:
            return self._timed_record(processing_event)
        if processing_event.saved_kwargs:
            return self._timed_record(processing_event)
        return self._committer.put(processing_event.events)

    def _timed_record(self, processing_event: ProcessingEvent[UUID]) -> list[Recording[UUID]]:
        """One transaction straight to the store (a consumer's, with its tracking record),
        timed for /metrics; the group commit times its own."""
        started = time.perf_counter()
        try:
            return self.library_record(processing_event)
        finally:
            operation = "commit" if processing_event.tracking is None else "commit_tracking"
            self.timings.store_call(operation, time.perf_counter() - started)

    def construct_repository(self) -> Repository[UUID]:
        """The library's repository with the library's settings (as its own
        construct_repository reads them), replaying without a Protocol check per event."""
        cache_maxsize = self.env.get(self.AGGREGATE_CACHE_MAXSIZE)
        return HurtigRepository(
            timings=self.timings,
            event_store=self.events,
            snapshot_store=self.snapshots,
            cache_maxsize=int(cache_maxsize) if cache_maxsize else None,
            fastforward=strtobool(self.env.get(self.AGGREGATE_CACHE_FASTFORWARD, "y")),
            fastforward_skipping=strtobool(
                self.env.get(self.AGGREGATE_CACHE_FASTFORWARD_SKIPPING, "n")
            ),
            deepcopy_from_cache=strtobool(self.env.get(self.DEEPCOPY_FROM_AGGREGATE_CACHE, "y")),
        )

    def construct_mapper(self) -> Mapper[UUID]:
        # The library's mapper, with the traceparent a command stamped on its events.
        return self.factory.mapper(
            transcoder=self.construct_transcoder(), mapper_class=TracingMapper
        )

    def construct_recorder(self) -> ProcessRecorder:
        # Our factories (store_env) make our process recorders: several tracking records
        # per transaction, and on PostgreSQL bounded retries (shared/infra/es).
        return our_process_recorder(self.factory)

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())
        transcoder.register(dataclass_transcoding(Aktoer))
        for cls in self.value_types:
            transcoder.register(dataclass_transcoding(cls))
        if self.keys is not None:
            transcoder.register(PersonoplysningTranscoding(self.keys))

    @property
    def process_recorder(self) -> ProcessRecorder:
        assert isinstance(self.recorder, ProcessRecorder)
        return self.recorder

    def save_with_tracking(self, aggregates: Iterable[Aggregate], tracking: Tracking) -> None:
        """Store the aggregates' new events and the tracking record atomically.

        The tracking insert fails (IntegrityError) when a record with the same or a higher
        position is already stored, which rolls the whole transaction back: a redelivered
        message changes nothing.
        """
        processing_event: ProcessingEvent[UUID] = ProcessingEvent(tracking=tracking)
        processing_event.collect_events(*aggregates)
        self.store_processing_event(processing_event)

    def save_batch_with_tracking(
        self, processing_event: ProcessingEvent[UUID], trackings: list[Tracking]
    ) -> None:
        """Store a consumer batch: the events collected in `processing_event` (in the order
        the messages caused them) and every tracking record, in one transaction. Any
        record whose name is already at its position or beyond rolls it all back."""
        processing_event.tracking = trackings[0]
        if len(trackings) > 1:
            processing_event.saved_kwargs[MORE_TRACKING] = trackings[1:]
        self.store_processing_event(processing_event)

    def last_tracked(self, tracking_name: str) -> int:
        return self.process_recorder.max_tracking_id(tracking_name) or 0

    def last_tracked_many(self, tracking_names: Iterable[str]) -> dict[str, int]:
        """`last_tracked` of several names in one query (0 for a name never tracked)."""
        names = set(tracking_names)
        found = last_tracked_many(self.process_recorder, names)
        return {name: found.get(name) or 0 for name in names}
