"""The access tables: the published matrix is current, every route is in its table, the
read-only roles never write, and a token of any role whose claims name two tenants is
refused on every route before any of them runs."""

from __future__ import annotations

import importlib
import os
import re
import tempfile
import uuid
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from infra.docs.access_matrix import SERVICES, main, tables
from shared.infra.access import is_public
from shared.infra.auth import ROLLER
from shared.infra.settings import ServiceSettings
from tests.identity import conflicting_headers


def test_published_matrix_is_current() -> None:
    assert main(["--check"]) == 0


def test_revisor_and_borger_reads_are_reads_and_revisor_never_writes() -> None:
    for service, table in tables().items():
        for (method, path), allowed in table.items():
            if "revisor" in allowed:
                assert method == "GET", f"{service}: revisor may {method} {path}"


@pytest.mark.parametrize("service", SERVICES)
def test_every_route_is_decided(service: str) -> None:
    """A route missing from the table is closed to everyone; this says which, so a new
    endpoint is a decision rather than an accident."""
    assert os.environ["BUM_AUTH_JWKS_FILE"]
    wiring = importlib.import_module(f"services.{service}.wiring")
    api = wiring.build(ServiceSettings(data_dir=Path(tempfile.mkdtemp()))).api
    table = tables()[service]
    routes = {
        (method.upper(), path)
        for path, ops in api.openapi()["paths"].items()
        for method in ops
        if not is_public(path)
    }
    assert routes - set(table) == set(), "routes without an access decision"
    assert set(table) - routes == set(), "table entries without a route"


@pytest.mark.parametrize("service", SERVICES)
def test_every_role_with_conflicting_claims_is_refused_on_every_route(service: str) -> None:
    """The in-process half of tests/e2e/test_access_matrix.py: every role, listed for the
    route or not, gets a 401 problem for a token whose claims disagree."""
    wiring = importlib.import_module(f"services.{service}.wiring")
    api = wiring.build(ServiceSettings(data_dir=Path(tempfile.mkdtemp()))).api
    client = TestClient(api, raise_server_exceptions=False)
    tokens = {
        rolle: conflicting_headers(
            rolle, leverandoer_id="omsorg-plus-aps", borger_id=str(uuid.uuid4())
        )
        for rolle in ROLLER
    }
    wrong = []
    for method, path in tables()[service]:
        url = re.sub(r"\{\w+\}", lambda _: str(uuid.uuid4()), path)
        for rolle, headers in tokens.items():
            r = client.request(method, url, headers=headers, json={})
            if r.status_code != 401 or r.headers["content-type"] != "application/problem+json":
                wrong.append(f"{method} {path} as {rolle}: {r.status_code}")
    assert not wrong, "\n".join(wrong)
