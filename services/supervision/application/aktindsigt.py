"""Aktindsigt: register a request with its deadline, generate and record the answer."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from services.supervision.application.projektioner import Tilsynsprojektioner
from services.supervision.application.supervision_app import SupervisionApplication
from services.supervision.domain.aktindsigt import Aktindsigtsanmodning
from services.supervision.domain.aktindsigt_svar import byg_svar
from shared.infra.aggregatopslag import hent_eller_ikke_fundet
from shared.kernel import Aktoer
from shared.kernel.personoplysning import som_visning


class Aktindsigt:
    def __init__(self, app: SupervisionApplication, projektioner: Tilsynsprojektioner) -> None:
        self.app = app
        self.projektioner = projektioner

    def anmod(
        self,
        sag_id: UUID,
        anmoder: str,
        egenskab: str,
        omfang: str,
        modtaget_dato: date,
        aktoer: Aktoer,
    ) -> Aktindsigtsanmodning:
        self.app.hent_forloeb(sag_id)  # the case must be known to supervision
        # Who asks and what for is sealed under the citizen's key (aktindsigt.py).
        anmodning = Aktindsigtsanmodning.anmod(
            sag_id,
            anmoder,
            egenskab,
            omfang,
            modtaget_dato,
            aktoer.as_dict(),
            self.app.borger_id(sag_id),
        )
        self.app.save(anmodning)
        return anmodning

    def hent(self, anmodning_id: UUID) -> Aktindsigtsanmodning:
        return hent_eller_ikke_fundet(
            self.app.repository, anmodning_id, Aktindsigtsanmodning, "aktindsigtsanmodning"
        )

    def vis(self, anmodning: Aktindsigtsanmodning) -> dict[str, Any]:
        """The request as served: its personal data as text, or the placeholder once the
        citizen's key is erased (also for an aggregate read before the erasure)."""
        vist: dict[str, Any] = som_visning(anmodning.som_dict(), self.app.er_slettet)
        return vist

    def svar(self, anmodning_id: UUID, som_kendt_pr: datetime, nu: datetime) -> dict[str, Any]:
        """The answer generated from the history as recorded by `som_kendt_pr`."""
        anmodning = self.hent(anmodning_id)
        sag_id = UUID(anmodning.sag_id)
        # Through the case cache (sagslaeser.py): a replay of a case with a thousand
        # events costs ~100 ms, the cache one indexed query.
        historik = self.app.historik(sag_id, som_kendt_pr)
        borger_id = self.app.borger_id(sag_id)
        # The log across every service: reads of the case and of the citizen's data.
        opslag, fund = self.projektioner.laes(
            lambda p: (p.adgangslog.for_sag(sag_id, borger_id), p.tilsynsfund.for_sag(sag_id))
        )

        def kendt(poster: list[dict[str, Any]]) -> list[dict[str, Any]]:
            return [p for p in poster if datetime.fromisoformat(p["tidspunkt"]) <= som_kendt_pr]

        return byg_svar(
            self.vis(anmodning),
            historik,
            kendt(opslag),
            som_kendt_pr.isoformat(),
            nu.isoformat(),
            # The index keeps each finding's Personoplysning: rendered here, as erased now.
            som_visning(kendt(fund), self.app.er_slettet),
        )

    def besvar(
        self, anmodning_id: UUID, som_kendt_pr: datetime, nu: datetime, aktoer: Aktoer
    ) -> dict[str, Any]:
        """Record that the answer went out: what it contained and what was withheld."""
        svar = self.svar(anmodning_id, som_kendt_pr, nu)
        anmodning = self.hent(anmodning_id)
        anmodning.besvar(
            nu.date(),
            svar["som_kendt_pr"],
            svar["antal_medtaget"],
            svar["undtaget"],
            aktoer.as_dict(),
        )
        self.app.save(anmodning)
        svar["anmodning"] = self.vis(anmodning)
        return svar
