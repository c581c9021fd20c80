"""The access tables: the published matrix is current, every route is in its table, and
the read-only roles never write."""

from __future__ import annotations

import importlib
import os
import tempfile
from pathlib import Path

import pytest

from infra.docs.access_matrix import SERVICES, main, tables
from shared.infra.access import is_public
from shared.infra.settings import ServiceSettings


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
