"""Looking one aggregate up by id in an application's repository, with its kind checked:
an id that is not stored, or that belongs to another kind of aggregate, is not found."""

from __future__ import annotations

from typing import Any, Protocol, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from shared.kernel import NotFound

A = TypeVar("A")


class Lager(Protocol):
    """What a lookup needs of a repository (the library's, or HurtigRepository)."""

    def get(self, aggregate_id: UUID) -> Any: ...


def hent_eller_none(repository: Lager, aggregate_id: UUID, kind: type[A]) -> A | None:
    """The stored aggregate of this kind, or None."""
    try:
        aggregate: object = repository.get(aggregate_id)
    except AggregateNotFoundError:
        return None
    return aggregate if isinstance(aggregate, kind) else None


def hent_eller_ikke_fundet(repository: Lager, aggregate_id: UUID, kind: type[A], hvad: str) -> A:
    """The stored aggregate of this kind; NotFound (404, naming `hvad`) otherwise."""
    found = hent_eller_none(repository, aggregate_id, kind)
    if found is None:
        raise NotFound(hvad, aggregate_id)
    return found
