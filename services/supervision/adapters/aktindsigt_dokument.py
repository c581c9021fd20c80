"""The aktindsigt answer as documents: HTML (Jinja2) and PDF (fpdf2).

Both render the same answer data (domain/aktindsigt_svar.py), so the JSON, the HTML and
the PDF never disagree on what was disclosed or withheld.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Any

from shared.infra.dokument import linje, ny_pdf, skabeloner

_env = skabeloner("services.supervision.adapters")


def som_html(svar: dict[str, Any]) -> str:
    return _env.get_template("aktindsigt.html.j2").render(svar=svar)


def som_pdf(svar: dict[str, Any]) -> bytes:
    pdf = ny_pdf(datetime.fromisoformat(svar["genereret"]), svar["titel"])

    skriv = partial(linje, pdf)
    a = svar["anmodning"]
    skriv(svar["titel"], 16, "B", 8)
    skriv(
        f"Sag {svar['sag_id']}. Anmodet af {a['anmoder']} ({a['egenskab']}) den "
        f"{a['modtaget_dato']}; frist {a['frist']} ({a['frist_arbejdsdage']} arbejdsdage, "
        f"{a['lovgrundlag']})."
    )
    skriv(
        f"Oplysningerne er som kendt pr. {svar['som_kendt_pr']}. Dannet {svar['genereret']}. "
        f"{svar['antal_medtaget']} poster medtaget, {len(svar['undtaget'])} undtaget."
    )
    for afsnit in svar["afsnit"]:
        pdf.ln(3)
        skriv(afsnit["overskrift"], 12, "B", 7)
        if not afsnit["poster"]:
            skriv("Ingen oplysninger.")
        for post in afsnit["poster"]:
            skriv(f"{post['dato']}: {post['titel']}", style="B")
            for tekst in post["linjer"]:
                skriv(tekst)
            hvem = post["hvem"]
            lov = f"; lovgrundlag: {post['lovgrundlag']}" if post["lovgrundlag"] else ""
            skriv(
                f"Registreret {post['registreret']} af {hvem['id']} ({hvem['rolle']}, "
                f"{hvem['organisation']}){lov}",
                8,
            )
    pdf.ln(3)
    skriv("Undtaget fra aktindsigt", 12, "B", 7)
    if not svar["undtaget"]:
        skriv("Intet er undtaget.")
    for u in svar["undtaget"]:
        skriv(f"{u['dato']}: {u['haendelse']} ({u['kilde']}). {u['grund']}")
    return bytes(pdf.output())
