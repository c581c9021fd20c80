"""schemathesis against every service's OpenAPI: generated requests, each with a token of a
role the access table allows for that operation, must never get a 5xx, and every answer
must match the documented status codes, content types and schemas (problem responses
included). The services run in-process on SQLite; nothing is mocked."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks

from shared.infra.access import AccessTable
from shared.infra.settings import ServiceSettings
from tests.identity import headers_as

pytestmark = pytest.mark.integration
LEVERANDOER = "omsorg-plus-aps"
BORGER = str(uuid.uuid4())


def _build(name: str, tmp_path: Any) -> tuple[Any, AccessTable]:
    import importlib

    wiring = importlib.import_module(f"services.{name}.wiring")
    access = importlib.import_module(f"services.{name}.api.access")
    built = wiring.build(ServiceSettings(data_dir=tmp_path / name))
    return built.api, access.ACCESS


def headers_for_operation(table: AccessTable, method: str, path: str) -> dict[str, str]:
    allowed = sorted(table.get((method.upper(), path), frozenset()))
    rolle = allowed[0] if allowed else "administrator"  # public or closed: any valid token
    return headers_as(rolle, leverandoer_id=LEVERANDOER, borger_id=BORGER)


CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


@pytest.mark.parametrize("name", ["visitation", "provider", "supervision"])
def test_no_server_errors_and_no_schema_violations(name: str, tmp_path: Any) -> None:
    api, table = _build(name, tmp_path)
    schema = schemathesis.openapi.from_asgi("/openapi.json", api)
    failures: list[str] = []
    operations = 0
    statuses: dict[int, int] = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
        def run(case: Any) -> None:
            response = case.call_and_validate(
                headers=headers_for_operation(table, case.method, case.path), checks=CHECKS
            )
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

        try:
            run()
        except Exception as failure:  # collect every operation's failure, then report all
            failures.append(f"{operation.method.upper()} {operation.path}: {failure}"[:1500])
    assert operations > 5
    assert not failures, "\n\n".join(failures)
    # The token was accepted and real work was done, not only 401/403 answers.
    assert sum(n for code, n in statuses.items() if code < 300) > operations, statuses
