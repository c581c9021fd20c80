"""Data minimisation (GDPR art. 5(1)(c)): an order shows a provider only what its category
needs. Everything a provider needs to plan and deliver is common; what ties the order to
the authority's case and the citizen's function is kept for categories that work on the
citizen's body and function (personal care, rehabilitation), where the provider must report
changes in function against the case. A meal or cleaning provider gets the order without
it. The one place this rule lives; the order read model and the API both pass through it.
"""

from __future__ import annotations

from typing import Any

#: Fields only some categories get; any field not listed here is common to all.
KUN_FOR: dict[str, frozenset[str]] = {
    # The authority's case id: used to address change reports and re-assessments.
    "sag_id": frozenset({"personlig", "rehabilitering"}),
    # Reported changes in the citizen's function (health information).
    "aendringsindberetninger": frozenset({"personlig", "rehabilitering"}),
    # Tasks done / not done on each delivery describe the care given.
    "opgaver": frozenset({"personlig", "rehabilitering", "praktisk"}),
}


def felter_udeladt(kategori: str) -> list[str]:
    return sorted(f for f, kategorier in KUN_FOR.items() if kategori not in kategorier)


def minimer(order: dict[str, Any], kategori: str) -> dict[str, Any]:
    """The order as the provider of `kategori` may see it, naming what was left out."""
    udeladt = felter_udeladt(kategori)
    shown = {k: v for k, v in order.items() if k not in udeladt}
    if "opgaver" in udeladt and "leveringer" in shown:
        shown["leveringer"] = [
            {k: v for k, v in lev.items() if k not in ("opgaver_udfoert", "opgaver_ikke_udfoert")}
            for lev in shown["leveringer"]
        ]
    shown["dataminimering"] = {"kategori": kategori, "udeladt": udeladt}
    return shown
