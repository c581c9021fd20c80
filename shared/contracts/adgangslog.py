"""Version 1 payload of the access log every service that holds citizens' data publishes.

Published by visitation and by provider (each with its own `ce_source`) on
`bum.adgangslog.v1`, read by supervision, which answers a citizen's aktindsigt and tilsyn's
questions from it. Who read is the event's actor (`ce_actorid`, `ce_actorrole`,
`ce_actororganisation`) and when is `ce_time`; the payload says whose data and why.
"""

from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field


class _Payload(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PersonoplysningerLaestV1(_Payload):
    """Personoplysninger læst: someone read one citizen's personal data through an API.

    One event per citizen and read; a read that showed several citizens (a kørelist) is
    one event for each. Pseudonymous ids only, never CPR number or name. The key (case id)
    is `sag_id`, or `borger_id` when the read was not about one case."""

    adgang_id: UUID = Field(description="the publisher's access-log entry")
    sag_id: UUID | None = Field(description="the case read, when the read concerned one")
    borger_id: UUID | None = Field(description="pseudonymous citizen id, when known")
    endpoint: str = Field(
        description="what was read: the API operation", examples=["hent_sag", "koereliste"]
    )
    formaal: str | None = Field(
        default=None, description="why, as the reader gave it (`formaal`)", max_length=200
    )
