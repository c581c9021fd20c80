"""The provider API: orders and visit lists per leverandør, delivery and cancellation."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any
from uuid import UUID

from fastapi import APIRouter, status

from services.provider.api import schemas as s
from services.provider.api.deps import Actor, Laest, ruter
from services.provider.application.adgang import kraev_leverandoer
from services.provider.application.dataminimering import minimer
from services.provider.application.provider_app import ProviderApplication
from services.provider.application.read_model import ProviderWorkLists
from services.provider.application.register import register
from services.provider.domain.periode import Besoegsplan
from shared.infra.datotyper import Dato
from shared.kernel import NotFound
from shared.kernel.personoplysning import som_visning


def build_router(app: ProviderApplication, lists: ProviderWorkLists) -> APIRouter:
    def _known(leverandoer_id: str) -> None:
        # In the register copy, or named by an order that came before its register event
        # (policies.py): either way a provider this service serves.
        if leverandoer_id not in app.leverandoerregister and not lists.bestillinger_for(
            leverandoer_id
        ):
            raise NotFound("leverandør", leverandoer_id)

    router = ruter("leverandør", app)

    @router.get(
        "/leverandoerer",
        response_model=list[s.LeverandoerUd],
        summary="The provider register: kind (kommunal, privat, selvejende), CVR, approved "
        "categories and approval windows; several active at once",
    )
    def leverandoerer(
        dato: Dato | None = None, kategori: str | None = None
    ) -> list[dict[str, Any]]:
        return register(app.leverandoerregister, dato or app.ur.idag(), kategori)

    @router.get(
        "/leverandoerer/{leverandoer_id}/bestillinger",
        response_model=list[s.BestillingRaekke],
        response_model_exclude_unset=True,
        summary="Orders received for one provider",
    )
    def bestillinger(leverandoer_id: str, aktoer: Actor, laest: Laest) -> list[dict[str, Any]]:
        _known(leverandoer_id)
        kraev_leverandoer(aktoer, leverandoer_id, skriv=False)
        ordrer = lists.bestillinger_for(leverandoer_id)
        laest.raekker(ordrer)
        return [minimer(o, o["kategori"]) for o in ordrer]

    @router.get(
        "/leverandoerer/{leverandoer_id}/besoeg",
        response_model=list[s.BesoegUd],
        summary="Planned, delivered and cancelled visits for one provider",
    )
    def besoeg(
        leverandoer_id: str,
        aktoer: Actor,
        laest: Laest,
        fra: Dato | None = None,
        til: Dato | None = None,
    ) -> list[dict[str, Any]]:
        _known(leverandoer_id)
        kraev_leverandoer(aktoer, leverandoer_id, skriv=False)
        linjer = lists.besoeg_for(leverandoer_id, fra, til)
        laest.raekker(linjer)
        # Free text shows as text, or the placeholder once the citizen's key is erased.
        return [lists.vis(b) for b in linjer]

    @router.get(
        "/bestillinger/{bestilling_id}",
        response_model=s.BestillingUd,
        response_model_exclude_unset=True,
        summary="One order with its visits",
    )
    def bestilling(bestilling_id: UUID, aktoer: Actor, laest: Laest) -> dict[str, Any]:
        b = app.hent_bestilling_som(bestilling_id, aktoer, skriv=False)
        laest.sag(b.sag_id, b.borger_id)
        return minimer(_bestilling(app.hel_besoegsplan(b)), b.kategori)

    def _bestilling(plan: Besoegsplan) -> dict[str, Any]:
        b = plan.bestilling
        return {
            "bestilling_id": b.id,
            "version": b.version,
            "bevilling_id": b.bevilling_id,
            "sag_id": b.sag_id,
            "borger_id": b.borger_id,
            "leverandoer_id": b.leverandoer_id,
            "indsats_kode": b.indsats_kode,
            "indsats_navn": b.indsats_navn,
            "kategori": b.kategori,
            "hyppighed": {"antal": b.antal, "periode": b.periode},
            "minutter_pr_besoeg": b.minutter_pr_besoeg,
            "leveringsregler": asdict(b.regler),
            "sidste_dag": b.sidste_dag,
            "erstatningspligter": {str(k): v for k, v in b.erstatningspligter().items()},
            "besoeg": sorted(
                (
                    {
                        **asdict(v),
                        "status": h.status(v.besoeg_id),
                        "medarbejder_id": getattr(
                            h.tildelinger.get(v.besoeg_id), "medarbejder_id", None
                        ),
                    }
                    for h, v in plan.alle_besoeg()
                ),
                key=lambda v: (v["dato"], v["tidsvindue"]),
            ),
            "leveringer": som_visning(list(plan.leveringer.values())),
            "aflysninger": som_visning(list(plan.aflysninger.values())),
            "aendringsindberetninger": som_visning(b.indberetninger),
        }

    @router.post(
        "/bestillinger/{bestilling_id}/besoeg/{besoeg_id}/levering",
        status_code=status.HTTP_201_CREATED,
        response_model=s.Kvittering,
        summary="Indsats leveret: actual minutes and staff",
    )
    def levering(
        bestilling_id: UUID, besoeg_id: UUID, body: s.LeveringInd, aktoer: Actor
    ) -> s.Kvittering:
        app.registrer_levering(bestilling_id, body.to_domain(besoeg_id), aktoer)
        return s.Kvittering(status="leveret", registreret=app.ur.now())

    @router.post(
        "/bestillinger/{bestilling_id}/besoeg/{besoeg_id}/aflysning",
        status_code=status.HTTP_201_CREATED,
        response_model=s.AflysningUd,
        summary="Besøg aflyst: who cancelled, why, and the notice given",
    )
    def aflysning(
        bestilling_id: UUID, besoeg_id: UUID, body: s.AflysningInd, aktoer: Actor
    ) -> s.AflysningUd:
        a = app.aflys_besoeg(
            bestilling_id, besoeg_id, body.aflyst_af, body.aarsag, body.aflyst_tidspunkt, aktoer
        )
        return s.AflysningUd.af(a)

    return router
