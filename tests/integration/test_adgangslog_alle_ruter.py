"""Issue 20, item 4: every read of a citizen's data names both the citizen and the case.

One citizen with one case; a read through every route of the three services that shows
that citizen's data; supervision's access log searched by `borger_id` and by `sag_id` then
lists the same reads (the search itself aside)."""

from __future__ import annotations

from typing import Any

from services.supervision.application.supervision_app import SupervisionApplication
from shared.infra.adgangslog import til_offentlig
from shared.infra.auth import idag
from tests.identity import headers_for
from tests.integration.test_adgangslog import feed_reads
from tests.integration.test_applications import published
from tests.integration.test_fuldmagt import TIL, VIS, Verden, verden

__all__ = ["verden"]  # the fixture, imported for pytest
LEV = headers_for("leverandoer", "sosu-maria", leverandoer_id="omsorg-plus-aps")

#: Supervision's own search: each search logs what it showed, so it is left out of the
#: comparison (it is compared separately below).
SOEGNING = "soeg_adgangslog"


#: (service, route name) of every route that shows a citizen's data.
ALLE_RUTER = {
    ("visitation", "hent_sag"),
    ("visitation", "sagens_frister"),
    ("visitation", "arbejdsliste"),
    ("visitation", "forslag"),
    ("visitation", "brev_html"),
    ("visitation", "brev_pdf"),
    ("visitation", "fuldmagtsliste"),
    ("provider", "bestillinger"),
    ("provider", "bestilling"),
    ("provider", "besoeg"),
    ("provider", "koereliste"),
    ("provider", "koereliste_csv"),
    ("provider", "borgers_besoeg"),
    ("provider", "besoegsnotater"),
    ("supervision", "historik"),
    ("supervision", "tilstand"),
    ("supervision", "adgangslog"),
    ("supervision", "aktindsigt"),
    ("supervision", "aktindsigtsanmodning"),
    ("supervision", "rapport"),
}


def _get(client: Any, url: str, headers: dict[str, str], **params: Any) -> Any:
    r = client.get(url, headers=headers, params=params)
    assert r.status_code == 200, (url, r.text)
    return r


def test_a_read_through_every_route_is_found_by_citizen_and_by_case(verden: Verden) -> None:
    v, sag, bid = verden, str(verden.sag_id), verden.borger_id
    dag = idag().isoformat()
    # visitation (a complaint opens a deadline for the work list)
    klage = {"klagetype": "afgoerelse", "modtaget_dato": dag, "beskrivelse": "For lidt hjælp"}
    assert v.visitation.post(f"/sager/{sag}/klager", headers=VIS, json=klage).status_code == 201
    _get(v.visitation, f"/sager/{sag}", VIS)
    _get(v.visitation, f"/sager/{sag}/frister", VIS)
    assert _get(v.visitation, "/arbejdsliste", VIS, horisont_dage=365).json()
    _get(v.visitation, f"/sager/{sag}/forslag", VIS)
    _get(v.visitation, f"/sager/{sag}/afgoerelser/1/brev.html", VIS)
    _get(v.visitation, f"/sager/{sag}/afgoerelser/1/brev.pdf", VIS)
    _get(v.visitation, f"/borgere/{bid}/fuldmagter", VIS)
    # provider, the provider's staff and the citizen in self-service
    ordrer = _get(v.provider, "/leverandoerer/omsorg-plus-aps/bestillinger", LEV).json()
    assert len(ordrer) == 1
    _get(v.provider, f"/bestillinger/{ordrer[0]['bestilling_id']}", LEV)
    besoeg = _get(v.provider, "/leverandoerer/omsorg-plus-aps/besoeg", LEV).json()
    dato = min(b["dato"] for b in besoeg)
    _get(v.provider, "/leverandoerer/omsorg-plus-aps/koereliste", LEV, dato=dato)
    _get(v.provider, "/leverandoerer/omsorg-plus-aps/koereliste.csv", LEV, dato=dato)
    noter = f"/bestillinger/{ordrer[0]['bestilling_id']}/besoeg/{besoeg[0]['besoeg_id']}/notater"
    notat = {"medarbejder_id": "sosu-maria", "tekst": "Hjalp med bad"}
    assert v.provider.post(noter, headers=LEV, json=notat).status_code == 201
    _get(v.provider, noter, LEV)
    egne = _get(v.provider, f"/borgere/{bid}/besoeg", headers_for("borger", borger_id=bid))
    assert egne.json() and "sag_id" not in egne.json()[0]  # the case is logged, not shown
    # supervision
    reads = published(v.apps["visitation"], "visitation", til_offentlig)
    reads += published(v.apps["provider"], "provider", til_offentlig)
    supervision = v.apps["supervision"]
    assert isinstance(supervision, SupervisionApplication)
    feed_reads(supervision, reads)
    _get(v.supervision, f"/sager/{sag}/historik", TIL)
    _get(v.supervision, f"/sager/{sag}/tilstand", TIL)
    _get(v.supervision, f"/sager/{sag}/adgangslog", TIL)
    aktindsigt = v.supervision.post(
        f"/sager/{sag}/aktindsigt",
        headers=TIL,
        json={"anmoder": "Jens Hansen", "modtaget_dato": dag},
    )
    assert aktindsigt.status_code == 201, aktindsigt.text
    _get(v.supervision, f"/aktindsigt/{aktindsigt.json()['anmodning_id']}/svar", TIL)
    _get(v.supervision, f"/aktindsigt/{aktindsigt.json()['anmodning_id']}", TIL)
    plan = {"leverandoer_id": "omsorg-plus-aps", "planlagt_dato": dag, "seed": 1}
    tilsyn = v.supervision.post("/tilsyn/besoeg", headers=TIL, json=plan)
    assert tilsyn.status_code == 201 and tilsyn.json()["stikproeve"]["sager"] == [sag]
    _get(v.supervision, f"/tilsyn/besoeg/{tilsyn.json()['tilsyn_id']}", TIL)

    # every read published carries both ids
    assert reads and all(e.data["sag_id"] == sag and e.data["borger_id"] == bid for e in reads)

    def soeg(**params: str) -> list[dict[str, Any]]:
        opslag: list[dict[str, Any]] = _get(v.supervision, "/adgangslog", TIL, **params).json()[
            "opslag"
        ]
        return opslag

    def uden_soegning(opslag: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [o for o in opslag if o["endpoint"] != SOEGNING]

    efter_borger = soeg(borger_id=bid)
    efter_sag = soeg(sag_id=sag)
    assert uden_soegning(efter_borger) == uden_soegning(efter_sag)
    endpoints = {(o["tjeneste"], o["endpoint"]) for o in efter_sag}
    assert endpoints >= ALLE_RUTER
    assert all(o["sag_id"] == sag and o["borger_id"] == bid for o in efter_sag)
    # the first search is itself a logged read, found both ways
    assert [o for o in efter_sag if o["endpoint"] == SOEGNING]
