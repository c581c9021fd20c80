"""JSON Schemas of the public payloads, generated from the pydantic contracts, and the rule
for what may change in a published one.

The schemas are committed under `contracts/schemas/` (see `publish.py`) and served by every
service. They are *open* (no `additionalProperties: false`): partners are tolerant readers,
so a later optional property does not break them. Everything else is breaking for a
partner validating with the published schema: a property removed, a property newly
required, a type, format, enum or nullability changed. A published version never changes
in a breaking way; a breaking change is a new contract version.
"""

from __future__ import annotations

from typing import Any

from shared.contracts.cloudevents import dataschema
from shared.contracts.registry import CONTRACTS

DIALECT = "https://json-schema.org/draft/2020-12/schema"
#: Keywords that document a schema without constraining a message.
_DOCUMENTATION = frozenset({"title", "description", "examples", "default", "$comment"})


def source_of(event_type: str, schema_version: int) -> str:
    """The service that publishes a contract: the module the payload model lives in."""
    return CONTRACTS[(event_type, schema_version)].__module__.rsplit(".", 1)[-1]


def schema_file_name(event_type: str, schema_version: int) -> str:
    return f"{event_type}.v{schema_version}.json"


def _open_objects(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            k: _open_objects(v)
            for k, v in node.items()
            if not (k == "additionalProperties" and v is False)
        }
    if isinstance(node, list):
        return [_open_objects(v) for v in node]
    return node


def payload_schema(event_type: str, schema_version: int) -> dict[str, Any]:
    model = CONTRACTS[(event_type, schema_version)]
    generated = _open_objects(model.model_json_schema())
    return {
        "$schema": DIALECT,
        "$id": dataschema(event_type, schema_version),
        "x-bum-event-type": event_type,
        "x-bum-schema-version": schema_version,
        "x-bum-source": source_of(event_type, schema_version),
        **generated,
        "title": f"{event_type} v{schema_version}",
    }


def all_payload_schemas() -> dict[str, dict[str, Any]]:
    """File name -> schema, for every registered contract."""
    return {
        schema_file_name(event_type, version): payload_schema(event_type, version)
        for event_type, version in sorted(CONTRACTS)
    }


# -- compatibility ----------------------------------------------------------------------
def _normalise(node: Any, defs: dict[str, Any]) -> Any:
    """The constraining part of a schema, with local `$ref`s inlined."""
    if isinstance(node, list):
        return [_normalise(v, defs) for v in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _DOCUMENTATION or key in ("$defs", "$schema", "$id") or key.startswith("x-"):
            continue
        if key == "$ref":
            out.update(_normalise(defs[value.rsplit("/", 1)[-1]], defs))
        elif key == "properties":
            out[key] = {name: _normalise(s, defs) for name, s in value.items()}
        else:
            out[key] = _normalise(value, defs)
    return out


def _compare(old: Any, new: Any, path: str, found: list[str]) -> None:
    if not (isinstance(old, dict) and isinstance(new, dict)):
        if old != new:
            found.append(f"{path}: changed from {old} to {new}")
        return
    old_props, new_props = old.get("properties", {}), new.get("properties", {})
    for name, schema in old_props.items():
        if name not in new_props:
            found.append(f"{path}.{name}: removed")
        else:
            _compare(schema, new_props[name], f"{path}.{name}", found)
    for name in sorted(set(new.get("required", [])) - set(old.get("required", []))):
        found.append(f"{path}.{name}: newly required")
    for key in sorted((set(old) | set(new)) - {"properties", "required"}):
        if key not in old or key not in new:
            found.append(f"{path}: {key} {'added' if key in new else 'removed'}")
        elif key == "items":
            _compare(old[key], new[key], f"{path}.items", found)
        elif key == "anyOf" and len(old[key]) == len(new[key]):
            for i, (o, n) in enumerate(zip(old[key], new[key], strict=True)):
                _compare(o, n, f"{path}.anyOf[{i}]", found)
        elif old[key] != new[key]:
            found.append(f"{path}: {key} changed from {old[key]} to {new[key]}")


def breaking_changes(published: dict[str, Any], current: dict[str, Any]) -> list[str]:
    """What in `current` would break a partner who validates with `published`."""
    found: list[str] = []
    _compare(
        _normalise(published, published.get("$defs", {})),
        _normalise(current, current.get("$defs", {})),
        "$",
        found,
    )
    return found
