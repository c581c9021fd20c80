"""CSV exports that a spreadsheet opens as data, never as formulas (CSV injection).

Every CSV a service produces is written here. A text cell starting with a character a
spreadsheet reads as the start of a formula or a DDE call (OWASP: `=`, `+`, `-`, `@`, tab,
carriage return; also line feed and the full-width forms of the four signs, which some
spreadsheets fold to ASCII) is prefixed with a single quote, so `=HYPERLINK(...)` in an
indsats name shows as text.

Genuine numbers (int, float, Decimal values, not strings that look like them) are written
as they are, so a negative amount in a numeric column stays a number a spreadsheet can sum;
a number cannot carry a formula. Every other value is treated as text, whatever it holds.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

FORMELTEGN = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def neutraliseret(value: Any) -> Any:
    """The value as a CSV cell that cannot start a formula (None stays an empty cell)."""
    if value is None or isinstance(value, int | float | Decimal):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMELTEGN) else text


def som_csv(kolonner: Sequence[str], raekker: Iterable[Mapping[str, Any]]) -> str:
    """A header and one line per row (CRLF, RFC 4180), every cell neutralised."""
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=kolonner, lineterminator="\r\n")
    w.writerow({k: neutraliseret(k) for k in kolonner})
    for raekke in raekker:
        w.writerow({k: neutraliseret(v) for k, v in raekke.items()})
    return out.getvalue()
