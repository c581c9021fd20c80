"""Danish formats every document shares: dates and local
times as a Danish reader writes them ("4. december 2026 kl. 14.05", Europe/Copenhagen).

Pure: the moment comes as an argument (the application clock is shared/infra/tid.py)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

DANMARK = ZoneInfo("Europe/Copenhagen")

MAANEDER = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)


def dansk_dato(d: date) -> str:
    """4. december 2026"""
    return f"{d.day}. {MAANEDER[d.month - 1]} {d.year}"


def dansk_tidspunkt(t: datetime) -> str:
    """4. december 2026 kl. 14.05, in Danish local time."""
    if t.tzinfo is None:
        raise ValueError("a moment to show must be timezone-aware")
    lokal = t.astimezone(DANMARK)
    return f"{dansk_dato(lokal.date())} kl. {lokal.hour:02d}.{lokal.minute:02d}"


def dansk_tal(tal: float | None, decimaler: int = 0, enhed: str = "") -> str:
    """12.345,6 as a Danish reader writes it: thousands separator ".", decimal comma, the
    same number of decimals on every figure of a column (so 240 and 240,0 never stand side
    by side). None (nothing to count, e.g. a share of zero) is "–". Every number a report
    shows goes through here, its charts' axes too."""
    if tal is None:
        return "–"
    tekst = f"{tal:,.{decimaler}f}".replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    if tekst.startswith("-") and tekst.strip("-0,.") == "":
        tekst = tekst[1:]  # -0,0 from a rounded tiny negative
    return f"{tekst} {enhed}" if enhed else tekst
