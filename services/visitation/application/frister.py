"""Legal clocks across cases: the visitator's work list and the missed-deadline check.

Both take "today" as an argument, so a test (or an operator re-running a missed night)
gets the same answer for the same date. The check is idempotent: each missed deadline is
recorded once per case (FristOverskredet), however often it runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import partial
from uuid import UUID

import structlog
from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import get_topic

from services.visitation.application.visitation_app import VisitationApplication
from services.visitation.catalogue.model import Kvalitetsstandard
from services.visitation.domain.frister import Frist, sagens_frister
from services.visitation.domain.kalender import Arbejdskalender
from services.visitation.domain.noter import Fristoverskridelse, ny_fristoverskridelse
from services.visitation.domain.sag import Sag
from shared.infra.sagsfejl import Sagsfejl, isoleret
from shared.kernel import Aktoer

log = structlog.get_logger("fristkontrol")
SYSTEM = Aktoer("fristkontrol", "system", "visitation")


@dataclass(frozen=True)
class Arbejdsopgave:
    sag_id: UUID
    frist: Frist
    status: str  # aaben | overskredet
    borger_id: UUID | None = None  # whose case (the access log names both)


class Frister:
    def __init__(self, app: VisitationApplication) -> None:
        self.app = app

    def sag_ids(self) -> Iterator[UUID]:
        """Every case, from the store's own log (no read model yet: O(cases) per call)."""
        topic = get_topic(Sag.AnsoegningModtaget)
        start = 1
        while True:
            batch = self.app.recorder.select_notifications(start, 500, topics=[topic])
            if not batch:
                return
            for n in batch:
                yield UUID(str(n.originator_id))
            start = batch[-1].id + 1

    def katalog_for(self, sag: Sag) -> Kvalitetsstandard | None:
        """The decision's own version if decided, else the standard in force at receipt."""
        decided = [a.katalog_version for a in sag.afgoerelser if a.katalog_version]
        if decided:
            return self.app.kvalitetsstandard(decided[-1])
        return self.app.gaeldende_kvalitetsstandard(sag.modtaget_dato)

    def for_sag(self, sag_id: UUID) -> list[Frist]:
        return self.sag_og_frister(sag_id)[1]

    def sag_og_frister(self, sag_id: UUID) -> tuple[Sag, list[Frist]]:
        """The case (whose citizen the access log names) and its deadlines."""
        sag = self.app.hent_sag(sag_id)
        klagesager = self.app.klagesager(sag_id)
        return sag, sagens_frister(sag, self.katalog_for(sag), self.app.kalender, klagesager)

    def arbejdsliste(self, idag: date, horisont_dage: int = 14) -> list[Arbejdsopgave | Sagsfejl]:
        """Open deadlines due within the horizon, and overdue ones, earliest first; a case
        the rules cannot handle comes first as its error row (sagsfejl.py)."""
        ud: list[Arbejdsopgave] = []
        fejl: list[Sagsfejl] = []
        for sag_id in self.sag_ids():
            fundet = isoleret(sag_id, "arbejdsliste", self.sag_og_frister)
            if isinstance(fundet, Sagsfejl):
                fejl.append(fundet)
                continue
            sag, frister = fundet
            for f in frister:
                status = f.status(idag)
                if status == "overskredet" or (
                    status == "aaben" and (f.frist - idag).days <= horisont_dage
                ):
                    ud.append(Arbejdsopgave(sag_id, f, status, sag.borger_id))
        return [*fejl, *sorted(ud, key=lambda o: (o.frist.frist, str(o.sag_id)))]

    def _overskredne(
        self, sag_id: UUID, idag: date, aktoer: Aktoer, kalender: Arbejdskalender
    ) -> tuple[Sag, list[tuple[Frist, Fristoverskridelse]]]:
        sag = self.app.hent_sag(sag_id)
        klagesager = self.app.klagesager(sag_id)
        fundne = []
        for f in sagens_frister(sag, self.katalog_for(sag), kalender, klagesager):
            if f.status(idag) != "overskredet" or f.frist_id in sag.overskredne_frister:
                continue  # only a missed deadline not noted in the case asks the store
            noteret = self.app.fristoverskridelse_noteret(sag_id, f.frist_id)
            ny = ny_fristoverskridelse(sag, noteret, f, idag, aktoer, self.app.ur.now())
            if ny is not None:
                fundne.append((f, ny))
        return sag, fundne

    def kontroller(self, idag: date, aktoer: Aktoer = SYSTEM) -> list[Arbejdsopgave | Sagsfejl]:
        """Record FristOverskredet for every newly missed deadline; returns those recorded,
        and an error row for a case the rules cannot handle (the others are still checked).
        The notes live beside the case (noter.py): the check never races a visitator."""
        nye: list[Arbejdsopgave | Sagsfejl] = []
        kalender = self.app.kalender  # read once per run, not once per case
        for sag_id in self.sag_ids():
            fundet = isoleret(
                sag_id,
                "fristkontrol",
                partial(self._overskredne, idag=idag, aktoer=aktoer, kalender=kalender),
            )
            if isinstance(fundet, Sagsfejl):
                nye.append(fundet)  # nothing of it is saved: the case is as before
                continue
            sag, fundne = fundet
            if not fundne:
                continue
            try:
                self.app.save(*(note for _, note in fundne))
            except IntegrityError:
                # Another check noted them meanwhile; what is left, the next run records.
                log.info("fristkontrol_conflict", case_id=str(sag_id))
                continue
            nye += [Arbejdsopgave(sag_id, f, "overskredet", sag.borger_id) for f, _ in fundne]
        return nye
