"""Kvalitetsstandard on both stores and over HTTP: approval, decisions, published rules."""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.visitation.adapters.public_events import to_public
from services.visitation.api.access import ACCESS
from services.visitation.api.frist_routes import build_frist_router
from services.visitation.api.katalog_routes import build_katalog_router
from services.visitation.api.rehab_routes import build_rehab_router
from services.visitation.api.routes import build_router
from services.visitation.application.frister import Frister
from services.visitation.application.visitation_app import VisitationApplication
from services.visitation.catalogue import loader
from shared.infra.access import secure_api
from shared.infra.eventstore import store_env
from shared.infra.public_events import public_events
from shared.kernel import DomainRuleViolation
from tests.conftest import SettingsFactory
from tests.identity import headers_for
from tests.scenario import VISITATOR

pytestmark = pytest.mark.integration
DAY = date(2026, 11, 2)
VIS = headers_for("visitator", "vis-anne")
ADMIN = headers_for("administrator", "adm-ole")


def published(app: VisitationApplication) -> list[Any]:
    notifications = app.process_recorder.select_notifications(start=1, limit=10_000)
    return public_events(app, "visitation", to_public, notifications, {})


@pytest.fixture
def app(store_settings: SettingsFactory) -> VisitationApplication:
    return VisitationApplication(env=store_env(store_settings("visitation"), "visitation"))


@pytest.fixture
def client(app: VisitationApplication) -> Iterator[TestClient]:
    api = secure_api("visitation", "test", "", access_table=ACCESS)
    api.include_router(build_router(app))
    api.include_router(build_katalog_router(app))
    api.include_router(build_rehab_router(app))
    api.include_router(build_frist_router(app, Frister(app)))
    with TestClient(api, raise_server_exceptions=False) as c:
        yield c


def ny_sag(client: TestClient, *kategorier: str, cpr: str = "010140-1234") -> tuple[str, list[str]]:
    r = client.post(
        "/sager",
        headers=VIS,
        json={
            "borger": {"cpr": cpr, "navn": "Jens Hansen"},
            "modtaget_dato": DAY.isoformat(),
            "kanal": "telefon",
            "henvendelse_fra": "borger",
            "anmodninger": [{"beskrivelse": k, "kategori": k} for k in kategorier or ("praktisk",)],
        },
    )
    assert r.status_code == 201, r.text
    return r.json()["sag_id"], [a["anmodning_id"] for a in r.json()["anmodninger"]]


def vurder(client: TestClient, sag_id: str, *niveauer: tuple[str, int], **extra: Any) -> None:
    r = client.post(
        f"/sager/{sag_id}/funktionsvurderinger",
        headers=VIS,
        json={
            "vurderet_dato": DAY.isoformat(),
            "funktionsniveauer": [{"omraade": o, "niveau": n} for o, n in niveauer],
            **extra,
        },
    )
    assert r.status_code == 201, r.text
    # § 83, stk. 3: the § 83 a consideration (here: no course could help) before § 83.
    r = client.post(
        f"/sager/{sag_id}/rehabiliteringsvurdering",
        headers=VIS,
        json={
            "vurderet_dato": DAY.isoformat(),
            "kan_forbedre_funktionsevne": False,
            "begrundelse": "Varigt nedsat funktionsevne.",
        },
    )
    assert r.status_code == 201, r.text


def bevilling(anmodning_id: str, kode: str = "2.1.1.2", **extra: Any) -> dict[str, Any]:
    return {
        "anmodning_id": anmodning_id,
        "indsats_kode": kode,
        "indsats_navn": "Rengøring",
        "kategori": "praktisk",
        "hyppighed": {"antal": 1, "periode": "anden_uge"},
        "minutter_pr_besoeg": 30,
        "leverandoer_id": "rent-hjem-as",
        "startdato": DAY.isoformat(),
        **extra,
    }


def afgoer(client: TestClient, sag_id: str, a: str, **b: Any) -> Any:
    return client.post(
        f"/sager/{sag_id}/afgoerelse",
        headers=VIS,
        json={
            "truffet_dato": DAY.isoformat(),
            "udfald": [{"anmodning_id": a, "resultat": "bevilget"}],
            "bevillinger": [bevilling(a, **b)],
        },
    )


def godkend(client: TestClient, kommune: str = "herlev", version: str = "2013") -> Any:
    return client.post(
        f"/kvalitetsstandarder/{kommune}/{version}/godkendelse",
        headers=ADMIN,
        json={"godkendt_dato": DAY.isoformat()},
    )


