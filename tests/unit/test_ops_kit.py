"""The operations kit in infra/ (issue 18 item 5) holds together without a Docker engine:
the compose profile "ops" mounts files that exist, Prometheus scrapes the three services on
their compose ports, the alert rules have the standard shape and cover what the issue asks
for, and every `bum_*` series the rules and the dashboard read is one the services expose.
Where `promtool` is installed, it checks the rules and runs their unit tests as well."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import yaml
from fastapi import FastAPI
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families

from shared.infra.metrics import RequestMetrics, WiringCollector

ROOT = Path(__file__).resolve().parents[2]
INFRA = ROOT / "infra"
SERVICES = ("visitation", "provider", "supervision")


def _yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text())


def _compose() -> dict[str, Any]:
    compose: dict[str, Any] = _yaml(ROOT / "docker-compose.yml")
    return compose


def _rules() -> list[dict[str, Any]]:
    return [
        rule
        for group in _yaml(INFRA / "prometheus" / "alerts.yml")["groups"]
        for rule in group["rules"]
    ]


def _dashboard_exprs() -> list[str]:
    dashboard = json.loads((INFRA / "grafana" / "dashboards" / "bum.json").read_text())
    return [t["expr"] for p in dashboard["panels"] for t in p["targets"]]


def exposed_families() -> set[str]:
    """The metric families a service exposes, read from an empty service's exposition."""
    registry = CollectorRegistry(auto_describe=False)
    RequestMetrics(FastAPI(), registry=registry)
    stub: Any = SimpleNamespace(relays=[], consumers=[])
    registry.register(WiringCollector(stub, readiness=stub))
    text = generate_latest(registry).decode()
    # The exposition of an application's own timings (Timings) comes from its store.
    text += "# TYPE bum_store_call_duration_seconds histogram\n"
    text += "# TYPE bum_group_commit_batch_size histogram\n"
    return {family.name for family in text_string_to_metric_families(text)}


def _family(series: str) -> str:
    return re.sub(r"_(bucket|count|sum|total)$", "", series)


def test_ops_profile_in_compose() -> None:
    services = _compose()["services"]
    for name in ("prometheus", "grafana"):
        service = services[name]
        assert service["profiles"] == ["ops"], name
        assert service["healthcheck"]["test"], name
        for volume in service["volumes"]:
            source = volume.split(":")[0]
            if source.startswith("./"):
                assert (ROOT / source).exists(), f"{name} mounts {source}, which is missing"
        # Published on the host's loopback only.
        assert all(port.startswith("127.0.0.1:") for port in service["ports"]), name
    for name in SERVICES:  # the services themselves stay in the default profile
        assert "profiles" not in services[name]
    assert {"prometheus-data", "grafana-data"} <= set(_compose()["volumes"])


def test_prometheus_scrapes_each_service_on_its_compose_port() -> None:
    config = _yaml(INFRA / "prometheus" / "prometheus.yml")
    services = _compose()["services"]
    jobs = {job["job_name"]: job for job in config["scrape_configs"]}
    assert set(jobs) == set(SERVICES)
    for name in SERVICES:
        port = services[name]["environment"]["BUM_PORT"]
        assert jobs[name]["static_configs"][0]["targets"] == [f"{name}:{port}"]
        assert jobs[name].get("metrics_path", "/metrics") == "/metrics"
    mounted = {v.split(":")[1] for v in services["prometheus"]["volumes"]}
    assert set(config["rule_files"]) <= mounted


def test_alert_rules_have_the_standard_shape_and_cover_the_issue() -> None:
    rules = _rules()
    names = [rule["alert"] for rule in rules]
    assert len(names) == len(set(names))
    for rule in rules:
        assert set(rule) <= {"alert", "expr", "for", "labels", "annotations"}, rule["alert"]
        assert rule["labels"]["severity"] in {"info", "warning", "critical"}
        assert rule["annotations"]["summary"] and rule["annotations"]["description"]
        if "for" in rule:
            assert re.fullmatch(r"\d+[smh]", rule["for"]), rule["alert"]
    # Issue 18 item 5: consumer lag, dead letters, parked cases, deadline breaches, 5xx.
    assert {
        "BumConsumerLag",
        "BumDeadLetters",
        "BumParkedCases",
        "BumDeadlineBreaches",
        "BumHttp5xxRate",
    } <= set(names)


def test_rules_and_dashboard_read_series_the_services_expose() -> None:
    exposed = exposed_families()
    exprs = [rule["expr"] for rule in _rules()] + _dashboard_exprs()
    used = {_family(name) for expr in exprs for name in re.findall(r"\bbum_[a-z_]+", expr)}
    assert used, "no bum_ series found"
    assert used <= exposed, f"not exposed: {sorted(used - exposed)}"


def test_dashboard_uses_the_provisioned_datasource() -> None:
    provisioned = _yaml(INFRA / "grafana" / "provisioning" / "datasources" / "prometheus.yml")
    uid = provisioned["datasources"][0]["uid"]
    dashboard = json.loads((INFRA / "grafana" / "dashboards" / "bum.json").read_text())
    assert dashboard["uid"] and dashboard["panels"]
    for panel in dashboard["panels"]:
        assert panel["datasource"]["uid"] == uid, panel["title"]
        assert all(t["datasource"]["uid"] == uid for t in panel["targets"]), panel["title"]
    provider = _yaml(INFRA / "grafana" / "provisioning" / "dashboards" / "bum.yml")
    mounted = {v.split(":")[1] for v in _compose()["services"]["grafana"]["volumes"]}
    assert provider["providers"][0]["options"]["path"] in mounted


def test_promtool_where_installed() -> None:
    promtool = shutil.which("promtool")
    if promtool is None:
        return  # the checks above stand in for it; infra/README.md shows how to run it
    folder = INFRA / "prometheus"
    for args in (["check", "rules", "alerts.yml"], ["test", "rules", "alerts_test.yml"]):
        done = subprocess.run([promtool, *args], cwd=folder, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
