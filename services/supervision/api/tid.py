"""`as_of` as people write it: a date means the end of that day, and a time without a zone
is Danish local time (the municipality's clock), never the server's. Both stay inside the
window every API accepts (`shared.kernel.tidsramme`): the end of 9999-12-31 is past
`datetime.max`, so that is a 422 rather than an `OverflowError`."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from shared.kernel import DomainRuleViolation
from shared.kernel.tidsramme import kraev_dato, kraev_tidspunkt

DANMARK = ZoneInfo("Europe/Copenhagen")


def som_kendt_pr(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        if len(value) == 10:
            dag = kraev_dato(date.fromisoformat(value), "as_of")
            return datetime.combine(dag + timedelta(days=1), time(), DANMARK) - timedelta(
                microseconds=1
            )
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise DomainRuleViolation(
            "ugyldigt-tidspunkt",
            "as_of skal være en dato (ÅÅÅÅ-MM-DD) eller et ISO 8601-tidspunkt.",
            "as_of must be a date (YYYY-MM-DD) or an ISO 8601 timestamp.",
        ) from None
    return kraev_tidspunkt(moment if moment.tzinfo else moment.replace(tzinfo=DANMARK), "as_of")


def fra_tidspunkt(value: str | None) -> datetime | None:
    """The start of a period: a date means the start of that day (Danish time)."""
    if value is not None and len(value) == 10:
        try:
            dag = date.fromisoformat(value)
        except ValueError:
            pass  # som_kendt_pr words the error
        else:
            return datetime.combine(kraev_dato(dag, "fra"), time(), DANMARK)
    return som_kendt_pr(value)
