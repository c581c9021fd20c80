"""The one settings tree of a service, read from the environment (prefix BUM_) once at start.

`ServiceSettings()` is built once, in `shared/infra/runner.main` (a CLI tool builds its own
once in its `main`), and passed down: the wiring hands each piece the part it needs (the
store's, the broker's, the key store's, ...). Nothing else in `shared/` or `services/` reads
the environment (tests/unit/test_settings.py greps for it).

The nested models are the concerns; their variables keep the flat names the READMEs,
docker-compose.yml and the deployments use: `BUM_AUTH_JWKS_FILE` is `auth.jwks_file`,
`BUM_KAFKA_SASL_MECHANISM` is `kafka.sasl_mechanism` (the first `_` after the concern's
name is the nesting, `env_nested_max_split=1`). The service's own fields stay at the top
(`BUM_STORE`, `BUM_DATA_DIR`, `BUM_KAFKA_BOOTSTRAP`, ...), as every caller spells them.

Built without arguments, a nested model is its defaults, never the environment: library code
given no settings gets the defaults, and only the root reads variables.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import AliasChoices, BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class KafkaSettings(BaseModel):
    """How to reach a secured broker (BUM_KAFKA_...): TLS, and SASL/SCRAM or PLAIN
    credentials. Secrets come only from the environment, never from files in the
    repository, and are never logged. And the group consumers' broker waits."""

    security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = "PLAINTEXT"
    sasl_mechanism: Literal["SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN"] | None = None
    sasl_username: str | None = None
    sasl_password: SecretStr | None = None
    ssl_cafile: str | None = None
    ssl_certfile: str | None = None
    ssl_keyfile: str | None = None
    #: A group consumer's broker wait while records flow (a consumer whose lag matters
    #: little passes a longer one); see kafka_clients.AdaptiveWaitConsumer.
    fetch_max_wait_ms: int = Field(default=20, ge=0)
    #: Its wait once no record came for `idle_after_ms` (bench/idle.py measures the cost).
    idle_fetch_max_wait_ms: int = Field(default=250, ge=0)
    idle_after_ms: int = Field(default=2000, ge=0)

    def client_options(self) -> dict[str, Any]:
        options: dict[str, Any] = {"security_protocol": self.security_protocol}
        if self.security_protocol.startswith("SASL"):
            if not (self.sasl_mechanism and self.sasl_username and self.sasl_password):
                raise ValueError("SASL needs BUM_KAFKA_SASL_MECHANISM, _USERNAME and _PASSWORD")
            options.update(
                sasl_mechanism=self.sasl_mechanism,
                sasl_plain_username=self.sasl_username,
                sasl_plain_password=self.sasl_password.get_secret_value(),
            )
        if self.security_protocol in ("SSL", "SASL_SSL"):
            options.update(
                {
                    k: v
                    for k, v in {
                        "ssl_cafile": self.ssl_cafile,
                        "ssl_certfile": self.ssl_certfile,
                        "ssl_keyfile": self.ssl_keyfile,
                    }.items()
                    if v
                }
            )
        return options


class AuthSettings(BaseModel):
    """Bearer tokens (BUM_AUTH_...): issuer, audience, and the keys as a JWKS URL or file."""

    issuer: str = "urn:bum:dev-idp"
    audience: str = "urn:bum:api"
    jwks_url: str | None = None
    jwks_file: Path | None = None
    leeway_seconds: int = Field(default=30, ge=0, le=300)


class KeyStoreSettings(BaseModel):
    """The personal-data key store the services share (BUM_KEYSTORE_...)."""

    #: postgresql://... for a deployment; None: a SQLite file `keystore.sqlite` in `dir`.
    url: str | None = None
    dir: Path = Path("data") / "keys"
    master_key: SecretStr | None = None
    #: How long a process keeps a key in memory. The services share one key store, so an
    #: erasure by one reaches the others' caches within this many seconds.
    cache_seconds: float = 5.0


class ReadinessSettings(BaseModel):
    """The readiness probe (BUM_READY_...)."""

    #: Messages a consumer group may trail its topics by (all partitions) and still be ready.
    max_lag: int = Field(default=1000, ge=0)
    #: How long a broker or store check may take before it counts as unreachable.
    timeout_ms: int = Field(default=2000, ge=100)
    #: A check is reused this long, so a burst of probes costs one round of queries.
    cache_seconds: float = Field(default=1.0, ge=0)


class IdempotensSettings(BaseModel):
    """Idempotency-Key records (BUM_IDEMPOTENS_...)."""

    #: Hours a key is kept (BUM_IDEMPOTENS_TIMER). A phone retries within minutes; a shift
    #: sync takes items up to 48 hours old (provider regler.SYNK_GRAENSE), and a key
    #: outlives that, so an item re-sent while it is still accepted is a replay.
    timer: float = Field(default=72, gt=0)


