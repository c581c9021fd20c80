"""The daily checks a service runs by itself (deadline checks, grant clocks): written once.

A check is a function of "today" that records what it finds and returns it; the REST
endpoints call the same functions with an explicit date. Here a daemon thread calls them
once per interval with the application clock's today (`shared/infra/tid.py`), so a moved
clock (a training stack, the end-to-end tests) moves the checks with it. The first round
comes after one interval, not at start: a service start must not race an explicit check.
A failing check is logged and the next round retries; the others of the round still run.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Callable, Sequence, Sized
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import date
from typing import Any

import structlog
from opentelemetry.trace import SpanKind

from shared.infra import tid, tracing

log = structlog.get_logger("periodisk")

#: One daily check: given today, what it recorded (counted in the log line).
Kontrol = Callable[[date], Sized]


def koer_periodisk(
    navn: str,
    kontroller: Sequence[Kontrol],
    stop: threading.Event,
    interval_s: float,
    idag: Callable[[], date] = tid.idag,
) -> None:
    """Run every check once per interval until `stop` is set."""
    while not stop.wait(interval_s):
        dag = idag()
        for kontrol in kontroller:
            # A trace of its own, like a request: what the check records (a missed
            # deadline) is followed into the other services.
            with tracing.span(
                f"{navn} {getattr(kontrol, '__qualname__', 'kontrol')}", SpanKind.INTERNAL
            ):
                try:
                    fundet = len(kontrol(dag))
                    log.info("periodisk_kontrol", kontrol=navn, dag=dag.isoformat(), fundet=fundet)
                except Exception as exc:  # keep the thread alive; the next round retries
                    log.exception("periodisk_kontrol_fejlede", kontrol=navn, error=repr(exc))


def periodisk_livsloeb(
    navn: str,
    kontroller: Sequence[Kontrol],
    interval_s: float,
    idag: Callable[[], date] = tid.idag,
) -> Callable[[Any], AbstractAsyncContextManager[None]]:
    """A FastAPI lifespan running the checks while the service runs (interval 0: off),
    each round on `idag()` (the application's clock)."""

    @asynccontextmanager
    async def livsloeb(_: Any) -> AsyncIterator[None]:
        stop = threading.Event()
        if interval_s > 0:
            threading.Thread(
                target=koer_periodisk,
                args=(navn, kontroller, stop, interval_s, idag),
                name=navn,
                daemon=True,
            ).start()
        yield
        stop.set()

    return livsloeb


__all__ = ["Kontrol", "koer_periodisk", "periodisk_livsloeb"]
