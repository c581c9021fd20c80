"""The kommune's own name from its data file (`<data_dir>/<kode>/kommune.yaml`, owned and
validated by visitation's catalogue): reports of other services sign with the same name as
the decision letters, and no kommune's name is written in code."""

from __future__ import annotations

from pathlib import Path

import yaml

#: Where the kommuners files live unless BUM_KATALOG_DIR says otherwise.
DATA_DIR = Path(__file__).resolve().parents[2] / "services" / "visitation" / "catalogue" / "data"


def kommunenavn(kode: str, data_dir: Path | None = None) -> str:
    """ "Sorø Kommune" for `soroe`; without a readable file the code as words, so a report
    is still produced (visitation refuses to sign a letter without the file)."""
    path = (data_dir or DATA_DIR) / kode / "kommune.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        data = None
    navn = data.get("navn") if isinstance(data, dict) else None
    return navn if isinstance(navn, str) and navn else kode.replace("-", " ").title()
