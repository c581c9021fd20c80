"""The monthly report's trend charts, drawn by matplotlib: SVG for the HTML page, PNG for
the PDF. Numbers on the axes go through the report's one number format (`dansk_tal`).

Only matplotlib's object API (`Figure`, no pyplot): no global figure state shared between
request threads, and no GUI backend is ever chosen. Imported on first use: matplotlib
costs ~0.3 s to import, which a service start need not pay for a report few ask for.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

from shared.reference.dansk import MAANEDER, dansk_tal

#: Providers in these colours, in order (colour-blind safe, Okabe-Ito); the municipality
#: in black, thicker.
FARVER = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
KOMMUNE_FARVE = "#000000"
#: Complaint outcomes, in stacking order, with their colour.
UDFALD_FARVER = {
    "medhold": "#009E73",
    "fastholdt": "#E69F00",
    "ankestyrelsen_stadfaestet": "#D55E00",
    "ankestyrelsen_aendret": "#0072B2",
    "ankestyrelsen_hjemvist": "#56B4E9",
    "ankestyrelsen_ophaevet": "#CC79A7",
    "ankestyrelsen_afvist": "#999999",
}


@dataclass(frozen=True)
class Serie:
    navn: str
    vaerdier: list[float | None]
    kommune: bool = False
    stiplet: bool = False  # a second municipal line beside the solid one


@dataclass(frozen=True)
class Diagram:
    titel: str
    enhed: str  # "%" or "" (a count)
    serier: list[Serie]
    #: Stacked bars (complaint outcomes): (label, outcome key for its colour, per month).
    stabler: list[tuple[str, str, list[float]]] | None = None


def tegn(diagram: Diagram, maaneder: list[str], fmt: str) -> bytes:
    """The chart as `svg` or `png` bytes."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    fig = Figure(figsize=(6.4, 3.0), dpi=150, layout="constrained")
    ax = fig.add_subplot()
    x = list(range(len(maaneder)))
    if diagram.stabler is not None:
        bund = [0.0] * len(maaneder)
        for navn, udfald, vaerdier in diagram.stabler:
            ax.bar(
                x,
                vaerdier,
                bottom=bund,
                width=0.6,
                label=navn,
                color=UDFALD_FARVER.get(udfald, "#999999"),
            )
            bund = [b + v for b, v in zip(bund, vaerdier, strict=True)]
    farver = iter(FARVER * 4)
    for serie in diagram.serier:
        punkter = [float("nan") if v is None else v for v in serie.vaerdier]
        ax.plot(
            x,
            punkter,
            marker="o",
            markersize=3 if not serie.kommune else 4,
            linewidth=2.6 if serie.kommune else 1.4,
            linestyle="--" if serie.stiplet else "-",
            color=KOMMUNE_FARVE if serie.kommune else next(farver),
            label=serie.navn,
            zorder=3 if serie.kommune else 2,
        )
    tomt = not any(v for serie in diagram.serier for v in serie.vaerdier) and not any(
        any(vaerdier) for _, _, vaerdier in diagram.stabler or []
    )
    if tomt:
        # An empty axis could read as "zero"; it means nothing was there to count.
        ax.text(0.5, 0.5, "Ingen tal i perioden", transform=ax.transAxes, ha="center", color="#666")
    ax.set_title(diagram.titel, fontsize=10, loc="left")
    ax.set_xticks(x, [kort_maaned(m, i == 0) for i, m in enumerate(maaneder)], fontsize=7)
    ax.tick_params(axis="y", labelsize=7)
    decimaler = 0
    if diagram.enhed == "%":
        ax.set_ylim(0, 105)
    else:
        # At least 0 to 1: an all-zero axis would otherwise repeat "0" down its side.
        ax.set_ylim(0, max(1.0, ax.get_ylim()[1]))
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: dansk_tal(v, decimaler, diagram.enhed)))
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.spines[["top", "right"]].set_visible(False)
    if diagram.serier or diagram.stabler:
        ax.legend(fontsize=6.5, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    buf = io.BytesIO()
    # No creation date in the file: the same figures give the same bytes.
    metadata: dict[str, Any] = {"Date": None} if fmt == "svg" else {"Software": None}
    fig.savefig(buf, format=fmt, metadata=metadata)
    return buf.getvalue()


def som_svg(diagram: Diagram, maaneder: list[str]) -> str:
    """Inline SVG for an HTML page (no XML prolog or doctype)."""
    svg = tegn(diagram, maaneder, "svg").decode()
    # The page says what the chart is; matplotlib's RDF block only names its own website.
    return re.sub(r"<metadata>.*?</metadata>\s*", "", svg[svg.index("<svg") :], flags=re.S)


def kort_maaned(maaned: str, foerste: bool = False) -> str:
    """ "2026-11" -> "nov": the year under January and under the first month only, so
    twelve labels fit under a chart without touching."""
    aar, nr = maaned.split("-")
    navn = MAANEDER[int(nr) - 1][:3]
    return f"{navn}\n{aar}" if foerste or nr == "01" else navn


def uden_id_kollision(svg: str, praefiks: str) -> str:
    """Several charts inline in one page: their element ids made unique per chart."""
    return re.sub(r'(id="|url\(#|href="#)([^")]+)', rf"\g<1>{praefiks}-\g<2>", svg)
