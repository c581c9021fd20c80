"""Rendering documents for citizens and auditors: Jinja2 HTML and fpdf2 PDF, one way for
every service (aktindsigt answers, tilsyn reports, decision letters)."""

from __future__ import annotations

from datetime import datetime

from fpdf import FPDF
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
    pdf.multi_cell(0, hoejde, latin1(text), new_x="LMARGIN", new_y="NEXT")
