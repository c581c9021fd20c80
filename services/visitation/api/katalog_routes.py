"""Kvalitetsstandard endpoints: list the kommuners files, approve a version, suggestions."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, status

from services.visitation.api import schemas as s
from services.visitation.application.visitation_app import VisitationApplication
from services.visitation.catalogue import loader
from shared.infra.adgangslog import Laest, adgangslog_for
from shared.infra.api import OneHopRoute, actor
from shared.infra.datotyper import Dato
from shared.infra.tid import idag
from shared.kernel import Aktoer

Actor = Annotated[Aktoer, Depends(actor)]


def build_katalog_router(app: VisitationApplication) -> APIRouter:
    router = APIRouter(
        tags=["kvalitetsstandard"], dependencies=[adgangslog_for(app)], route_class=OneHopRoute
    )

    @router.get(
        "/kvalitetsstandarder",
        response_model=list[s.KvalitetsstandardUd],
        summary="The catalogue files on disk and which versions are approved",
    )
    def liste(aktoer: Actor) -> list[s.KvalitetsstandardUd]:
        ud = []
        for k in loader.available(app.katalog_dir):
            godkendte = app.godkendte_versioner(k.kommune)
            ud.append(
                s.KvalitetsstandardUd(
                    kommune=k.kommune,
                    version=k.version,
                    katalog_version=k.katalog_version,
                    titel=k.titel,
                    gyldig_fra=k.gyldig_fra,
                    godkendt=k.katalog_version in godkendte,
                    antal_indsatser=len(k.indsatser),
                )
            )
        return ud

    @router.get(
        "/kvalitetsstandarder/{katalog_version}",
        summary="An approved version exactly as approved (the legal basis of decisions)",
    )
    def hent(katalog_version: str, aktoer: Actor) -> dict[str, object]:
        return app.kvalitetsstandard(katalog_version).model_dump(mode="json")

    @router.post(
        "/kvalitetsstandarder/{kommune}/{version}/godkendelse",
        status_code=status.HTTP_201_CREATED,
        response_model=s.KvalitetsstandardUd,
        summary="KvalitetsstandardGodkendt: the version becomes binding from its valid-from date",
    )
    def godkend(
        kommune: str, version: str, body: s.GodkendelseInd, aktoer: Actor
    ) -> s.KvalitetsstandardUd:
        k = app.godkend_kvalitetsstandard(kommune, version, body.godkendt_dato, aktoer)
        return s.KvalitetsstandardUd(
            kommune=k.kommune,
            version=k.version,
            katalog_version=k.katalog_version,
            titel=k.titel,
            gyldig_fra=k.gyldig_fra,
            godkendt=True,
            antal_indsatser=len(k.indsatser),
        )

    @router.get(
        "/sager/{sag_id}/forslag",
        response_model=s.ForslagListe,
        summary="Indsatser the latest assessment qualifies for under the standard in force",
    )
    def forslag(
        sag_id: UUID, aktoer: Actor, laest: Laest, dato: Dato | None = None
    ) -> s.ForslagListe:
        version, forslag = app.forslag(sag_id, dato or idag())
        # derived from the citizen's function assessment: logged with case and citizen
        laest.sag(sag_id, app.hent_sag(sag_id).borger_id)
        return s.ForslagListe(
            katalog_version=version,
            forslag=[
                s.ForslagUd(
                    indsats_kode=f.indsats_kode,
                    navn=f.navn,
                    kategori=f.kategori,
                    opfyldte_kriterier=list(f.opfyldte),
                    kraevet=f.kraevet,
                )
                for f in forslag
            ],
        )

    return router
