"""Issue 14, bounded input: every date, time and month the three APIs accept lies in one
window (`shared.kernel.tidsramme`), documented in each OpenAPI document, and the hostile
values that gave a 500 or a poisoned event store on main are 422 problems. The services
are built in-process on SQLite; the requests are refused before any case is looked up."""

from __future__ import annotations

import importlib
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from shared.infra.api import PROBLEM
from shared.infra.settings import ServiceSettings
from tests.identity import headers_for

pytestmark = pytest.mark.integration
ID = uuid.UUID(int=1)
SIDSTE = "9999-12-31T23:59:59-12:00"
FOERSTE = "0001-01-01T00:00+14:00"
VIS = headers_for("visitator", "vis-anne")
LEV = headers_for("leverandoer", "sosu-maria", leverandoer_id="omsorg-plus-aps")
TILSYN = headers_for("tilsyn", "tilsyn-tove")


@pytest.fixture(scope="module")
def clients(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, TestClient]]:
    """The three services' apps without their lifespan: no relay, consumer or broker."""
    tmp = tmp_path_factory.mktemp("dato")
    out = {}
    for name in ("visitation", "provider", "supervision"):
        wiring = importlib.import_module(f"services.{name}.wiring")
        out[name] = TestClient(wiring.build(ServiceSettings(data_dir=tmp / name)).api)
    yield out


def _ref(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _datoer(
    schema: dict[str, Any], components: dict[str, Any], where: str, seen: set[str]
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every string schema with format date or date-time reachable from `schema`."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return
        seen.add(name)
    schema = _ref(schema, components)
    if schema.get("format") in ("date", "date-time"):
        yield where, schema
    for key, sub in schema.get("properties", {}).items():
        yield from _datoer(sub, components, f"{where}.{key}", seen)
    if isinstance(schema.get("items"), dict):
        yield from _datoer(schema["items"], components, f"{where}[]", seen)
    for key in ("anyOf", "oneOf", "allOf"):
        for sub in schema.get(key, []):
            yield from _datoer(sub, components, where, seen)


@pytest.mark.parametrize("name", ["visitation", "provider", "supervision"])
def test_every_accepted_date_and_time_is_bounded_in_the_openapi(
    name: str, clients: dict[str, TestClient]
) -> None:
    document = clients[name].get("/openapi.json").json()
    components = document.get("components", {}).get("schemas", {})
    found: list[str] = []
    unbounded: list[str] = []
    for path, operations in document["paths"].items():
        for method, op in operations.items():
            inputs = [
                (f"{p['in']} {p['name']}", p["schema"], p.get("description", ""))
                for p in op.get("parameters", [])
            ] + [
                ("body", body["schema"], "")
                for body in op.get("requestBody", {}).get("content", {}).values()
            ]
            for label, schema, description in inputs:
                where = f"{method.upper()} {path} {label}"
                for at, s in _datoer(schema, components, where, set()):
                    found.append(at)
                    if not ("formatMinimum" in s and "formatMaximum" in s):
                        unbounded.append(at)
                # Strings parsed as dates or months by the route: the window is documented.
                if label.split()[-1] in ("as_of", "fra", "til", "maaned") and "format" not in (
                    _ref(schema, components)
                ):
                    text = description + str(_ref(schema, components))
                    if "2199" not in text and "2[01]" not in text:
                        unbounded.append(where)
    assert found, "no dates found: is the OpenAPI document empty?"
    assert not unbounded, "dates, times or months without the window:\n" + "\n".join(unbounded)


HOSTILE: list[tuple[str, str, str, dict[str, str], dict[str, Any] | None]] = [
    (
        "visitation",
        "POST",
        "/sager",
        VIS,
        {
            "borger": {"cpr": "010140-1234", "navn": "Jens Hansen"},
            "modtaget_dato": "9999-12-31",
            "kanal": "telefon",
            "henvendelse_fra": "borger",
            "anmodninger": [{"beskrivelse": "Rengøring", "kategori": "praktisk"}],
        },
    ),
    (
        "visitation",
        "POST",
        f"/sager/{ID}/afgoerelse",
        VIS,
        {
            "truffet_dato": "2026-11-02",
            "udfald": [{"anmodning_id": str(ID), "resultat": "bevilget"}],
            "bevillinger": [
                {
                    "anmodning_id": str(ID),
                    "indsats_kode": "H1.3",
                    "indsats_navn": "Bad",
                    "kategori": "personlig",
                    "hyppighed": {"antal": 2, "periode": "uge"},
                    "minutter_pr_besoeg": 30,
                    "leverandoer_id": "omsorg-plus-aps",
                    "startdato": "9999-12-20",
                }
            ],
        },
    ),
    ("visitation", "GET", "/arbejdsliste?dato=9999-12-31", VIS, None),
    ("visitation", "POST", "/frister/kontrol", VIS, {"dato": "0001-01-01"}),
    ("supervision", "GET", f"/sager/{ID}/historik?as_of=9999-12-31", TILSYN, None),
    ("supervision", "GET", f"/aktindsigt/{ID}/svar?as_of=9999-12-31", TILSYN, None),
    ("supervision", "GET", f"/sager/{ID}/historik?as_of={SIDSTE}", TILSYN, None),
    (
        "provider",
        "POST",
        f"/bestillinger/{ID}/besoeg/{ID}/levering",
        LEV,
        {"leveret_tidspunkt": SIDSTE, "faktiske_minutter": 25, "medarbejder_id": "sosu-maria"},
    ),
    (
        "provider",
        "POST",
        f"/bestillinger/{ID}/besoeg/{ID}/levering",
        LEV,
        {"leveret_tidspunkt": FOERSTE, "faktiske_minutter": 25, "medarbejder_id": "sosu-maria"},
    ),
    (
        "provider",
        "POST",
        f"/bestillinger/{ID}/besoeg/{ID}/aflysning",
        LEV,
        {"aflyst_af": "borger", "aarsag": "Hos lægen", "aflyst_tidspunkt": SIDSTE},
    ),
    (
        "provider",
        "POST",
        f"/bestillinger/{ID}/besoeg/{ID}/aflysning",
        LEV,
        {"aflyst_af": "borger", "aarsag": "Hos lægen", "aflyst_tidspunkt": FOERSTE},
    ),
    ("provider", "GET", "/leverandoerer/omsorg-plus-aps/afregning.csv?maaned=9999-12", LEV, None),
    ("provider", "GET", "/leverandoerer/omsorg-plus-aps/afregning?maaned=0001-01", LEV, None),
]


@pytest.mark.parametrize(
    ("service", "method", "url", "headers", "body"),
    HOSTILE,
    ids=[f"{s}-{m}-{u.split('?')[0]}-{i}" for i, (s, m, u, _, _) in enumerate(HOSTILE)],
)
def test_a_date_outside_the_window_is_a_422_problem(
    clients: dict[str, TestClient],
    service: str,
    method: str,
    url: str,
    headers: dict[str, str],
    body: dict[str, Any] | None,
) -> None:
    r = clients[service].request(method, url, headers=headers, json=body)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == PROBLEM
    assert r.json()["status"] == 422
