"""`linje` draws a one-line paragraph as a cell instead of through multi_cell (whose line
measuring is quadratic): the document must come out byte for byte as multi_cell made it."""

from __future__ import annotations

from datetime import UTC, datetime

from fpdf import FPDF

from shared.infra.dokument import latin1, linje, ny_pdf

DANNET = datetime(2026, 11, 23, 12, tzinfo=UTC)

AFSNIT = [
    ("Aktindsigt i din sag om hjemmehjælp", 16, "B", 8),
    ("Kort.", 10, "", 5),
    ("", 10, "", 5),
    ("2026-01-05: Besøg leveret", 10, "B", 5),
    ("Registreret 2026-01-05T09:00:01Z af sosu-1 (leverandoer, omsorg-plus-aps)", 8, "", 5),
    ("  indrykket med mellemrum foran og bagved  ", 10, "", 5),
    ("to\nlinjer med linjeskift", 10, "", 5),
    ("blød\xadbindestreg i et ord", 10, "", 5),
    ("tegn uden for Latin-1: € ✓ 日本", 10, "", 5),
    ("Lang tekst om borgerens ønsker til besøget og hvad der skete undervejs. " * 4, 10, "", 5),
    ("ord" * 120, 10, "", 5),  # one word wider than the page: broken by character
]


def _tekster_nær_bredden() -> list[tuple[str, float, str, float]]:
    """Texts from just under to just over the line width, one character at a time."""
    maal = ny_pdf(DANNET)
    plads = maal.epw - 2 * maal.c_margin
    tekst = "Modtaget besøg æøå § " * 12
    out = []
    for size, style in ((10, ""), (10, "B"), (8, ""), (12, "B")):
        maal.set_font("Helvetica", style=style, size=size)
        graense = max(n for n in range(len(tekst)) if maal.get_string_width(tekst[:n]) <= plads)
        for n in range(graense - 6, graense + 6):
            out.append((tekst[:n], size, style, 5))
    return out


def _reference(afsnit: list[tuple[str, float, str, float]], farve: bool = False) -> bytes:
    pdf = ny_pdf(DANNET, "Test")
    if farve:
        pdf.set_text_color(200, 0, 0)
    for text, size, style, hoejde in afsnit:
        pdf.set_font("Helvetica", style=style, size=size)
        pdf.multi_cell(0, hoejde, latin1(text), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _med_linje(afsnit: list[tuple[str, float, str, float]], farve: bool = False) -> bytes:
    pdf: FPDF = ny_pdf(DANNET, "Test")
    if farve:
        pdf.set_text_color(200, 0, 0)
    for text, size, style, hoejde in afsnit:
        linje(pdf, text, size, style, hoejde)
    return bytes(pdf.output())


def test_linje_draws_what_multi_cell_draws() -> None:
    afsnit = AFSNIT + _tekster_nær_bredden()
    # Many times over: the page breaks fall on every kind of paragraph.
    afsnit = afsnit * 3
    assert _med_linje(afsnit) == _reference(afsnit)


def test_linje_in_colour_draws_what_multi_cell_draws() -> None:
    assert _med_linje(AFSNIT, farve=True) == _reference(AFSNIT, farve=True)
