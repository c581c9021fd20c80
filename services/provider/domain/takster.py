"""The hourly rates (kr per hour) the municipality pays its providers, per category, as
versioned data: a new year's regulation is a new entry, never an edit, so a past month
settles the same way forever. Illustrative figures (DI 2021 found municipal prices
differing by more than 240 kr; landscape-and-law.md)."""

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
)
