"""Issue 17: the OpenAPI documents every answer with a named model (a portal generates its
client from it), and it only grows: nothing the published document promised disappears or
changes (tests/fixtures/openapi holds the document each service published before)."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from tests.openapi_svar import (
    SERVICES,
    breaks,
    openapi,
    snapshot,
    unnamed_answers,
)

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("name", SERVICES)
def test_every_json_answer_has_a_named_schema(name: str, tmp_path: Path) -> None:
    assert unnamed_answers(openapi(name, tmp_path)) == []


@pytest.mark.parametrize("name", SERVICES)
def test_the_openapi_only_grows(name: str, tmp_path: Path) -> None:
    assert breaks(snapshot(name), openapi(name, tmp_path)) == []


def test_the_check_sees_a_removed_parameter_and_a_changed_answer() -> None:
    old = snapshot("visitation")
    new = copy.deepcopy(old)
    op = new["paths"]["/sager/{sag_id}/frister"]["get"]
    op["parameters"] = [p for p in op["parameters"] if p["name"] != "dato"]
    new["components"]["schemas"]["FristUd"]["properties"]["frist"] = {"type": "integer"}
    body = new["components"]["schemas"]["KlageInd"]
    body["properties"]["ny_valgfri"] = {"type": "string"}  # an optional field: growth
    found = breaks(old, new)
    assert not [f for f in found if "klager" in f]
    body["required"] = [*body["required"], "ny_valgfri"]  # now required: a break
    found = breaks(old, new)
    assert "POST /sager/{sag_id}/klager: request body changed" in found
    assert "GET /sager/{sag_id}/frister: parameter dato gone" in found
    assert "GET /sager/{sag_id}/frister: answer 200 application/json schema changed" in found
