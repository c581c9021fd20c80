"""How the provider service reacts to visitation's events: decisions become orders, a
provider switch moves them, an ophør ends them, register changes update its copy.

Visitation owns the provider register and names only providers approved on the help's
start date (it checks its register when the case is decided). Register events are keyed
by provider, orders by case, so an order may arrive before the register event of a
provider approved just before it. Such an order is planned, not dropped: visitation's
decision is the authority, and an order for a provider the copy does not know yet can
only be one visitation approved. The copy's own window check (a refused order,
`BestillingAfvist`) applies to the providers it knows; the placeholder "afventer-valg"
(the citizen has not chosen yet) is never an order.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate

from services.provider.application.provider_app import ProviderApplication
from services.provider.domain.afvisning import Bestillingsafvisning, ikke_godkendt_begrundelse
from services.provider.domain.bestilling import Bestilling
from services.provider.domain.fuldmagt import Fuldmagtskopi
from services.provider.domain.helhedspleje import som_bevilling as helhedspleje_som_bevilling
from services.provider.domain.helhedsplejeramme import Helhedsplejeramme
from services.provider.domain.leverandoerkopi import Leverandoerkopi, Leverandoerkopiindeks
from services.provider.domain.periode import Besoegsplan
from services.provider.domain.values import Leveringsregler
from shared.contracts import PublicEvent, parse_payload
from shared.contracts.bevilget_tid import ugentlige_timer
from shared.contracts.visitation import (
    AfgoerelseTruffetV1,
    BevillingOphoertV1,
    BevillingV1,
    FuldmagtGivetV1,
    FuldmagtTilbagekaldtV1,
    HelhedsplejeV1,
    LeverandoerregisterAendretV1,
    LeverandoerSkiftetV1,
    LeverandoerValgtV1,
    LeveringsreglerV1,
    LoefteV1,
    LukkedageV1,
    PlanlaegningV1,
)
from shared.kernel import Aktoer
from shared.kernel.loefte import Loefte
from shared.kernel.lukkedage import Lukkedage
from shared.kernel.planlaegningsregler import Planlaegningsregler
from shared.kernel.tidsramme import plus_dage
from shared.reference.leverandoerer import Godkendelse, GodkendtLeverandoer

#: The provider system acts on its own behalf when it receives and plans an order.
SYSTEM = Aktoer(id="leverandoer-system", rolle="system", organisation="leverandoerservice")
#: A grant whose provider the citizen has still to choose (visitation's rules.py).
AFVENTER_VALG = "afventer-valg"


def leveringsregler(v: LeveringsreglerV1 | None) -> Leveringsregler | None:
    if v is None:
        return None  # the order applies the defaults (LeveringsreglerV1's)
    return Leveringsregler(
        v.katalog_version,
        v.aflysningsfrist_dage_foer,
        v.erstatning_ved_rettidig_borgeraflysning,
        v.erstatning_ved_leverandoeraflysning,
        v.erstatningsfrist_dage,
        _loefte(v.erstatningsfrist),
        _loefte(v.aflysningsvarsel),
        _loefte(v.forsinkelsestolerance),
        _planlaegning(v.planlaegning),
        _lukkedage(v.lukkedage),
    )


def _planlaegning(v: PlanlaegningV1 | None) -> Planlaegningsregler | None:
    if v is None:
        return None  # the category's defaults (planning.py)
    return Planlaegningsregler.fra_navne(v.ugedage, v.uden_for_ugedage, v.helligdage, v.rytme_anker)


def _lukkedage(v: LukkedageV1 | None) -> Lukkedage | None:
    if v is None or (not v.aarlige and not v.datoer):
        return None
    return Lukkedage(tuple(v.aarlige), tuple(v.datoer))


def _loefte(v: LoefteV1 | None) -> Loefte | None:
    return None if v is None else Loefte(v.vaerdi, v.enhed)


def ny_bestilling(
    b: BevillingV1,
    sag_id: UUID,
    borger_id: UUID,
    occurred_at: datetime,
    forgaenger_id: UUID | None = None,
) -> list[Aggregate]:
    """The new order and the period its first four weeks are planned into."""
    bestilling = Bestilling(
        bevilling_id=b.bevilling_id,
        sag_id=sag_id,
        borger_id=borger_id,
        leverandoer_id=b.leverandoer_id,
        indsats_kode=b.indsats_kode,
        indsats_navn=b.indsats_navn,
        kategori=b.kategori,
        antal=b.hyppighed.antal,
        periode=b.hyppighed.periode,
        minutter_pr_besoeg=b.minutter_pr_besoeg,
        startdato=b.startdato,
        slutdato=b.slutdato,
        aktoer=SYSTEM,
        occurred_at=occurred_at,
        leveringsregler=leveringsregler(b.leveringsregler),
        forgaenger_id=forgaenger_id,
    )
    # Planned from the grant's start, not from "today", so a replay plans the same. A new
    # order has no periods yet: every month of the horizon is known to be empty.
    plan = Besoegsplan(
        bestilling, dict.fromkeys(Besoegsplan.maaneder_til_planlaegning(b.startdato))
    )
    plan.planlaeg(b.startdato, SYSTEM, occurred_at)
    return plan.aendrede()  # the order first, then its period


class ProviderPolicy:
    def __init__(self, app: ProviderApplication) -> None:
        self.app = app

    def forhaand(self, events: Sequence[PublicEvent]) -> None:
        """Whether each granted order of a batch's decisions is known, in one query (the
        consumer calls this before applying; `_afgoerelse` asks per grant)."""
        ids = [
            Bestilling.create_id(b.bevilling_id)
            for event in events
            if event.event_type in ("AfgoerelseTruffet", "LeverandoerValgt")
            and isinstance(p := parse_payload(event), AfgoerelseTruffetV1 | LeverandoerValgtV1)
            for b in p.bevillinger
            if self._vores(b.leverandoer_id)
        ]
        self.app.hurtig_repository.forhaand(ids)

    def __call__(self, event: PublicEvent) -> Sequence[Aggregate]:
        payload = parse_payload(event)
        if isinstance(payload, AfgoerelseTruffetV1 | LeverandoerValgtV1):
            # A grant waiting for the citizen's choice names no provider of ours; the
            # choice (or the municipal default) arrives later as LeverandoerValgt.
            return self._afgoerelse(event, payload)
        if isinstance(payload, LeverandoerSkiftetV1):
            return self._skift(event, payload)
        if isinstance(payload, BevillingOphoertV1):
            return self._ophoer(event, payload)
        if isinstance(payload, FuldmagtGivetV1 | FuldmagtTilbagekaldtV1):
            return self._fuldmagt(event, payload)
        if isinstance(payload, LeverandoerregisterAendretV1):
            return self._leverandoerregister(event, payload)
        return []

    def _leverandoerregister(
        self, event: PublicEvent, p: LeverandoerregisterAendretV1
    ) -> list[Aggregate]:
        """Visitation's snapshot of one provider replaces the copy's."""
        lev = GodkendtLeverandoer(
            p.leverandoer_id,
            p.navn,
            p.type,
            p.cvr,
            tuple(Godkendelse(g.kategori, g.fra, g.til) for g in p.godkendelser),
        )
        changed: list[Aggregate] = []
        kopi = self.app.leverandoerkopi(p.leverandoer_id) or Leverandoerkopi(
            leverandoer_id=p.leverandoer_id
        )
        if kopi.noter(lev, event.recorded_at):
            changed.append(kopi)
        indeks = self.app.leverandoerkopiindeks() or Leverandoerkopiindeks()
        if indeks.tilfoej(p.leverandoer_id):
            changed.append(indeks)
        return changed

    def _vores(self, leverandoer_id: str) -> bool:
        """Every named provider is served here; only the choice placeholder is not one."""
        return leverandoer_id != AFVENTER_VALG

    def _godkendt_ellers_afvis(
        self, b: BevillingV1, event: PublicEvent, borger_id: UUID, changed: list[Aggregate]
    ) -> bool:
        """Is the provider approved for the category on the order's start date? If not, the
        order is refused (once per grant, provider and start) rather than planned."""
        kendt = self.app.leverandoerregister.get(b.leverandoer_id)
        if kendt is None or kendt.godkendt(b.kategori, b.startdato):
            return True  # not known yet: visitation approved it (module docstring)
        afvisning_id = Bestillingsafvisning.create_id(b.bevilling_id, b.leverandoer_id, b.startdato)
        if self.app.findes(afvisning_id):
            return False  # refused before; nothing new
        afvisning = Bestillingsafvisning(
            bevilling_id=b.bevilling_id,
            sag_id=event.case_id,
            borger_id=borger_id,
            leverandoer_id=b.leverandoer_id,
            kategori=b.kategori,
            startdato=b.startdato,
            aarsag="ikke_godkendt_paa_startdato",
            begrundelse=ikke_godkendt_begrundelse(b.leverandoer_id, b.kategori, b.startdato),
            aktoer=SYSTEM,
            occurred_at=event.recorded_at,
        )
        changed.append(afvisning)
        return False

    def _fuldmagt(
        self, event: PublicEvent, payload: FuldmagtGivetV1 | FuldmagtTilbagekaldtV1
    ) -> list[Aggregate]:
        kopi = self.app.fuldmagtskopi(payload.borger_id) or Fuldmagtskopi(
            borger_id=payload.borger_id
        )
        if isinstance(payload, FuldmagtGivetV1):
            changed = kopi.noter(
                payload.fuldmagt_id,
                payload.fuldmagtshaver,
                tuple(payload.omfang),
                payload.gyldig_fra,
                payload.gyldig_til,
                event.recorded_at,
            )
        else:
            changed = kopi.noter_tilbagekaldelse(
                payload.fuldmagt_id, payload.tilbagekaldt_fra, event.recorded_at
            )
        return [kopi] if changed else []

    def _afgoerelse(
        self, event: PublicEvent, payload: AfgoerelseTruffetV1 | LeverandoerValgtV1
    ) -> list[Aggregate]:
        changed: list[Aggregate] = []
        bevillinger = list(payload.bevillinger)
        if isinstance(payload, AfgoerelseTruffetV1) and payload.helhedspleje is not None:
            # Ældreloven: one forløb with a frame instead of single services (helhedspleje.py)
            forloeb = helhedspleje_som_bevilling(payload.helhedspleje)
            if forloeb is not None:
                bevillinger.append(forloeb)
                changed.extend(self._ramme(event, payload.borger_id, payload.helhedspleje))
        for b in bevillinger:
            if not self._vores(b.leverandoer_id):
                continue  # waiting for the citizen's choice: no provider yet
            if self.app.har_bestilling(b.bevilling_id):
                continue
            if not self._godkendt_ellers_afvis(b, event, payload.borger_id, changed):
                continue
            changed.extend(ny_bestilling(b, event.case_id, payload.borger_id, event.recorded_at))
        return changed

    def _ramme(self, event: PublicEvent, borger_id: UUID, h: HelhedsplejeV1) -> list[Aggregate]:
        """The forløb's frame kept beside its order: settlement's granted minutes are the
        frame, not the spread's rounded visits (helhedsplejeramme.py)."""
        timer = ugentlige_timer(h)
        ramme_id = Helhedsplejeramme.create_id(h.forloeb_id)
        if not self._vores(h.leverandoer_id) or not timer or self.app.findes(ramme_id):
            return []
        return [
            Helhedsplejeramme(
                forloeb_id=h.forloeb_id,
                sag_id=event.case_id,
                borger_id=borger_id,
                leverandoer_id=h.leverandoer_id,
                minutter_pr_uge=timer * 60,
                startdato=h.startdato,
                slutdato=h.slutdato,
                aktoer=SYSTEM,
                occurred_at=event.recorded_at,
            )
        ]

    def _skift(self, event: PublicEvent, payload: LeverandoerSkiftetV1) -> list[Aggregate]:
        """Frit valg: the old order ends the day before `gyldig_fra` ("leverandoerskift", no
        replacement owed) and the new provider gets an order that names its predecessor."""
        changed: list[Aggregate] = []
        for b in payload.bevillinger:
            current = self.app.aktiv_bestilling(b.bevilling_id)
            ours = self._vores(b.leverandoer_id)
            if current is None:
                if ours and self._godkendt_ellers_afvis(b, event, payload.borger_id, changed):
                    changed.extend(
                        ny_bestilling(b, event.case_id, payload.borger_id, event.recorded_at)
                    )
                continue
            if not current.aktiv or current.leverandoer_id == b.leverandoer_id:
                continue  # ended already, or this switch was applied before
            if ours and not self._godkendt_ellers_afvis(b, event, payload.borger_id, changed):
                # The old provider goes on until visitation chooses an approved one: a
                # refused switch must not leave the citizen without help.
                continue
            new_id = Bestilling.create_id(b.bevilling_id, b.leverandoer_id, current.id)
            plan = self.app.besoegsplan_fra(current, payload.gyldig_fra)
            plan.afslut(
                plus_dage(payload.gyldig_fra, -1),
                "leverandoerskift",
                new_id,
                SYSTEM,
                event.recorded_at,
            )
            changed.extend(plan.aendrede())
            if ours:
                changed.extend(
                    ny_bestilling(
                        b, event.case_id, payload.borger_id, event.recorded_at, current.id
                    )
                )
        return changed

    def _ophoer(self, event: PublicEvent, payload: BevillingOphoertV1) -> list[Aggregate]:
        changed: list[Aggregate] = []
        for bevilling_id in payload.bevilling_ids:
            current = self.app.aktiv_bestilling(bevilling_id)
            if current is not None and current.aktiv:
                plan = self.app.besoegsplan_fra(current, plus_dage(payload.ophoersdato, 1))
                plan.afslut(payload.ophoersdato, payload.aarsag, None, SYSTEM, event.recorded_at)
                changed.extend(plan.aendrede())
        return changed
