"""`as_of` as people write it: a date means the end of that day, and a time without a zone
is Danish local time (the municipality's clock), never the server's."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from shared.kernel import DomainRuleViolation

DANMARK = ZoneInfo("Europe/Copenhagen")


def som_kendt_pr(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        if len(value) == 10:
            dag = date.fromisoformat(value)
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
    return moment if moment.tzinfo else moment.replace(tzinfo=DANMARK)


def fra_tidspunkt(value: str | None) -> datetime | None:
    """The start of a period: a date means the start of that day (Danish time)."""
    if value is not None and len(value) == 10:
        try:
            return datetime.combine(date.fromisoformat(value), time(), DANMARK)
        except ValueError:
            pass  # som_kendt_pr words the error
    return som_kendt_pr(value)
