"""The periodic checks a service runs by itself (deadline checks, grant clocks, late
visits): written once.

A check is a function of "today" that records what it finds and returns it; the REST
endpoints call the same functions with an explicit date. Here a daemon thread calls them
once per interval with the application clock's today (`shared/infra/tid.py`), so a moved
clock (a training stack, the end-to-end tests) moves the checks with it. The first round
comes after one interval, not at start: a service start must not race an explicit check.
A failing check is logged and the next round retries; the others of the round still run.

Most checks are daily and take today; one that is due to the minute (the provider's late
visits) takes the clock's instant instead: pass `ur.now` as the clock. A service with
checks of both kinds runs one loop for each (`samlet_livsloeb`).
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Callable, Sequence, Sized
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from datetime import date
from typing import Any, TypeVar, cast

import structlog
from opentelemetry.trace import SpanKind

from shared.infra import tid, tracing

log = structlog.get_logger("periodisk")

#: One daily check: given today, what it recorded (counted in the log line).
Kontrol = Callable[[date], Sized]
#: A check's argument: today (a date) for a daily check, or the instant.
T = TypeVar("T")
Livsloeb = Callable[[Any], AbstractAsyncContextManager[None]]


def koer_periodisk(
    navn: str,
    kontroller: Sequence[Callable[[T], Sized]],
    stop: threading.Event,
    interval_s: float,
    idag: Callable[[], T] | None = None,
) -> None:
    """Run every check once per interval until `stop` is set, each given the clock's
    reading (`idag`: the application clock's today unless told otherwise)."""
    ur = idag if idag is not None else cast("Callable[[], T]", tid.idag)
    while not tid.vent(stop, interval_s):
        dag = ur()
        for kontrol in kontroller:
            # A trace of its own, like a request: what the check records (a missed
            # deadline) is followed into the other services.
            with tracing.span(
                f"{navn} {getattr(kontrol, '__qualname__', 'kontrol')}", SpanKind.INTERNAL
            ):
                try:
                    fundet = len(kontrol(dag))
                    log.info("periodisk_kontrol", kontrol=navn, dag=str(dag), fundet=fundet)
                except Exception as exc:  # keep the thread alive; the next round retries
                    log.exception("periodisk_kontrol_fejlede", kontrol=navn, error=repr(exc))


def periodisk_livsloeb(
    navn: str,
    kontroller: Sequence[Callable[[T], Sized]],
    interval_s: float,
    idag: Callable[[], T] | None = None,
) -> Livsloeb:
    """A FastAPI lifespan running the checks while the service runs (interval 0: off),
    each round on `idag()` (the application's clock: its today, or for a check due to the
    minute its instant)."""

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


def samlet_livsloeb(*livsloeb: Livsloeb) -> Livsloeb:
    """One FastAPI lifespan of several (each check loop with its own interval and clock)."""

    @asynccontextmanager
    async def samlet(app: Any) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            for ls in livsloeb:
                await stack.enter_async_context(ls(app))
            yield

    return samlet


__all__ = ["Kontrol", "koer_periodisk", "periodisk_livsloeb", "samlet_livsloeb"]
