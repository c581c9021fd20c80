"""The inspection report (tilsynsbesøg) as HTML (Jinja2, findings as an inline SVG bar
chart) and PDF (fpdf2), both rendered from the same report data the JSON answer serves."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fpdf import FPDF

from shared.infra.dokument import latin1 as _latin1
from shared.infra.dokument import ny_pdf, skabeloner

_env = skabeloner("services.supervision.adapters")
STATUS = {
    "aaben": "åben",
    "overskredet": "frist overskredet",
    "lukket": "lukket",
    "lukket_efter_frist": "lukket efter frist",
}


def _data(rapport: dict[str, Any], genereret: datetime) -> dict[str, Any]:
    skala = max([1, *rapport["fund_optalt"].values()])
    return {
        **rapport,
        "genereret": genereret.isoformat(),
        "art": "varslet" if rapport["varslet"] else "uvarslet",
        "soejler": [
            {"vurdering": k, "antal": v, "bredde": round(300 * v / skala, 1)}
            for k, v in rapport["fund_optalt"].items()
        ],
        "punkter": [{**p, "status_tekst": STATUS[p["status"]]} for p in rapport["opfoelgning"]],
    }


def som_html(rapport: dict[str, Any], genereret: datetime) -> str:
    return _env.get_template("tilsynsrapport.html.j2").render(r=_data(rapport, genereret))


def _linje(pdf: FPDF, tekst: str, hoejde: float = 5) -> None:
    pdf.multi_cell(0, hoejde, _latin1(tekst), new_x="LMARGIN", new_y="NEXT")


def som_pdf(rapport: dict[str, Any], genereret: datetime) -> bytes:
    r = _data(rapport, genereret)
    pdf = ny_pdf(genereret)
    pdf.set_font("Helvetica", "B", 16)
    _linje(pdf, f"Tilsynsrapport: {r['leverandoer_id']}", 9)
    pdf.set_font("Helvetica", size=9)
    _linje(pdf, f"{r['art']} tilsyn ({r['sted']}) planlagt {r['planlagt_dato']}")
    _linje(pdf, f"Status pr. {r['status_pr']}; dannet {r['genereret']}")
    stik = r["stikproeve"]
    _linje(
        pdf, f"Stikprøve: {len(stik['sager'])} af {stik['kandidater']} sager (seed {stik['seed']})"
    )
    pdf.set_font("Helvetica", "B", 11)
    _linje(pdf, "Fund efter vurdering", 7)
    pdf.set_font("Helvetica", size=8)
    for s in r["soejler"]:
        y = pdf.get_y()
        pdf.set_fill_color(120, 160, 210)
        pdf.rect(55, y + 0.5, max(s["bredde"] * 0.4, 0.2), 3, style="F")
        pdf.cell(45, 4, _latin1(s["vurdering"]))
        pdf.set_x(55 + s["bredde"] * 0.4 + 2)
        pdf.cell(0, 4, str(s["antal"]), new_x="LMARGIN", new_y="NEXT")
    for f in r["fund"]:
        _linje(pdf, f"- {f['vurdering']}: {f['beskrivelse']}")
    pdf.set_font("Helvetica", "B", 11)
    _linje(pdf, "Opfølgning", 7)
    pdf.set_font("Helvetica", size=8)
    for p in r["punkter"]:
        _linje(
            pdf,
            f"- {p['beskrivelse']} (ansvarlig {p['ansvarlig']}, frist {p['frist']}): "
            f"{p['status_tekst']}",
        )
    return bytes(pdf.output())
