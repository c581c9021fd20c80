"""A new kommune from files and API calls only (issue 16): Ærø Kommune, its own standard
with promises in hours and planning rules, its own providers approved over the API, run
through the three service processes on PostgreSQL and the broker.

No line of code names Ærø: the kommune is two files in a folder (`kommune.yaml` and its
kvalitetsstandard), the providers are created through visitation's register, and the
catalogue is adopted through the API. The flow: decision, order, plan (no practical help
on a weekday the standard forbids), a visit not started within the tolerance raising a
replacement duty with a deadline to the minute, a citizen's cancellation judged in hours,
and the decision letter signed by the kommune with the klagefrist from the notification.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest

from infra.local._net import free_port
from infra.local.broker import TansuBroker
from infra.local.stack import SERVICES, LocalStack
from tests.conftest import Postgres
from tests.e2e.test_bum_flow import eventually
from tests.identity import headers_for

pytestmark = [pytest.mark.e2e, pytest.mark.integration]

KBH = ZoneInfo("Europe/Copenhagen")
#: Monday 1 February 2027 at 14:00: the morning window (9-12) plus an hour's tolerance
#: has passed for today's care visit, Wednesday morning is ~43 hours ahead and Thursday
#: morning ~67 hours.
NU = datetime(2027, 2, 1, 14, 0, tzinfo=KBH)
IDAG = NU.date()

KOMMUNE = """\
kode: aeroe
navn: Ærø Kommune
enhed: Visitationen
adresse:
  linjer: [Ærø Rådhus, Statene 2]
  postnummer: "5970"
  by: Ærøskøbing
kontakt:
  telefon: 63 52 50 00
lukkedage:
  aarlige: ["12-24"]
kvalitetsstandarder:
  - {version: "2027", fra: 2027-01-01}
"""

STANDARD = """\
kommune: aeroe
version: "2027"
titel: Kvalitetsstandard for personlig og praktisk hjælp på Ærø (testdata)
gyldig_fra: 2027-01-01
frister:
  klagefrist_uger: 4
  kvittering: {vaerdi: 5, enhed: arbejdsdage}
  visitationsbesoeg: {vaerdi: 5, enhed: arbejdsdage}
  afgoerelse:
    personlig: {vaerdi: 10, enhed: arbejdsdage}
    praktisk: {vaerdi: 4, enhed: uger}
planlaegning:
  praktisk:
    ugedage: [tir, tor]
    uden_for_ugedage: flyt_til_naeste_hverdag
    helligdage: flyt_til_naeste_hverdag
    rytme_anker: foerste_hverdag
loefter:
  personlig:
    forsinkelsestolerance: {vaerdi: 1, enhed: timer}
    aflysningsvarsel: {vaerdi: 48, enhed: timer}
indsatser:
  - kode: AE-PERS-1
    navn: Personlig pleje om morgenen
    lovgrundlag: Serviceloven § 83, stk. 1, nr. 1
    kategori: personlig
    hyppighed: {antal: 1, periode: dag}
    minutter: 30
    kriterier:
      omraader: [{omraade: B1-3, min_niveau: 3}]
      minimum_opfyldt: 1
    erstatningsfrist: {vaerdi: 3, enhed: timer}
  - kode: AE-PRAK-1
    navn: Rengøring
    lovgrundlag: Serviceloven § 83, stk. 1, nr. 2
    kategori: praktisk
    hyppighed: {antal: 1, periode: uge}
    minutter: 45
    kriterier:
      omraader: [{omraade: B1-11, min_niveau: 2}]
      minimum_opfyldt: 1
