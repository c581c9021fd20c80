"""docs/access-matrix.md: every endpoint × role, rendered from the services' access tables.

python -m infra.docs.access_matrix           # write the file (also done by make contracts)
python -m infra.docs.access_matrix --check   # CI: the committed file is current
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from shared.infra.access import PUBLIC_PATHS, AccessTable, matrix_rows
from shared.infra.auth import BINDING_CLAIMS, ROLLER, TENANT_CLAIM

SERVICES = ("visitation", "provider", "supervision")
TARGET = Path(__file__).resolve().parents[2] / "docs" / "access-matrix.md"


def tables() -> dict[str, AccessTable]:
    return {
        name: importlib.import_module(f"services.{name}.api.access").ACCESS for name in SERVICES
    }


def claim_rows() -> list[str]:
    """Which token claim binds each role: the one every check reads and events record."""
    lines = [
        "## Which claim binds each role",
        "",
        "Every access check reads one claim per role (`shared/infra/auth.py`, `TENANT_CLAIM`).",
        "For a leverandør and the municipal roles the organisation recorded with the actor",
        "on every event they cause is that same claim; a citizen's events record the",
        "token's subject, and the cases it reaches are those of `borger_id` and of recorded",
        "fuldmagter. A token whose claims disagree (an `organisation` other than a",
        "leverandør's `leverandoer_id`, or a claim binding another role's tenant) is refused",
        "with 401 on every endpoint.",
        "",
        "| role | authoritative claim | refused when the token also carries |",
        "|---|---|---|",
    ]
    for rolle in ROLLER:
        foreign = sorted(c for c, roller in BINDING_CLAIMS.items() if rolle not in roller)
        refused = ", ".join(f"`{c}`" for c in foreign)
        if rolle == "leverandoer":
            refused = "an `organisation` other than `leverandoer_id`, " + refused
        claim = f"`{TENANT_CLAIM[rolle]}`"
        if rolle == "borger":
            claim += " (or `fuldmagt_for` with a recorded fuldmagt)"
        elif TENANT_CLAIM[rolle] == "organisation":
            claim += ' (default "kommunen")'
        lines.append(f"| `{rolle}` | {claim} | {refused} |")
    return lines


def render() -> str:
    lines = [
        "# Who may call what: endpoint × role",
        "",
        "Generated from each service's `api/access.py` by `make contracts`; do not edit.",
        "",
        "Every request needs a bearer token (401 without one) except "
        + ", ".join(f"`{p}`" for p in sorted(PUBLIC_PATHS))
        + ", `/contracts/schemas/<file>` and `/docs-assets/<file>` (the docs pages' scripts)."
        + " A role without a mark gets 403; an endpoint",
        "that is not listed is refused to every role. A mark means the role may call the",
        "endpoint; what it may see there is narrowed further where the data is: a",
        "`leverandoer` token only reaches its own provider's orders, citizens and visits",
        "(another provider's order id answers 404 exactly like an unknown one), a `borger`",
        "token only the citizen's own case and visits (another citizen's case answers 404,",
        "so nothing leaks), and a `revisor` only reads. `tests/e2e/test_access_matrix.py`",
        "walks this whole table, and every role with conflicting claims, against the",
        "running services.",
        "",
        *claim_rows(),
        "",
        "## Endpoint × role",
        "",
        *matrix_rows(tables(), ROLLER),
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Render docs/access-matrix.md.")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        if not TARGET.exists() or TARGET.read_text() != text:
            print("docs/access-matrix.md is out of date; run `make contracts`")
            return 1
        return 0
    TARGET.write_text(text)
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
