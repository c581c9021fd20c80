"""The provider's delivery rules as pure functions: cancellation notice, replacement duty,
deadlines. The aggregate calls them; tests call them directly. No I/O, no clock: "today"
is always an argument, so a deadline check gives the same answer on every replay.

Total: a moment at the edge of what `datetime` holds (year 1 or 9999 with a zone offset,
refused by the API today but possibly stored before) gives an answer, never an
`OverflowError`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from services.provider.domain.planning import VINDUE_START_TIME, er_arbejdsdag, vindue_interval
from services.provider.domain.values import Levering, Leveringsregler
from shared.kernel import DomainRuleViolation
from shared.kernel.loefte import Loefte
from shared.kernel.lukkedage import Lukkedage
from shared.kernel.personoplysning import Personoplysning
from shared.kernel.tidsramme import plus_dage

DANMARK = ZoneInfo("Europe/Copenhagen")
KANALER = ("fysisk", "skaerm")
FORGAEVES_AARSAGER = ("ikke_hjemme", "ingen_adgang", "usikre_forhold")


def dansk_dato(tidspunkt: datetime) -> date:
    try:
        return tidspunkt.astimezone(DANMARK).date()
    except OverflowError:
        # Danish time would fall outside year 1-9999: the day as written is as close as
        # any calendar gets.
        return tidspunkt.date()


def _forskel(senere: datetime, tidligere: datetime) -> timedelta:
    """`senere - tidligere` as elapsed time, each counted at its own UTC offset (so a DST
    change between them counts), without converting either to UTC, which can overflow."""
    vaegur = senere.replace(tzinfo=None) - tidligere.replace(tzinfo=None)
    return vaegur - ((senere.utcoffset() or timedelta()) - (tidligere.utcoffset() or timedelta()))


def varsel_timer(besoeg_dato: date, tidsvindue: str, aflyst: datetime) -> float:
    """Hours between the cancellation and the start of the visit's time window."""
    start = datetime.combine(besoeg_dato, time(VINDUE_START_TIME.get(tidsvindue, 8)), DANMARK)
    # Not `start - aflyst`: subtracting two times that share a tzinfo ignores a DST change.
    return round(_forskel(start, aflyst).total_seconds() / 3600, 2)


def er_rettidig(besoeg_dato: date, aflyst: datetime, regler: Leveringsregler) -> bool:
    """Herlev: the citizen cancels "dagen forud" (aflysningsfrist_dage_foer = 1): on time
    when the Danish calendar day of the cancellation is at least that many days before."""
    # Days between, not `besoeg_dato - n days`: that overflows on the first day of year 1.
    return (besoeg_dato - dansk_dato(aflyst)).days >= regler.aflysningsfrist_dage_foer


def erstatning_skyldig(aflyst_af: str, rettidig: bool, regler: Leveringsregler) -> bool:
    """A provider's cancellation always owes a replacement where the catalogue says so; a
    citizen's only when timely and the catalogue grants it (grundig rengøring in Herlev).
    A late cancellation or not being at home never does."""
    if aflyst_af == "leverandoer":
        return regler.erstatning_ved_leverandoeraflysning
    return rettidig and regler.erstatning_ved_rettidig_borgeraflysning


def erstatningsfrist(besoeg_dato: date, aflyst: datetime, regler: Leveringsregler) -> date:
    """Last day the replacement may be delivered: "leveres inden 8 dage", counted from the
    cancelled visit's day, or from the cancellation when that came afterwards."""
    return plus_dage(max(besoeg_dato, dansk_dato(aflyst)), regler.erstatningsfrist_dage)


def _arbejdsdag(dag: date, lukkedage: Lukkedage | None) -> bool:
    return er_arbejdsdag(dag) and (lukkedage is None or not lukkedage.lukket(dag))


