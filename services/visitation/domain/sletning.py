"""When the law lets the citizen's personal data be erased (GDPR art. 17 against the
journal duty, art. 17(3)(b)); see docs/personal-data.md.

The rule this service enforces: every case of the citizen is ended (decided, and no grant
still active) and the retention period after the last end has passed (by then the case is
handed to the archive under arkivloven and the municipality's own copy may go). A citizen
with no case at all has nothing under journal duty here. Anything else is refused, naming
the rule: the case record is kept while the journal duty lasts.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol
from uuid import UUID

from shared.kernel import DomainRuleViolation

REGEL = "sletning-kraever-afsluttede-sager-og-udloebet-opbevaring"


class AfsluttetSag(Protocol):
    """What the rule reads of a case (Sag has it)."""

    @property
    def id(self) -> UUID: ...

    @property
    def afsluttet_dato(self) -> date | None: ...


def kraev_sletning_tilladt(sager: Sequence[AfsluttetSag], idag: date, opbevaring_aar: int) -> None:
    for sag in sager:
        afsluttet = sag.afsluttet_dato
        if afsluttet is None:
            raise DomainRuleViolation(
                REGEL,
                f"Sag {sag.id} er ikke afsluttet; den er omfattet af journalpligten "
                "(offentlighedsloven §§ 13, 15) og kan ikke slettes.",
                f"Case {sag.id} has not ended; the journal duty keeps it (GDPR art. 17(3)(b)).",
            )
        if idag < _plus_aar(afsluttet, opbevaring_aar):
            raise DomainRuleViolation(
                REGEL,
                f"Sag {sag.id} blev afsluttet {afsluttet}; opbevaringsperioden på "
                f"{opbevaring_aar} år er ikke udløbet.",
                f"Case {sag.id} ended {afsluttet}; the {opbevaring_aar}-year retention has "
                "not passed.",
            )


def _plus_aar(dato: date, aar: int) -> date:
    if dato.year + aar > date.max.year:
        return date.max  # a retention ending after year 9999 never ends
    try:
        return dato.replace(year=dato.year + aar)
    except ValueError:  # 29 February
        return dato.replace(year=dato.year + aar, day=28)
