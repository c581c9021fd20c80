"""Kvalitetsstandard endpoints: list the kommuners files, approve a version, suggestions."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, status
from fastapi.responses import JSONResponse

from services.visitation.api import schemas as s
from services.visitation.api.deps import Actor, Laest, ruter
from services.visitation.application.visitation_app import VisitationApplication
from services.visitation.catalogue import loader
from services.visitation.catalogue.model import Kvalitetsstandard
from shared.infra.api import problem
from shared.infra.datotyper import Dato


def build_katalog_router(app: VisitationApplication) -> APIRouter:
    router = ruter("kvalitetsstandard", app)

    def ud(k: Kvalitetsstandard | loader.UgyldigFil) -> s.KvalitetsstandardUd:
        katalog_version = f"{k.kommune}-{k.version}"
        if isinstance(k, loader.UgyldigFil):
            return s.KvalitetsstandardUd(
                kommune=k.kommune,
                version=k.version,
                katalog_version=katalog_version,
                titel=None,
                gyldig_fra=None,
                godkendt=katalog_version in app.godkendte_versioner(k.kommune),
                antal_indsatser=None,
                gyldig=False,
                fejl=[s.Feltfejl(loc=list(f.loc), msg=f.msg) for f in k.fejl],
            )
        return s.KvalitetsstandardUd(
            kommune=k.kommune,
            version=k.version,
            katalog_version=katalog_version,
            titel=k.titel,
            gyldig_fra=k.gyldig_fra,
            godkendt=katalog_version in app.godkendte_versioner(k.kommune),
            antal_indsatser=len(k.indsatser),
        )

    @router.get(
        "/kvalitetsstandarder",
        response_model=list[s.KvalitetsstandardUd],
        summary="The catalogue files on disk, which versions are approved, which are invalid",
    )
    def liste(aktoer: Actor) -> list[s.KvalitetsstandardUd]:
        # Each file is validated on its own: an invalid one is listed with its reasons and
        # never hides the others.
        return [ud(k) for k in loader.katalog(app.katalog_dir)]

    @router.get(
        "/kvalitetsstandarder/schema",
        summary="The JSON Schema every kvalitetsstandard file must follow (from the model)",
        responses={200: {"content": {"application/schema+json": {}}}},
    )
    def skema(aktoer: Actor) -> JSONResponse:
        return JSONResponse(loader.schema(), media_type="application/schema+json")

    @router.post(
        "/kvalitetsstandarder/validering",
        response_model=s.ValideringUd,
        summary="Validate a kvalitetsstandard before it is placed in the catalogue "
        "(422 names each bad field's path)",
    )
    def valider(body: Kvalitetsstandard, aktoer: Actor) -> s.ValideringUd:
        # The body is the model itself: FastAPI answers 422 with ["body", <field path>].
        return s.ValideringUd(gyldig=True, katalog_version=body.katalog_version)

    @router.get(
        "/kvalitetsstandarder/{katalog_version}",
        response_model=Kvalitetsstandard,
        summary="An approved version exactly as approved (the legal basis of decisions)",
    )
    def hent(katalog_version: str, aktoer: Actor) -> dict[str, object]:
        # Sent as stored: the JSON it was approved as, documented by the model it follows.
        return app.kvalitetsstandard(katalog_version).model_dump(mode="json")

    @router.post(
        "/kvalitetsstandarder/{kommune}/{version}/godkendelse",
        status_code=status.HTTP_201_CREATED,
        response_model=s.KvalitetsstandardUd,
        summary="KvalitetsstandardGodkendt: the version becomes binding from its valid-from date",
    )
    def godkend(
        kommune: str, version: str, body: s.GodkendelseInd, aktoer: Actor
    ) -> s.KvalitetsstandardUd | JSONResponse:
        try:
            k = app.godkend_kvalitetsstandard(kommune, version, body.godkendt_dato, aktoer)
        except loader.KatalogFilUgyldig as exc:
            # The municipality's rule text is wrong: refuse it and name every bad field.
            return problem(
                422,
                "Ugyldig kvalitetsstandard / invalid quality standard",
                str(exc),
                "urn:bum:regel:kvalitetsstandard-ugyldig",
                regel="kvalitetsstandard-ugyldig",
                fejl=[{"loc": list(f.loc), "msg": f.msg} for f in exc.ugyldig.fejl],
            )
        return ud(k).model_copy(update={"godkendt": True})

    @router.get(
        "/sager/{sag_id}/forslag",
        response_model=s.ForslagListe,
        summary="Indsatser the latest assessment qualifies for under the standard in force",
    )
    def forslag(
        sag_id: UUID, aktoer: Actor, laest: Laest, dato: Dato | None = None
    ) -> s.ForslagListe:
        version, forslag = app.forslag(sag_id, dato or app.ur.idag())
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
                    standard_hyppighed=(
                        s.StandardHyppighedUd(antal=f.hyppighed.antal, periode=f.hyppighed.periode)
                        if f.hyppighed
                        else None
                    ),
                    standard_minutter=f.minutter,
                )
                for f in forslag
            ],
        )

    return router
