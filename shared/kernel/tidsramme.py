"""The window of dates and times the services accept (pure; no clock reading).

A date far outside a care case's life (year 9999, year 1) is a typo or an attack, and
it turns ordinary deadline arithmetic (+4 weeks, +1 month, the next working day) into an
`OverflowError` that used to escape as a 500 and, stored in an event, broke every later
read of the case. So the APIs refuse anything outside this window (422), and the rules use
the saturating helpers below for arithmetic on values that were stored before the window
existed: whatever one service accepts, every consumer can still compute with.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from shared.kernel.errors import DomainRuleViolation

#: Older than any living citizen's date of birth, so CPR-derived dates fit too.
FOERSTE_DATO = date(1900, 1, 1)
#: Far beyond any grant, deadline or retention period, yet centuries from `date.max`, so
#: years of deadline arithmetic on a date in the window never overflow.
SIDSTE_DATO = date(2199, 12, 31)
FOERSTE_TIDSPUNKT = datetime(1900, 1, 1, tzinfo=UTC)
SIDSTE_TIDSPUNKT = datetime(2199, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)
#: The largest UTC offset in use anywhere (Kiribati, +14:00; -12:00 the other way).
STOERSTE_FORSKYDNING = timedelta(hours=14)


def dato_i_rammen(dag: date) -> bool:
    return FOERSTE_DATO <= dag <= SIDSTE_DATO


def tidspunkt_i_rammen(tidspunkt: datetime) -> bool:
    """Aware, with a real-world offset, and an instant inside the window."""
    forskydning = tidspunkt.utcoffset()
    if forskydning is None or abs(forskydning) > STOERSTE_FORSKYDNING:
        return False
    # Compare without converting: `astimezone` itself overflows near year 1 and 9999.
    return FOERSTE_TIDSPUNKT <= tidspunkt <= SIDSTE_TIDSPUNKT


def kraev_dato(dag: date, felt: str) -> date:
    if not dato_i_rammen(dag):
        raise DomainRuleViolation(
            "dato-uden-for-rammen",
            f"{felt} skal ligge mellem {FOERSTE_DATO} og {SIDSTE_DATO}.",
            f"{felt} must be between {FOERSTE_DATO} and {SIDSTE_DATO}.",
        )
    return dag


def kraev_tidspunkt(tidspunkt: datetime, felt: str) -> datetime:
    if not tidspunkt_i_rammen(tidspunkt):
        raise DomainRuleViolation(
            "tidspunkt-uden-for-rammen",
            f"{felt} skal have en tidszone (højst ±14 timer) og ligge mellem "
            f"{FOERSTE_DATO} og {SIDSTE_DATO} (UTC).",
            f"{felt} must carry a zone offset (at most ±14 hours) and lie between "
            f"{FOERSTE_DATO} and {SIDSTE_DATO} (UTC).",
        )
    return tidspunkt


def plus_dage(dag: date, dage: int = 0, *, uger: int = 0) -> date:
    """`dag` moved by days and weeks, saturating at `date.min`/`date.max` instead of raising
    `OverflowError`: a deadline beyond year 9999 is "never" for every practical purpose."""
    try:
        return dag + timedelta(days=dage, weeks=uger)
    except OverflowError:
        return date.max if dage + 7 * uger > 0 else date.min
