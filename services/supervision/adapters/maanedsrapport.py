"""Monthly tilsyn report per provider and for the municipality: HTML with inline SVG
charts, PDF with the same charts drawn by fpdf2 (no plotting library)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fpdf import FPDF

from shared.infra.dokument import latin1 as _latin1
from shared.infra.dokument import skabeloner

_env = skabeloner("services.supervision.adapters")
KOMMUNEN = "Hele kommunen"


def _sum(rows: list[dict[str, Any]]) -> dict[str, Any]:
    keys = ("bevilgede_minutter", "planlagte_minutter", "leverede_minutter")
    total: dict[str, Any] = {k: round(sum(r[k] for r in rows), 1) for k in keys}
    total["aflyst_borger"] = sum(r["aflyst_borger"] for r in rows)
    total["aflyst_leverandoer"] = sum(r["aflyst_leverandoer"] for r in rows)
    for k in ("erstatning_skyldt", "erstatning_svigtet", "start_inden", "start_efter", "klager"):
        total[k] = sum(r[k] for r in rows)
    return total


def rapport_data(tal: dict[str, Any], maaned: str, genereret: datetime) -> dict[str, Any]:
    """The month's rows per provider plus the municipality's total, chart-ready."""
    rows = []
    for leverandoer, pr_maaned in sorted(tal["leverandoerer"].items()):
        m = pr_maaned.get(maaned)
        if m is None:
            continue
        rows.append(
            {
                "navn": leverandoer,
                "bevilgede_minutter": m["bevilgede_minutter"],
                "planlagte_minutter": m["planlagte_minutter"],
                "leverede_minutter": m["leverede_minutter"],
                "aflyst_borger": sum(m["aflysninger"].get("borger", {}).values()),
                "aflyst_leverandoer": sum(m["aflysninger"].get("leverandoer", {}).values()),
                "erstatning_skyldt": m["erstatning"]["skyldt"],
                "erstatning_svigtet": m["erstatning"]["svigtet"],
                "start_inden": m["iverksaettelse"]["inden_frist"],
                "start_efter": m["iverksaettelse"]["efter_frist"],
                "klager": sum(m["klager"].values()),
            }
        )
    alle = [*rows, {"navn": KOMMUNEN, **_sum(rows)}]
    skala = max([1.0] + [max(r["bevilgede_minutter"], r["leverede_minutter"]) for r in alle])
    for r in alle:
        r["bredde_bevilget"] = round(300 * r["bevilgede_minutter"] / skala, 1)
        r["bredde_planlagt"] = round(300 * r["planlagte_minutter"] / skala, 1)
        r["bredde_leveret"] = round(300 * r["leverede_minutter"] / skala, 1)
    return {
        "maaned": maaned,
        "genereret": genereret.isoformat(),
        "raekker": alle,
        "frister": tal["frister"].get(maaned),
    }


def som_html(data: dict[str, Any]) -> str:
    return _env.get_template("maanedsrapport.html.j2").render(r=data)


BARS = (
    ("bredde_bevilget", "bevilgede_minutter", "bevilget", (160, 160, 160)),
    ("bredde_planlagt", "planlagte_minutter", "planlagt", (120, 160, 210)),
    ("bredde_leveret", "leverede_minutter", "leveret", (40, 120, 60)),
)


def som_pdf(data: dict[str, Any]) -> bytes:
    pdf = FPDF(format="A4")
    pdf.compress = False
    pdf.set_creation_date(datetime.fromisoformat(data["genereret"]))
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 10, _latin1(f"Tilsynsrapport {data['maaned']}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=9)
    pdf.cell(0, 5, "Minutter: bevilget, planlagt og leveret", new_x="LMARGIN", new_y="NEXT")
    for r in data["raekker"]:
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(0, 6, _latin1(r["navn"]), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=8)
        for key, minutter_key, label, colour in BARS:
            y = pdf.get_y()
            pdf.set_fill_color(*colour)
            pdf.rect(40, y + 0.5, max(r[key] * 0.5, 0.2), 3, style="F")
            minutter = r[minutter_key]
            pdf.cell(28, 4, _latin1(label))
            pdf.set_x(40 + r[key] * 0.5 + 2)
            pdf.cell(0, 4, f"{minutter}", new_x="LMARGIN", new_y="NEXT")
        pdf.cell(
            0,
            5,
            _latin1(
                f"Aflyst af borger {r['aflyst_borger']}, af leverandør {r['aflyst_leverandoer']}; "
                f"erstatning skyldt {r['erstatning_skyldt']}, svigtet {r['erstatning_svigtet']}; "
                f"start inden frist {r['start_inden']}, efter {r['start_efter']}; "
                f"klager {r['klager']}"
            ),
            new_x="LMARGIN",
            new_y="NEXT",
        )
    return bytes(pdf.output())
