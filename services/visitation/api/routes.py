"""Visitation's HTTP API. Handlers are thin: parse, call the application, shape the answer.

Endpoints that touch the event store are plain `def` because the eventsourcing library has
no asyncio API; the router's `OneHopRoute` (shared/infra/api.py) runs each body in one
thread-pool call.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from fastapi import APIRouter, status

from services.visitation.api import schemas as s
from services.visitation.api.deps import Actor, Caller, Laest, kraev_handle_i_sagen, ruter
from services.visitation.api.sagsbehandling_routes import sagsbehandling_ud
from services.visitation.application.visitation_app import VisitationApplication
from services.visitation.domain.frister import Frist
from services.visitation.domain.sag import Sag
from shared.kernel.personoplysning import som_visning


def _opgave(sag: Sag, opgave_id: UUID, i_dag: date) -> dict[str, Any]:
    """The re-assessment task a change report opened: its deadline and status `i_dag`."""
    frist, opfyldt = sag.revurderingsopgaver[opgave_id]
    status = Frist(f"revurderingsopgave:{opgave_id}", "revurderingsopgave", frist, opfyldt)
    return {
        "opgave_id": opgave_id,
        "frist": frist,
        "opfyldt_dato": opfyldt,
        "status": status.status(i_dag),
    }


def build_router(app: VisitationApplication) -> APIRouter:
    router = ruter("visitation", app)

    @router.post(
        "/sager",
        status_code=status.HTTP_201_CREATED,
        response_model=s.SagOprettet,
        summary="Ansøgning modtaget: register an application and its anmodninger",
    )
    def modtag_ansoegning(body: s.AnsoegningInd, aktoer: Actor) -> s.SagOprettet:
        anmodninger = tuple(a.to_domain() for a in body.anmodninger)
        sag = app.modtag_ansoegning(
            cpr=body.borger.cpr,  # normalised by the application before it is indexed
            navn=body.borger.navn,
            modtaget_dato=body.modtaget_dato,
            kanal=body.kanal,
            henvendelse_fra=body.henvendelse_fra,
            anmodninger=anmodninger,
            aktoer=aktoer,
        )
        return s.SagOprettet(
            sag_id=sag.id,
            borger_id=sag.borger_id,
            anmodninger=[s.AnmodningUd(**som_visning(a)) for a in anmodninger],
        )

    @router.get(
        "/sager/{sag_id}",
        response_model=s.SagUd,
        summary="The case as visitation knows it now",
    )
    def hent_sag(sag_id: UUID, aktoer: Actor, laest: Laest) -> dict[str, Any]:
        sag = app.hent_sag(sag_id)
        laest.sag(sag.id, sag.borger_id)
        borger = app.hent_borger(sag.borger_id)
        # The providers' notes live beside the case (domain/noter.py): old and new merged.
        noter = app.alle_leveringsnoter(sag)
        klagesager = app.klagesager(sag.id)  # the complaints beside the case (klager.py)
        return {
            "sag_id": sag.id,
            "version": sag.version,
            # Decrypted with the citizen's key; a placeholder once the key is erased.
            "borger": {
                "borger_id": borger.id,
                "cpr": borger.cpr.vis(),
                "navn": borger.navn.vis(),
            },
            "modtaget_dato": sag.modtaget_dato,
            "kanal": sag.kanal,
            "henvendelse_fra": sag.henvendelse_fra,
            # Free text shows as text, or the placeholder once the citizen's key is erased.
            "anmodninger": som_visning(sag.anmodninger),
            "sagsbehandling": sagsbehandling_ud(sag, app.ankeafgoerelser(sag, klagesager)),
            "funktionsvurderinger": som_visning(sag.vurderinger),
            "rehabilitering": {
                "vurdering": None
                if sag.rehab_vurdering is None
                else {
                    "vurderet_dato": sag.rehab_vurdering[0],
                    "kan_forbedre_funktionsevne": sag.rehab_vurdering[1],
                },
                "forloeb": som_visning(list(sag.rehab_forloeb.values())),
            },
            "afgoerelser": som_visning(sag.afgoerelser),
            "klager": som_visning(app.klager(sag, klagesager)),
            "aktive_bevillinger": som_visning(list(sag.aktive_bevillinger.values())),
            "ophoerte_bevillinger": sag.ophoerte_bevillinger,
            "leveringssvigt": [
                {"besoeg_id": i, "leverandoer_id": lev, "oprindelig_dato": d}
                for i, (lev, d) in app.leveringssvigt(sag, noter).items()
            ],
            "kvitterede_bestillinger": [
                {"bevilling_id": b, "leverandoer_id": lev}
                for b, lev in app.kvitterede_bestillinger(sag).items()
            ],
            # The providers' change reports with their text (the placeholder once the
            # citizen's key is erased) and the re-assessment task each opened.
            "aendringsindberetninger": [
                {
                    **som_visning(ind),
                    "opgave": _opgave(sag, ind.opgave_id, app.ur.idag()),
                }
                for ind in sag.aendringsindberetninger.values()
            ],
            "afviste_bestillinger": [
                {"bevilling_id": b, "leverandoer_id": lev, "startdato": d, "begrundelse": t}
                for (b, lev, d), t in app.afviste_bestillinger(sag, noter).items()
            ],
        }

    @router.post(
        "/sager/{sag_id}/funktionsvurderinger",
        status_code=status.HTTP_201_CREATED,
        response_model=s.VurderingOprettet,
        summary="Record a function assessment (levels 0-4, 9 = not relevant)",
    )
    def registrer_funktionsvurdering(
        sag_id: UUID, body: s.FunktionsvurderingInd, aktoer: Actor
    ) -> s.VurderingOprettet:
        vurdering = body.to_domain()
        app.registrer_funktionsvurdering(sag_id, vurdering, aktoer)
        return s.VurderingOprettet(vurdering_id=vurdering.vurdering_id)

    @router.post(
        "/sager/{sag_id}/afgoerelse",
        status_code=status.HTTP_201_CREATED,
        response_model=s.AfgoerelseOprettet,
        summary="Afgørelse truffet: outcomes, granted indsatser and chosen leverandør",
    )
    def traef_afgoerelse(
        sag_id: UUID, body: s.AfgoerelseInd, aktoer: Actor
    ) -> s.AfgoerelseOprettet:
        ny = body.to_domain()
        afgoerelse = app.traef_afgoerelse(sag_id, ny, aktoer, body.partshoering_paakraevet)
        return s.AfgoerelseOprettet(
            afgoerelse_id=afgoerelse.afgoerelse_id,
            katalog_version=afgoerelse.katalog_version,
            bevillinger=[
                s.BevillingUd(
                    bevilling_id=b.bevilling_id,
                    anmodning_id=b.anmodning_id,
                    indsats_kode=b.indsats_kode,
                    leverandoer_id=b.leverandoer_id,
                )
                for b in ny.bevillinger
            ],
            helhedspleje_forloeb_id=afgoerelse.helhedspleje.forloeb_id
            if afgoerelse.helhedspleje
            else None,
        )

    @router.post(
        "/sager/{sag_id}/klager",
        status_code=status.HTTP_201_CREATED,
        response_model=s.KlageOprettet,
        summary="Klage oprettet: a complaint about the decision or the delivery",
    )
    def opret_klage(
        sag_id: UUID, body: s.KlageInd, aktoer: Actor, caller: Caller
    ) -> s.KlageOprettet:
        kraev_handle_i_sagen(app, caller, sag_id)
        klage = app.opret_klage(
            sag_id, body.klagetype, body.modtaget_dato, body.beskrivelse, aktoer
        )
        return s.KlageOprettet(klage_id=klage.klage_id, for_sent=klage.for_sent)

    return router