def test_approve_then_decide_records_version_and_rules(
    app: VisitationApplication, client: TestClient
) -> None:
    listed = client.get("/kvalitetsstandarder", headers=VIS).json()
    assert {k["katalog_version"]: k["godkendt"] for k in listed}["herlev-2013"] is False
    assert godkend(client).status_code == 201
    again = godkend(client)
    assert again.status_code == 422
    assert again.json()["regel"] == "kvalitetsstandard-allerede-godkendt"
    assert again.json()["dansk"] and again.json()["detail"]

    sag_id, (a,) = ny_sag(client)
    vurder(client, sag_id, ("B1-11", 2), ("B1-8", 2), mestringskapacitet="lav")
    forslag = client.get(f"/sager/{sag_id}/forslag?dato={DAY}", headers=VIS).json()
    assert forslag["katalog_version"] == "herlev-2013"
    assert "2.1.1.2" in {f["indsats_kode"] for f in forslag["forslag"]}
    # The standard's serviceniveau comes with the proposal ("hver 14 dag med min. 30 min.").
    rengoering = next(f for f in forslag["forslag"] if f["indsats_kode"] == "2.1.1.2")
    assert rengoering["standard_hyppighed"] == {"antal": 1, "periode": "anden_uge"}
    assert rengoering["standard_minutter"] == 30

    r = afgoer(client, sag_id, a)
    assert r.status_code == 201, r.text
    assert r.json()["katalog_version"] == "herlev-2013"

    reloaded = VisitationApplication(env=app.env).hent_sag(uuid.UUID(sag_id))
    assert reloaded.afgoerelser[0].katalog_version == "herlev-2013"
    event = next(e for e in published(app) if e.event_type == "AfgoerelseTruffet")
    regler = event.data["bevillinger"][0]["leveringsregler"]
    assert regler["katalog_version"] == "herlev-2013"
    assert regler["iverksaettelsesfrist_dage"] == 14 and regler["erstatningsfrist_dage"] == 8
    assert client.get("/kvalitetsstandarder/herlev-2013", headers=VIS).json()["version"] == "2013"


def test_outside_criteria_refused_then_granted_with_reason(client: TestClient) -> None:
    godkend(client)
    sag_id, (a,) = ny_sag(client)
    vurder(client, sag_id, ("B1-11", 1))
    r = afgoer(client, sag_id, a)
    assert r.status_code == 422 and r.json()["regel"] == "bevilling-uden-for-kriterier"
    assert r.headers["content-type"] == "application/problem+json"
    r = afgoer(client, sag_id, a, individuel_begrundelse="Lægedokumenteret støvallergi")
    assert r.status_code == 201, r.text


def test_second_kommune_loads_without_code(app: VisitationApplication) -> None:
    standard = app.godkend_kvalitetsstandard("soroe", "2024", DAY, VISITATOR)
    assert app.godkendte_versioner("soroe") == {"soroe-2024": standard.gyldig_fra}
    assert app.kvalitetsstandard("soroe-2024") == standard
    with pytest.raises(DomainRuleViolation):
        app.godkend_kvalitetsstandard("soroe", "2024", DAY, VISITATOR)


def test_unknown_or_invalid_file(client: TestClient) -> None:
    assert godkend(client, "ingen", "1").status_code == 404
    assert client.get("/kvalitetsstandarder/herlev-2013", headers=VIS).status_code == 404


@pytest.fixture
def catalogue_dir(tmp_path: Path) -> Path:
    """A copy of the shipped catalogue with one broken file beside the good ones."""
    shutil.copytree(loader.DATA_DIR, tmp_path / "data")
    bad = tmp_path / "data" / "herlev" / "2099.yaml"
    text = (loader.DATA_DIR / "herlev" / "2013.yaml").read_text(encoding="utf-8")
    text = text.replace('version: "2013"', 'version: "2099"').replace("minutter: 30", "minutter: 0")
    bad.write_text(text + "ukendt_felt: 1\n", encoding="utf-8")
    (tmp_path / "data" / "herlev" / "ikke-yaml.yaml").write_text("a: [1\n", encoding="utf-8")
    return tmp_path / "data"


@pytest.fixture
def client_bad(store_settings: SettingsFactory, catalogue_dir: Path) -> Iterator[TestClient]:
    settings = store_settings("visitation").model_copy(update={"katalog_dir": catalogue_dir})
    app = VisitationApplication(env=store_env(settings, "visitation"), settings=settings)
    api = secure_api("visitation", "test", "", access_table=ACCESS)
    api.include_router(build_katalog_router(app))
    with TestClient(api, raise_server_exceptions=False) as c:
        yield c


