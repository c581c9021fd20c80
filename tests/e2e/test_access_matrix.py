"""The whole endpoint × role matrix walked against the three running services: no token is
401 everywhere but the public documents, every role the table does not list for an
endpoint gets no 2xx from it, and a token of any role whose claims name two tenants is 401
on every endpoint, listed or not."""

from __future__ import annotations

import re
import uuid

import httpx
import pytest

from infra.docs.access_matrix import tables
from infra.local.stack import SERVICES, LocalStack
from shared.infra.access import is_public
from shared.infra.auth import ROLLER
from tests.e2e.test_bum_flow import stack  # noqa: F401  (the running services)
from tests.identity import conflicting_headers, headers_as

pytestmark = [pytest.mark.e2e, pytest.mark.integration]

LEVERANDOER = "omsorg-plus-aps"
EXAMPLES = {"maaned": "2026-11", "kommune": "herlev", "version": "2013"}


def concrete(path: str) -> str:
    """A request path for a template: ids are fresh UUIDs, other parameters plausible."""
    return re.sub(r"\{(\w+)\}", lambda m: EXAMPLES.get(m.group(1), str(uuid.uuid4())), path)


def test_every_role_outside_the_table_is_refused(stack: LocalStack) -> None:  # noqa: F811
    unexpected: list[str] = []
    checked = conflicting = 0
    with httpx.Client(timeout=30) as client:
        for service in SERVICES:
            base = stack.services[service].url
            table = tables()[service]
            spec = client.get(f"{base}/openapi.json").json()
            for path, operations in spec["paths"].items():
                for method in operations:
                    url = base + concrete(path)
                    anonymous = client.request(method, url, json={})
                    if is_public(path):
                        continue
                    if anonymous.status_code != 401:
                        unexpected.append(f"{service} {method} {path} without token")
                    allowed = table.get((method.upper(), path), frozenset())
                    for rolle in ROLLER:
                        tenants = {"leverandoer_id": LEVERANDOER, "borger_id": str(uuid.uuid4())}
                        r = client.request(
                            method, url, json={}, headers=conflicting_headers(rolle, **tenants)
                        )
                        conflicting += 1
                        if r.status_code != 401 or not r.headers["content-type"].startswith(
                            "application/problem+json"
                        ):
                            unexpected.append(
                                f"{service} {method} {path} as {rolle} with conflicting "
                                f"claims: {r.status_code}"
                            )
                        if rolle in allowed:
                            continue
                        r = client.request(
                            method, url, json={}, headers=headers_as(rolle, **tenants)
                        )
                        checked += 1
                        if r.is_success or r.status_code not in (403, 404):
                            unexpected.append(
                                f"{service} {method} {path} as {rolle}: {r.status_code}"
                            )
    assert checked > 100
    assert conflicting > 100
    assert not unexpected, "\n".join(unexpected)
