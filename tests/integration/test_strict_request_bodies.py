"""Hostile input: every object a request body may carry, at any depth, refuses unknown
fields (OpenAPI `additionalProperties: false`, pydantic `extra="forbid"`). A typo or an
injected field ("aktoer", "rolle") must be a 422, never silently dropped. Walks each
service's published OpenAPI document; the services are built in-process on SQLite."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from shared.infra.settings import ServiceSettings
from tests.identity import headers_for

pytestmark = pytest.mark.integration


def _openapi(name: str, tmp_path: Path) -> dict[str, Any]:
    wiring = importlib.import_module(f"services.{name}.wiring")
    api = wiring.build(ServiceSettings(data_dir=tmp_path / name)).api
    document: dict[str, Any] = TestClient(api).get("/openapi.json").json()
    return document


def _loose_objects(
    schema: dict[str, Any], components: dict[str, Any], where: str, seen: set[str]
) -> list[str]:
    """Every object schema reachable from `schema` that does not refuse unknown fields."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return []
        seen.add(name)
        return _loose_objects(components[name], components, name, seen)
    loose: list[str] = []
    if schema.get("type") == "object" or "properties" in schema:
        extra = schema.get("additionalProperties")
        # A free-form map (additionalProperties: {schema}) is explicit; `true` or missing
        # means unknown fields are accepted.
        if extra is None or extra is True:
            loose.append(where)
        elif isinstance(extra, dict):
            loose += _loose_objects(extra, components, f"{where}[*]", seen)
    for key, sub in schema.get("properties", {}).items():
        loose += _loose_objects(sub, components, f"{where}.{key}", seen)
    for key in ("items", "not"):
        if isinstance(schema.get(key), dict):
            loose += _loose_objects(schema[key], components, f"{where}[]", seen)
    for key in ("anyOf", "oneOf", "allOf"):
        for sub in schema.get(key, []):
            loose += _loose_objects(sub, components, where, seen)
    return loose


@pytest.mark.parametrize("name", ["visitation", "provider", "supervision"])
def test_every_request_body_refuses_unknown_fields(name: str, tmp_path: Path) -> None:
    document = _openapi(name, tmp_path)
    components = document.get("components", {}).get("schemas", {})
    bodies = 0
    loose: list[str] = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            for media, body in content.items():
                bodies += 1
                where = f"{method.upper()} {path} ({media})"
                for found in _loose_objects(body["schema"], components, where, set()):
                    loose.append(f"{where}: {found}")
    assert bodies > 3, "no request bodies found: is the OpenAPI document empty?"
    assert not loose, "request body objects that accept unknown fields:\n" + "\n".join(loose)


def test_an_unknown_field_is_refused_with_a_problem(tmp_path: Path) -> None:
    """What the schema promises holds at run time: an extra field gives a 422."""
    wiring = importlib.import_module("services.visitation.wiring")
    api = wiring.build(ServiceSettings(data_dir=tmp_path / "visitation")).api
    body = {
        "borger": {"cpr": "010140-1234", "navn": "Jens Hansen", "rolle": "administrator"},
        "modtaget_dato": "2026-11-02",
        "kanal": "telefon",
        "henvendelse_fra": "borger",
        "anmodninger": [{"beskrivelse": "Hjælp til bad", "kategori": "personlig"}],
    }
    with TestClient(api) as client:
        r = client.post("/sager", json=body, headers=headers_for("visitator", "vis-anne"))
    assert r.status_code == 422, r.text
    assert "rolle" in r.text
