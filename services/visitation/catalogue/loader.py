"""Reads the kommuners YAML files (the only I/O of the catalogue package)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from services.visitation.catalogue.kommune import Kommune
from services.visitation.catalogue.leverandoerer import Leverandoerfil
from services.visitation.catalogue.model import Kvalitetsstandard
from shared.kernel import NotFound

DATA_DIR = Path(__file__).parent / "data"
SCHEMA_FILE = Path(__file__).parent / "kvalitetsstandard.schema.json"
KOMMUNE_SCHEMA_FILE = Path(__file__).parent / "kommune.schema.json"
#: The kommune's own file beside its standards (`data/<kommune>/kommune.yaml`); every other
#: `*.yaml` in the folder is one version of its kvalitetsstandard.
KOMMUNE_FIL = "kommune.yaml"
#: The kommune's approved providers (leverandoerer.py); not a kvalitetsstandard either.
LEVERANDOER_FIL = "leverandoerer.yaml"
_IKKE_STANDARDER = frozenset({KOMMUNE_FIL, LEVERANDOER_FIL})


@dataclass(frozen=True)
class Feltfejl:
    """One reason a file is invalid: the field's path (as pydantic names it) and why."""

    loc: tuple[str | int, ...]
    msg: str


@dataclass(frozen=True)
class UgyldigFil:
    """A catalogue file that does not validate: listed with its reasons, never loaded."""

    kommune: str
    version: str
    fejl: tuple[Feltfejl, ...]


class KatalogFilUgyldig(ValueError):
    def __init__(self, kommune: str, version: str, fejl: tuple[Feltfejl, ...]) -> None:
        self.ugyldig = UgyldigFil(kommune, version, fejl)
        tekst = "; ".join(f"{'.'.join(map(str, f.loc)) or '(filen)'}: {f.msg}" for f in fejl)
        super().__init__(f"{kommune}-{version}: {tekst}")


def feltfejl(exc: Exception) -> tuple[Feltfejl, ...]:
    """The reasons as field paths; a file that is not even YAML fails as a whole (loc ())."""
    if isinstance(exc, ValidationError):
        return tuple(Feltfejl(tuple(e["loc"]), e["msg"]) for e in exc.errors())
    return (Feltfejl((), str(exc)),)


def _yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def load_file(path: Path) -> Kvalitetsstandard:
    """Parse and validate one file; pydantic's ValidationError names the bad field."""
    return Kvalitetsstandard.model_validate(_yaml(path))


def _standard_files(data_dir: Path) -> list[Path]:
    return [p for p in sorted(data_dir.glob("*/*.yaml")) if p.name not in _IKKE_STANDARDER]


def check_file(path: Path) -> Kvalitetsstandard | UgyldigFil:
    """One file validated on its own: a bad file is a result, not an exception, so one
    municipality's typo never hides the other files (the listing shows it as invalid)."""
    kommune, version = path.parent.name, path.stem
    try:
        standard = load_file(path)
    except (ValidationError, yaml.YAMLError, UnicodeDecodeError) as exc:
        return UgyldigFil(kommune, version, feltfejl(exc))
    fejl = tuple(
        Feltfejl((felt,), f"the file's folder and name say {forventet!r}, it declares {faktisk!r}")
        for felt, forventet, faktisk in (
            ("kommune", kommune, standard.kommune),
            ("version", version, standard.version),
        )
        if forventet != faktisk
    )
    return UgyldigFil(kommune, version, fejl) if fejl else standard


def katalog(data_dir: Path = DATA_DIR) -> list[Kvalitetsstandard | UgyldigFil]:
    """Every standard file, valid or not, in path order."""
    return [check_file(p) for p in _standard_files(data_dir)]


def available(data_dir: Path = DATA_DIR) -> list[Kvalitetsstandard]:
    """The files that validate (an invalid one is left out, not fatal)."""
    return [k for k in katalog(data_dir) if isinstance(k, Kvalitetsstandard)]


def load(kommune: str, version: str, data_dir: Path = DATA_DIR) -> Kvalitetsstandard:
    path = data_dir / kommune / f"{version}.yaml"
    if not path.is_file() or path.name in _IKKE_STANDARDER:
        raise NotFound("kvalitetsstandard", f"{kommune}-{version}")
    standard = load_file(path)
    if (standard.kommune, standard.version) != (kommune, version):
        # The path is how a caller names it; the content must agree, or an approval could
        # record one name for another kommune's rules.
        raise ValueError(f"{path} declares {standard.katalog_version}")
    return standard


def load_checked(kommune: str, version: str, data_dir: Path = DATA_DIR) -> Kvalitetsstandard:
    """`load` whose every failure names the fields (KatalogFilUgyldig), for the API."""
    path = data_dir / kommune / f"{version}.yaml"
    if not path.is_file() or path.name in _IKKE_STANDARDER:
        raise NotFound("kvalitetsstandard", f"{kommune}-{version}")
    fundet = check_file(path)
    if isinstance(fundet, UgyldigFil):
        raise KatalogFilUgyldig(kommune, version, fundet.fejl)
    return fundet


def load_kommune(kommune: str, data_dir: Path = DATA_DIR) -> Kommune:
    """The kommune's name, address, closed days and schedule (`data/<kommune>/kommune.yaml`).
    Parsed once per version of the file: the deadline check reads it for every case."""
    path = data_dir / kommune / KOMMUNE_FIL
    try:
        mtime = path.stat().st_mtime_ns
    except FileNotFoundError:
        raise NotFound("kommune", kommune) from None
    return _kommune(path, mtime)


@lru_cache(maxsize=16)
def _kommune(path: Path, mtime_ns: int) -> Kommune:
    data = Kommune.model_validate(_yaml(path))
    if data.kode != path.parent.name:
        raise ValueError(f"{path} declares kommune {data.kode}")
    return data


def fingerprint(standard: Kvalitetsstandard) -> str:
    """sha256 of the canonical JSON: the approval event pins exactly this content."""
    canonical = json.dumps(standard.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def schema() -> dict[str, Any]:
    return Kvalitetsstandard.model_json_schema()


def kommune_schema() -> dict[str, Any]:
    return Kommune.model_json_schema()


def _json(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def schema_json() -> str:
    return _json(schema())


def kommune_schema_json() -> str:
    return _json(kommune_schema())


class LeverandoerFilUgyldig(ValueError):
    """The kommune's leverandoerer.yaml does not validate: start refuses, naming each field."""

    def __init__(self, path: Path, fejl: tuple[Feltfejl, ...]) -> None:
        self.path = path
        self.fejl = fejl
        tekst = "; ".join(f"{'.'.join(map(str, f.loc)) or '(filen)'}: {f.msg}" for f in fejl)
        super().__init__(f"{path}: {tekst}")


def load_leverandoerer(kommune: str, data_dir: Path = DATA_DIR) -> Leverandoerfil | None:
    """The kommune's provider file, validated; None when the kommune has none."""
    path = data_dir / kommune / LEVERANDOER_FIL
    if not path.is_file():
        return None
    try:
        return Leverandoerfil.model_validate(_yaml(path))
    except (ValidationError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise LeverandoerFilUgyldig(path, feltfejl(exc)) from None
