"""Danish working days: Monday to Friday except the public holidays of `holidays` for DK
(which knows that Store Bededag stopped being one in 2024). Grundlovsdag, 24 and 31
December are not public holidays and count as working days here, as in the law's text."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _helligdage(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("DK", years=year))


def er_arbejdsdag(dag: date) -> bool:
    return dag.weekday() < 5 and dag not in _helligdage(dag.year)


def arbejdsdage_efter(dag: date, antal: int) -> date:
    """The day `antal` working days after `dag` (the day of receipt itself does not count)."""
    while antal > 0 and dag < date.max:  # total: date.max is "never"
        dag += timedelta(days=1)
        if er_arbejdsdag(dag):
            antal -= 1
    return dag
