"""TLS and SASL reach the clients by configuration alone (no broker or server needed to
check the options; a real TLS deployment is described in docker-compose.yml)."""

from __future__ import annotations

import os

import pytest

from shared.infra.eventstore import store_env
from shared.infra.log_wakeup import conninfo_from_env
from shared.infra.settings import KafkaSettings, ServiceSettings


def test_plaintext_by_default() -> None:
    assert KafkaSettings().client_options() == {"security_protocol": "PLAINTEXT"}


def test_sasl_scram_over_tls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BUM_KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
    monkeypatch.setenv("BUM_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512")
    monkeypatch.setenv("BUM_KAFKA_SASL_USERNAME", "visitation")
    monkeypatch.setenv("BUM_KAFKA_SASL_PASSWORD", "s3cret")
    monkeypatch.setenv("BUM_KAFKA_SSL_CAFILE", "/etc/bum/ca.pem")
    security = ServiceSettings().kafka
    assert "s3cret" not in repr(security)  # a logged settings object shows no secret
    assert security.client_options() == {
        "security_protocol": "SASL_SSL",
        "sasl_mechanism": "SCRAM-SHA-512",
        "sasl_plain_username": "visitation",
        "sasl_plain_password": "s3cret",
        "ssl_cafile": "/etc/bum/ca.pem",
    }


def test_sasl_without_credentials_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BUM_KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
    with pytest.raises(ValueError, match="SASL needs"):
        ServiceSettings().kafka.client_options()


def test_postgres_tls_from_the_database_url(monkeypatch: pytest.MonkeyPatch) -> None:
    # The TLS parameters travel in the store's mapping, never through os.environ (which
    # would reach every later PostgreSQL connection of the process).
    for var in ("PGSSLMODE", "PGSSLROOTCERT"):
        monkeypatch.delenv(var, raising=False)
    settings = ServiceSettings(
        store="postgres",
        database_url="postgresql://bum:pw@db:5432/bum_visitation"
        "?sslmode=verify-full&sslrootcert=/etc/bum/ca.pem",
    )
    env = store_env(settings, "visitation")
    assert env["POSTGRES_HOST"] == "db" and env["POSTGRES_PASSWORD"] == "pw"
    assert env["PGSSLMODE"] == "verify-full"
    assert env["PGSSLROOTCERT"] == "/etc/bum/ca.pem"
    assert "PGSSLMODE" not in os.environ and "PGSSLROOTCERT" not in os.environ
    # The log listener's connection has them (the library's pool: test_library_hooks.py).
    assert "sslmode=verify-full" in conninfo_from_env(env)
    bad = ServiceSettings(store="postgres", database_url="postgresql://db/x?options=-c")
    with pytest.raises(ValueError, match="unsupported"):
        store_env(bad, "visitation")
