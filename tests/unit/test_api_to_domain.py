"""Request bodies build their domain values by name (`to_domain`), so a field added to a
value object or reordered cannot silently shift the others (issue 17)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from services.provider.api.schemas import LeveringInd, MedarbejderInd
from services.visitation.api.schemas import AfgoerelseInd
from services.visitation.domain.values import Hyppighed


def test_a_decision_maps_every_field_by_name() -> None:
    anmodning = uuid.uuid4()
    body = AfgoerelseInd.model_validate(
        {
            "truffet_dato": "2026-11-02",
            "udfald": [{"anmodning_id": str(anmodning), "resultat": "bevilget"}],
            "bevillinger": [
                {
                    "anmodning_id": str(anmodning),
                    "indsats_kode": "H1.3",
                    "indsats_navn": "Bad",
                    "kategori": "personlig",
                    "hyppighed": {"antal": 2, "periode": "uge"},
                    "minutter_pr_besoeg": 30,
                    "leverandoer_id": "omsorg-plus-aps",
                    "startdato": "2026-11-03",
                    "individuel_begrundelse": "ryg",
                }
            ],
            "begrundelse": "behov",
            "helhedspleje": {
                "anmodning_ids": [str(anmodning)],
                "ramme": "timer_pr_uge",
                "timer_pr_uge": 3.5,
                "retningsgivende_maal": "fastholde",
                "individuelle_maal": ["gå ture"],
                "leverandoer_id": "hjemmeplejen-nord",
                "startdato": "2026-11-03",
            },
        }
    )
    afgoerelse = body.to_domain()
    (bevilling,) = afgoerelse.bevillinger
    assert bevilling.anmodning_id == anmodning
    assert bevilling.hyppighed == Hyppighed(antal=2, periode="uge")
    assert (bevilling.minutter_pr_besoeg, bevilling.startdato) == (30, date(2026, 11, 3))
    assert bevilling.individuel_begrundelse is not None
    assert bevilling.individuel_begrundelse.vis() == "ryg"
    assert afgoerelse.begrundelse is not None and afgoerelse.begrundelse.vis() == "behov"
    assert afgoerelse.udfald[0].begrundelse is None
    assert afgoerelse.katalog_version is None  # the domain sets it from the standard
    helhed = afgoerelse.helhedspleje
    assert helhed is not None
    assert (helhed.timer_pr_uge, helhed.pakke, helhed.slutdato) == (3.5, None, None)
    assert [m.vis() for m in helhed.individuelle_maal] == ["gå ture"]
    # every new value gets its own id
    ids = {afgoerelse.afgoerelse_id, bevilling.bevilling_id, helhed.forloeb_id}
    assert len(ids) == 3


def test_a_delivery_and_a_roster_entry_map_by_name() -> None:
    besoeg = uuid.uuid4()
    levering = LeveringInd.model_validate(
        {
            "leveret_tidspunkt": "2026-11-23T09:40:00+01:00",
            "faktiske_minutter": 25,
            "medarbejder_id": "sosu-maria",
            "detaljer": {"kanal": "skaerm", "delvis": True, "delvis_aarsag": "træt"},
        }
    ).to_domain(besoeg)
    assert levering.besoeg_id == besoeg
    assert levering.leveret_tidspunkt == datetime(2026, 11, 23, 8, 40, tzinfo=UTC)
    assert (levering.faktiske_minutter, levering.kanal, levering.delvis) == (25, "skaerm", True)
    assert levering.delvis_aarsag is not None and levering.delvis_aarsag.vis() == "træt"
    assert levering.enhed is None

    medarbejder = MedarbejderInd.model_validate(
        {"medarbejder_id": "sosu-maria", "arbejdsdage": [4, 0, 4], "fra": "06:30", "til": "14:00"}
    ).to_domain()
    assert medarbejder.arbejdsdage == (0, 4)
    assert (medarbejder.fra_minut, medarbejder.til_minut) == (390, 840)
