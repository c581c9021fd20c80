"""TLS and SASL reach the clients by configuration alone (no broker or server needed to
check the options; a real TLS deployment is described in docker-compose.yml)."""

from __future__ import annotations

import os

import pytest

from shared.infra.eventstore import store_env
from shared.infra.kafka_clients import KafkaSecurity
from shared.infra.settings import ServiceSettings


def test_plaintext_by_default() -> None:
    assert KafkaSecurity().client_options() == {"security_protocol": "PLAINTEXT"}


def test_sasl_scram_over_tls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BUM_KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
    monkeypatch.setenv("BUM_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512")
    monkeypatch.setenv("BUM_KAFKA_SASL_USERNAME", "visitation")
    monkeypatch.setenv("BUM_KAFKA_SASL_PASSWORD", "s3cret")
    monkeypatch.setenv("BUM_KAFKA_SSL_CAFILE", "/etc/bum/ca.pem")
    security = KafkaSecurity()
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
        KafkaSecurity().client_options()


def test_postgres_tls_from_the_database_url(monkeypatch: pytest.MonkeyPatch) -> None:
    # setenv (not delenv) so monkeypatch restores the variables' absence afterwards: the
    # code under test writes os.environ, and a leaked PGSSLMODE=verify-full breaks every
    # later PostgreSQL connection in the session.
    for var in ("PGSSLMODE", "PGSSLROOTCERT"):
        monkeypatch.setenv(var, "")
    settings = ServiceSettings(
        store="postgres",
        database_url="postgresql://bum:pw@db:5432/bum_visitation"
        "?sslmode=verify-full&sslrootcert=/etc/bum/ca.pem",
    )
    env = store_env(settings, "visitation")
    assert env["POSTGRES_HOST"] == "db" and env["POSTGRES_PASSWORD"] == "pw"
    assert os.environ["PGSSLMODE"] == "verify-full"
    assert os.environ["PGSSLROOTCERT"] == "/etc/bum/ca.pem"
    bad = ServiceSettings(store="postgres", database_url="postgresql://db/x?options=-c")
    with pytest.raises(ValueError, match="unsupported"):
        store_env(bad, "visitation")
