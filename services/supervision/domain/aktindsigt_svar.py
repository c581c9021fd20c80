"""The content of an aktindsigt answer, built from a case's history as of a moment.

Every public event becomes an entry in Danish under its section; each event type is one
small function in `POSTER` (aktindsigt_poster.py). A type not described there yet is not
silently left out: it is listed as withheld pending a manual assessment, with that
reason, so the caseworker sees it before the answer goes out.
"""

from __future__ import annotations

from typing import Any

from services.supervision.domain.aktindsigt_poster import POSTER, opslag_post
from services.supervision.domain.fold import Haendelse

AFSNIT = (
    ("ansoegning", "Ansøgning og henvendelse"),
    ("vurdering", "Funktionsvurderinger"),
    ("afgoerelse", "Afgørelser og bevillinger"),
    ("leverandoer", "Valg og skift af leverandør"),
    ("bestilling", "Bestillinger: hvad er delt med hvem"),
    ("besoeg", "Besøg: planlagt, leveret, aflyst og erstattet"),
    ("aendring", "Ændringsindberetninger"),
    ("klage", "Klager"),
    ("fuldmagt", "Fuldmagter: hvem må handle for dig"),
    ("frister", "Frister i sagsbehandlingen"),
    ("tilsyn", "Tilsynsfund om dit hjem"),
    ("adgang", "Opslag i dine oplysninger (adgangslog)"),
)
UKLASSIFICERET = (
    "Hændelsestypen er endnu ikke beskrevet til aktindsigt og vurderes manuelt, før den "
    "udleveres (Forvaltningsloven § 9, jf. §§ 12-15 om undtagelser)."
)


def byg_svar(
    anmodning: dict[str, Any],
    historik: list[Haendelse],
    adgangslog: list[dict[str, Any]],
    som_kendt_pr: str,
    genereret: str,
    tilsynsfund: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The answer as data (served as JSON, rendered as HTML and PDF). `historik` and
    `adgangslog` are already limited to what was recorded by `som_kendt_pr`."""
    afsnit: dict[str, list[dict[str, Any]]] = {key: [] for key, _ in AFSNIT}
    undtaget: list[dict[str, Any]] = []
    for h in historik:
        post = POSTER.get(h["event_type"])
        if post is None:
            undtaget.append(
                {
                    "event_id": h["event_id"],
                    "haendelse": h["event_type"],
                    "dato": h["occurred_at"][:10],
                    "kilde": h["source"],
                    "grund": UKLASSIFICERET,
                }
            )
            continue
        key, titel, linjer = post(h["data"])
        afsnit[key].append(
            {
                "dato": h["occurred_at"][:10],
                "registreret": h["recorded_at"],
                "titel": titel,
                "linjer": linjer,
                "kilde": h["source"],
                "hvem": h["actor"],
                "lovgrundlag": h["legal_basis"],
                "event_id": h["event_id"],
            }
        )
    for fund in tilsynsfund or []:
        afsnit["tilsyn"].append(
            {
                "dato": fund["tidspunkt"][:10],
                "registreret": fund["tidspunkt"],
                "titel": f"Tilsynsfund: {fund['vurdering'].replace('_', ' ')}",
                "linjer": [fund["beskrivelse"]],
                "kilde": "supervision",
                "hvem": fund["hvem"],
                "lovgrundlag": "Serviceloven § 151; lov om ældretilsyn",
                "event_id": fund["fund_id"],
            }
        )
    for opslag in adgangslog:
        afsnit["adgang"].append(opslag_post(opslag))
    medtaget = sum(len(v) for v in afsnit.values())
    return {
        "titel": "Aktindsigt i din sag om hjemmehjælp",
        "anmodning": anmodning,
        "sag_id": anmodning["sag_id"],
        "som_kendt_pr": som_kendt_pr,
        "genereret": genereret,
        "antal_medtaget": medtaget,
        "afsnit": [
            {"noegle": key, "overskrift": overskrift, "poster": afsnit[key]}
            for key, overskrift in AFSNIT
        ],
        "undtaget": undtaget,
    }
