"""Offline shift sync: POST /leverandoerer/{leverandoer_id}/synkronisering carries what a
worker recorded on a phone without coverage (application/synkronisering.py)."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request

from services.provider.api import schemas as s
from services.provider.api.deps import Actor, ruter
from services.provider.application.adgang import kraev_leverandoer
from services.provider.application.provider_app import ProviderApplication
from services.provider.application.synkronisering import Synkpost, synkroniser
from services.provider.domain.regler import dansk_dato
from services.provider.domain.values import (
    Aendringsindberetning,
    Enhedsregistrering,
    Forgaeves,
)
from shared.infra.api import principal_of
from shared.kernel import Aktoer
from shared.kernel.personoplysning import fritekst


def build_synk_router(app: ProviderApplication) -> APIRouter:
    router = ruter("leverandør", app)

    def post(
        p: s.SynkPaabegyndt
        | s.SynkAfsluttet
        | s.SynkLevering
        | s.SynkAflysning
        | s.SynkForgaeves
        | s.SynkAendring
        | s.SynkNotat,
        enhed_id: str,
        aktoer: Aktoer,
    ) -> Synkpost:
        enhed = Enhedsregistrering(enhed_id, p.registreret_paa_enhed)
        t = p.registreret_paa_enhed

        def udfoer() -> dict[str, Any]:
            if isinstance(p, s.SynkPaabegyndt):
                app.paabegynd_besoeg(
                    p.bestilling_id, p.besoeg_id, t, p.medarbejder_id, aktoer, enhed_id
                )
                return {"status": "paabegyndt", "besoeg_id": p.besoeg_id}
            if isinstance(p, s.SynkAfsluttet):
                app.afslut_besoeg(
                    p.bestilling_id, p.besoeg_id, t, p.medarbejder_id, aktoer, enhed_id
                )
                return {"status": "afsluttet", "besoeg_id": p.besoeg_id}
            if isinstance(p, s.SynkLevering):
                app.registrer_levering(p.bestilling_id, p.to_domain(enhed), aktoer)
                return {"status": "leveret", "besoeg_id": p.besoeg_id}
            if isinstance(p, s.SynkAflysning):
                a = app.aflys_besoeg(
                    p.bestilling_id, p.besoeg_id, p.aflyst_af, p.aarsag, t, aktoer, enhed
                )
                return s.AflysningUd.af(a).model_dump(mode="json")
            if isinstance(p, s.SynkForgaeves):
                f = Forgaeves(p.besoeg_id, t, p.medarbejder_id, p.aarsag, enhed)
                app.registrer_forgaeves(p.bestilling_id, f, aktoer)
                return {"status": "forgaeves", "besoeg_id": p.besoeg_id}
            if isinstance(p, s.SynkNotat):
                notat = app.skriv_notat(
                    p.bestilling_id, p.besoeg_id, fritekst(p.tekst), p.medarbejder_id, aktoer, enhed
                )
                return {"notat_id": notat.id, "besoeg_id": p.besoeg_id}
            ind = Aendringsindberetning(
                uuid.uuid4(), dansk_dato(t), fritekst(p.beskrivelse), tuple(p.omraader), enhed
            )
            app.indberet_aendring(p.bestilling_id, ind, aktoer)
            return {"indberetning_id": ind.indberetning_id}

        return Synkpost(p.idempotens_noegle, p.art, t, p.model_dump_json(), udfoer)

    @router.post(
        "/leverandoerer/{leverandoer_id}/synkronisering",
        response_model=s.SynkUd,
        summary="Offline shift sync: a worker's check-ins and check-outs, deliveries, "
        "cancellations, visits in vain, visit notes and change reports recorded on a "
        "device, each with its own idempotency key, "
        "applied in the order recorded, each on its own; the answer says per item "
        "anvendt, genafspillet or afvist (with the problem and its rule URN)",
    )
    def synkronisering(
        leverandoer_id: str, body: s.SynkInd, aktoer: Actor, request: Request
    ) -> s.SynkUd:
        kraev_leverandoer(aktoer, leverandoer_id, skriv=True)
        modtaget = app.ur.now()
        udfald = synkroniser(
            app,
            principal_of(request).subject,
            request.url.path,
            [post(p, body.enhed_id, aktoer) for p in body.poster],
            modtaget,
        )
        return s.SynkUd(
            enhed_id=body.enhed_id,
            modtaget=modtaget,
            resultater=[
                s.SynkResultat(
                    idempotens_noegle=u.noegle,
                    art=u.art,
                    udfald=u.udfald,  # type: ignore[arg-type]
                    svar=u.svar,
                    problem=s.SynkProblem(**u.problem) if u.problem else None,
                )
                for u in udfald
            ],
        )

    return router
