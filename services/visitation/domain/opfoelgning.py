"""After the decision: frit valg switches (§ 91), ophør of grants, and the provider's
delivery failures recorded on the case (§ 90 follow-up). Sag inherits this part.

Event classes live here and are stored under this module's topic.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.visitation.domain import upcasting
from services.visitation.domain.kalender import foerste_i_maaneden_efter_naeste
from services.visitation.domain.kriterier import kraev_frit_valg
from services.visitation.domain.values import Bevilling
from shared.kernel import Aktoer, DomainRuleViolation
from shared.reference.leverandoerer import Leverandoerregister

if TYPE_CHECKING:
    from services.visitation.domain.values import Afgoerelse

OPHOERSAARSAGER = frozenset(
    {"doedsfald", "fraflytning", "plejebolig", "udloeb", "ny_afgoerelse", "andet"}
)


def skifte_dato(anmodet: date) -> date:
    """§ 91: a switch takes effect on the first day of the month after next."""
    return foerste_i_maaneden_efter_naeste(anmodet)


class Opfoelgningsdel(Aggregate):
    """Sag calls `_init_opfoelgning` from its creation."""

    if TYPE_CHECKING:
        borger_id: UUID
        afgoerelser: list[Afgoerelse]

    class LeverandoerSkiftet(Aggregate.Event):
        # v2: the grants' individual reasons are Personoplysning (upcasting.py).
        class_version = 2
        upcast_v1_v2 = staticmethod(upcasting.bevillinger_v1_v2)

        kategori: str
        fra_leverandoer_id: str
        til_leverandoer_id: str
        anmodet_dato: date
        gyldig_fra: date
        bevillinger: tuple[Bevilling, ...]
        borger_id: UUID
        aktoer: Aktoer
        occurred_at: datetime

    class BevillingOphoert(Aggregate.Event):
        bevilling_ids: tuple[UUID, ...]
        ophoersdato: date
        aarsag: str
        borger_id: UUID
        aktoer: Aktoer
        occurred_at: datetime

    # The two notes below were written by the code before they moved beside the case, to
    # one Leveringsnoter per month (noter.py): kept so those cases replay.
    class LeveringSvigtNoteret(Aggregate.Event):
        besoeg_id: UUID
        leverandoer_id: str
        oprindelig_dato: date
        aarsag: str
        aktoer: Aktoer
        occurred_at: datetime

    class BestillingAfvistNoteret(Aggregate.Event):
        """The provider refused an order (not approved for the category on its start)."""

        bevilling_id: UUID
        leverandoer_id: str
        kategori: str
        startdato: date
        begrundelse: str
        aktoer: Aktoer
        occurred_at: datetime

    def _init_opfoelgning(self) -> None:
        self.skiftede_bevillinger: dict[UUID, Bevilling] = {}
        self.ophoerte_bevillinger: dict[UUID, date] = {}
        #: besoeg_id -> (leverandoer_id, date): § 90 follow-up for the visitator, as noted
        #: in the case's own history before the cut (new ones: Leveringsnoter, noter.py)
        self.leveringssvigt: dict[UUID, tuple[str, date]] = {}
        #: (bevilling_id, leverandoer_id, startdato) -> reason: the visitator must choose
        #: an approved provider for these grants (before the cut, as above).
        self.afviste_bestillinger: dict[tuple[UUID, str, date], str] = {}

    @property
    def aktive_bevillinger(self) -> dict[UUID, Bevilling]:
        """Granted, with the provider currently chosen, and not ended."""
        alle = {b.bevilling_id: b for a in self.afgoerelser for b in a.bevillinger}
        alle.update(self.skiftede_bevillinger)
        return {i: b for i, b in alle.items() if i not in self.ophoerte_bevillinger}

    @property
    def afsluttet_dato(self) -> date | None:
        """The day the case ended: decided and no grant still active (the last grant's end,
        or the decision's date when nothing was granted). None while it is open."""
        if not self.afgoerelser or self.aktive_bevillinger:
            return None
        return max(
            [a.truffet_dato for a in self.afgoerelser] + list(self.ophoerte_bevillinger.values())
        )

    # -- commands ------------------------------------------------------------------
    def skift_leverandoer(
        self,
        kategori: str,
        til_leverandoer_id: str,
        anmodet_dato: date,
        aktoer: Aktoer,
        occurred_at: datetime,
        *,
        leverandoerer: Leverandoerregister,
    ) -> date:
        """The citizen chooses another approved provider for one category (§ 91)."""
        beroert = [b for b in self.aktive_bevillinger.values() if b.kategori == kategori]
        if not beroert:
            raise DomainRuleViolation(
                "leverandoerskift-uden-bevilling",
                f"Borgeren har ingen aktiv bevilling af {kategori} hjælp at skifte leverandør på.",
                f"The citizen has no active {kategori} grant to switch provider on.",
            )
        fra = beroert[0].leverandoer_id
        if all(b.leverandoer_id == til_leverandoer_id for b in beroert):
            raise DomainRuleViolation(
                "leverandoerskift-samme-leverandoer",
                f"{til_leverandoer_id} leverer allerede {kategori} hjælp til borgeren.",
                f"{til_leverandoer_id} already delivers {kategori} help to the citizen.",
            )
        gyldig_fra = skifte_dato(anmodet_dato)
        if not leverandoerer.er_godkendt(til_leverandoer_id, kategori, gyldig_fra):
            raise DomainRuleViolation(
                "leverandoer-ikke-godkendt",
                f"{til_leverandoer_id} er ikke godkendt til {kategori} hjælp den {gyldig_fra}, "
                "hvor skiftet træder i kraft.",
                f"{til_leverandoer_id} is not approved for {kategori} help on {gyldig_fra}, "
                "when the switch takes effect.",
            )
        nye = tuple(
            dataclasses.replace(
                b, leverandoer_id=til_leverandoer_id, startdato=max(b.startdato, gyldig_fra)
            )
            for b in beroert
            if b.slutdato is None or b.slutdato >= gyldig_fra
        )
        for b in nye:
            kraev_frit_valg(b, leverandoerer)
        if not nye:
            raise DomainRuleViolation(
                "leverandoerskift-efter-udloeb",
                "Bevillingen udløber før skiftet ville træde i kraft.",
                "The grant ends before the switch would take effect.",
            )
        self._leverandoer_skiftet(
            kategori,
            fra,
            til_leverandoer_id,
            anmodet_dato,
            gyldig_fra,
            nye,
            self.borger_id,
            aktoer,
            occurred_at,
        )
        return gyldig_fra

    def ophoer_bevillinger(
        self,
        bevilling_ids: tuple[UUID, ...],
        ophoersdato: date,
        aarsag: str,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> tuple[UUID, ...]:
        """End grants (death, move, plejebolig, expiry, a new decision). No ids: all active."""
        aktive = self.aktive_bevillinger
        ids = bevilling_ids or tuple(aktive)
        if aarsag not in OPHOERSAARSAGER:
            raise DomainRuleViolation(
                "ukendt-ophoersaarsag",
                f"Ophørsårsagen {aarsag!r} findes ikke.",
                f"Unknown reason for ending {aarsag!r}.",
            )
        if not ids or any(i not in aktive for i in ids):
            raise DomainRuleViolation(
                "ophoer-ukendt-bevilling",
                "Kun aktive bevillinger i sagen kan ophøre.",
                "Only active grants of the case can end.",
            )
        if aarsag == "udloeb" and any(aktive[i].slutdato != ophoersdato for i in ids):
            raise DomainRuleViolation(
                "udloeb-kun-paa-slutdato",
                "En tidsbegrænset bevilling udløber på sin slutdato.",
                "A time-limited grant expires on its end date.",
            )
        if any(ophoersdato < self._truffet(i) for i in ids):
            raise DomainRuleViolation(
                "ophoer-foer-afgoerelse",
                "En bevilling kan ikke ophøre før afgørelsen, der gav den.",
                "A grant cannot end before the decision that gave it.",
            )
        self._bevilling_ophoert(ids, ophoersdato, aarsag, self.borger_id, aktoer, occurred_at)
        return ids

    def _truffet(self, bevilling_id: UUID) -> date:
        return next(
            a.truffet_dato
            for a in self.afgoerelser
            if any(b.bevilling_id == bevilling_id for b in a.bevillinger)
        )

    # -- events ----------------------------------------------------------------------
    @event(LeverandoerSkiftet)
    def _leverandoer_skiftet(
        self,
        kategori: str,
        fra_leverandoer_id: str,
        til_leverandoer_id: str,
        anmodet_dato: date,
        gyldig_fra: date,
        bevillinger: tuple[Bevilling, ...],
        borger_id: UUID,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> None:
        for b in bevillinger:
            self.skiftede_bevillinger[b.bevilling_id] = b

    @event(BevillingOphoert)
    def _bevilling_ophoert(
        self,
        bevilling_ids: tuple[UUID, ...],
        ophoersdato: date,
        aarsag: str,
        borger_id: UUID,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> None:
        for i in bevilling_ids:
            self.ophoerte_bevillinger[i] = ophoersdato

    @event(LeveringSvigtNoteret)
    def _levering_svigt_noteret(
        self,
        besoeg_id: UUID,
        leverandoer_id: str,
        oprindelig_dato: date,
        aarsag: str,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> None:
        self.leveringssvigt[besoeg_id] = (leverandoer_id, oprindelig_dato)

    @event(BestillingAfvistNoteret)
    def _bestilling_afvist_noteret(
        self,
        bevilling_id: UUID,
        leverandoer_id: str,
        kategori: str,
        startdato: date,
        begrundelse: str,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> None:
        self.afviste_bestillinger[(bevilling_id, leverandoer_id, startdato)] = begrundelse