"""

LEVERANDOER = "aeroe-omsorg-aps"
VIS = headers_for("visitator", "vis-karen")
ADMIN = headers_for("administrator", "admin-aeroe")
LEV = headers_for("leverandoer", "sosu-aase", leverandoer_id=LEVERANDOER)
TIL = headers_for("tilsyn", "tilsyn-bo")


@pytest.fixture
def aeroe(
    postgres: Postgres, broker: TansuBroker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[LocalStack]:
    katalog = tmp_path / "katalog" / "aeroe"
    katalog.mkdir(parents=True)
    (katalog / "kommune.yaml").write_text(KOMMUNE, encoding="utf-8")
    (katalog / "2027.yaml").write_text(STANDARD, encoding="utf-8")
    monkeypatch.setenv("BUM_KOMMUNE", "aeroe")
    monkeypatch.setenv("BUM_KATALOG_DIR", str(tmp_path / "katalog"))
    monkeypatch.setenv("BUM_FORSINKELSESKONTROL_INTERVAL_S", "1")
    s = LocalStack(
        bootstrap=broker.bootstrap,
        data_dir=tmp_path / "data",
        ports={name: free_port() for name in SERVICES},
        database_urls={name: postgres.new_database(f"aeroe_{name}") for name in SERVICES},
        clock=NU,
    )
    try:
        s.start(timeout=60)
        yield s
    finally:
        s.stop()


def ok(r: httpx.Response, status: int = 201) -> dict:  # type: ignore[type-arg]
    assert r.status_code == status, r.text
    return r.json()  # type: ignore[no-any-return]


def test_a_new_kommune_from_files_and_api_calls(aeroe: LocalStack) -> None:
    v, p, t = (aeroe.services[n].url for n in SERVICES)
    idag = IDAG.isoformat()

    # The kommune's register: its own providers, approved through the API.
    assert httpx.get(f"{v}/leverandoerer", headers=VIS).json() == []
    ok(
        httpx.post(
            f"{v}/leverandoerer",
            headers=ADMIN,
            json={
                "leverandoer_id": LEVERANDOER,
                "navn": "Ærø Omsorg ApS",
                "type": "privat",
                "cvr": "31415926",
                "godkendelser": [
                    {"kategori": "personlig", "fra": "2027-01-01"},
                    {"kategori": "praktisk", "fra": "2027-01-01"},
                ],
            },
        )
    )
    ok(
        httpx.post(
            f"{v}/leverandoerer",
            headers=ADMIN,
            json={
                "leverandoer_id": "aeroe-hjemmepleje",
                "navn": "Ærø Hjemmepleje",
                "type": "kommunal",
                "godkendelser": [{"kategori": "personlig", "fra": "2027-01-01"}],
            },
        )
    )
    # The standard is in the folder; the kommune adopts it through the API.
    standarder = httpx.get(f"{v}/kvalitetsstandarder", headers=VIS).json()
    assert [k["katalog_version"] for k in standarder] == ["aeroe-2027"]
    ok(
        httpx.post(
            f"{v}/kvalitetsstandarder/aeroe/2027/godkendelse",
            headers=ADMIN,
            json={"godkendt_dato": "2027-01-15"},
        )
    )

    sag = ok(
        httpx.post(
            f"{v}/sager",
            headers=VIS,
            json={
                "borger": {"cpr": "010140-1234", "navn": "Åse Ødegård"},
                "modtaget_dato": (IDAG - timedelta(days=7)).isoformat(),
                "kanal": "telefon",
                "henvendelse_fra": "borger",
                "anmodninger": [
                    {"beskrivelse": "Hjælp om morgenen", "kategori": "personlig"},
                    {"beskrivelse": "Rengøring", "kategori": "praktisk"},
                ],
            },
        )
    )
    sag_id = sag["sag_id"]
    a1, a2 = (a["anmodning_id"] for a in sag["anmodninger"])
    ok(
        httpx.post(
            f"{v}/sager/{sag_id}/funktionsvurderinger",
            headers=VIS,
            json={
                "vurderet_dato": (IDAG - timedelta(days=5)).isoformat(),
                "funktionsniveauer": [
                    {"omraade": "B1-3", "niveau": 3},
                    {"omraade": "B1-11", "niveau": 3},
                ],
            },
        )
    )
    ok(
        httpx.post(
            f"{v}/sager/{sag_id}/rehabiliteringsvurdering",
            headers=VIS,
            json={
                "vurderet_dato": (IDAG - timedelta(days=5)).isoformat(),
                "kan_forbedre_funktionsevne": False,
                "begrundelse": "Varigt nedsat funktionsevne.",
            },
        )
    )

    def bevilling(anmodning: str, kode: str, kategori: str, antal: int, periode: str) -> dict:  # type: ignore[type-arg]
        return {
            "anmodning_id": anmodning,
            "indsats_kode": kode,
            "indsats_navn": kode,
            "kategori": kategori,
            "hyppighed": {"antal": antal, "periode": periode},
            "minutter_pr_besoeg": 30,
            "leverandoer_id": LEVERANDOER,
            "startdato": idag,
            "slutdato": (IDAG + timedelta(days=27)).isoformat(),
        }

    truffet = IDAG - timedelta(days=3)  # Friday 29 January
    afgoerelse = ok(
        httpx.post(
            f"{v}/sager/{sag_id}/afgoerelse",
            headers=VIS,
            json={
                "truffet_dato": truffet.isoformat(),
                "udfald": [
                    {"anmodning_id": a1, "resultat": "bevilget"},
                    {"anmodning_id": a2, "resultat": "bevilget"},
                ],
                "bevillinger": [
                    bevilling(a1, "AE-PERS-1", "personlig", 1, "dag"),
                    bevilling(a2, "AE-PRAK-1", "praktisk", 1, "uge"),
                ],
            },
        )
    )
    assert afgoerelse["katalog_version"] == "aeroe-2027"
    # Its case deadlines are typed promises: 10 working days for the personal-care decision
    # from Monday 25 January is 8 February.
    frister = httpx.get(f"{v}/sager/{sag_id}/frister", headers=VIS).json()
    afgoerelsesfrister = {f["frist_id"]: f for f in frister}
    assert afgoerelsesfrister["afgoerelse:personlig"]["frist"] == "2027-02-08"
    assert afgoerelsesfrister["afgoerelse:praktisk"]["frist"] == "2027-02-22"

    # The provider learnt the new provider from the register and planned both orders.
    besoeg = eventually(
        lambda: httpx.get(f"{p}/leverandoerer/{LEVERANDOER}/besoeg", headers=LEV).json(),
        lambda vs: isinstance(vs, list) and len({b["bestilling_id"] for b in vs}) == 2,
    )
    praktisk = [b for b in besoeg if b["kategori"] == "praktisk"]
    personlig = sorted((b for b in besoeg if b["kategori"] == "personlig"), key=lambda b: b["dato"])
    assert praktisk and personlig
    # The standard plans practical help on Tuesdays and Thursdays only.
    assert {date.fromisoformat(b["dato"]).weekday() for b in praktisk} <= {1, 3}
    assert personlig[0]["dato"] == idag

    # Today's morning visit was not started by 13:00 (window end + 1 hour): the late-visit
    # check raises a replacement duty due three hours later, to the minute.
    def historik() -> list[dict]:  # type: ignore[type-arg]
        r = httpx.get(f"{t}/sager/{sag_id}/historik", headers=TIL)
        return r.json()["haendelser"] if r.status_code == 200 else []  # 404: not there yet

    forsinket = eventually(
        lambda: [h for h in historik() if h["haendelse"] == "BesoegForsinket"],
        lambda hs: len(hs) == 1,
        timeout=60,
    )[0]["data"]
    assert forsinket["besoeg_id"] == personlig[0]["besoeg_id"]
    assert forsinket["erstatning_skyldig"] is True
    seneste_start = datetime.fromisoformat(forsinket["seneste_start"])
    assert seneste_start == datetime(2027, 2, 1, 13, 0, tzinfo=KBH)
    frist = datetime.fromisoformat(forsinket["erstatning_frist_tidspunkt"])
    assert frist == datetime(2027, 2, 1, 16, 0, tzinfo=KBH)

    # A citizen's cancellation is judged in hours: Wednesday morning (~43 hours ahead) is
    # late against 48 hours' notice, Thursday morning (~67 hours) is in time.
    def aflys(b: dict) -> dict:  # type: ignore[type-arg]
        return ok(
            httpx.post(
                f"{p}/bestillinger/{b['bestilling_id']}/besoeg/{b['besoeg_id']}/aflysning",
                headers=LEV,
                json={
                    "aflyst_af": "borger",
                    "aarsag": "Hos tandlægen",
                    "aflyst_tidspunkt": NU.isoformat(),
                },
            )
        )

    dag = {b["dato"]: b for b in personlig}
    assert aflys(dag[(IDAG + timedelta(days=2)).isoformat()])["rettidig"] is False
    assert aflys(dag[(IDAG + timedelta(days=3)).isoformat()])["rettidig"] is True

    # The letter is signed by the kommune, and the klagefrist runs from the day the
    # decision reached the citizen (today, by Digital Post), not from the decision.
    r = ok(
        httpx.post(
            f"{v}/sager/{sag_id}/afgoerelser/1/meddelelse",
            headers=VIS,
            json={"meddelt_dato": idag, "kanal": "digital_post"},
        )
    )
    assert r["klagefrist"] == "2027-03-01" != (truffet + timedelta(weeks=4)).isoformat()
    brev = httpx.get(f"{v}/sager/{sag_id}/afgoerelser/1/brev.html", headers=VIS)
    assert brev.status_code == 200, brev.text
    for tekst in ("Ærø Kommune", "Statene 2", "5970 Ærøskøbing", "1. marts 2027"):
        assert tekst in brev.text, tekst
    assert "Herlev" not in brev.text
