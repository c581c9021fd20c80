"""Turning a stored domain event into the public envelope: written once for all services."""

from __future__ import annotations

import threading
import uuid
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterable, MutableMapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel

from shared.contracts import Actor, PublicEvent
from shared.infra.tracing import STORED_KEY, decode_traced
from shared.kernel import Aktoer

#: Fixed namespace so event ids are the same on every machine and every re-publish.
EVENT_ID_NAMESPACE = UUID("5d2b0a4e-6c1f-4f3e-9a57-0b9f3c7e2a10")


@dataclass(frozen=True)
class PublicDraft:
    """What a service's mapping says about one domain event that is to be published."""

    event_type: str
    schema_version: int
    case_id: UUID
    occurred_at: datetime
    actor: Aktoer
    legal_basis: str | None
    payload: BaseModel


#: A service's mapping: a domain event to its public draft, or None for internal events.
PublicMapping = Callable[[Any], PublicDraft | None]


def event_id_for(source: str, originator_id: UUID, originator_version: int) -> UUID:
    return uuid.uuid5(EVENT_ID_NAMESPACE, f"{source}:{originator_id}:{originator_version}")


def envelope(
    source: str,
    sequence: int,
    case_sequence: int,
    domain_event: Any,
    draft: PublicDraft,
    traceparent: str | None = None,
) -> PublicEvent:
    return PublicEvent(
        event_id=event_id_for(source, domain_event.originator_id, domain_event.originator_version),
        event_type=draft.event_type,
        schema_version=draft.schema_version,
        source=source,
        case_id=draft.case_id,
        sequence=sequence,
        case_sequence=case_sequence,
        occurred_at=draft.occurred_at,
        recorded_at=domain_event.timestamp,
        actor=Actor(**draft.actor.as_dict()),
        legal_basis=draft.legal_basis,
        data=draft.payload.model_dump(mode="json"),
        traceparent=traceparent,
    )


def public_events(
    app: Any,
    source: str,
    mapping: PublicMapping,
    notifications: Iterable[Any],
    case_sequences: MutableMapping[str, int],
) -> list[PublicEvent]:
    """The envelopes of the published events among `notifications`, in log order.

    Each case's events are numbered on from `case_sequences` (last number per case id),
    which is updated in place. Started from an empty dict at the head of the log, this gives
    exactly the numbers the relay hands out.
    """
    out = []
    for notification in notifications:
        domain_event, traceparent = _decoded(app, notification)
        draft = mapping(domain_event)
        if draft is None:
            continue
        case = str(draft.case_id)
        case_sequences[case] = case_sequences.get(case, 0) + 1
        out.append(
            envelope(
                source, notification.id, case_sequences[case], domain_event, draft, traceparent
            )
        )
    return out


#: Decoded events per application, by notification id: what this process stored
#: (`remember_recorded`) and what the relay decoded. The store's relay maps each batch
#: once per topic (the provider's main topic, the access log and one topic per provider),
#: which would otherwise decode every stored event once per topic. The window covers a few
#: seconds of writes at 200 decisions/s, the lag a relay may fall behind under load.
_DECODED_WINDOW = 8192
_decoded_by_app: weakref.WeakKeyDictionary[Any, OrderedDict[int, tuple[Any, str | None]]] = (
    weakref.WeakKeyDictionary()
)
_decoded_lock = threading.Lock()


def remember_recorded(app: Any, recordings: Iterable[Any]) -> None:
    """Keep the events this process just stored as the relay will read them back: the
    relay of the same store then maps the domain event the command made instead of decoding
    the row it wrote (~15% of a service's CPU under load went to that decoding). Stored
    events are immutable and were encoded from exactly these objects."""
    with _decoded_lock:
        window = _decoded_by_app.setdefault(app, OrderedDict())
        for recording in recordings:
            notification_id = getattr(recording.notification, "id", None)
            if notification_id is None:
                continue
            event = recording.domain_event
            window[notification_id] = (event, vars(event).get(STORED_KEY))
        while len(window) > _DECODED_WINDOW:
            window.popitem(last=False)


def _decoded(app: Any, notification: Any) -> tuple[Any, str | None]:
    """The stored event as domain event, and the traceparent stored with it (or None)."""
    with _decoded_lock:
        window = _decoded_by_app.setdefault(app, OrderedDict())
        hit = window.get(notification.id)
    if hit is not None:
        return hit
    decoded = decode_traced(app.mapper, notification)  # domain events are immutable
    with _decoded_lock:
        window[notification.id] = decoded
        while len(window) > _DECODED_WINDOW:
            window.popitem(last=False)
    return decoded


def memoized(mapping: PublicMapping, size: int = _DECODED_WINDOW) -> PublicMapping:
    """`mapping` computed once per stored event (by originator id and version) however many
    topics ask: wrap a service's mapping once and hand the same wrapper to every route."""
    cache: OrderedDict[tuple[UUID, int], PublicDraft | None] = OrderedDict()
    lock = threading.Lock()

    def mapped(event: Any) -> PublicDraft | None:
        key = (event.originator_id, event.originator_version)
        with lock:
            if key in cache:
                return cache[key]
        draft = mapping(event)
        with lock:
            cache[key] = draft
            while len(cache) > size:
                cache.popitem(last=False)
        return draft

    return mapped


def only_for_provider(mapping: PublicMapping, leverandoer_id: str) -> PublicMapping:
    """The part of a service's mapping that concerns one provider: the drafts whose payload
    names that `leverandoer_id`. Feeds a relay to that provider's own topic."""

    def mapped(event: Any) -> PublicDraft | None:
        draft = mapping(event)
        if draft is None or getattr(draft.payload, "leverandoer_id", None) != leverandoer_id:
            return None
        return draft

    return mapped
