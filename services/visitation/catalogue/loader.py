"""Reads the kommuners YAML files (the only I/O of the catalogue package)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import yaml

from services.visitation.catalogue.model import Kvalitetsstandard
from shared.kernel import NotFound

DATA_DIR = Path(__file__).parent / "data"
SCHEMA_FILE = Path(__file__).parent / "kvalitetsstandard.schema.json"


def load_file(path: Path) -> Kvalitetsstandard:
    """Parse and validate one file; pydantic's ValidationError names the bad field."""
    data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Kvalitetsstandard.model_validate(data)


def available(data_dir: Path = DATA_DIR) -> list[Kvalitetsstandard]:
    return [load_file(p) for p in sorted(data_dir.glob("*/*.yaml"))]


def load(kommune: str, version: str, data_dir: Path = DATA_DIR) -> Kvalitetsstandard:
    path = data_dir / kommune / f"{version}.yaml"
    if not path.is_file():
        raise NotFound("kvalitetsstandard", f"{kommune}-{version}")
    standard = load_file(path)
    if (standard.kommune, standard.version) != (kommune, version):
        # The path is how a caller names it; the content must agree, or an approval could
        # record one name for another kommune's rules.
        raise ValueError(f"{path} declares {standard.katalog_version}")
    return standard


def fingerprint(standard: Kvalitetsstandard) -> str:
    """sha256 of the canonical JSON: the approval event pins exactly this content."""
    canonical = json.dumps(standard.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def schema_json() -> str:
    return json.dumps(Kvalitetsstandard.model_json_schema(), indent=2, ensure_ascii=False) + "\n"
