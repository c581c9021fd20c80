"""The monthly tilsyn report a committee reads: the municipality's name, twelve months of
trend per provider and for the municipality (leveringsgrad, visits delivered, replacement
visits within their deadline, deadlines met, complaints and their outcomes), charts drawn
by matplotlib (diagrammer.py), and the month in detail. HTML and PDF from the same data.

Every figure comes from supervision's tilsynstal projection; where it holds no series for
something, the report says so instead of showing a number. Every number shown goes through
`dansk_tal` (decimal comma, thousands separator): tables, text and the charts' axes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fpdf import FPDF

from services.supervision.adapters.diagrammer import (
    Diagram,
    Serie,
    som_svg,
    tegn,
    uden_id_kollision,
)
from services.supervision.adapters.tilsynsrapport import Leverandoerregister, leverandoernavn
from shared.infra.dokument import latin1 as _latin1
from shared.infra.dokument import skabeloner
from shared.reference.dansk import MAANEDER, dansk_tal, dansk_tidspunkt

_env = skabeloner("services.supervision.adapters")
_env.filters["tal"] = dansk_tal
KOMMUNEN = "Hele kommunen"
ANTAL_MAANEDER = 12

#: What an outcome is called in the report.
UDFALD_TEKST = {
    "medhold": "medhold ved genvurdering",
    "fastholdt": "fastholdt ved genvurdering",
    "ankestyrelsen_stadfaestet": "Ankestyrelsen: stadfæstet",
    "ankestyrelsen_aendret": "Ankestyrelsen: ændret",
    "ankestyrelsen_hjemvist": "Ankestyrelsen: hjemvist",
    "ankestyrelsen_ophaevet": "Ankestyrelsen: ophævet",
    "ankestyrelsen_afvist": "Ankestyrelsen: afvist",
}


@dataclass(frozen=True)
class Linje:
    """One row of a twelve-month table: its label, series key, decimals and unit."""

    tekst: str
    noegle: str
    decimaler: int = 0
    enhed: str = ""


TREND_LINJER = (
    Linje("Bevilgede minutter", "bevilgede_minutter"),
    Linje("Leverede minutter", "leverede_minutter"),
    Linje("Leveringsgrad", "leveringsgrad", 1, "%"),
    Linje("Leverede besøg", "leverede_besoeg"),
    Linje("Erstatningsbesøg skyldt", "erstatning_skyldt"),
    Linje("Erstatning leveret inden frist", "erstatning_inden_frist"),
    Linje("Erstatning inden frist, andel", "erstatning_inden_frist_andel", 1, "%"),
    Linje("Opstart inden frist", "opstart_inden_frist"),
    Linje("Opstart efter frist", "opstart_efter_frist"),
    Linje("Opstart inden frist, andel", "opstart_inden_frist_andel", 1, "%"),
)
#: The municipality's own legal clocks (visitation: receipt, decision, genvurdering ...).
KOMMUNE_LINJER = (
    Linje("Visitationens frister overholdt", "frister_overholdt"),
    Linje("Visitationens frister overskredet", "frister_overskredet"),
    Linje("Visitationens frister, andel overholdt", "frister_overholdt_andel", 1, "%"),
)
KLAGE_LINJE = Linje("Klager modtaget", "klager")

BEMAERKNINGER = (
    "Leveringsgrad: leverede minutter i procent af de bevilgede minutter i måneden "
    "(bevilget tid efter bevillingernes hyppighed og varighed pr. besøg).",
    "Erstatningsbesøg: af de erstatningsbesøg, hvis udfald kendes (leveret inden eller "
    "efter fristen, eller svigtet), andelen leveret inden fristen.",
    "Frister: for leverandørerne fristen for opstart af hjælpen efter bestilling; for "
    "kommunen desuden visitationens lovpligtige frister (kvittering, afgørelse, "
    "genvurdering og revurdering), talt i den måned fristen løb ud.",
    "Klager tælles i den måned, klagen blev modtaget, og udfaldet står i samme måned. "
    "En leverandørs klager er alle klager i sager, leverandøren har leveret i; kommunens "
    "er klager over visitationens afgørelser. Tallene kan derfor ikke lægges sammen.",
    "Klager, der endnu ikke har fået et udfald, indgår i 'Klager modtaget', men ikke i "
    "udfaldene; projektionen fører ikke en særskilt række for verserende klager.",
)


def tolv_maaneder(maaned: str) -> list[str]:
    """The twelve months ending with `maaned`, oldest first."""
    aar, nr = map(int, maaned.split("-"))
    ud = []
    for _ in range(ANTAL_MAANEDER):
        ud.append(f"{aar:04d}-{nr:02d}")
        aar, nr = (aar, nr - 1) if nr > 1 else (aar - 1, 12)
    return ud[::-1]


def maanedsnavn(maaned: str) -> str:
    aar, nr = maaned.split("-")
    return f"{MAANEDER[int(nr) - 1]} {aar}"


def _andel(del_: float, helhed: float) -> float | None:
    """A share in per cent, one decimal; none of nothing."""
    return round(100 * del_ / helhed, 1) if helhed else None


def _leverandoer_maaned(m: dict[str, Any] | None) -> dict[str, Any]:
    """One provider's figures of one month (all zero when it had none)."""
    m = m or {}
    erstatning = m.get("erstatning", {})
    iverksaettelse = m.get("iverksaettelse", {})
    return {
        "bevilgede_minutter": m.get("bevilgede_minutter", 0.0),
        "leverede_minutter": m.get("leverede_minutter", 0),
        "leverede_besoeg": m.get("leverede_besoeg", 0),
        "erstatning_skyldt": erstatning.get("skyldt", 0),
        "erstatning_inden_frist": erstatning.get("leveret_inden_frist", 0),
        "erstatning_kendt_udfald": erstatning.get("leveret_inden_frist", 0)
        + erstatning.get("leveret_efter_frist", 0)
        + erstatning.get("svigtet", 0),
        "opstart_inden_frist": iverksaettelse.get("inden_frist", 0),
        "opstart_efter_frist": iverksaettelse.get("efter_frist", 0),
        "klager": sum(m.get("klager", {}).values()),
        "klageudfald": dict(m.get("klageudfald", {})),
    }


