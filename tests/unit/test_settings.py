"""One settings tree, read from the environment in one place, under the names deployments
already use; and one application clock.

The source checks walk the syntax tree (not the text), so a docstring that names
`os.environ` or `datetime.now()` to explain why it is not used is no finding.
"""

from __future__ import annotations

import ast
import re
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from pydantic import BaseModel

from services.visitation.application.visitation_app import VisitationApplication
from services.visitation.domain.values import Anmodning
from shared.infra import tid
from shared.infra.eventstore import store_env
from shared.infra.settings import (
    AuthSettings,
    KafkaSettings,
    KeyStoreSettings,
    ServiceSettings,
)
from shared.infra.tid import Ur, offset_to
from shared.kernel.personoplysning import fritekst
from tests.scenario import VISITATOR

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = [ROOT / "shared", ROOT / "services"]

#: The one module that reads the environment (through pydantic-settings).
SETTINGS_MODULE = Path("shared/infra/settings.py")
#: The one module that reads the host's clock for business time.
CLOCK_MODULE = Path("shared/infra/tid.py")
#: Reads of the host's clock that are about the real world, not business time.
REAL_WORLD_CLOCK = {
    # A token's expiry is checked against real time, whatever the application clock says.
    (Path("shared/infra/auth.py"), "time.time"),
    # A development token is issued now, in real time, like the broker's.
    (Path("shared/infra/devtoken.py"), "time.time"),
    # A consumer's lag is measured against the broker's timestamps (the host's clock).
    (Path("shared/infra/metrics.py"), "time.time"),
    (Path("shared/infra/consumer.py"), "time.time"),
}

#: Names in the documentation that are no service setting (tooling and tests).
NOT_SETTINGS = {"BUM_TEST_DATABASE_URL", "BUM_BROKER_PORT", "BUM_SIMULATE_DATABASE_URL"}


def _modules() -> list[tuple[Path, ast.Module]]:
    found = []
    for top in PRODUCT:
        for path in sorted(top.rglob("*.py")):
            found.append((path.relative_to(ROOT), ast.parse(path.read_text(encoding="utf-8"))))
    return found


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return "?"


def _environment_uses(tree: ast.Module) -> list[str]:
    uses = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _dotted(node) in ("os.environ", "os.getenv"):
            uses.append(f"line {node.lineno}: {_dotted(node)}")
        if isinstance(node, ast.ImportFrom) and node.module == "os":
            for alias in node.names:
                if alias.name in ("environ", "getenv", "putenv", "unsetenv"):
                    uses.append(f"line {node.lineno}: from os import {alias.name}")
    return uses


def test_only_the_settings_module_reads_or_writes_the_environment() -> None:
    found = {
        str(path): uses
        for path, tree in _modules()
        if path != SETTINGS_MODULE and (uses := _environment_uses(tree))
    }
    assert found == {}, (
        f"read settings once (shared/infra/settings.py) and pass them down instead: {found}"
    )


def test_business_time_comes_from_the_application_clock() -> None:
    host_clock = {"datetime.now", "datetime.utcnow", "datetime.today", "date.today", "time.time"}
    found = []
    for path, tree in _modules():
        if path == CLOCK_MODULE:
            continue
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = _dotted(node.func)
            if name in host_clock and (path, name) not in REAL_WORLD_CLOCK:
                found.append(f"{path}:{node.lineno}: {name}()")
    assert found == [], f"use the application's clock (shared/infra/tid.py Ur): {found}"


def _documented_names() -> set[str]:
    texts = [ROOT / "README.md", ROOT / "docker-compose.yml", ROOT / "infra" / "README.md"]
    texts += [*(ROOT / "docs").rglob("*.md"), *(ROOT / "services").glob("*/README.md")]
    texts += [p for top in PRODUCT for p in top.rglob("*.py")]
    names: set[str] = set()
    for path in texts:
        if path.exists():
            names |= set(re.findall(r"\bBUM_[A-Z0-9_]*[A-Z0-9]\b", path.read_text("utf-8")))
    return names - NOT_SETTINGS


def _resolves(name: str) -> bool:
    """Whether the root reads `name`: a field of its own, or `<concern>_<field>` of a
    nested model (env_nested_max_split=1)."""
    key = name.removeprefix("BUM_").lower()
    fields = ServiceSettings.model_fields
    if key in fields:
        return True
    concern, _, rest = key.partition("_")
    nested = fields.get(concern)
    model = nested.annotation if nested is not None else None
    return isinstance(model, type) and issubclass(model, BaseModel) and rest in model.model_fields


