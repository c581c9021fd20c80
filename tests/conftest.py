"""Real infrastructure for the tests: a private PostgreSQL cluster and a Tansu broker.

Nothing here is mocked. PostgreSQL comes from BUM_TEST_DATABASE_URL (a server URL whose
user may create databases) or from a throw-away cluster started in a temporary folder.
When either cannot be had the tests fail loudly; they never skip.
"""

from __future__ import annotations

import gc
import os
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import psycopg
import pytest

from infra.local.broker import TansuBroker
from infra.local.pg_cluster import PrivateCluster
from shared.infra import tid
from shared.infra.devtoken import dev_master_key, keygen
from shared.infra.settings import ServiceSettings
from tests.identity import keys_dir
from tests.ur import E2E_NU


@pytest.fixture(scope="session", autouse=True)
def test_identity_and_keys() -> Iterator[None]:
    """The session's signing key pair (tests/identity.py), trusted by every service the
    tests build (their settings read it) or start (LocalStack passes the environment on),
    and the personal-data key store every application in the tests uses. Set for the
    session before any test runs, and taken away after it (never at import)."""
    keys = keys_dir()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BUM_AUTH_JWKS_FILE", str(keygen(keys)))
        patch.setenv("BUM_KEYSTORE_MASTER_KEY", dev_master_key(keys))
        patch.setenv("BUM_KEYSTORE_DIR", str(keys / "keystore"))
        yield


class Postgres:
    """Creates a fresh database per request on whichever server we have."""

    def __init__(self, server_url: str, cluster: PrivateCluster | None) -> None:
        self.server_url = server_url
        self.cluster = cluster

    def new_database(self, prefix: str = "bum_test") -> str:
        name = f"{prefix}_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(self.server_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return urlunparse(urlparse(self.server_url)._replace(path=f"/{name}"))


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    given = os.environ.get("BUM_TEST_DATABASE_URL")
    if given:
        yield Postgres(given, None)
        return
    cluster = PrivateCluster().start()
    try:
        yield Postgres(cluster.url("postgres"), cluster)
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def broker() -> Iterator[TansuBroker]:
    """One broker for tests that do not restart it."""
    b = TansuBroker().start()
    try:
        yield b
    finally:
        b.stop()


@pytest.fixture
def own_broker() -> Iterator[TansuBroker]:
    """A broker this test alone uses, so it may kill and restart it."""
    b = TansuBroker().start()
    try:
        yield b
    finally:
        b.stop()


SettingsFactory = Callable[[str], ServiceSettings]


@pytest.fixture(params=["sqlite", "postgres"])
def store_settings(request: pytest.FixtureRequest, tmp_path: Path) -> SettingsFactory:
    """The same application tests run against both stores: settings per service name."""

    def make(service: str) -> ServiceSettings:
        if request.param == "sqlite":
            return ServiceSettings(store="sqlite", data_dir=tmp_path / "data")
        pg: Postgres = request.getfixturevalue("postgres")
        return ServiceSettings(store="postgres", database_url=pg.new_database(f"bum_{service}"))

    return make


@pytest.fixture
def ur() -> Iterator[datetime]:
    """The application clock of this test process set to `E2E_NU` (it runs on from there),
    for in-process tests whose applications stamp commands or default to "today"."""
    tid.set_offset(tid.offset_to(E2E_NU))
    try:
        yield E2E_NU
    finally:
        tid.set_offset(0)


@pytest.fixture(autouse=True)
def _release_dropped_applications(request: pytest.FixtureRequest) -> Iterator[None]:
    """Applications a test drops hold PostgreSQL pools until collected; collect them after
    each test that used the suite's shared server, so it does not run out of connections.
    Only those: a full collection costs ~0.1 s, most of a unit test's time, and more in a
    big test process, which over a thousand tests came to minutes."""
    yield
    # fixturenames includes fixtures fetched with getfixturevalue (store_settings does).
    if "postgres" in request.fixturenames:
        gc.collect()
