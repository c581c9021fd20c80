"""Rendering documents for citizens and auditors: Jinja2 HTML and fpdf2 PDF, one way for
every service (aktindsigt answers, tilsyn reports, decision letters)."""

from __future__ import annotations

from datetime import datetime

from fpdf import FPDF
from fpdf.fonts import CoreFont
from jinja2 import Environment, PackageLoader, select_autoescape


def skabeloner(package: str) -> Environment:
    """The Jinja2 templates in `<package>/templates`, HTML-escaped."""
    return Environment(
        loader=PackageLoader(package, "templates"),
        autoescape=select_autoescape(["html", "j2"]),
    )


def latin1(text: str) -> str:
    # The PDF core fonts cover Latin-1 (æ, ø, å, §); anything else becomes "?" rather than
    # failing the whole document.
    return text.encode("latin-1", "replace").decode("latin-1")


def ny_pdf(dannet: datetime, titel: str | None = None) -> FPDF:
    """An A4 document with one page started. Uncompressed text streams: the document stays
    searchable with plain tools, and a byte-level check of the content is possible."""
    pdf = FPDF(format="A4")
    pdf.compress = False
    pdf.set_creation_date(dannet)
    if titel is not None:
        pdf.set_title(latin1(titel))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    return pdf


def linje(pdf: FPDF, text: str, size: float = 10, style: str = "", hoejde: float = 5) -> None:
    """A paragraph in Helvetica, wrapped to the page width."""
    pdf.set_font("Helvetica", style=style, size=size)
    tekst = latin1(text)
    if _paa_en_linje(pdf, tekst):
        # What multi_cell draws for a paragraph that fits on one line, byte for byte:
        # its last line is left-aligned, like a cell. multi_cell measures a line one
        # character at a time, re-adding every width so far (quadratic in the line's
        # length): ~1 ms a line, seconds for an aktindsigt of a thousand events.
        pdf.cell(0, hoejde, tekst, new_x="LMARGIN", new_y="NEXT")
    else:
        pdf.multi_cell(0, hoejde, tekst, new_x="LMARGIN", new_y="NEXT")


#: Characters multi_cell breaks or hyphenates at on its own: such text takes its path.
_BRUD = frozenset("\n\r\x0c\xad")


def _paa_en_linje(pdf: FPDF, tekst: str) -> bool:
    """Whether multi_cell would lay `tekst` out as one line, with room to spare (a text
    within a hair of the width takes multi_cell's own path, so rounding cannot differ)."""
    font = pdf.current_font
    if (
        not isinstance(font, CoreFont)
        or not tekst
        or tekst != tekst.strip()
        or not _BRUD.isdisjoint(tekst)
        or pdf.text_shaping
        or pdf.char_spacing
        or pdf.font_stretching != 100
    ):
        return False
    cw = font.cw
    bredde = sum(cw[c] for c in tekst) * pdf.font_size_pt * 0.001 / pdf.k
    plads = pdf.w - pdf.r_margin - pdf.x - 2 * pdf.c_margin
    return bredde < plads - 0.01
