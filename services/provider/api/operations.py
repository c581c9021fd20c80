"""Provider operations beyond delivery: replacement visits, deadline checks, rolling
planning, hospital stays, change reports, and the citizen's self-service."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from typing import Any
from uuid import UUID

from fastapi import APIRouter, status

from services.provider.api import schemas as s
from services.provider.api.deps import Actor, Caller, Laest, ruter
from services.provider.application.adgang import kraev_borger, kraev_leverandoer
from services.provider.application.provider_app import ProviderApplication
from services.provider.application.read_model import ProviderWorkLists
from services.provider.domain.notat import Besoegsnotat
from services.provider.domain.values import Aendringsindberetning, Forgaeves
from shared.infra.datotyper import Dato
from shared.infra.sagsfejl import Sagsfejl
from shared.kernel import Aktoer, NotFound
from shared.kernel.personoplysning import fritekst


def build_operations(app: ProviderApplication, lists: ProviderWorkLists) -> APIRouter:
    router = ruter("leverandør", app)

    @router.post(
        "/bestillinger/{bestilling_id}/besoeg/{besoeg_id}/forgaeves",
        status_code=status.HTTP_201_CREATED,
        response_model=s.Kvittering,
        summary="Forgæves besøg: the citizen was not at home (no replacement owed)",
    )
    def forgaeves(
        bestilling_id: UUID, besoeg_id: UUID, body: s.ForgaevesInd, aktoer: Actor
    ) -> s.Kvittering:
        app.registrer_forgaeves(
            bestilling_id,
            Forgaeves(besoeg_id, body.tidspunkt, body.medarbejder_id, body.aarsag),
            aktoer,
        )
        return s.Kvittering(status="forgaeves", registreret=app.ur.now())

    @router.post(
        "/bestillinger/{bestilling_id}/besoeg/{besoeg_id}/paabegyndt",
        status_code=status.HTTP_201_CREATED,
        response_model=s.Kvittering,
        summary="Besøg påbegyndt: the care worker checks in (the late-visit check stops)",
    )
    def paabegyndt(
        bestilling_id: UUID, besoeg_id: UUID, body: s.BesoegstidInd, aktoer: Actor
    ) -> s.Kvittering:
        app.paabegynd_besoeg(bestilling_id, besoeg_id, body.tidspunkt, body.medarbejder_id, aktoer)
        return s.Kvittering(status="paabegyndt", registreret=app.ur.now())

    @router.post(
        "/bestillinger/{bestilling_id}/besoeg/{besoeg_id}/afsluttet",
        status_code=status.HTTP_201_CREATED,
        response_model=s.Kvittering,
        summary="Besøg afsluttet: the care worker checks out (the delivery is registered "
        "separately)",
    )
    def afsluttet(
        bestilling_id: UUID, besoeg_id: UUID, body: s.BesoegstidInd, aktoer: Actor
    ) -> s.Kvittering:
        app.afslut_besoeg(bestilling_id, besoeg_id, body.tidspunkt, body.medarbejder_id, aktoer)
        return s.Kvittering(status="afsluttet", registreret=app.ur.now())

    @router.post(
        "/bestillinger/{bestilling_id}/besoeg/{besoeg_id}/erstatning",
        status_code=status.HTTP_201_CREATED,
        response_model=s.ErstatningUd,
        summary="Erstatningsbesøg for a cancelled visit, within the replacement deadline",
    )
    def erstatning(
        bestilling_id: UUID, besoeg_id: UUID, body: s.ErstatningInd, aktoer: Actor
    ) -> s.ErstatningUd:
        b = app.planlaeg_erstatning(bestilling_id, besoeg_id, body.dato, body.tidsvindue, aktoer)
        return s.ErstatningUd(
            besoeg_id=str(b.besoeg_id),
            erstatter_besoeg_id=str(besoeg_id),
            dato=b.dato,
            tidsvindue=b.tidsvindue,
        )

    def _notat_ud(notat: Besoegsnotat) -> s.NotatUd:
        return s.NotatUd(
            notat_id=notat.id,
            besoeg_id=notat.besoeg_id,
            medarbejder_id=notat.medarbejder_id,
            tekst=notat.tekst.vis(),
            skrevet=notat.skrevet,
            enhed_id=notat.enhed.enhed_id if notat.enhed is not None else None,
        )

    @router.post(
        "/bestillinger/{bestilling_id}/besoeg/{besoeg_id}/notater",
        status_code=status.HTTP_201_CREATED,
        response_model=s.NotatUd,
        summary="Besøgsnotat: the care worker's note on a visit (kept as the citizen's "
        "personal data; not published)",
    )
    def skriv_notat(
        bestilling_id: UUID, besoeg_id: UUID, body: s.NotatInd, aktoer: Actor
    ) -> s.NotatUd:
        notat = app.skriv_notat(
            bestilling_id, besoeg_id, fritekst(body.tekst), body.medarbejder_id, aktoer
        )
        return _notat_ud(notat)

    @router.get(
        "/bestillinger/{bestilling_id}/besoeg/{besoeg_id}/notater",
        response_model=list[s.NotatUd],
        summary="The notes on a visit, oldest first (a logged read of the citizen's data)",
    )
    def besoegsnotater(
        bestilling_id: UUID, besoeg_id: UUID, aktoer: Actor, laest: Laest
    ) -> list[s.NotatUd]:
        bestilling = app.hent_bestilling_som(bestilling_id, aktoer, skriv=False)
        notater = [app.hent_notat(i) for i in lists.notater_for(besoeg_id)]
        notater = [n for n in notater if n.bestilling_id == bestilling_id]
        laest.sag(bestilling.sag_id, bestilling.borger_id)
        return [_notat_ud(n) for n in notater]

    @router.post(
        "/bestillinger/{bestilling_id}/aendringsindberetninger",
        status_code=status.HTTP_201_CREATED,
        response_model=s.IndberetningOprettet,
        summary="Report a lasting change in the citizen's function (visitation re-assesses)",
    )
    def aendring(bestilling_id: UUID, body: s.AendringInd, aktoer: Actor) -> s.IndberetningOprettet:
        ind = Aendringsindberetning(
            uuid.uuid4(), body.observeret_dato, fritekst(body.beskrivelse), tuple(body.omraader)
        )
        app.indberet_aendring(bestilling_id, ind, aktoer)
        return s.IndberetningOprettet(indberetning_id=ind.indberetning_id)

    @router.post(
        "/leverandoerer/{leverandoer_id}/fristkontrol",
        response_model=s.FristkontrolUd,
        summary="Check replacement deadlines as of a given day: LeveringSvigtet for each "
        "duty whose last day has passed unmet (idempotent per day)",
    )
    def fristkontrol(leverandoer_id: str, body: s.DatoInd, aktoer: Actor) -> s.FristkontrolUd:
        kraev_leverandoer(aktoer, leverandoer_id, skriv=True)
        ids = lists.bestillinger_med_erstatningspligt(leverandoer_id)
        fejl: list[Sagsfejl] = []
        svigt = app.kontroller_frister(ids, body.dato, aktoer, fejl)
        return s.FristkontrolUd(
            idag=body.dato,
            leveringssvigt=[s.SvigtUd(bestilling_id=b, besoeg_id=v) for b, v in svigt],
            # Orders the rules could not handle (sagsfejl.py); the others were checked.
            fejl=[
                s.BestillingsfejlUd(bestilling_id=f.sag_id, fejl=f.fejl, fejltype=f.fejltype)
                for f in fejl
            ],
        )

    @router.post(
        "/leverandoerer/{leverandoer_id}/planlaegning",
        response_model=s.PlanlaegningUd,
        summary="Rolling horizon: plan the next four weeks of every active order from a day "
        "and staff them from the roster (fixed helper where possible)",
    )
    def planlaegning(leverandoer_id: str, body: s.DatoInd, aktoer: Actor) -> s.PlanlaegningUd:
        kraev_leverandoer(aktoer, leverandoer_id, skriv=True)
        ids = lists.aktive_bestillinger(leverandoer_id)
        nye, bemandede = app.planlaeg_frem(leverandoer_id, ids, body.dato, aktoer)
        return s.PlanlaegningUd(nye_besoeg=nye, bemandede_besoeg=bemandede)

    def _borgers_ordrer(leverandoer_id: str, borger_id: UUID, aktoer: Aktoer) -> list[UUID]:
        kraev_leverandoer(aktoer, leverandoer_id, skriv=True)
        ids = lists.aktive_bestillinger(leverandoer_id, borger_id)
        if not ids:
            raise NotFound("borger med aktive bestillinger", borger_id)
        return ids

    @router.post(
        "/leverandoerer/{leverandoer_id}/borgere/{borger_id}/indlaeggelse",
        response_model=s.PauseUd,
        summary="Hospital admission: planned visits from the day pause, no replacement owed",
    )
    def indlaeggelse(
        leverandoer_id: str, borger_id: UUID, body: s.DatoInd, aktoer: Actor
    ) -> s.PauseUd:
        app.indlaeggelse(_borgers_ordrer(leverandoer_id, borger_id, aktoer), body.dato, aktoer)
        return s.PauseUd(status="pauset", fra=body.dato)

    @router.post(
        "/leverandoerer/{leverandoer_id}/borgere/{borger_id}/udskrivning",
        response_model=s.PauseUd,
        summary="Discharge: paused visits from the day are planned again",
    )
    def udskrivning(
        leverandoer_id: str, borger_id: UUID, body: s.DatoInd, aktoer: Actor
    ) -> s.PauseUd:
        app.udskrivning(_borgers_ordrer(leverandoer_id, borger_id, aktoer), body.dato, aktoer)
        return s.PauseUd(status="genoptaget", fra=body.dato)

    @router.get(
        "/borgere/{borger_id}/besoeg",
        tags=["borger"],
        response_model=list[s.BorgerBesoegUd],
        summary="Self-service: the citizen's coming visits (role borger: own id, or under a "
        "recorded fuldmagt)",
    )
    def borgers_besoeg(
        borger_id: UUID, caller: Caller, laest: Laest, fra: Dato | None = None
    ) -> list[dict[str, Any]]:
        kraev_borger(caller, borger_id, lists)
        linjer = lists.besoeg_for_borger(borger_id, fra or app.ur.idag())
        # Logged with the case as well as the citizen (every case the visits or the orders
        # belong to), so a search by either finds the read.
        sager = sorted({b.sag_id for b in linjer} | set(lists.sager_for_borger(borger_id)), key=str)
        laest.mange([(sag_id, borger_id) for sag_id in sager] or [(None, borger_id)])
        return [
            {k: v for k, v in asdict(b).items() if k not in ("sag_id", "detaljer")} for b in linjer
        ]

    @router.post(
        "/borgere/{borger_id}/besoeg/{besoeg_id}/aflysning",
        tags=["borger"],
        status_code=status.HTTP_201_CREATED,
        response_model=s.AflysningUd,
        summary="Self-service: the citizen cancels a visit, with the same rules",
    )
    def borger_aflyser(
        borger_id: UUID,
        besoeg_id: UUID,
        body: s.BorgerAflysningInd,
        aktoer: Actor,
        caller: Caller,
    ) -> s.AflysningUd:
        kraev_borger(caller, borger_id, lists)
        lists.catch_up()
        linje = lists.besoeg.get(besoeg_id)
        if linje is None or linje.borger_id != borger_id:
            raise NotFound("besøg", besoeg_id)  # never reveal another citizen's visit
        a = app.borger_aflyser(linje.bestilling_id, besoeg_id, body.aarsag, aktoer)
        return s.AflysningUd.af(a)

    return router