def test_every_documented_variable_is_a_setting() -> None:
    names = _documented_names()
    assert {"BUM_KOMMUNE", "BUM_AUTH_JWKS_URL", "BUM_KEYSTORE_MASTER_KEY"} <= names
    # BUM_METRICS and BUM_GROUP_COMMIT/BUM_AGGREGATE_CACHE_SIZE are also the keys of the
    # store's mapping (eventstore.store_env); BUM_METRICS is that key only.
    unknown = sorted(n for n in names if not _resolves(n) and n != "BUM_METRICS")
    assert unknown == []


def test_the_flat_names_reach_the_nested_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {
        "BUM_KOMMUNE": "soroe",
        "BUM_KATALOG_DIR": "/srv/katalog",
        "BUM_OPBEVARING_AAR": "0",
        "BUM_IDEMPOTENS_TIMER": "1.5",
        "BUM_GROUP_COMMIT": "n",
        "BUM_KAFKA_BOOTSTRAP": "kafka:9092",
        "BUM_KAFKA_FETCH_MAX_WAIT_MS": "7",
        "BUM_KAFKA_IDLE_AFTER_MS": "500",
        "BUM_AUTH_ISSUER": "https://idp.example",
        "BUM_AUTH_JWKS_FILE": "/keys/jwks.json",
        "BUM_KEYSTORE_URL": "postgresql://db/keys",
        "BUM_KEYSTORE_CACHE_SECONDS": "1",
        "BUM_READY_MAX_LAG": "5",
        "BUM_TOKEN": "abc",
        "OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318",
    }.items():
        monkeypatch.setenv(name, value)
    s = ServiceSettings()
    assert (s.kommune, s.katalog_dir) == ("soroe", Path("/srv/katalog"))
    assert s.opbevaring.aar == 0 and s.idempotens.timer == 1.5 and s.group_commit is False
    assert s.kafka_bootstrap == "kafka:9092"
    assert (s.kafka.fetch_max_wait_ms, s.kafka.idle_after_ms) == (7, 500)
    assert s.kafka.idle_fetch_max_wait_ms == 250  # the default beside a given one
    assert (s.auth.issuer, s.auth.jwks_file) == ("https://idp.example", Path("/keys/jwks.json"))
    assert s.auth.audience == "urn:bum:api"
    assert (s.keystore.url, s.keystore.cache_seconds) == ("postgresql://db/keys", 1.0)
    assert s.ready.max_lag == 5
    assert s.token is not None and s.token.get_secret_value() == "abc"
    assert s.otlp_endpoint == "http://collector:4318"
    # An explicit value wins over the environment, per field of a concern.
    t = ServiceSettings(kommune="herlev", kafka=KafkaSettings(fetch_max_wait_ms=9))
    assert t.kommune == "herlev" and t.kafka.fetch_max_wait_ms == 9


def test_a_concern_built_alone_is_its_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the root reads variables: library code given no settings never meets them."""
    monkeypatch.setenv("BUM_AUTH_ISSUER", "https://idp.example")
    monkeypatch.setenv("BUM_KAFKA_SECURITY_PROTOCOL", "SSL")
    monkeypatch.setenv("BUM_KEYSTORE_CACHE_SECONDS", "1")
    assert AuthSettings().issuer == "urn:bum:dev-idp"
    assert KafkaSettings().security_protocol == "PLAINTEXT"
    assert KeyStoreSettings().cache_seconds == 5.0


def test_applications_and_routes_read_their_injected_clock() -> None:
    """Commands are stamped, and routes take today, by the application's own clock
    (`EventStoreApplication.ur`, the process's in a service), never by the module functions
    of shared/infra/tid.py: a test's or a replay's application clock holds for its routes."""
    found = []
    for path, tree in _modules():
        if path.parts[0] != "services" or not {"application", "api"} & set(path.parts):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "shared.infra.tid":
                found += [
                    f"{path}:{node.lineno}: {a.name}"
                    for a in node.names
                    if a.name in ("now", "idag")
                ]
            if isinstance(node, ast.Call) and _dotted(node.func) in ("tid.now", "tid.idag"):
                found.append(f"{path}:{node.lineno}: {_dotted(node.func)}()")
    assert found == []


def test_an_application_stamps_commands_with_the_clock_it_is_given(tmp_path: Path) -> None:
    settings = ServiceSettings(data_dir=tmp_path)
    given = datetime(2031, 5, 5, 9, 0, tzinfo=UTC)
    app = VisitationApplication(
        env=store_env(settings, "visitation"), settings=settings, ur=Ur(offset_to(given))
    )
    try:
        bad = Anmodning(uuid.uuid4(), fritekst("Hjælp til bad"), "personlig")
        sag = app.modtag_ansoegning(
            "0101401234", "Jens Hansen", date(2031, 5, 5), "telefon", "borger", (bad,), VISITATOR
        )
        (created,) = list(app.events.get(sag.id))
        assert abs(created.occurred_at - given) < timedelta(minutes=1)
        assert abs(tid.now() - given) > timedelta(days=365)  # the process's clock: untouched
    finally:
        app.close()