class OpbevaringSettings(BaseModel):
    """Retention of personal data (BUM_OPBEVARING_...)."""

    #: Years the municipality keeps an ended case before the archive has it
    #: (BUM_OPBEVARING_AAR; 5, the usual retention for social case files).
    aar: int = Field(default=5, ge=0)


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="BUM_",
        extra="ignore",
        env_nested_delimiter="_",
        env_nested_max_split=1,
    )

    # -- the process -------------------------------------------------------------------
    host: str = "127.0.0.1"
    port: int = 0  # 0 = the service's own default port
    log_level: str = "info"
    #: Seconds the application clock (shared/infra/tid.py) is moved from the host's: zero in
    #: production; a training stack or an end-to-end test sets it to work on a chosen day.
    clock_offset_seconds: float = 0.0
    #: Seconds between the daily checks a service runs by itself (deadlines, grant clocks;
    #: shared/infra/periodisk.py); 0 = off. The REST endpoints check an explicit day.
    fristkontrol_interval_s: float = Field(default=3600, ge=0)

    # -- the event store -----------------------------------------------------------------
    store: Literal["sqlite", "postgres"] = "sqlite"
    data_dir: Path = Path("data")
    database_url: str | None = Field(
        default=None, description="postgresql://user:password@host:port/dbname"
    )
    #: Longest a request waits for a database connection before it answers 503. Without
    #: it the library waits 30 s, so a database that is down makes every request hang.
    db_timeout_seconds: int = Field(default=3, ge=1)
    #: Aggregates each writer (the commands, each consumer) keeps in memory instead of
    #: replaying them (shared/infra/aggregate_cache.py); 0 turns the cache off.
    aggregate_cache_size: int = Field(default=500, ge=0)
    #: Commands share transactions (shared/infra/group_commit.py); off only to measure.
    group_commit: bool = True

    # -- the broker, the relay and the consumers -------------------------------------------
    kafka_bootstrap: str = "127.0.0.1:19092"
    kafka: KafkaSettings = KafkaSettings()
    #: Relays wake on their own process's commits at once; this is how often they look for
    #: events written by another process (another instance, a CLI) on the same store.
    relay_poll_seconds: float = 0.25
    #: Notifications per relay batch: one acknowledged send and one state commit each.
    relay_batch_size: int = Field(default=500, ge=1)
    #: A consumer's poll returns as soon as records arrive; this only paces its loop when
    #: nothing comes (and how soon it notices a stop). Each empty round costs kafka-python
    #: CPU: 200 ms cost an idle consumer ~3.5 ms CPU/s more than 1,000 (bench/idle.py).
    consumer_poll_ms: int = 1000

    # -- who may call, and the personal data ---------------------------------------------
    auth: AuthSettings = AuthSettings()
    keystore: KeyStoreSettings = KeyStoreSettings()
    idempotens: IdempotensSettings = IdempotensSettings()
    opbevaring: OpbevaringSettings = OpbevaringSettings()

    # -- the kommune and its catalogue ---------------------------------------------------
    #: The municipality the services work for (its folder in the catalogue).
    kommune: str = "herlev"
    #: Where the kommuners' files live (default: services/visitation/catalogue/data).
    katalog_dir: Path | None = None

    # -- observability -------------------------------------------------------------------
    #: `/metrics` (Prometheus) and what feeds it: request, store and group-commit timings
    #: (shared/infra/metrics.py). Off only to measure what it costs (bench/metrics_cost.py).
    metrics_enabled: bool = True
    ready: ReadinessSettings = ReadinessSettings()
    #: Where to send traces (OTLP over HTTP: a collector's base URL or its /v1/traces URL);
    #: unset, tracing is off and costs nothing (shared/infra/tracing.py). BUM_OTLP_ENDPOINT,
    #: or OpenTelemetry's own OTEL_EXPORTER_OTLP_ENDPOINT.
    otlp_endpoint: str | None = Field(
        default=None,
        validation_alias=AliasChoices("BUM_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT"),
    )

    # -- command-line tools --------------------------------------------------------------
    #: A bearer token the CLI tools send to a running service (BUM_TOKEN).
    token: SecretStr | None = None


def fra_miljoeet() -> ServiceSettings:
    """The settings as the environment gives them: for a tool or a test that builds one
    piece (an application, an API) without a service's wiring. A service builds its tree
    once in `runner.main` and passes it down instead."""
    return ServiceSettings()


__all__ = [
    "AuthSettings",
    "IdempotensSettings",
    "KafkaSettings",
    "KeyStoreSettings",
    "OpbevaringSettings",
    "ReadinessSettings",
    "ServiceSettings",
    "fra_miljoeet",
]
