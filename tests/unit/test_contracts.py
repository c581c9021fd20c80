"""The published contracts: committed files current, no breaking change to a published
schema, and an AsyncAPI document whose references all resolve."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from shared.contracts import CONTRACTS
from shared.contracts.asyncapi import build_document
from shared.contracts.publish import main as publish_main
from shared.contracts.schemas import breaking_changes, payload_schema


def test_committed_contract_files_are_current_and_unbroken(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert publish_main(["--check"]) == 0, capsys.readouterr().out


def _published() -> dict[str, Any]:
    return payload_schema("AfgoerelseTruffet", 1)


def _changed(change: Any) -> dict[str, Any]:
    schema = copy.deepcopy(_published())
    change(schema)
    return schema


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda s: s["properties"].pop("truffet_dato"), "truffet_dato: removed"),
        (lambda s: s["required"].append("begrundelse"), "begrundelse: newly required"),
        (lambda s: s["properties"]["truffet_dato"].update(format="date-time"), "truffet_dato"),
        (
            lambda s: s["$defs"]["UdfaldV1"]["properties"]["resultat"]["enum"].append("delvis"),
            "udfald",
        ),
        (
            lambda s: s["$defs"]["BevillingV1"]["properties"].pop("minutter_pr_besoeg"),
            "bevillinger.items.minutter_pr_besoeg: removed",
        ),
        (lambda s: s["properties"].update(borger_id={"type": "integer"}), "borger_id"),
    ],
)
def test_breaking_changes_are_found(change: Any, expected: str) -> None:
    found = breaking_changes(_published(), _changed(change))
    assert any(expected in f for f in found), found


def test_an_optional_property_or_better_documentation_is_compatible() -> None:
    def evolve(s: dict[str, Any]) -> None:
        s["properties"]["sagsbehandler"] = {"type": "string", "default": None}
        s["properties"]["truffet_dato"]["description"] = "Datoen for afgørelsen"
        s["title"] = "Afgørelse truffet"

    assert breaking_changes(_published(), _changed(evolve)) == []


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [r for v in node.values() for r in _refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []


def test_asyncapi_document_is_complete_and_resolves() -> None:
    doc = build_document()
    assert doc["asyncapi"] == "3.0.0"
    for ref in _refs(doc):
        assert ref.startswith("#/"), ref
        node: Any = doc
        for part in ref[2:].split("/"):
            node = node[part]  # KeyError: a dangling reference
    published = {
        m["title"] for ch in doc["channels"].values() for m in _resolve_all(doc, ch["messages"])
    }
    assert published == {f"{t} v{v}" for t, v in CONTRACTS}
    assert {c["address"] for c in doc["channels"].values()} == {
        "bum.visitation.events.v1",
        "bum.visitation.events.v1.dlt",
        "bum.provider.events.v1",
        "bum.provider.events.v1.dlt",
        "bum.adgangslog.v1",
        "bum.adgangslog.v1.dlt",
        "bum.leverandoer.{leverandoer_id}.v1",
    }


def _resolve_all(doc: dict[str, Any], refs: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for ref in refs.values():
        node: Any = doc
        for part in ref["$ref"][2:].split("/"):
            node = node[part]
        out.append(node)
    return out


def test_compose_creates_topics_with_the_published_retention() -> None:
    import re
    from pathlib import Path

    from shared.contracts.topics import EVENT_TOPICS, dead_letter_topic, topic_config

    compose = (Path(__file__).resolve().parents[2] / "docker-compose.yml").read_text()
    created = dict(re.findall(r"(bum\.[a-z.0-9]+):(\d+)", compose))
    expected = {
        name: topic_config(name)["retention.ms"]
        for spec in EVENT_TOPICS
        for name in (spec.name, dead_letter_topic(spec.name))
    }
    assert created == expected
