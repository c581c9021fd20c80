"""The demo kommune's provider register as a value, for tests of the pure domain rules
(the applications import the same file into their store at start)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from services.provider.application.policies import ProviderPolicy
from services.provider.application.provider_app import ProviderApplication
from services.visitation.catalogue import loader
from shared.contracts import PublicEvent
from shared.contracts.visitation import LeverandoergodkendelseV1, LeverandoerregisterAendretV1
from shared.reference.leverandoerer import Leverandoerregister, leverandoer_register_id

_fil = loader.load_leverandoerer("herlev")
assert _fil is not None
DEMO_LEVERANDOERER: Leverandoerregister = _fil.som_register()


def registerhaendelser(register: Leverandoerregister = DEMO_LEVERANDOERER) -> list[PublicEvent]:
    """One `LeverandoerregisterAendret` per provider, as visitation publishes them: what a
    provider or supervision store is fed in tests that start from hand-made events."""
    tid = datetime(2020, 1, 1, tzinfo=UTC)
    return [
        PublicEvent(
            event_id=uuid.uuid5(leverandoer_register_id(lev.leverandoer_id), "demo"),
            event_type="LeverandoerregisterAendret",
            schema_version=1,
            source="visitation",
            case_id=leverandoer_register_id(lev.leverandoer_id),
            sequence=nr,
            case_sequence=1,
            occurred_at=tid,
            recorded_at=tid,
            actor={"id": "leverandoerfil", "rolle": "system", "organisation": "visitation"},
            data=LeverandoerregisterAendretV1(
                leverandoer_id=lev.leverandoer_id,
                navn=lev.navn,
                type=lev.type,
                cvr=lev.cvr,
                aendring="godkendt",
                godkendelser=[
                    LeverandoergodkendelseV1(kategori=g.kategori, fra=g.fra, til=g.til)  # type: ignore[arg-type]
                    for g in lev.godkendelser
                ],
            ).model_dump(mode="json"),
        )
        for nr, lev in enumerate(register.leverandoerer.values(), start=1)
    ]


def med_demo_register(app: ProviderApplication) -> ProviderApplication:
    """The provider application with the demo providers in its register copy."""
    policy = ProviderPolicy(app)
    for e in registerhaendelser():
        app.save(*policy(e))
    return app


#: The register events a new visitation store publishes at start: each demo provider
#: created, and each of its windows approved.
IMPORTERET_VED_START = sum(
    1 + len(lev.godkendelser) for lev in DEMO_LEVERANDOERER.leverandoerer.values()
)


def uden_register(events: list[PublicEvent]) -> list[PublicEvent]:
    """A store's published events without the provider register's (the demo providers
    visitation imports at start): what tests about cases count and index."""
    return [e for e in events if e.event_type != "LeverandoerregisterAendret"]