def plus_arbejdsdage(start: date, antal: int, lukkedage: Lukkedage | None = None) -> date:
    """`antal` Danish working days after `start` (weekends, public holidays and the
    kommune's own closed days skipped): Friday + 2 is Tuesday; Skærtorsdag + 1 is the
    Tuesday after Easter; 23 December + 1 is the 24th unless the kommune closes then."""
    dag = start
    for _ in range(antal):
        dag = plus_dage(dag, 1)
        while not _arbejdsdag(dag, lukkedage) and dag < date.max:
            dag = plus_dage(dag, 1)
    return dag


def frist_efter(
    start: datetime, loefte: Loefte, lukkedage: Lukkedage | None = None
) -> datetime | date:
    """The end of a promise counted from `start`: an instant when the promise is in hours
    (the duty is due to the minute), otherwise the last Danish calendar day it covers."""
    if loefte.enhed == "timer":
        # Elapsed hours, not wall-clock ones: `start + timedelta` on a Europe/Copenhagen time
        # adds to the wall clock, so "3 hours" across the spring DST change would be 2.
        try:
            return (start.astimezone(UTC) + timedelta(hours=loefte.vaerdi)).astimezone(start.tzinfo)
        except OverflowError:
            pass  # at the edge of year 1 or 9999: no DST there to count, the wall clock does
        try:
            return start + timedelta(hours=loefte.vaerdi)
        except OverflowError:
            return datetime.max.replace(tzinfo=start.tzinfo)
    dag = dansk_dato(start)
    if loefte.enhed == "arbejdsdage":
        return plus_arbejdsdage(dag, loefte.vaerdi, lukkedage)
    return plus_dage(dag, loefte.vaerdi)


def erstatningsfrist_loefte(
    besoeg_dato: date,
    tidsvindue: str,
    aflyst: datetime,
    loefte: Loefte,
    lukkedage: Lukkedage | None = None,
) -> datetime | date:
    """`erstatningsfrist` for a typed promise. Day promises count from the cancelled visit's
    day (or the cancellation's, if later) exactly as before; an hour promise counts from the
    start of the cancelled visit's window, or from the cancellation when that came later."""
    if loefte.enhed == "timer":
        return frist_efter(max(vindue_start(besoeg_dato, tidsvindue), aflyst), loefte)
    start = datetime.combine(max(besoeg_dato, dansk_dato(aflyst)), time(12), DANMARK)
    return frist_efter(start, loefte, lukkedage)


def er_rettidig_loefte(
    besoeg_dato: date,
    tidsvindue: str,
    aflyst: datetime,
    varsel: Loefte,
    lukkedage: Lukkedage | None = None,
) -> bool:
    """A citizen's cancellation judged by a typed notice: in hours against the start of the
    visit's window (33 hours ahead of a 48-hour notice is late), in days as `er_rettidig`."""
    if varsel.enhed == "timer":
        return varsel_timer(besoeg_dato, tidsvindue, aflyst) >= varsel.vaerdi
    dag = dansk_dato(aflyst)
    if varsel.enhed == "arbejdsdage":
        return plus_arbejdsdage(dag, varsel.vaerdi, lukkedage) <= besoeg_dato
    return (besoeg_dato - dag).days >= varsel.vaerdi


def vindue_start(besoeg_dato: date, tidsvindue: str) -> datetime:
    return datetime.combine(besoeg_dato, time(*divmod(vindue_interval(tidsvindue)[0], 60)), DANMARK)


def vindue_slut(besoeg_dato: date, tidsvindue: str) -> datetime:
    _, til = vindue_interval(tidsvindue)
    slut = datetime.combine(besoeg_dato, time(0), DANMARK)
    try:
        return slut + timedelta(minutes=til)
    except OverflowError:  # a night window on 31 December 9999: as late as time goes
        return datetime.max.replace(tzinfo=DANMARK)


def seneste_start(besoeg_dato: date, tidsvindue: str, tolerance: Loefte) -> datetime | date:
    """When a planned visit counts as missed if not yet started (besøg påbegyndt): the end
    of its window plus the kommune's tolerance for a late visit."""
    return frist_efter(vindue_slut(besoeg_dato, tidsvindue), tolerance)


