"""What both stores' hooks share: the keyword for a batch's further tracking records, and
how the library's `retry` decorator is recognised."""

from __future__ import annotations

from typing import Any

#: The keyword argument of `insert_events` that carries a batch's further tracking records
#: (written by our process recorders' `_insert_events`, see postgres.py and sqlite.py).
MORE_TRACKING = "more_tracking"

#: TLS parameters of a database URL's query (`?sslmode=verify-full&sslrootcert=/ca.pem`):
#: libpq's name for each, as a key of the store's mapping (eventstore.store_env). The
#: library takes no TLS options of its own: our factory adds them to its pool's connection
#: arguments (postgres.py), and the log listener to its own (log_wakeup.py).
LIBPQ_TLS_PARAMS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "sslcrl": "PGSSLCRL",
}


def libpq_tls(env: Any) -> dict[str, str]:
    """The TLS connection arguments a store's mapping names (none: libpq's defaults)."""
    found = {param: env.get(key) for param, key in LIBPQ_TLS_PARAMS.items()}
    return {param: value for param, value in found.items() if value}


#: The name of the function `eventsourcing.utils.retry` wraps each method in. The library
#: offers no other way to tell which recorder methods it retries (and how often).
RETRY_WRAPPER_NAME = "retry_decorator"


def retried_methods(cls: type[Any]) -> dict[str, Any]:
    """The methods of `cls` the library wrapped in its retry decorator, each with the
    function it wraps (`functools.wraps` leaves it as `__wrapped__`)."""
    found: dict[str, Any] = {}
    for name in dir(cls):
        method = getattr(cls, name, None)
        inner = getattr(method, "__wrapped__", None)
        code = getattr(method, "__code__", None)
        if inner is not None and code is not None and code.co_name == RETRY_WRAPPER_NAME:
            found[name] = inner
    return found
