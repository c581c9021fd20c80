"""The aktindsigt answer as documents: HTML (Jinja2) and PDF (fpdf2).

Both render the same answer data (domain/aktindsigt_svar.py), so the JSON, the HTML and
the PDF never disagree on what was disclosed or withheld.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fpdf import FPDF
from jinja2 import Environment, PackageLoader, select_autoescape

_env = Environment(
    loader=PackageLoader("services.supervision.adapters", "templates"),
    autoescape=select_autoescape(["html", "j2"]),
)


def som_html(svar: dict[str, Any]) -> str:
    return _env.get_template("aktindsigt.html.j2").render(svar=svar)


def _latin1(text: str) -> str:
    # The PDF core fonts cover Latin-1 (æ, ø, å, §); anything else becomes "?" rather than
    # failing the whole answer.
    return text.encode("latin-1", "replace").decode("latin-1")


def som_pdf(svar: dict[str, Any]) -> bytes:
    pdf = FPDF(format="A4")
    # Uncompressed text streams: the answer stays searchable with plain tools, and a
    # byte-level check of the content is possible.
    pdf.compress = False
    pdf.set_creation_date(datetime.fromisoformat(svar["genereret"]))
    pdf.set_title(_latin1(svar["titel"]))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()

    def linje(text: str, size: float = 10, style: str = "", hoejde: float = 5) -> None:
        pdf.set_font("Helvetica", style=style, size=size)
        pdf.multi_cell(0, hoejde, _latin1(text), new_x="LMARGIN", new_y="NEXT")

    a = svar["anmodning"]
    linje(svar["titel"], 16, "B", 8)
    linje(
        f"Sag {svar['sag_id']}. Anmodet af {a['anmoder']} ({a['egenskab']}) den "
        f"{a['modtaget_dato']}; frist {a['frist']} ({a['frist_arbejdsdage']} arbejdsdage, "
        f"{a['lovgrundlag']})."
    )
    linje(
        f"Oplysningerne er som kendt pr. {svar['som_kendt_pr']}. Dannet {svar['genereret']}. "
        f"{svar['antal_medtaget']} poster medtaget, {len(svar['undtaget'])} undtaget."
    )
    for afsnit in svar["afsnit"]:
        pdf.ln(3)
        linje(afsnit["overskrift"], 12, "B", 7)
        if not afsnit["poster"]:
            linje("Ingen oplysninger.")
        for post in afsnit["poster"]:
            linje(f"{post['dato']}: {post['titel']}", style="B")
            for tekst in post["linjer"]:
                linje(tekst)
            hvem = post["hvem"]
            lov = f"; lovgrundlag: {post['lovgrundlag']}" if post["lovgrundlag"] else ""
            linje(
                f"Registreret {post['registreret']} af {hvem['id']} ({hvem['rolle']}, "
                f"{hvem['organisation']}){lov}",
                8,
            )
    pdf.ln(3)
    linje("Undtaget fra aktindsigt", 12, "B", 7)
    if not svar["undtaget"]:
        linje("Intet er undtaget.")
    for u in svar["undtaget"]:
        linje(f"{u['dato']}: {u['haendelse']} ({u['kilde']}). {u['grund']}")
    return bytes(pdf.output())
