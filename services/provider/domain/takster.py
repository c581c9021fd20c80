"""The hourly rates (kr per hour) the municipality pays its providers, per category, as
versioned data: a new year's regulation is a new entry, never an edit, so a past month
settles the same way forever. Illustrative figures (DI 2021 found municipal prices
differing by more than 240 kr; landscape-and-law.md).

Helhedspleje (ældreloven § 10) has its own rate from version 2026.2 on: the frame covers
personal and practical help alike, so its illustrative rate lies between the two. The
versions before it have none, and a forløb in their months is priced at the personal-care
rate, as it was then (afregning.py says how the line shows that)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from services.provider.domain.afregning import Takst

TAKSTER: tuple[Takst, ...] = (
    Takst(
        "2025",
        date(2025, 1, 1),
        {
            "personlig": Decimal("398.00"),
            "praktisk": Decimal("352.00"),
            "madservice": Decimal("300.00"),
            "rehabilitering": Decimal("455.00"),
        },
    ),
    Takst(
        "2026",
        date(2026, 1, 1),
        {
            "personlig": Decimal("412.50"),
            "praktisk": Decimal("364.00"),
            "madservice": Decimal("310.00"),
            "rehabilitering": Decimal("470.00"),
        },
    ),
    Takst(
        "2026.2",
        date(2026, 12, 1),
        {
            "personlig": Decimal("412.50"),
            "praktisk": Decimal("364.00"),
            "madservice": Decimal("310.00"),
            "rehabilitering": Decimal("470.00"),
            "helhedspleje": Decimal("395.00"),
        },
    ),
)
