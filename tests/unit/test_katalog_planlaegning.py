"""Planning rules in the kvalitetsstandard file (issue 16): validated on load with the bad
field's path, merged per indsats over its category over the planner's defaults."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from services.visitation.catalogue import loader
from services.visitation.catalogue.model import Kvalitetsstandard
from shared.kernel.planlaegningsregler import Planlaegningsregler

HERLEV = loader.load("herlev", "2013")
HVERDAGE = ["man", "tir", "ons", "tor", "fre"]


def _herlev_med(planlaegning: Any) -> dict[str, Any]:
    data = HERLEV.model_dump(mode="json", exclude_none=True)
    data["planlaegning"] = planlaegning
    return data


def _fil(tmp_path: Path, data: dict[str, Any]) -> loader.Kvalitetsstandard | loader.UgyldigFil:
    (tmp_path / "herlev").mkdir()
    (tmp_path / "herlev" / "2013.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True), encoding="utf-8"
    )
    (found,) = loader.katalog(tmp_path)
    return found


@pytest.mark.parametrize(
    ("planlaegning", "loc"),
    [
        ({"praktisk": {"ugedage": ["man", "lørdag"]}}, ("planlaegning", "praktisk", "ugedage", 1)),
        ({"praktisk": {"ugedage": []}}, ("planlaegning", "praktisk", "ugedage")),
        ({"praktisk": {"weekend": "udelad"}}, ("planlaegning", "praktisk", "weekend")),
        (
            {"praktisk": {"uden_for_ugedage": "planlaeg_alligevel"}},
            ("planlaegning", "praktisk", "uden_for_ugedage"),
        ),
        ({"praktisk": {"helligdage": "flyt"}}, ("planlaegning", "praktisk", "helligdage")),
        ({"praktisk": {"rytme_anker": "den_1"}}, ("planlaegning", "praktisk", "rytme_anker")),
        ({"hjemmesygepleje": {"ugedage": HVERDAGE}}, ("planlaegning", "hjemmesygepleje")),
        ({"praktisk": {"ugedage": ["man", "man"]}}, ("planlaegning", "praktisk")),
    ],
    ids=[
        "unknown-weekday",
        "no-weekday",
        "unknown-key",
        "forbidden-day-planned-anyway",
        "unknown-holiday-rule",
        "unknown-anchor",
        "unknown-category",
        "weekday-twice",
    ],
)
def test_a_bad_planning_rule_names_its_field(
    tmp_path: Path, planlaegning: dict[str, Any], loc: tuple[str | int, ...]
) -> None:
    found = _fil(tmp_path, _herlev_med(planlaegning))
    assert isinstance(found, loader.UgyldigFil)
    assert loc in [f.loc[: len(loc)] for f in found.fejl], found.fejl
    with pytest.raises(loader.KatalogFilUgyldig, match="planlaegning"):
        loader.load_checked("herlev", "2013", tmp_path)


def test_a_bad_rule_on_an_indsats_names_the_indsats(tmp_path: Path) -> None:
    data = _herlev_med({})
    data["indsatser"][1]["planlaegning"] = {"ugedage": ["fredag"]}
    found = _fil(tmp_path, data)
    assert isinstance(found, loader.UgyldigFil)
    assert [f.loc for f in found.fejl] == [("indsatser", 1, "planlaegning", "ugedage", 0)]


def test_herlevs_file_carries_practical_help_on_weekdays() -> None:
    rengoering = HERLEV.find("2.1.1.2")
    assert rengoering is not None
    assert HERLEV.planlaegningsregler(rengoering) == Planlaegningsregler(
        (0, 1, 2, 3, 4), "flyt_til_naeste_hverdag", "flyt_til_naeste_hverdag", "foerste_hverdag"
    )


def test_indsats_overrides_its_category_field_by_field() -> None:
    data = _herlev_med({"praktisk": {"ugedage": HVERDAGE, "uden_for_ugedage": "udelad"}})
    data["indsatser"][1]["planlaegning"] = {"ugedage": ["tir", "tor"]}
    standard = Kvalitetsstandard.model_validate(data)
    regler = standard.planlaegningsregler(standard.indsatser[1])
    # ugedage from the indsats, the weekend rule from the category, the rest the defaults
    assert regler == Planlaegningsregler((1, 3), "udelad", "flyt_til_naeste_hverdag")
    assert standard.planlaegningsregler(standard.indsatser[2]) == Planlaegningsregler(
        (0, 1, 2, 3, 4), "udelad", "flyt_til_naeste_hverdag"
    )


def test_no_rules_means_none_sent_and_the_defaults_apply() -> None:
    standard = Kvalitetsstandard.model_validate(_herlev_med({}))
    assert all(standard.planlaegningsregler(i) is None for i in standard.indsatser)


def test_soroe_moves_weekend_visits_to_the_friday_before() -> None:
    soroe = loader.load("soroe", "2024")
    reng = soroe.find("PR-RENG")
    pleje = soroe.find("P-HYG")
    assert reng is not None and pleje is not None
    regler = soroe.planlaegningsregler(reng)
    assert regler is not None and regler.uden_for_ugedage == "flyt_til_forrige_hverdag"
    assert soroe.planlaegningsregler(pleje) is None  # personal care: every day, as before
