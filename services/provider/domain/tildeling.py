"""Staffing planned visits (pure): a fixed helper where possible, never two visits of one
helper at the same time, each visit inside its time window and the helper's working hours.

"Så få hjælpere i borgerens hjem som muligt" (domain brief 2.x): a citizen's fixed helper is
the one who has had most of their visits so far; a citizen with none gets the first helper
found and keeps them. Visits are placed greedily in a fixed order, so the same input always
gives the same plan.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from services.provider.domain.planning import vindue_interval
from shared.kernel import DomainRuleViolation

#: Minutes between two visits of one helper (driving to the next citizen).
KOERETID_MINUTTER = 10
KATEGORIER = ("personlig", "praktisk", "madservice", "rehabilitering")


@dataclass(frozen=True)
class Medarbejder:
    """One helper of a provider's roster (stored inside StabFastlagt events)."""

    medarbejder_id: str
    navn: str = ""
    kategorier: tuple[str, ...] = KATEGORIER
    arbejdsdage: tuple[int, ...] = (0, 1, 2, 3, 4)  # 0 = Monday
    fra_minut: int = 7 * 60
    til_minut: int = 15 * 60


@dataclass(frozen=True)
class Tildeling:
    """A helper assigned to a visit, with the planned start (minutes after midnight)."""

    besoeg_id: UUID
    medarbejder_id: str
    start_minut: int


@dataclass(frozen=True)
class Opgave:
    """A visit to be staffed."""

    besoeg_id: UUID
    borger_id: UUID
    kategori: str
    dato: date
    tidsvindue: str
    minutter: int


def kontroller_stab(medarbejdere: Iterable[Medarbejder]) -> None:
    seen: set[str] = set()
    for m in medarbejdere:
        if m.medarbejder_id in seen:
            raise DomainRuleViolation(
                "medarbejder-dublet",
                f"Medarbejderen {m.medarbejder_id} står to gange på listen.",
                f"Staff member {m.medarbejder_id} appears twice.",
            )
        seen.add(m.medarbejder_id)
        if not 0 <= m.fra_minut < m.til_minut <= 24 * 60:
            raise DomainRuleViolation(
                "ugyldig-arbejdstid",
                "Arbejdstiden skal ligge inden for døgnet og slutte efter den begynder.",
                "Working hours must lie within the day and end after they start.",
            )
        if not set(m.arbejdsdage) <= set(range(7)) or not set(m.kategorier) <= set(KATEGORIER):
            raise DomainRuleViolation(
                "ugyldig-medarbejder",
                "Ukendt ugedag eller ydelseskategori.",
                "Unknown weekday or service category.",
            )


def faste_hjaelpere(historik: Iterable[tuple[UUID, str]]) -> dict[UUID, str]:
    """(citizen, helper) of every staffed visit so far -> each citizen's fixed helper: the
    helper with most visits, ties to the smallest id (deterministic)."""
    counts: dict[UUID, Counter[str]] = defaultdict(Counter)
    for borger, medarbejder in historik:
        counts[borger][medarbejder] += 1
    return {b: min(c, key=lambda m: (-c[m], m)) for b, c in counts.items()}


def _ledig_start(travlt: list[tuple[int, int]], fra: int, til: int, minutter: int) -> int | None:
    """Earliest start in [fra, til - minutter] that keeps KOERETID to every busy interval."""
    t = fra
    for s, e in sorted(travlt):
        if t + minutter + KOERETID_MINUTTER <= s:
            break
        t = max(t, e + KOERETID_MINUTTER)
    return t if t + minutter <= til else None


def tildel(
    opgaver: Iterable[Opgave],
    stab: Iterable[Medarbejder],
    optaget: Mapping[tuple[str, date], Iterable[tuple[int, int]]],
    faste: Mapping[UUID, str],
) -> list[Tildeling]:
    """Assign helpers to visits. `optaget` holds the intervals helpers are already booked
    (visits staffed earlier), `faste` each citizen's fixed helper. A visit no helper can
    take is left out of the result (shown as unstaffed on the day list)."""
    staff = sorted(stab, key=lambda m: m.medarbejder_id)
    busy: dict[tuple[str, date], list[tuple[int, int]]] = defaultdict(list)
    for key, intervals in optaget.items():
        busy[key].extend(intervals)
    fixed = dict(faste)
    result: list[Tildeling] = []
    order = sorted(
        opgaver,
        key=lambda o: (o.dato, vindue_interval(o.tidsvindue), str(o.borger_id), str(o.besoeg_id)),
    )
    for o in order:
        w_fra, w_til = vindue_interval(o.tidsvindue)

        def load(m: Medarbejder, dato: date = o.dato) -> int:
            return sum(e - s for s, e in busy[(m.medarbejder_id, dato)])

        candidates = [
            m for m in staff if o.kategori in m.kategorier and o.dato.weekday() in m.arbejdsdage
        ]
        candidates.sort(key=lambda m: (m.medarbejder_id != fixed.get(o.borger_id), load(m)))
        for m in candidates:
            start = _ledig_start(
                busy[(m.medarbejder_id, o.dato)],
                max(w_fra, m.fra_minut),
                min(w_til, m.til_minut),
                o.minutter,
            )
            if start is not None:
                busy[(m.medarbejder_id, o.dato)].append((start, start + o.minutter))
                fixed.setdefault(o.borger_id, m.medarbejder_id)
                result.append(Tildeling(o.besoeg_id, m.medarbejder_id, start))
                break
    return result
