"""Configuration read from the environment (prefix BUM_), the same shape for every service."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BUM_", extra="ignore")

    host: str = "127.0.0.1"
    port: int = 0  # 0 = the service's own default port
    store: Literal["sqlite", "postgres"] = "sqlite"
    data_dir: Path = Path("data")
    database_url: str | None = Field(
        default=None, description="postgresql://user:password@host:port/dbname"
    )
    kafka_bootstrap: str = "127.0.0.1:19092"
    #: Relays wake on their own process's commits at once; this is how often they look for
    #: events written by another process (another instance, a CLI) on the same store.
    relay_poll_seconds: float = 0.25
    #: Notifications per relay batch: one acknowledged send and one state commit each.
    relay_batch_size: int = Field(default=500, ge=1)
    #: Longest a request waits for a database connection before it answers 503. Without
    #: it the library waits 30 s, so a database that is down makes every request hang.
    db_timeout_seconds: int = Field(default=3, ge=1)
    #: A consumer's poll returns as soon as records arrive; this only paces its loop when
    #: nothing comes (and how soon it notices a stop). Each empty round costs kafka-python
    #: CPU: 200 ms cost an idle consumer ~3.5 ms CPU/s more than 1,000 (bench/idle.py).
    consumer_poll_ms: int = 1000
    #: Aggregates each writer (the commands, each consumer) keeps in memory instead of
    #: replaying them (shared/infra/aggregate_cache.py); 0 turns the cache off.
    aggregate_cache_size: int = Field(default=500, ge=0)
    #: Seconds the application clock (shared/infra/tid.py) is moved from the host's: zero in
    #: production; a training stack or an end-to-end test sets it to work on a chosen day.
    clock_offset_seconds: float = 0.0
    log_level: str = "info"
    #: `/metrics` (Prometheus) and what feeds it: request, store and group-commit timings
    #: (shared/infra/metrics.py). Off only to measure what it costs (bench/metrics_cost.py).
    metrics_enabled: bool = True
    #: Seconds between the daily checks a service runs by itself (deadlines, grant clocks;
    #: shared/infra/periodisk.py); 0 = off. The REST endpoints check an explicit day.
    fristkontrol_interval_s: float = Field(default=3600, ge=0)
    #: Seconds between the provider's late-visit checks (fristvagt.Forsinkelsesvagt): a
    #: visit not started within an hour's tolerance is found within this much more; 0 = off.
    forsinkelseskontrol_interval_s: float = Field(default=300, ge=0)
    #: Where to send traces (OTLP over HTTP: a collector's base URL or its /v1/traces URL);
    #: unset, tracing is off and costs nothing (shared/infra/tracing.py). BUM_OTLP_ENDPOINT,
    #: or OpenTelemetry's own OTEL_EXPORTER_OTLP_ENDPOINT.
    otlp_endpoint: str | None = Field(
        default=None,
        validation_alias=AliasChoices("BUM_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT"),
    )
