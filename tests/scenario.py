"""A small BUM scenario shared by the integration and end-to-end tests."""

from __future__ import annotations

import uuid
from datetime import date

from services.visitation.application.visitation_app import VisitationApplication
from services.visitation.domain.values import (
    Afgoerelse,
    Anmodning,
    Bevilling,
    Funktionsniveau,
    Funktionsvurdering,
    Hyppighed,
    Udfald,
)
from shared.kernel import Aktoer
from shared.kernel.personoplysning import fritekst, fritekst_eller_none

VISITATOR = Aktoer("vis-anne", "visitator", "Herlev Kommune")


def decided_case(
    app: VisitationApplication,
    day: date,
    cpr: str = "0101401234",
    leverandoer: str = "omsorg-plus-aps",
    individuel_begrundelse: str | None = None,
) -> uuid.UUID:
    """Application, assessment, § 83 a consideration and a decision granting bath twice a
    week (with an individual reason, when given)."""
    bad = Anmodning(uuid.uuid4(), fritekst("Hjælp til bad"), "personlig")
    sag = app.modtag_ansoegning(cpr, "Jens Hansen", day, "telefon", "borger", (bad,), VISITATOR)
    app.registrer_funktionsvurdering(
        sag.id,
        Funktionsvurdering(uuid.uuid4(), day, (Funktionsniveau("B1-3", 3),), None),
        VISITATOR,
    )
    # § 83, stk. 3: the § 83 a consideration comes before any § 83 grant.
    app.vurder_rehabilitering(
        sag.id, day, False, "Varigt nedsat funktionsevne; træning kan ikke ændre den.", VISITATOR
    )
    bevilling = Bevilling(
        uuid.uuid4(),
        bad.anmodning_id,
        "H1.3",
        "Bad",
        "personlig",
        Hyppighed(2, "uge"),
        30,
        leverandoer,
        day,
        None,
        fritekst_eller_none(individuel_begrundelse),
    )
    app.traef_afgoerelse(
        sag.id,
        Afgoerelse(
            uuid.uuid4(),
            day,
            (Udfald(bad.anmodning_id, "bevilget", None),),
            (bevilling,),
            None,
            None,
        ),
        VISITATOR,
    )
    return sag.id