def er_forsinket(
    besoeg_dato: date,
    tidsvindue: str,
    tolerance: Loefte,
    nu: datetime,
    paabegyndt: datetime | None = None,
) -> bool:
    """True when the visit was not started by its latest start: an hour tolerance to the
    minute, a day tolerance once its last day has passed. A check-in after the limit is late
    too; one within it is not."""
    graense = seneste_start(besoeg_dato, tidsvindue, tolerance)
    faktisk = paabegyndt if paabegyndt is not None else nu
    if isinstance(graense, datetime):
        return faktisk > graense
    return dansk_dato(faktisk) > graense


def seneste_start_tidspunkt(besoeg_dato: date, tidsvindue: str, tolerance: Loefte) -> datetime:
    """`seneste_start` as an instant, for events and the late-visit check: a day tolerance
    ends at midnight (Danish time) after its last day."""
    graense = seneste_start(besoeg_dato, tidsvindue, tolerance)
    if isinstance(graense, datetime):
        return graense
    return dagens_slut(graense)


def erstatningsfrist_forsinket(
    besoeg_dato: date, tidsvindue: str, graense: datetime, regler: Leveringsregler
) -> datetime | date:
    """The replacement's deadline for a visit not started by its latest start `graense`:
    as for the provider's own cancellation at that moment (the provider failed the visit
    then), so the kommune's one replacement promise rules both."""
    if regler.erstatningsfrist is None:
        return erstatningsfrist(besoeg_dato, graense, regler)
    return erstatningsfrist_loefte(
        besoeg_dato, tidsvindue, graense, regler.erstatningsfrist, regler.lukkedage
    )


def frist_og_tidspunkt(frist: datetime | date) -> tuple[date, datetime | None]:
    """A deadline as (its Danish day, its instant): the instant only for an hour promise."""
    if isinstance(frist, datetime):
        return dansk_dato(frist), frist
    return frist, None


def afkort_frist(tidspunkt: datetime | None, sidste_dag: date) -> tuple[date, datetime | None]:
    """A deadline cut at an order's last day: that day, and (for an hour promise) the end
    of it, or the instant itself where that comes first."""
    if tidspunkt is None:
        return sidste_dag, None
    return sidste_dag, min(tidspunkt, dagens_slut(sidste_dag))


def dagens_slut(dag: date) -> datetime:
    """Midnight (Danish time) after `dag`: the instant a day deadline runs out."""
    return datetime.combine(plus_dage(dag, 1), time(0), DANMARK)


def kraev_aarsag(
    aarsag: str | Personoplysning | None, regel: str, dansk: str, english: str
) -> None:
    tekst = aarsag.tekst if isinstance(aarsag, Personoplysning) else aarsag
    if tekst is None or not tekst.strip():
        raise DomainRuleViolation(regel, dansk, english)


#: How far ahead of the receiving service's clock a care worker's device may stamp what it
#: reports: phones drift, but a stamp beyond this is not a report of what happened.
TILLADT_URAFVIGELSE = timedelta(minutes=5)


def kontroller_ikke_i_fremtiden(tidspunkt: datetime, nu: datetime, hvad: str, what: str) -> None:
    """A delivery, a visit in vain or a cancellation reports something that has happened:
    one stamped later than now (plus the clock skew above) would let a provider settle, or
    time a cancellation as early enough, ahead of the fact."""
    if tidspunkt > nu + TILLADT_URAFVIGELSE:
        raise DomainRuleViolation(
            f"{hvad}-i-fremtiden",
            f"Tidspunktet for {hvad} ligger ude i fremtiden.",
            f"The time of the {what} is in the future.",
        )


