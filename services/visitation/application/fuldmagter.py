"""Recording and revoking a citizen's fuldmagter, and the check visitation's own routes use.

Kept beside VisitationApplication (not in it) so the fuldmagt stays one small module.
"""

from __future__ import annotations

import uuid
from datetime import date
from uuid import UUID

from services.visitation.application.visitation_app import VisitationApplication
from services.visitation.domain.borger import Borger
from services.visitation.domain.fuldmagt import Fuldmagtsregister
from shared.infra.aggregatopslag import hent_eller_none
from shared.infra.auth import Principal
from shared.kernel import Aktoer, NotFound
from shared.kernel.fuldmagt import Fuldmagt, Fuldmagter


class Fuldmagtsbehandling:
    def __init__(self, app: VisitationApplication) -> None:
        self.app = app

    def _register(self, borger_id: UUID) -> Fuldmagtsregister | None:
        return hent_eller_none(
            self.app.repository, Fuldmagtsregister.create_id(borger_id), Fuldmagtsregister
        )

    def giv(
        self,
        borger_id: UUID,
        fuldmagtshaver: str,
        omfang: tuple[str, ...],
        gyldig_fra: date,
        gyldig_til: date | None,
        aktoer: Aktoer,
    ) -> Fuldmagt:
        if not isinstance(self.app.hent_borger(borger_id), Borger):
            raise NotFound("borger", borger_id)  # another aggregate's id (a case, say)
        register = self._register(borger_id) or Fuldmagtsregister(borger_id=borger_id)
        fuldmagt_id = uuid.uuid4()
        register.giv(
            fuldmagt_id,
            fuldmagtshaver,
            omfang,
            gyldig_fra,
            gyldig_til,
            aktoer,
            self.app.ur.now(),
        )
        self.app.save(register)
        return register.hent(fuldmagt_id)

    def tilbagekald(
        self, borger_id: UUID, fuldmagt_id: UUID, fra: date, aktoer: Aktoer
    ) -> Fuldmagt:
        register = self._register(borger_id)
        if register is None:
            raise NotFound("fuldmagt", fuldmagt_id)
        fuldmagt = register.tilbagekald(
            fuldmagt_id, fra, self.app.ur.idag(), aktoer, self.app.ur.now()
        )
        self.app.save(register)
        return fuldmagt

    def fuldmagter(self, borger_id: UUID) -> Fuldmagter:
        register = self._register(borger_id)
        return Fuldmagter() if register is None else register.fuldmagter

    def maa_handle_for(self, caller: Principal, borger_id: UUID, omfang: str) -> bool:
        """The shared rule (Principal.acts_for_borger) against visitation's own record."""
        return caller.acts_for_borger(str(borger_id), self.fuldmagter(borger_id), omfang)

    def kraev_egen_sag(self, caller: Principal, sag_id: UUID, omfang: str) -> None:
        """A borger reaches only their own case, or one a recorded fuldmagt covering
        `omfang` lets them act in; any other case answers 404, as if it did not exist, so
        nothing leaks. Other roles are governed by the access table."""
        if caller.rolle == "borger" and not self.maa_handle_for(
            caller, self.app.hent_sag(sag_id).borger_id, omfang
        ):
            raise NotFound("sag", sag_id)
