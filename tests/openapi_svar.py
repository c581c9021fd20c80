"""What the API tests read from the services' OpenAPI documents: which JSON answers lack a
named schema, and whether a document broke its published predecessor (issue 17: a portal
generates its client from these; the diff may only add)."""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

from shared.infra.settings import ServiceSettings

SERVICES = ("visitation", "provider", "supervision")
SNAPSHOTS = Path(__file__).parent / "fixtures" / "openapi"
SUCCESS = ("200", "201", "202")

#: Answers that are documents in their own right, not BUM's data: JSON Schema files, the
#: AsyncAPI document and the liveness probe's open status map. Files (PDF, HTML, CSV) are
#: not JSON and need no entry.
AABNE_SVAR = frozenset(
    {
        ("GET", "/asyncapi.json"),
        ("GET", "/contracts/schemas/{file_name}"),
        ("GET", "/kvalitetsstandarder/schema"),
    }
)


def openapi(name: str, data_dir: Path) -> dict[str, Any]:
    """The service's OpenAPI, from the app built the way the tests build it."""
    wiring = importlib.import_module(f"services.{name}.wiring")
    spec: dict[str, Any] = wiring.build(ServiceSettings(data_dir=data_dir / name)).api.openapi()
    # Through JSON, so it compares with the stored snapshot (tuples become lists).
    return dict(json.loads(json.dumps(spec)))


def snapshot(name: str) -> dict[str, Any]:
    return dict(json.loads((SNAPSHOTS / f"{name}.json").read_text()))


def _named(schema: dict[str, Any]) -> bool:
    """A `$ref` to a component, a list or union of such, or a scalar (a list of strings is
    documented by its type); never an inline object or an empty schema."""
    if "$ref" in schema:
        return True
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return all(_named(s) for s in schema[key])
    kind = schema.get("type")
    if kind == "array":
        return _named(schema.get("items") or {})
    return kind in ("string", "integer", "number", "boolean", "null")


def unnamed_answers(spec: dict[str, Any]) -> list[tuple[str, str]]:
    """(METHOD, path) of every JSON success answer without a named schema."""
    found = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if (method.upper(), path) in AABNE_SVAR:
                continue
            for code in SUCCESS:
                answer = operation.get("responses", {}).get(code)
                if answer is None:
                    continue
                schema = answer.get("content", {}).get("application/json", {}).get("schema")
                if schema is not None and not _named(schema):
                    found.append((method.upper(), path))
    return found


def _resolve(schema: Any, components: dict[str, Any], depth: int = 0) -> Any:
    """The schema with every `$ref` replaced by what it names (titles dropped: a model's
    title is its class name, not the wire format)."""
    if depth > 40:
        return "<deep>"
    if isinstance(schema, list):
        return [_resolve(s, components, depth + 1) for s in schema]
    if not isinstance(schema, dict):
        return schema
    if "$ref" in schema:
        target = components[schema["$ref"].rsplit("/", 1)[-1]]
        return _resolve(target, components, depth + 1)
    return {k: _resolve(v, components, depth + 1) for k, v in schema.items() if k != "title"}


def _open(schema: Any) -> bool:
    """An answer documented as 'some object' (or nothing): any named model refines it."""
    if not isinstance(schema, dict):
        return True
    if schema.get("type") == "array":
        return _open(schema.get("items"))
    if "anyOf" in schema:
        return any(_open(s) for s in schema["anyOf"])
    return "properties" not in schema and schema.get("type") in (None, "object")


#: Keys that only document: they may change without changing the wire format.
_DOKUMENTATION = frozenset({"description", "examples", "title"})


def _grows(old: Any, new: Any, request: bool) -> bool:
    """Whether `new` accepts and answers what `old` did: a request may gain optional
    properties, an answer properties and keys of any kind; nothing may go or change."""
    if isinstance(old, dict) and isinstance(new, dict):
        for key, value in old.items():
            if key in _DOKUMENTATION:
                continue
            if key not in new:
                return False
            if key == "properties":
                if not all(
                    p in new[key] and _grows(v, new[key][p], request) for p, v in value.items()
                ):
                    return False
            elif key == "required" and isinstance(value, list):
                was, now = set(value), set(new[key])
                if not (now <= was if request else now >= was):
                    return False
            elif not _grows(value, new[key], request):
                return False
        added = set(new) - set(old) - _DOKUMENTATION
        return not (request and added - {"default"})
    if isinstance(old, list) and isinstance(new, list):
        if len(old) != len(new):
            return False
        return all(_grows(a, b, request) for a, b in zip(old, new, strict=True))
    return bool(old == new)


def breaks(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """What `new` removed or changed of `old`: operations, parameters, request bodies,
    answer codes and content types, component names, and answer schemas that were
    documented before. Added operations, optional request fields, answer fields and
    named models for answers that were open are growth, not breaks."""
    oc = old.get("components", {}).get("schemas", {})
    nc = new.get("components", {}).get("schemas", {})
    found = [f"component {n} gone" for n in oc if n not in nc]
    for path, operations in old["paths"].items():
        for method, op in operations.items():
            where = f"{method.upper()} {path}"
            nop = new["paths"].get(path, {}).get(method)
            if nop is None:
                found.append(f"{where}: gone")
                continue
            params = {(p["name"], p["in"]): p for p in nop.get("parameters", [])}
            for p in op.get("parameters", []):
                q = params.pop((p["name"], p["in"]), None)
                if q is None:
                    found.append(f"{where}: parameter {p['name']} gone")
                elif not _grows(_resolve(p, oc), _resolve(q, nc), request=True):
                    found.append(f"{where}: parameter {p['name']} changed")
            found += [
                f"{where}: new required parameter {n}"
                for (n, _), q in params.items()
                if q.get("required")
            ]
            body, nbody = _resolve(op.get("requestBody"), oc), _resolve(nop.get("requestBody"), nc)
            if not _grows(body, nbody, request=True):
                found.append(f"{where}: request body changed")
            for code, answer in op.get("responses", {}).items():
                nanswer = nop.get("responses", {}).get(code)
                if nanswer is None:
                    found.append(f"{where}: answer {code} gone")
                    continue
                for ctype, content in answer.get("content", {}).items():
                    ncontent = nanswer.get("content", {}).get(ctype)
                    if ncontent is None:
                        found.append(f"{where}: answer {code} {ctype} gone")
                        continue
                    was = _resolve(content.get("schema"), oc)
                    now = _resolve(ncontent.get("schema"), nc)
                    if not _open(was) and not _grows(was, now, request=False):
                        found.append(f"{where}: answer {code} {ctype} schema changed")
    return found


def main() -> None:
    """`python -m tests.openapi_svar`: store the current documents as the published ones
    (after a release; a deliberate breaking change needs a new API version instead)."""
    import os
    import tempfile

    from shared.infra.devtoken import dev_master_key, keygen

    tmp = Path(tempfile.mkdtemp(prefix="bum-openapi-"))
    os.environ.setdefault("BUM_AUTH_JWKS_FILE", str(keygen(tmp)))
    os.environ.setdefault("BUM_KEYSTORE_MASTER_KEY", dev_master_key(tmp))
    os.environ.setdefault("BUM_KEYSTORE_DIR", str(tmp / "keystore"))
    for name in SERVICES:
        target = SNAPSHOTS / f"{name}.json"
        target.write_text(json.dumps(openapi(name, tmp), indent=1, sort_keys=True) + "\n")
        print(f"wrote {target}")


if __name__ == "__main__":
    main()