def test_an_invalid_file_is_listed_as_invalid_and_never_breaks_the_others(
    client_bad: TestClient,
) -> None:
    r = client_bad.get("/kvalitetsstandarder", headers=VIS)
    assert r.status_code == 200, r.text
    by_id = {k["katalog_version"]: k for k in r.json()}
    assert by_id["herlev-2013"]["gyldig"] is True
    assert by_id["soroe-2024"]["gyldig"] is True
    bad = by_id["herlev-2099"]
    assert bad["gyldig"] is False and bad["titel"] is None
    paths = {tuple(f["loc"]) for f in bad["fejl"]}
    assert ("indsatser", 1, "minutter") in paths
    assert ("ukendt_felt",) in paths  # unknown keys are refused, not ignored
    not_yaml = by_id["herlev-ikke-yaml"]
    assert not_yaml["gyldig"] is False and not_yaml["fejl"][0]["loc"] == []


def test_approving_an_invalid_file_answers_422_with_the_fields_path(
    client_bad: TestClient,
) -> None:
    r = godkend(client_bad, "herlev", "2099")
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["regel"] == "kvalitetsstandard-ugyldig"
    assert ["indsatser", 1, "minutter"] in [f["loc"] for f in body["fejl"]]
    # the good file next to it is still approved
    assert godkend(client_bad, "herlev", "2013").status_code == 201


def test_the_schema_is_published_and_an_upload_is_validated(client: TestClient) -> None:
    r = client.get("/kvalitetsstandarder/schema", headers=VIS)
    assert r.status_code == 200
    assert r.json() == json.loads(loader.SCHEMA_FILE.read_text(encoding="utf-8"))
    assert r.json()["additionalProperties"] is False
    good = loader.load("herlev", "2013").model_dump(mode="json")
    r = client.post("/kvalitetsstandarder/validering", headers=ADMIN, json=good)
    assert r.status_code == 200, r.text
    assert r.json() == {"gyldig": True, "katalog_version": "herlev-2013"}
    good["indsatser"][1]["minutter"] = 0
    r = client.post("/kvalitetsstandarder/validering", headers=ADMIN, json=good)
    assert r.status_code == 422
    assert ["body", "indsatser", 1, "minutter"] in [e["loc"] for e in r.json()["errors"]]


def test_herlevs_visit_promise_is_a_deadline_on_the_work_list(
    client: TestClient, app: VisitationApplication
) -> None:
    assert godkend(client).status_code == 201
    sag_id, _ = ny_sag(client)  # received Monday 2 November 2026
    frister = client.get(f"/sager/{sag_id}/frister", headers=VIS).json()
    (besoeg,) = [f for f in frister if f["fristtype"] == "visitationsbesoeg"]
    assert besoeg["frist"] == "2026-11-16"  # 10 working days
    liste = client.get("/arbejdsliste?dato=2026-11-10", headers=VIS).json()
    assert any(o.get("frist_id") == "visitationsbesoeg" for o in liste)
    r = client.post("/frister/kontrol", headers=VIS, json={"dato": "2026-11-17"})
    assert {o["frist_id"] for o in r.json()} >= {"visitationsbesoeg", "kvittering"}
    # Recorded on the case; not published: FristOverskredet v1 cannot name the type.
    udgivet = [e.data["fristtype"] for e in published(app) if e.event_type == "FristOverskredet"]
    assert udgivet == ["kvittering"]


def test_the_kommunes_schedule_says_from_when_a_version_is_in_force(
    store_settings: SettingsFactory, catalogue_dir: Path
) -> None:
    fil = catalogue_dir / "herlev" / "kommune.yaml"
    fil.write_text(
        fil.read_text(encoding="utf-8").replace("fra: 2013-01-01", "fra: 2014-03-01"),
        encoding="utf-8",
    )
    settings = store_settings("visitation").model_copy(update={"katalog_dir": catalogue_dir})
    app = VisitationApplication(env=store_env(settings, "visitation"), settings=settings)
    app.godkend_kvalitetsstandard("herlev", "2013", DAY, VISITATOR)
    assert app.godkendte_versioner("herlev") == {"herlev-2013": date(2014, 3, 1)}
    assert app.gaeldende_kvalitetsstandard(date(2014, 2, 28)) is None
    assert app.gaeldende_kvalitetsstandard(date(2014, 3, 1)) is not None


def test_a_bad_planning_rule_is_a_422_with_its_path(client: TestClient) -> None:
    standard = loader.load("herlev", "2013").model_dump(mode="json")
    assert standard["planlaegning"]["praktisk"]["ugedage"] == ["man", "tir", "ons", "tor", "fre"]
    standard["planlaegning"]["praktisk"]["ugedage"] = ["man", "soendag"]
    standard["indsatser"][1]["planlaegning"] = {"weekend": "udelad"}
    r = client.post("/kvalitetsstandarder/validering", headers=ADMIN, json=standard)
    assert r.status_code == 422
    fejl = [e["loc"] for e in r.json()["errors"]]
    assert ["body", "planlaegning", "praktisk", "ugedage", 1] in fejl
    assert ["body", "indsatser", 1, "planlaegning", "weekend"] in fejl