def _med_andele(tal: dict[str, Any]) -> dict[str, Any]:
    tal["leveringsgrad"] = _andel(tal["leverede_minutter"], tal["bevilgede_minutter"])
    tal["erstatning_inden_frist_andel"] = _andel(
        tal["erstatning_inden_frist"], tal["erstatning_kendt_udfald"]
    )
    tal["opstart_inden_frist_andel"] = _andel(
        tal["opstart_inden_frist"], tal["opstart_inden_frist"] + tal["opstart_efter_frist"]
    )
    return tal


def _serier(pr_maaned: list[dict[str, Any]]) -> dict[str, list[Any]]:
    """Month dicts -> one list of twelve per figure."""
    return {k: [m[k] for m in pr_maaned] for k in pr_maaned[0]}


#: The provider figures that add up to the municipality's (complaints do not: see the notes).
SUMMERES = (
    "bevilgede_minutter",
    "leverede_minutter",
    "leverede_besoeg",
    "erstatning_skyldt",
    "erstatning_inden_frist",
    "erstatning_kendt_udfald",
    "opstart_inden_frist",
    "opstart_efter_frist",
)


def _sum_maaned(maaneder: list[dict[str, Any]]) -> dict[str, Any]:
    return {k: sum(m[k] for m in maaneder) for k in SUMMERES}


def _kommune_maaned(sum_: dict[str, Any], frister: dict[str, Any] | None) -> dict[str, Any]:
    f = frister or {}
    overholdt = sum(f.get("frister_overholdt", {}).values())
    overskredet = sum(f.get("frister_overskredet", {}).values())
    return {
        **sum_,
        "klager": f.get("klager_indgivet_rettidigt", 0) + f.get("klager_indgivet_for_sent", 0),
        "klageudfald": dict(f.get("klageudfald", {})),
        "frister_overholdt": overholdt,
        "frister_overskredet": overskredet,
        "frister_overholdt_andel": _andel(overholdt, overholdt + overskredet),
    }