def kontroller_tjek(
    tidspunkt: datetime, medarbejder_id: str, besoeg_dato: date, nu: datetime
) -> None:
    """A check-in or check-out: by a named worker, has happened, not before the visit's day."""
    kraev_aarsag(
        medarbejder_id,
        "tjek-uden-medarbejder",
        "Påbegyndt og afsluttet skal angive medarbejderen.",
        "A check-in or check-out must name the care worker.",
    )
    kontroller_ikke_i_fremtiden(tidspunkt, nu, "besoegstid", "visit time")
    if dansk_dato(tidspunkt) < besoeg_dato:
        raise DomainRuleViolation(
            "besoeg-foer-besoegsdato",
            "Et besøg kan ikke påbegyndes før den planlagte dag.",
            "A visit cannot start before its planned day.",
        )


def kontroller_levering(levering: Levering, besoeg_dato: date, nu: datetime) -> None:
    kontroller_ikke_i_fremtiden(levering.leveret_tidspunkt, nu, "levering", "delivery")
    if dansk_dato(levering.leveret_tidspunkt) < besoeg_dato:
        raise DomainRuleViolation(
            "levering-foer-besoegsdato",
            "Et besøg kan ikke registreres leveret før den planlagte dag.",
            "A visit cannot be delivered before its planned day.",
        )
    if not 0 <= levering.faktiske_minutter <= 600:
        raise DomainRuleViolation(
            "ugyldigt-tidsforbrug",
            "Faktiske minutter skal være mellem 0 og 600.",
            "Actual minutes must be between 0 and 600.",
        )
    if levering.kanal not in KANALER:
        raise DomainRuleViolation(
            "ukendt-kanal",
            "Et besøg leveres fysisk eller som skærmbesøg.",
            "A visit is delivered physically (fysisk) or by screen (skaerm).",
        )
    if levering.delvis:
        kraev_aarsag(
            levering.delvis_aarsag,
            "delvis-levering-uden-aarsag",
            "En delvis levering skal have en årsag.",
            "A partial delivery needs a reason.",
        )
    elif levering.opgaver_ikke_udfoert:
        raise DomainRuleViolation(
            "ikke-udfoerte-opgaver-kraever-delvis",
            "Opgaver der ikke blev udført gør leveringen delvis; angiv årsagen.",
            "Tasks not done make the delivery partial; state the reason.",
        )


def kontroller_erstatningsdato(dato: date, aflyst: datetime, frist: date) -> None:
    if dato > frist:
        raise DomainRuleViolation(
            "erstatning-efter-frist",
            f"Erstatningsbesøget skal ligge senest {frist.isoformat()}.",
            f"The replacement visit must be on or before {frist.isoformat()}.",
        )
    if dato < dansk_dato(aflyst):
        raise DomainRuleViolation(
            "erstatning-foer-aflysning",
            "Et erstatningsbesøg kan ikke ligge før aflysningen.",
            "A replacement visit cannot be before the cancellation.",
        )


#: How long after a worker recorded something on a device offline the service still takes
#: it in a shift sync (synkronisering): a shift's work synced the next day is inside it.
#: Within it, the device's time is the time judged (a cancellation's notice, a delivery's
#: day); a stamp older than this cannot be told from a device clock gone wrong, and the
#: office records it through the ordinary routes instead.
SYNK_GRAENSE = timedelta(hours=48)


def kontroller_synk_tidspunkt(registreret_paa_enhed: datetime, modtaget: datetime) -> None:
    """A synced item is judged by its device time only within SYNK_GRAENSE of receipt,
    and never ahead of receipt beyond the tolerated clock skew."""
    if registreret_paa_enhed < modtaget - SYNK_GRAENSE:
        raise DomainRuleViolation(
            "synkronisering-for-sen",
            "Registreringen er for gammel til at blive synkroniseret (over 48 timer); "
            "kontoret må registrere den.",
            "The item was recorded more than 48 hours before it was synced; the office "
            "must record it.",
        )
    kontroller_ikke_i_fremtiden(registreret_paa_enhed, modtaget, "registrering", "recording")
