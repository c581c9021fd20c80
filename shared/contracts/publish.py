"""Write (or check) the published contract files from the pydantic models.

    python -m shared.contracts.publish           # write contracts/ and docs/event-catalogue.md
    python -m shared.contracts.publish --check   # CI: files current, nothing published broken

Writing refuses a breaking change to a schema that is already published (committed):
such a change is a new contract version, with the old one kept.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import yaml

from shared.contracts.asyncapi import build_document
from shared.contracts.catalogue import render_catalogue
from shared.contracts.schemas import all_payload_schemas, breaking_changes

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_DIR = ROOT / "contracts" / "schemas"
ASYNCAPI_FILE = ROOT / "contracts" / "asyncapi.yaml"
CATALOGUE_FILE = ROOT / "docs" / "event-catalogue.md"


def _json(doc: Any) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def asyncapi_yaml() -> str:
    return yaml.safe_dump(build_document(), sort_keys=False, allow_unicode=True, width=100)


def expected_files() -> dict[Path, str]:
    files = {SCHEMA_DIR / name: _json(s) for name, s in all_payload_schemas().items()}
    files[ASYNCAPI_FILE] = asyncapi_yaml()
    files[CATALOGUE_FILE] = render_catalogue()
    return files


def published_breaks() -> list[str]:
    """Breaking changes of the current models against the committed schemas."""
    current = all_payload_schemas()
    found = []
    for path in sorted(SCHEMA_DIR.glob("*.json")):
        published = json.loads(path.read_text())
        if path.name not in current:
            found.append(f"{path.name}: published contract no longer exists")
            continue
        found += [f"{path.name} {c}" for c in breaking_changes(published, current[path.name])]
    return found


def stale_files() -> list[str]:
    stale = [
        str(path.relative_to(ROOT))
        for path, text in expected_files().items()
        if not path.exists() or path.read_text() != text
    ]
    known = {p.name for p in expected_files() if p.parent == SCHEMA_DIR}
    stale += [str(p.relative_to(ROOT)) for p in SCHEMA_DIR.glob("*.json") if p.name not in known]
    return stale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check, write nothing")
    args = parser.parse_args(argv)
    breaks = published_breaks()
    if breaks:
        print("Breaking changes to published contracts (make a new version instead):")
        print("\n".join(f"  {b}" for b in breaks))
        return 1
    if args.check:
        stale = stale_files()
        if stale:
            print("Contract files are out of date; run `make contracts`:")
            print("\n".join(f"  {s}" for s in stale))
            return 1
        return 0
    for path, text in expected_files().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    print(f"wrote {len(expected_files())} files under contracts/ and docs/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
