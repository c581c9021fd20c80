"""The shape every tilsyn read model shares: a pure fold over public event envelopes.

A fold never does I/O and never looks at a clock: given the same envelopes in the same order
it ends in the same state, so a projection can be thrown away and rebuilt byte for byte.
Each event type a fold understands is one method marked with `@haandterer("Type")`; a type
no fold knows (other services keep adding them) stays in the history and changes no figure.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, ClassVar, TypeVar

#: A public event envelope as published (PublicEvent.model_dump(mode="json")).
Haendelse = dict[str, Any]
F = TypeVar("F", bound=Callable[..., None])


def haandterer(*event_types: str) -> Callable[[F], F]:
    """Mark a method as the fold step for these public event types."""

    def mark(fn: F) -> F:
        fn._haendelsestyper = event_types  # type: ignore[attr-defined]
        return fn

    return mark


class Fold:
    _handlers: ClassVar[dict[str, Callable[[Any, Haendelse], None]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        handlers: dict[str, Callable[[Any, Haendelse], None]] = {}
        for klass in reversed(cls.__mro__):
            for attr in vars(klass).values():
                for event_type in getattr(attr, "_haendelsestyper", ()):
                    handlers[event_type] = attr
        cls._handlers = handlers

    @classmethod
    def kender(cls, event_type: str) -> bool:
        return event_type in cls._handlers

    def registrer(self, h: Haendelse) -> None:
        handler = self._handlers.get(h["event_type"])
        if handler is not None:
            handler(self, h)


def dato(value: str) -> date:
    """A contract date or datetime string as a date (datetimes keep their own calendar day)."""
    if len(value) == 10:
        return date.fromisoformat(value)
    return datetime.fromisoformat(value).date()


def maaned(value: str | date) -> str:
    """YYYY-MM of a date, or of an ISO date/datetime string."""
    return value[:7] if isinstance(value, str) else value.isoformat()[:7]
