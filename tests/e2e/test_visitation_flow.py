"""The visitation case end to end over the running services' HTTP APIs: a relative applies,
the citizen confirms, assessment, § 83 a course, partshøring, a partly refused decision and
its letter, complaint, genvurdering upheld, Ankestyrelsen, and supervision's view of it."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from infra.local.broker import TansuBroker  # noqa: F401  (fixture types)
from infra.local.stack import SERVICES, LocalStack
from tests.e2e.test_bum_flow import TIL, TODAY, VIS, eventually, stack  # noqa: F401
from tests.identity import headers_for

pytestmark = [pytest.mark.e2e, pytest.mark.integration]


def ok(r: httpx.Response, status: int = 201) -> dict:  # type: ignore[type-arg]
    assert r.status_code == status, r.text
    body = r.json()
    assert isinstance(body, dict)
    return body


def test_relative_application_to_ankestyrelsen(stack: LocalStack) -> None:  # noqa: F811
    v, p, t = (stack.services[n].url for n in SERVICES)
    today = TODAY
    dag = today.isoformat()
    c = httpx.Client(timeout=30)

    # 1. A relative applies for bath and cleaning.
    sag = ok(
        c.post(
            f"{v}/sager",
            headers=VIS,
            json={
                "borger": {"cpr": "150338-4321", "navn": "Karen Jensen"},
                "modtaget_dato": dag,
                "kanal": "telefon",
                "henvendelse_fra": "paaroerende",
                "anmodninger": [
                    {"beskrivelse": "Hjælp til bad", "kategori": "personlig"},
                    {"beskrivelse": "Rengøring", "kategori": "praktisk"},
                ],
            },
        )
    )
    sag_id, borger_id = sag["sag_id"], sag["borger_id"]
    bad, rent = (a["anmodning_id"] for a in sag["anmodninger"])
    borger = headers_for("borger", borger_id=borger_id)
    vurdering = {
        "vurderet_dato": dag,
        "funktionsniveauer": [{"omraade": "B1-3", "niveau": 3}, {"omraade": "B1-11", "niveau": 1}],
    }

    # 2. Nothing is assessed before the citizen confirms; the citizen confirms themselves.
    r = c.post(f"{v}/sager/{sag_id}/funktionsvurderinger", headers=VIS, json=vurdering)
    assert r.status_code == 422 and r.json()["regel"] == "afventer-borgerens-samtykke"
    ok(
        c.post(
            f"{v}/sager/{sag_id}/samtykke", headers=borger, json={"dato": dag, "indforstaaet": True}
        )
    )
    ok(c.post(f"{v}/sager/{sag_id}/funktionsvurderinger", headers=VIS, json=vurdering))

    # 3. § 83 a before § 83: a course could help, so it comes first; abandoned after a week.
    ok(
        c.post(
            f"{v}/sager/{sag_id}/rehabiliteringsvurdering",
            headers=VIS,
            json={
                "vurderet_dato": dag,
                "kan_forbedre_funktionsevne": True,
                "begrundelse": "Kan trænes",
            },
        )
    )
    forloeb = ok(
        c.post(
            f"{v}/sager/{sag_id}/rehabiliteringsforloeb",
            headers=VIS,
            json={
                "bevilget_dato": dag,
                "niveau": "moderat",
                "startdato": dag,
                "uger": 6,
                "retningsgivende_maal": "udvikle",
                "individuelle_maal": ["Kan selv gå i bad med badebænk"],
                "leverandoer_id": "hjemmeplejen-nord",
            },
        )
    )
    udfald = [
        {"anmodning_id": bad, "resultat": "bevilget"},
        {
            "anmodning_id": rent,
            "resultat": "afslag",
            "begrundelse": "Kan gøre rent over flere dage.",
        },
    ]
    afgoerelse = {
        "truffet_dato": dag,
        "udfald": udfald,
        "bevillinger": [
            {
                "anmodning_id": bad,
                "indsats_kode": "H1.3",
                "indsats_navn": "Bad",
                "kategori": "personlig",
                "hyppighed": {"antal": 2, "periode": "uge"},
                "minutter_pr_besoeg": 30,
                "leverandoer_id": "omsorg-plus-aps",
                "startdato": dag,
            }
        ],
        "klagevejledning": "Du kan klage inden 4 uger til Visitationen.",
        "partshoering_paakraevet": True,
    }
    uden_hoering = {**afgoerelse, "partshoering_paakraevet": False}
    r = c.post(f"{v}/sager/{sag_id}/afgoerelse", headers=VIS, json=uden_hoering)
    assert r.status_code == 422 and r.json()["regel"] == "83a-forloeb-foer-83"
    ok(
        c.post(
            f"{v}/sager/{sag_id}/rehabiliteringsforloeb/{forloeb['forloeb_id']}/afslutning",
            headers=VIS,
            json={"dato": dag, "udfald": "afbrudt", "begrundelse": "Borgeren ønskede at stoppe"},
        )
    )

    # 4. Partshøring on the home nurse's note before refusing cleaning.
    r = c.post(f"{v}/sager/{sag_id}/afgoerelse", headers=VIS, json=afgoerelse)
    assert r.status_code == 422 and r.json()["regel"] == "partshoering-mangler"
    hoering = ok(
        c.post(
            f"{v}/sager/{sag_id}/partshoeringer",
            headers=VIS,
            json={
                "sendt_dato": dag,
                "svarfrist": (today + timedelta(days=7)).isoformat(),
                "oplysninger": "Hjemmesygeplejen oplyser, at du selv støvsuger.",
            },
        )
    )
    ok(
        c.post(
            f"{v}/sager/{sag_id}/partshoeringer/{hoering['partshoering_id']}/svar",
            headers=borger,
            json={"dato": dag, "svar": "Kun stuen, og det tager hele dagen."},
        )
    )

    # 5. The decision: bath granted, cleaning refused.
    ok(c.post(f"{v}/sager/{sag_id}/afgoerelse", headers=VIS, json=afgoerelse))

    # 6. The citizen reads the letter (PDF).
    r = c.get(f"{v}/sager/{sag_id}/afgoerelser/1/brev.pdf", headers=borger)
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    for tekst in ("Karen Jensen", "Ankestyrelsen", "Afslag", "H1.3"):
        assert tekst.encode("latin-1") in r.content, tekst

    # 6a. The letter reached the citizen by Digital Post today: the klagefrist runs from it
    # (published, so supervision and the provider must take the event).
    meddelt = ok(
        c.post(
            f"{v}/sager/{sag_id}/afgoerelser/1/meddelelse",
            headers=VIS,
            json={"meddelt_dato": dag, "kanal": "digital_post"},
        )
    )
    assert meddelt["klagefrist"] >= (today + timedelta(weeks=4)).isoformat()

    # 6b. Frit valg: the citizen switches personal care to the municipal provider, from the
    # first day of the month after next; the old provider's order ends there.
    skift = ok(
        c.post(
            f"{v}/sager/{sag_id}/leverandoerskift",
            headers=borger,
            json={
                "kategori": "personlig",
                "til_leverandoer_id": "hjemmeplejen-nord",
                "anmodet_dato": dag,
            },
        )
    )
    naeste_naeste = (today.replace(day=1) + timedelta(days=62)).replace(day=1)
    assert skift["gyldig_fra"] == naeste_naeste.isoformat()

    # 7. Complaint, genvurdering upheld, Ankestyrelsen upholds too.
    klage = ok(
        c.post(
            f"{v}/sager/{sag_id}/klager",
            headers=borger,
            json={
                "klagetype": "afgoerelse",
                "modtaget_dato": dag,
                "beskrivelse": "Jeg kan ikke gøre rent.",
            },
        )
    )
    klage_id = klage["klage_id"]
    ok(
        c.post(
            f"{v}/sager/{sag_id}/klager/{klage_id}/genvurdering",
            headers=VIS,
            json={
                "dato": dag,
                "udfald": "fastholdt",
                "begrundelse": "Nye oplysninger ændrer intet.",
            },
        )
    )
    ok(
        c.post(
            f"{v}/sager/{sag_id}/klager/{klage_id}/ankestyrelsen",
            headers=VIS,
            json={
                "dato": dag,
                "udfald": "stadfaestet",
                "begrundelse": "Kommunens vurdering er korrekt.",
            },
        )
    )

    # 8. Supervision sees the whole case, Ankestyrelsen included, and counts the outcome.
    forventet = {
        "AnsoegningModtaget",
        "SamtykkeRegistreret",
        "FunktionsvurderingRegistreret",
        "PartshoeringSendt",
        "PartshoeringBesvaret",
        "AfgoerelseTruffet",
        "AfgoerelseMeddelt",
        "LeverandoerSkiftet",
        "KlageOprettet",
        "KlageGenvurderet",
        "AnkestyrelsensAfgoerelse",
    }
    historik = eventually(
        lambda: c.get(f"{t}/sager/{sag_id}/historik", headers=TIL).json(),
        lambda h: forventet <= {e["haendelse"] for e in h.get("haendelser", [])},
    )
    typer = [e["haendelse"] for e in historik["haendelser"]]
    assert typer.index("PartshoeringBesvaret") < typer.index("AfgoerelseTruffet")
    assert typer.index("KlageGenvurderet") < typer.index("AnkestyrelsensAfgoerelse")
    assert "150338" not in str(historik)
    tilstand = eventually(
        lambda: c.get(f"{t}/sager/{sag_id}/tilstand", headers=TIL).json(),
        lambda s: any("ankestyrelsen" in k for k in s.get("klager", [])),
    )
    assert tilstand["klager"][0]["ankestyrelsen"]["udfald"] == "stadfaestet"
    assert tilstand["afgoerelser"][0]["meddelt"]["klagefrist"] == meddelt["klagefrist"]
    assert tilstand["oevrige_haendelser"] == []
    maaned = dag[:7]
    eventually(
        lambda: c.get(f"{t}/tilsyn/tal", headers=TIL, params={"maaned": maaned}).json(),
        lambda tal: (
            tal["frister"].get(maaned, {}).get("klageudfald", {})
            == {"fastholdt": 1, "ankestyrelsen_stadfaestet": 1}
        ),
    )
    # The provider got the bath order (the refused cleaning none).
    lev = headers_for("leverandoer", "sosu-maria", leverandoer_id="omsorg-plus-aps")
    eventually(
        lambda: c.get(f"{p}/leverandoerer/omsorg-plus-aps/besoeg", headers=lev).json(),
        lambda vs: len(vs) > 0,
    )
    # ... and after the switch the municipal provider has the order from its first day.
    nord = headers_for("leverandoer", "sosu-ib", leverandoer_id="hjemmeplejen-nord")
    ordrer = eventually(
        lambda: c.get(f"{p}/leverandoerer/hjemmeplejen-nord/bestillinger", headers=nord).json(),
        # 404 until the provider service has the register's events (they race the order).
        lambda bs: isinstance(bs, list) and any(str(b.get("sag_id")) == sag_id for b in bs),
    )
    ny = next(b for b in ordrer if str(b.get("sag_id")) == sag_id)
    assert ny["startdato"] == naeste_naeste.isoformat()