def _udfaldslinjer(udfald: list[dict[str, int]]) -> list[dict[str, Any]]:
    """One table row per complaint outcome seen in the twelve months."""
    sete = sorted({k for m in udfald for k in m}, key=lambda k: (k not in UDFALD_TEKST, k))
    return [
        {
            "tekst": f"Udfald: {UDFALD_TEKST.get(k, k.replace('_', ' '))}",
            "noegle": k,
            "vaerdier": [m.get(k, 0) for m in udfald],
            "decimaler": 0,
            "enhed": "",
        }
        for k in sete
    ]


def _tabel(serier: dict[str, list[Any]], linjer: tuple[Linje, ...]) -> list[dict[str, Any]]:
    rows = [
        {
            "tekst": linje.tekst,
            "noegle": linje.noegle,
            "vaerdier": serier[linje.noegle],
            "decimaler": linje.decimaler,
            "enhed": linje.enhed,
        }
        for linje in (*linjer, KLAGE_LINJE)
    ]
    return rows + _udfaldslinjer(serier["klageudfald"])


def _maaneds_raekke(navn: str, m: dict[str, Any]) -> dict[str, Any]:
    """The month in detail, for the table after the trends (as the report had before)."""
    return {
        "navn": navn,
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


def rapport_data(
    tal: dict[str, Any],
    maaned: str,
    genereret: datetime,
    kommunenavn: str = "",
    registret: Leverandoerregister | None = None,
) -> dict[str, Any]:
    """The report's figures (also its JSON form): twelve months per provider and for the
    municipality, and the month's own rows."""
    maaneder = tolv_maaneder(maaned)
    kommune_navn = kommunenavn  # "Sorø Kommune": from the kommune's data file
    registret = registret or {}  # provider names (LeverandoerregisterAendret)
    enheder: list[dict[str, Any]] = []
    pr_leverandoer: list[list[dict[str, Any]]] = []
    for leverandoer_id, pr_maaned in sorted(tal["leverandoerer"].items()):
        if not any(m in pr_maaned for m in maaneder):
            continue  # nothing in these twelve months
        rows = [_med_andele(_leverandoer_maaned(pr_maaned.get(m))) for m in maaneder]
        pr_leverandoer.append(rows)
        enheder.append(
            {
                "id": leverandoer_id,
                "navn": leverandoernavn(leverandoer_id, registret),
                "kommune": False,
                "serier": _serier(rows),
                "tabel": _tabel(_serier(rows), TREND_LINJER),
            }
        )
    kommune_rows = [
        _med_andele(
            _kommune_maaned(
                _sum_maaned([p[i] for p in pr_leverandoer])
                if pr_leverandoer
                else _sum_maaned([_leverandoer_maaned(None)]),
                tal["frister"].get(m),
            )
        )
        for i, m in enumerate(maaneder)
    ]
    kommune_serier = _serier(kommune_rows)
    enheder.append(
        {
            "id": "kommunen",
            "navn": f"{kommune_navn} i alt" if kommune_navn else KOMMUNEN,
            "kommune": True,
            "serier": kommune_serier,
            "tabel": _tabel(kommune_serier, TREND_LINJER + KOMMUNE_LINJER),
        }
    )
    raekker = [
        _maaneds_raekke(leverandoernavn(leverandoer_id, registret), pr_maaned[maaned])
        for leverandoer_id, pr_maaned in sorted(tal["leverandoerer"].items())
        if maaned in pr_maaned
    ]
    noegler = [k for _, k, _ in MAANED_KOLONNER if k != "navn"]
    total = {k: sum(r[k] for r in raekker) for k in noegler}
    raekker.append({"navn": enheder[-1]["navn"], **total})
    return {
        "kommune": kommune_navn,
        "maaned": maaned,
        "maaned_tekst": maanedsnavn(maaned),
        "genereret": genereret.isoformat(),
        "genereret_tekst": dansk_tidspunkt(genereret),
        "maaneder": maaneder,
        "periode": f"{maanedsnavn(maaneder[0])} – {maanedsnavn(maaneder[-1])}",
        "enheder": enheder,
        "raekker": raekker,
        "frister": tal["frister"].get(maaned),
        "bemaerkninger": list(BEMAERKNINGER),
    }


# -- charts --------------------------------------------------------------------------------
def diagrammer(data: dict[str, Any]) -> list[Diagram]:
    """The five trend charts: one line per provider, the municipality's in black."""
    enheder = data["enheder"]

    def linjer(noegle: str) -> list[Serie]:
        return [Serie(e["navn"], e["serier"][noegle], e["kommune"]) for e in enheder]

    kommune = enheder[-1]["serier"]
    frister = [
        *linjer("opstart_inden_frist_andel"),
        Serie("Visitationens frister", kommune["frister_overholdt_andel"], True, stiplet=True),
    ]
    udfald = sorted({k for m in kommune["klageudfald"] for k in m})
    return [
        Diagram("Leveringsgrad (leveret af bevilget tid)", "%", linjer("leveringsgrad")),
        Diagram("Leverede besøg", "", linjer("leverede_besoeg")),
        Diagram(
            "Erstatningsbesøg leveret inden frist", "%", linjer("erstatning_inden_frist_andel")
        ),
        Diagram("Frister overholdt (opstart; visitationens frister)", "%", frister),
        Diagram(
            "Klager over afgørelser i kommunen og deres udfald",
            "",
            [Serie("klager modtaget", kommune["klager"], True)],
            stabler=[
                (UDFALD_TEKST.get(k, k), k, [m.get(k, 0) for m in kommune["klageudfald"]])
                for k in udfald
            ],
        ),
    ]


# -- HTML -----------------------------------------------------------------------------------
def som_html(data: dict[str, Any]) -> str:
    svgs = [
        uden_id_kollision(som_svg(d, data["maaneder"]), f"d{i}")
        for i, d in enumerate(diagrammer(data))
    ]
    return _env.get_template("maanedsrapport.html.j2").render(
        r=data, diagrammer=svgs, kort=[_kort(m) for m in data["maaneder"]]
    )


def _kort(maaned: str) -> str:
    aar, nr = maaned.split("-")
    return f"{MAANEDER[int(nr) - 1][:3]} {aar[2:]}"


# -- PDF ------------------------------------------------------------------------------------
def _t(tekst: str) -> str:
    """Text for the PDF's core fonts (Latin-1): the en dash of "no figure" and of the period
    becomes a hyphen instead of a question mark."""
    return _latin1(tekst.replace("\u2013", "-"))


def som_pdf(data: dict[str, Any]) -> bytes:
    """A4 landscape: the charts first, then the month in detail, then one twelve-month
    table per provider and for the municipality."""
    pdf = FPDF(orientation="landscape", format="A4")
    pdf.compress = False  # text stays searchable with plain tools (shared/infra/dokument.py)
    pdf.set_creation_date(datetime.fromisoformat(data["genereret"]))
    titel = f"Tilsynsrapport {data['maaned_tekst']}"
    pdf.set_title(_t(f"{titel}, {data['kommune']}" if data["kommune"] else titel))
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.add_page()
    _hoved(pdf, data)

    bredde, hoejde = 136.0, 136.0 * 3.0 / 6.4
    for i, diagram in enumerate(diagrammer(data)):
        if i == 4:
            pdf.add_page()
        png = tegn(diagram, data["maaneder"], "png")
        kolonne = i % 2 if i < 4 else 0
        if kolonne == 0 and i:
            pdf.set_y(pdf.get_y() + (hoejde + 2 if i < 4 else 0))
        y = pdf.get_y()
        pdf.image(io.BytesIO(png), x=pdf.l_margin + kolonne * (bredde + 5), y=y, w=bredde)
    pdf.set_y(pdf.get_y() + hoejde + 4)

    _maanedstabel(pdf, data)
    _bemaerkninger(pdf, data)
    for enhed in data["enheder"][::-1]:  # the municipality first
        _trendtabel(pdf, data, enhed)
    return bytes(pdf.output())


def _hoved(pdf: FPDF, data: dict[str, Any]) -> None:
    if data["kommune"]:
        pdf.set_font("Helvetica", size=10)
        pdf.cell(0, 5, _t(f"{data['kommune']}, Tilsynet"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 9, _t(f"Tilsynsrapport {data['maaned_tekst']}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=9)
    pdf.cell(
        0,
        5,
        _t(
            f"Udvikling over tolv måneder: {data['periode']}. Dannet {data['genereret_tekst']} "
            "fra alle offentliggjorte hændelser."
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)


def _afsnit(pdf: FPDF, tekst: str, plads: float = 30) -> None:
    if pdf.will_page_break(plads):
        pdf.add_page()
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(0, 8, _t(tekst), new_x="LMARGIN", new_y="NEXT")


MAANED_KOLONNER = (
    ("Leverandør", "navn", 0),
    ("Bevilget min.", "bevilgede_minutter", 0),
    ("Planlagt min.", "planlagte_minutter", 0),
    ("Leveret min.", "leverede_minutter", 0),
    ("Aflyst af borger", "aflyst_borger", 0),
    ("Aflyst af lev.", "aflyst_leverandoer", 0),
    ("Erstatning skyldt", "erstatning_skyldt", 0),
    ("Erstatning svigtet", "erstatning_svigtet", 0),
    ("Start inden frist", "start_inden", 0),
    ("Start efter frist", "start_efter", 0),
    ("Klager", "klager", 0),
)


def _maanedstabel(pdf: FPDF, data: dict[str, Any]) -> None:
    _afsnit(pdf, f"Måneden i detaljer: {data['maaned_tekst']}", 20 + 5 * len(data["raekker"]))
    if len(data["raekker"]) == 1:  # the municipality's total alone
        pdf.set_font("Helvetica", size=9)
        pdf.cell(0, 5, _t("Ingen leverandør har tal i måneden."), new_x="LMARGIN", new_y="NEXT")
        return
    pdf.set_font("Helvetica", size=7.5)
    with pdf.table(
        col_widths=(60, *([21] * (len(MAANED_KOLONNER) - 1))),
        text_align=("LEFT", *(["RIGHT"] * (len(MAANED_KOLONNER) - 1))),
        line_height=4.5,
        first_row_as_headings=True,
    ) as table:
        hoved = table.row()
        for tekst, _, _ in MAANED_KOLONNER:
            hoved.cell(_t(tekst))
        for r in data["raekker"]:
            row = table.row()
            for _, noegle, decimaler in MAANED_KOLONNER:
                vaerdi = r[noegle]
                row.cell(_t(vaerdi if noegle == "navn" else dansk_tal(vaerdi, decimaler)))
    frister = data["frister"]
    if frister:
        pdf.set_font("Helvetica", size=9)
        pdf.ln(2)
        dage = frister["dage_fra_ansoegning_til_afgoerelse"]
        pdf.multi_cell(
            0,
            5,
            _t(
                f"Visitationen: {dansk_tal(frister['afgoerelser'])} afgørelser; dage fra "
                f"ansøgning til afgørelse: median {dansk_tal(dage['median'])}, højst "
                f"{dansk_tal(dage['max'])}. Klager indgivet rettidigt "
                f"{dansk_tal(frister['klager_indgivet_rettidigt'])}, for sent "
                f"{dansk_tal(frister['klager_indgivet_for_sent'])}."
            ),
            align="L",
            new_x="LMARGIN",
            new_y="NEXT",
        )


def _bemaerkninger(pdf: FPDF, data: dict[str, Any]) -> None:
    _afsnit(pdf, "Sådan er tallene opgjort", 40)
    pdf.set_font("Helvetica", size=8.5)
    for tekst in data["bemaerkninger"]:
        pdf.multi_cell(0, 4.2, _t(f"- {tekst}"), align="L", new_x="LMARGIN", new_y="NEXT")


def _trendtabel(pdf: FPDF, data: dict[str, Any], enhed: dict[str, Any]) -> None:
    raekker = enhed["tabel"]
    overskrift = enhed["navn"] if enhed["kommune"] else f"{enhed['navn']} ({enhed['id']})"
    _afsnit(pdf, f"Tolv måneder: {overskrift}", 16 + 4.5 * (len(raekker) + 1))
    maaneder = [_kort(m) for m in data["maaneder"]]
    pdf.set_font("Helvetica", size=7.5)
    with pdf.table(
        col_widths=(61, *([18] * len(maaneder))),
        text_align=("LEFT", *(["RIGHT"] * len(maaneder))),
        line_height=4.3,
        first_row_as_headings=True,
    ) as table:
        hoved = table.row()
        hoved.cell("")
        for m in maaneder:
            hoved.cell(m)
        for r in raekker:
            row = table.row()
            row.cell(_t(r["tekst"]))
            for v in r["vaerdier"]:
                row.cell(_t(dansk_tal(v, r["decimaler"], r["enhed"])))
    pdf.ln(3)
