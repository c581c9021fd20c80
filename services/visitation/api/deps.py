"""What visitation's route modules share: the dependencies, clock and router factory every
service's routes use (shared/infra/ruter.py), and who may act in a case."""

from __future__ import annotations

from uuid import UUID

from services.visitation.application.fuldmagter import Fuldmagtsbehandling
from services.visitation.application.visitation_app import VisitationApplication
from shared.infra.auth import Principal
from shared.infra.ruter import Actor, Caller, Laesning, Laest, ruter

__all__ = ["Actor", "Caller", "Laesning", "Laest", "kraev_handle_i_sagen", "ruter"]


def kraev_handle_i_sagen(app: VisitationApplication, caller: Principal, sag_id: UUID) -> None:
    """A borger acts only in their own case, a fuldmægtig (partsrepræsentant,
    Forvaltningsloven § 8) only with the scope that lets them act, not only read; others
    get 404, as if the case did not exist. Municipal roles pass."""
    Fuldmagtsbehandling(app).kraev_egen_sag(caller, sag_id, "klage_og_frit_valg")
