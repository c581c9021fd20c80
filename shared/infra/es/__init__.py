"""The fence around the eventsourcing library's internals.

Everything in BUM that leans on something the library does not document as its API lives
in this package and nowhere else: private methods we override (`Application._record`,
`_notify`, `_take_snapshots`, the recorders' `_insert_events` and `_insert_tracking`),
the `retry` decorator found by the name of its inner function, the PostgreSQL datastore's
`get_connection`, the recorders' datastore, schema and table names, and the events'
timestamp (`CanCreateTimestamp.create_timestamp`, read from our clock). Each hook is a
subclass where the library lets us choose the class (the process recorder through the
factory's `process_recorder_class`, the factory through `PERSISTENCE_MODULE`), and says
why it exists. `tests/unit/test_library_hooks.py` checks every name and signature a hook
relies on, so an upgrade of the library fails there, naming the hook, instead of quietly
changing what the services do; a scan in the same file keeps private names out of the
rest of the code.
"""

from shared.infra.es.application import LibraryApplication
from shared.infra.es.common import LIBPQ_TLS_PARAMS, libpq_tls
from shared.infra.es.hoved import aggregat_ved_version
from shared.infra.es.recorders import (
    MORE_TRACKING,
    datastore_of,
    events_table,
    is_postgres,
    nondurable_transaction,
    notify_channel,
    our_process_recorder,
    pinned_connection,
    postgres_connection,
    postgres_schema,
    tracking_table,
)
from shared.infra.es.tidsstempel import stamp_events_with_the_application_clock

stamp_events_with_the_application_clock()

#: PERSISTENCE_MODULE values choosing our factories (and through them our recorders).
POSTGRES_MODULE = "shared.infra.es.postgres"
SQLITE_MODULE = "shared.infra.es.sqlite"

__all__ = [
    "LIBPQ_TLS_PARAMS",
    "MORE_TRACKING",
    "POSTGRES_MODULE",
    "SQLITE_MODULE",
    "LibraryApplication",
    "aggregat_ved_version",
    "datastore_of",
    "events_table",
    "is_postgres",
    "libpq_tls",
    "nondurable_transaction",
    "notify_channel",
    "our_process_recorder",
    "pinned_connection",
    "postgres_connection",
    "postgres_schema",
    "tracking_table",
]
