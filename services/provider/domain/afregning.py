"""Settlement (afregning) per provider and month: pure, from visit outcomes and rates.

What is paid (the one place; README "Afregning"):
- delivered (also partially) visits: the actual minutes;
- forgæves besøg (the helper came, the citizen was not at home): the planned minutes, since
  the provider's time was spent;
- a citizen's late cancellation (after the catalogue's notice): the planned minutes, since
  the provider could not use the time otherwise; a timely one is not paid;
- a provider's cancellation, a paused or ended visit, a visit still planned: nothing.
Granted (visiterede) minutes are the grant's weekly time over the month's days (one
definition with tilsyn: `shared.contracts.bevilget_tid`), without the days the order was
paused (indlæggelse: the kommune grants no help while the citizen is in hospital;
`shared.contracts.bevilget_tid.Pauser`); planned minutes are the visits on the plan that
were not ended or paused.

Helhedspleje (ældreloven § 10, indsats AEL10) is settled as what it is: its own line,
`helhedspleje`, at the rate table's `helhedspleje` rate, with granted minutes from the
forløb's frame (hours per week, by `shared.contracts.bevilget_tid`), not from the rounded
visits of the spread the provider starts from. Its visits are paid like any other (actual,
forgæves, late-cancelled minutes). The order itself stays a personal-care order for
planning and approval; only settlement tells it apart, by its indsats code.

A rate table from before helhedspleje has no such rate. Then the line is priced at the
personal-care rate (what a forløb was paid before it had a line of its own), and the line
says so: its `takst_kategori` is `personlig` instead of its own category. Every other line
names its own category there. A category with no rate at all is priced at 0, as before.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from shared.contracts.bevilget_tid import HELHEDSPLEJE_KODE
from shared.kernel import DomainRuleViolation

KATEGORIER = ("personlig", "praktisk", "madservice", "rehabilitering")
#: Helhedspleje's own line (shown only in a month that has some), and the rate it falls
#: back to in a rate table that has none for it.
HELHEDSPLEJE = "helhedspleje"
TAKST_I_STEDET = {HELHEDSPLEJE: "personlig"}
OERE = Decimal("0.01")


@dataclass(frozen=True)
class Takst:
    """One version of the hourly rates (kr per hour), valid from a day until the next."""

    version: str
    gyldig_fra: date
    kr_pr_time: Mapping[str, Decimal]


@dataclass(frozen=True)
class Udfald:
    """One visit's outcome as settlement sees it."""

    kategori: str
    status: str
    planlagte_minutter: int
    faktiske_minutter: int | None = None
    aflyst_af: str | None = None
    rettidig: bool | None = None


@dataclass
class Kategorilinje:
    kategori: str
    visiterede_minutter: int = 0
    planlagte_besoeg: int = 0
    planlagte_minutter: int = 0
    leverede_besoeg: int = 0
    leverede_minutter: int = 0
    forgaeves_besoeg: int = 0
    forgaeves_minutter: int = 0
    sent_aflyste_besoeg: int = 0
    sent_aflyste_minutter: int = 0
    kr_pr_time: Decimal = Decimal(0)
    #: the rate table's category the line was priced at (its own, or a fallback)
    takst_kategori: str = ""
    afregnede_minutter: int = 0
    beloeb: Decimal = Decimal(0)


@dataclass
class Afregning:
    leverandoer_id: str
    maaned: str
    takst_version: str
    linjer: list[Kategorilinje] = field(default_factory=list)

    @property
    def afregnede_minutter(self) -> int:
        return sum(linje.afregnede_minutter for linje in self.linjer)

    @property
    def beloeb(self) -> Decimal:
        return sum((linje.beloeb for linje in self.linjer), Decimal(0))


def afregningskategori(kategori: str, indsats_kode: str) -> str:
    """The settlement line a visit or grant belongs on: a helhedspleje forløb's own, else
    its order's category."""
    return HELHEDSPLEJE if indsats_kode == HELHEDSPLEJE_KODE else kategori


def takst_for(takst: Takst, kategori: str) -> tuple[str, Decimal]:
    """(the category priced at, kr per hour): the line's own rate, else its fallback's."""
    if kategori not in takst.kr_pr_time and kategori in TAKST_I_STEDET:
        kategori = TAKST_I_STEDET[kategori]
    return kategori, takst.kr_pr_time.get(kategori, Decimal(0))


def gaeldende_takst(takster: Iterable[Takst], dag: date) -> Takst:
    found = [t for t in takster if t.gyldig_fra <= dag]
    if not found:
        raise DomainRuleViolation(
            "ingen-takst",
            f"Der er ingen takst gældende {dag.isoformat()}.",
            f"No rate table is valid on {dag.isoformat()}.",
        )
    return max(found, key=lambda t: t.gyldig_fra)


def afregn(
    leverandoer_id: str,
    foerste_dag: date,
    udfald: Iterable[Udfald],
    visiteret: Mapping[str, int],
    takster: Iterable[Takst],
) -> Afregning:
    """The month starting `foerste_dag`: `udfald` are its visits, `visiteret` the granted
    minutes per settlement line (`afregningskategori`). The rate is the one valid on the
    month's first day."""
    takst = gaeldende_takst(takster, foerste_dag)
    linjer = {k: Kategorilinje(k, visiterede_minutter=visiteret.get(k, 0)) for k in KATEGORIER}
    for k in visiteret:
        linjer.setdefault(k, Kategorilinje(k, visiterede_minutter=visiteret[k]))
    for u in udfald:
        linje = linjer.setdefault(u.kategori, Kategorilinje(u.kategori))
        if u.status not in ("afsluttet", "pauset"):
            linje.planlagte_besoeg += 1
            linje.planlagte_minutter += u.planlagte_minutter
        if u.status in ("leveret", "delvist_leveret"):
            linje.leverede_besoeg += 1
            linje.leverede_minutter += u.faktiske_minutter or 0
        elif u.status == "forgaeves":
            linje.forgaeves_besoeg += 1
            linje.forgaeves_minutter += u.planlagte_minutter
        elif u.status == "aflyst" and u.aflyst_af == "borger" and u.rettidig is False:
            linje.sent_aflyste_besoeg += 1
            linje.sent_aflyste_minutter += u.planlagte_minutter
    for linje in linjer.values():
        linje.takst_kategori, linje.kr_pr_time = takst_for(takst, linje.kategori)
        linje.afregnede_minutter = (
            linje.leverede_minutter + linje.forgaeves_minutter + linje.sent_aflyste_minutter
        )
        linje.beloeb = (Decimal(linje.afregnede_minutter) * linje.kr_pr_time / 60).quantize(
            OERE, ROUND_HALF_UP
        )
    return Afregning(
        leverandoer_id,
        f"{foerste_dag.year:04d}-{foerste_dag.month:02d}",
        takst.version,
        sorted(linjer.values(), key=lambda x: x.kategori),
    )
