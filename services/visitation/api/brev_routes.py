"""The decision letter over HTTP, as HTML and PDF. A borger reads only their own letters."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Path, status
from fastapi.responses import HTMLResponse, Response

from services.visitation.adapters.afgoerelsesbrev import som_html, som_pdf
from services.visitation.api import schemas as s
from services.visitation.api.deps import Actor, Caller, Laesning, Laest, ruter
from services.visitation.application.fuldmagter import Fuldmagtsbehandling
from services.visitation.application.visitation_app import VisitationApplication
from services.visitation.domain.afgoerelsesbrev import brevdata
from shared.infra.api import attachment
from shared.infra.auth import Principal
from shared.kernel import NotFound

Nr = Annotated[int, Path(ge=1, le=1000, description="the case's decisions, 1 = the first")]


def build_brev_router(app: VisitationApplication) -> APIRouter:
    router = ruter("visitation: afgørelsesbrev", app)

    def brev(sag_id: UUID, nr: int, caller: Principal, laest: Laesning) -> dict[str, Any]:
        sag = app.hent_sag(sag_id)
        if caller.rolle == "borger" and not Fuldmagtsbehandling(app).maa_handle_for(
            caller, sag.borger_id, "se_sagen"
        ):
            raise NotFound("sag", sag_id)  # someone else's case: as if it did not exist
        if nr > len(sag.afgoerelser):
            raise NotFound("afgoerelse", nr)
        version = sag.afgoerelser[nr - 1].katalog_version
        katalog = app.kvalitetsstandard(version) if version else None
        navn = app.hent_borger(sag.borger_id).navn.vis()
        laest.sag(sag.id, sag.borger_id)
        return brevdata(sag, nr, navn, app.kommunedata, katalog)

    @router.post(
        "/sager/{sag_id}/afgoerelser/{nr}/meddelelse",
        status_code=status.HTTP_201_CREATED,
        response_model=s.MeddelelseUd,
        summary="AfgoerelseMeddelt: when and how the decision reached the citizen; the "
        "klagefrist runs from that day",
    )
    def meddel(sag_id: UUID, nr: Nr, body: s.MeddelelseInd, aktoer: Actor) -> s.MeddelelseUd:
        m, klagefrist = app.meddel_afgoerelse(sag_id, nr, body.meddelt_dato, body.kanal, aktoer)
        return s.MeddelelseUd(
            afgoerelse_id=m.afgoerelse_id,
            meddelt_dato=m.meddelt_dato,
            kanal=m.kanal,
            klagefrist=klagefrist,
        )

    @router.get(
        "/sager/{sag_id}/afgoerelser/{nr}/brev.html",
        response_class=HTMLResponse,
        summary="The decision letter in Danish (HTML)",
    )
    def brev_html(sag_id: UUID, nr: Nr, caller: Caller, laest: Laest) -> HTMLResponse:
        return HTMLResponse(som_html(brev(sag_id, nr, caller, laest)))

    @router.get(
        "/sager/{sag_id}/afgoerelser/{nr}/brev.pdf",
        response_class=Response,
        responses={200: {"content": {"application/pdf": {}}}},
        summary="The decision letter in Danish (PDF)",
    )
    def brev_pdf(sag_id: UUID, nr: Nr, caller: Caller, laest: Laest) -> Response:
        return Response(
            som_pdf(brev(sag_id, nr, caller, laest)),
            media_type="application/pdf",
            headers=attachment(f"afgoerelse-{sag_id}-{nr}.pdf", "inline"),
        )

    return router
