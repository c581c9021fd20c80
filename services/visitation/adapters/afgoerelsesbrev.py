"""The decision letter as HTML (Jinja2) and PDF (fpdf2), both from the same letter data
(domain/afgoerelsesbrev.py)."""

from __future__ import annotations

from datetime import date, datetime
from functools import partial
from typing import Any

from shared.infra.dokument import linje, ny_pdf, skabeloner

_env = skabeloner("services.visitation.adapters")


def som_html(brev: dict[str, Any]) -> str:
    return _env.get_template("afgoerelsesbrev.html.j2").render(b=brev)


def som_pdf(brev: dict[str, Any]) -> bytes:
    # The letter is dated by the decision, so the same decision always gives the same file.
    dannet = datetime.combine(date.fromisoformat(brev["dato_iso"]), datetime.min.time())
    pdf = ny_pdf(dannet, brev["titel"])
    skriv = partial(linje, pdf)

    def overskrift(tekst: str) -> None:
        pdf.ln(3)
        skriv(tekst, 12, "B", 7)

    skriv(f"{brev['afsender']}, {brev['dato']}", 9)
    skriv(", ".join([*brev["adresse"], *brev["kontakt"]]), 9)
    skriv(f"Sag {brev['sag_id']}, afgørelse nr. {brev['nr']}", 9)
    skriv(f"Til {brev['modtager']}")
    pdf.ln(2)
    skriv(brev["titel"], 16, "B", 8)
    overskrift("Det har du søgt om, og det har vi besluttet")
    for u in brev["udfald"]:
        grund = f" Begrundelse: {u['begrundelse']}" if u["begrundelse"] else ""
        skriv(f"{u['anmodning']}: {u['resultat']}.{grund}")
    overskrift("Bevilget hjælp")
    if h := brev["helhedspleje"]:
        skriv(f"Helhedspleje: {h['ramme']}, {h['periode']}.", style="B")
        skriv(f"Omfatter: {', '.join(h['omfatter'])}. Leverandør: {h['leverandoer']}.")
        skriv(f"Lovgrundlag: {h['lovgrundlag']}.")
    if not brev["indsatser"] and not h:
        skriv("Der er ikke bevilget hjælp.")
    for i in brev["indsatser"]:
        skriv(f"{i['navn']} ({i['kode']}): {i['omfang']}, {i['periode']}.", style="B")
        skriv(f"Leverandør: {i['leverandoer']}. Lovgrundlag: {i['lovgrundlag']}.")
        if i["individuel_begrundelse"]:
            skriv(f"Individuel vurdering: {i['individuel_begrundelse']}")
    if brev["maal"]:
        overskrift("Mål for hjælpen")
        for m in brev["maal"]:
            skriv(f"- {m}")
    if brev["begrundelse"]:
        overskrift("Begrundelse")
        skriv(brev["begrundelse"])
    overskrift("Lovgrundlag")
    standard = f" Kvalitetsstandard: {brev['katalog_version']}." if brev["katalog_version"] else ""
    skriv(f"{brev['lovgrundlag']}.{standard}")
    overskrift("Hvis hjælpen ikke bliver leveret")
    skriv(brev["levering"])
    overskrift("Klagevejledning")
    if brev["klagevejledning_sag"]:
        skriv(brev["klagevejledning_sag"])
    for k in brev["klagevejledning"]:
        skriv(k)
    pdf.ln(3)
    skriv(brev["oplysningspligt"])
    skriv(f"Med venlig hilsen, {brev['afsender']}")
    return bytes(pdf.output())
