"""Rendering documents for citizens and auditors: Jinja2 HTML and fpdf2 PDF, one way for
every service (aktindsigt answers, tilsyn reports, decision letters)."""

from __future__ import annotations

from datetime import datetime

from fpdf import FPDF
from fpdf.enums import TextMode
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
    if not _paa_en_linje(pdf, tekst):
        pdf.multi_cell(0, hoejde, tekst, new_x="LMARGIN", new_y="NEXT")
    elif pdf.will_page_break(hoejde) or not _kun_tekst(pdf):
        # One line, as multi_cell would draw it (its last line is a left-aligned cell);
        # the cell also turns the page.
        pdf.cell(0, hoejde, tekst, new_x="LMARGIN", new_y="NEXT")
    else:
        # The very operators that cell writes for one line of plain text, without its
        # per-line layout machinery (~0.1 ms a line: most of a thousand-event answer).
        # multi_cell itself measures a line one character at a time, re-adding every
        # width so far (quadratic): ~1 ms a line. tests/unit/test_dokument.py checks
        # the bytes against multi_cell's.
        pdf.text(pdf.x + pdf.c_margin, pdf.y + 0.5 * hoejde + 0.3 * pdf.font_size, tekst)
        pdf.x = pdf.l_margin
        pdf.y += hoejde
        pdf._lasth = hoejde  # what cell leaves for a later ln() without a height


def _kun_tekst(pdf: FPDF) -> bool:
    """Nothing but the glyphs: no underline, colour change, text mode or marked-up area
    that a cell would add operators for."""
    return (
        not pdf.underline
        and not pdf.strikethrough
        and pdf.text_mode == TextMode.FILL
        and pdf.text_color == pdf.fill_color
        and not pdf._record_text_quad_points
    )


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
    bredde = sum(map(font.cw.__getitem__, tekst)) * pdf.font_size_pt * 0.001 / pdf.k
    plads = pdf.w - pdf.r_margin - pdf.x - 2 * pdf.c_margin
    return bredde < plads - 0.01
