from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

#: A W3C `traceparent` (version-traceid-parentid-flags, lower-case hex).
TRACEPARENT_PATTERN = r"^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$"


class Actor(BaseModel):
    """Who caused the event: person or system id, role and organisation."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    rolle: str
    organisation: str


class PublicEvent(BaseModel):
    """The envelope of every published event.

    `event_id` is derived from the stored domain event (aggregate id and version), so a
    re-publish after a crash or a broker outage carries the same id. `sequence` is the
    event's position in the source service's notification log (increasing, with gaps for
    events that are not published). `case_sequence` numbers one case's events from one
    source 1, 2, 3 ... without gaps: a consumer applies event n of a case only after n-1,
    recognises a redelivery (n at or below what it has) and notices a lost message (a gap).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    event_id: UUID
    event_type: str = Field(examples=["AfgoerelseTruffet"])
    schema_version: int = Field(ge=1)
    source: str = Field(examples=["visitation"])
    case_id: UUID = Field(description="sag_id: the visitation case the event belongs to")
    sequence: int = Field(ge=1, description="position in the source's event log")
    case_sequence: int = Field(
        ge=1, description="1, 2, 3 ... per (source, case_id), without gaps; the order to apply"
    )
    occurred_at: datetime = Field(description="when it happened in the world")
    recorded_at: datetime = Field(description="when the source stored it")
    actor: Actor
    legal_basis: str | None = Field(default=None, examples=["Serviceloven § 83"])
    data: dict[str, Any]
    traceparent: str | None = Field(
        default=None,
        pattern=TRACEPARENT_PATTERN,
        description="W3C trace context of the command that caused it, when it was traced",
    )
