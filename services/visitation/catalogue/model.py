"""The shape of one kommune's kvalitetsstandard + indsatskatalog, validated with pydantic.

The YAML files under `data/<kommune>/` follow this model; `kvalitetsstandard.schema.json`
is generated from it (`python -m services.visitation.catalogue.schema`) so a municipality
can validate its file in an editor before a visitator ever loads it. Pure data: no I/O.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.contracts.vocabulary import Kategori, Periode

# The same date window as every date the API accepts (a catalogue can be uploaded).
from shared.infra.datotyper import Dato
from shared.kernel.planlaegningsregler import Planlaegningsregler, standard_planlaegning

Boligform = Literal["eget_hjem", "plejebolig"]
Ramme = Literal["timer_pr_uge", "pakke"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Kriterium(_Model):
    """FSII/FSIII area with the minimum level that counts as a need (Herlev "B1-11:2")."""

    omraade: str = Field(examples=["B1-11"], pattern=r"^B[12]-\d{1,2}$")
    min_niveau: int = Field(ge=0, le=4)


class Kriterier(_Model):
    omraader: list[Kriterium] = Field(min_length=1)
    minimum_opfyldt: int = Field(
        default=1, ge=1, description="how many of the areas must be met (Herlev: minimum 3)"
    )
    lav_mestringskapacitet_taeller: bool = Field(
        default=False,
        description="a low mestringskapacitet counts as one met criterion (Herlev 'C2-lav')",
    )

    @model_validator(mode="after")
    def _reachable(self) -> Kriterier:
        most = len(self.omraader) + (1 if self.lav_mestringskapacitet_taeller else 0)
        if self.minimum_opfyldt > most:
            raise ValueError("minimum_opfyldt is higher than the number of criteria")
        return self


class StandardHyppighed(_Model):
    antal: int = Field(ge=1)
    periode: Periode


Enhed = Literal["timer", "kalenderdage", "arbejdsdage"]


class Loefte(_Model):
    """A promise as a typed duration (schema v2): "1 time", "48 timer", "2 arbejdsdage".
    Working days skip weekends and Danish public holidays."""

    vaerdi: int = Field(ge=0, le=10_000)
    enhed: Enhed


#: Wherever a promise is asked for, a bare integer still means calendar days (schema v1).
LoefteEllerDage = int | Loefte


Ugedag = Literal["man", "tir", "ons", "tor", "fre", "loer", "soen"]
Dagshaandtering = Literal[
    "flyt_til_forrige_hverdag", "flyt_til_naeste_hverdag", "udelad", "planlaeg_alligevel"
]


class Planlaegning(_Model):
    """Planning rules as data: per category (`Kvalitetsstandard.planlaegning`) and, where an
    indsats differs, on the indsats. A field left out is inherited: indsats, then category,
    then the planner's default (every weekday; practical help and rehabilitation move off
    a holiday to the next hverdag, care and meals stay; the rhythm counts from the start)."""

    ugedage: list[Ugedag] | None = Field(
        default=None,
        min_length=1,
        description="the weekdays visits may be planned on (never broken)",
        examples=[["man", "tir", "ons", "tor", "fre"]],
    )
    uden_for_ugedage: (
        Literal["flyt_til_forrige_hverdag", "flyt_til_naeste_hverdag", "udelad"] | None
    ) = Field(
        default=None,
        description="a visit the rhythm puts on another weekday (the weekend, for a "
        "Monday-to-Friday category): moved to the previous or next hverdag, or left out",
    )
    helligdage: Dagshaandtering | None = Field(
        default=None, description="a visit the rhythm puts on a Danish public holiday"
    )
    rytme_anker: Literal["bevillingens_startdato", "foerste_hverdag"] | None = Field(
        default=None,
        description="where every other week counts from: the order's start date, or the "
        "first hverdag on or after it (after a provider switch the start is the 1st)",
    )

    @model_validator(mode="after")
    def _ugedage_en_gang(self) -> Planlaegning:
        if self.ugedage is not None and len(set(self.ugedage)) != len(self.ugedage):
            raise ValueError("each weekday at most once in ugedage")
        return self


class Indsats(_Model):
    kode: str = Field(description="the kommune's own (level-3) code", examples=["2.1.1.2"])
    fsiii_kode: str | None = Field(default=None, description="FSIII level-2 code, if mapped")
    navn: str
    lovgrundlag: str = Field(examples=["Serviceloven § 83, stk. 1, nr. 2"])
    kategori: Kategori
    hyppighed: StandardHyppighed | None = None
    minutter: int | None = Field(default=None, ge=1, le=480)
    opgavepakke: str | None = Field(default=None, description="what the visit comprises")
    kriterier: Kriterier | None = Field(
        default=None, description="absent: the standard names no criteria; needs a reason"
    )
    undtagelser: list[Boligform] = Field(
        default_factory=list, description="settings in which the indsats is not granted"
    )
    iverksaettelsesfrist_dage: int | None = Field(default=None, ge=0)
    aflysningsfrist_dage_foer: int = Field(default=1, ge=0)
    erstatning_ved_rettidig_borgeraflysning: bool = False
    erstatning_ved_leverandoeraflysning: bool = True
    erstatningsfrist_dage: int = Field(default=8, ge=1)
    erstatningsfrist: LoefteEllerDage | None = Field(
        default=None,
        description="replacement after a provider's cancellation; overrides "
        "erstatningsfrist_dage (an integer is calendar days)",
    )
    aflysningsvarsel: LoefteEllerDage | None = Field(
        default=None,
        description="the citizen's cancellation notice; overrides aflysningsfrist_dage_foer "
        "(an integer is calendar days)",
    )
    forsinkelsestolerance: LoefteEllerDage | None = Field(
        default=None,
        description="how long after its window a visit not started owes a replacement "
        "(personlig pleje: 1 time); absent: no late-visit check",
    )
    revurdering_maaneder: int | None = Field(
        default=None, ge=1, description="overrides the standard's general interval"
    )
    planlaegning: Planlaegning | None = Field(
        default=None, description="overrides the category's planning rules field by field"
    )
    frit_valg: bool = True
    kilde: str | None = Field(default=None, description="where in the source document")


SagsfristEnhed = Literal["arbejdsdage", "kalenderdage", "uger", "maaneder"]


class Sagsfrist(_Model):
    """A case-handling deadline as a typed duration (schema v2): "10 arbejdsdage", "4 uger".
    Working days skip weekends, public holidays and the kommune's closed days; a deadline
    in weeks or calendar days that ends on such a day runs to the next working day."""

    vaerdi: int = Field(ge=1, le=1000)
    enhed: SagsfristEnhed


class Frister(_Model):
    """Case-handling deadlines the standard promises (working days count Danish holidays).

    Schema v2 says each as a typed duration (`kvittering`, `visitationsbesoeg`, and
    `afgoerelse` per category); the v1 fields with the unit in their name still load and
    are used where the typed one is absent."""

    kvittering_arbejdsdage: int = Field(default=10, ge=1)
    visitationsbesoeg_arbejdsdage: int | None = Field(default=None, ge=1)
    afgoerelse_personlig_uger: int | None = Field(default=None, ge=1)
    afgoerelse_praktisk_uger: int | None = Field(default=None, ge=1)
    kvittering: Sagsfrist | None = Field(
        default=None, description="receipt of the application (overrides the v1 field)"
    )
    visitationsbesoeg: Sagsfrist | None = Field(
        default=None, description="the visitator's visit after the application"
    )
    afgoerelse: dict[Kategori, Sagsfrist] = Field(
        default_factory=dict, description="the decision, per category, from the application"
    )
    klagefrist_uger: int = Field(default=4, ge=1)
    genvurdering_uger: int = Field(default=4, ge=1)
    revurdering_maaneder: int = Field(default=24, ge=1)
    leverandoervalg_dage: int = Field(default=2, ge=0)

    def kvitteringsfrist(self) -> Sagsfrist:
        return self.kvittering or Sagsfrist(vaerdi=self.kvittering_arbejdsdage, enhed="arbejdsdage")

    def visitationsbesoegsfrist(self) -> Sagsfrist | None:
        if self.visitationsbesoeg is not None:
            return self.visitationsbesoeg
        dage = self.visitationsbesoeg_arbejdsdage
        return None if dage is None else Sagsfrist(vaerdi=dage, enhed="arbejdsdage")

    def afgoerelsesfrist(self, kategori: str) -> Sagsfrist | None:
        for k, typed in self.afgoerelse.items():
            if k == kategori:
                return typed
        uger = {
            "personlig": self.afgoerelse_personlig_uger,
            "praktisk": self.afgoerelse_praktisk_uger,
        }.get(kategori)
        return None if uger is None else Sagsfrist(vaerdi=uger, enhed="uger")


class Rehabilitering(_Model):
    """§ 83 a: a course is granted as a whole within these bounds (Sorø: typically 4-12)."""

    min_uger: int = Field(default=4, ge=1)
    max_uger: int = Field(default=12, ge=1)
    niveauer: list[str] = Field(default_factory=lambda: ["stort", "moderat", "lille"])


class Helhedspleje(_Model):
    """Ældreloven § 10: from `fra`, citizens of folkepensionsalder get personal and practical
    help as one helhedspleje forløb with a frame and goals (not minute-priced services)."""

    fra: Dato = Field(description="first decision date the kommune grants helhedspleje")
    kategorier: list[Kategori] = Field(default=["personlig", "praktisk"])
    rammer: list[Ramme] = Field(default=["timer_pr_uge", "pakke"])
    pakker: list[str] = Field(default_factory=lambda: ["lille", "mellem", "stor"])
    max_timer_pr_uge: float = Field(default=40, gt=0, le=168)
    lovgrundlag: str = "Ældreloven § 10"

    @model_validator(mode="after")
    def _efter_ikrafttraeden(self) -> Helhedspleje:
        if self.fra < date(2025, 7, 1):
            raise ValueError("ældreloven is in force from 2025-07-01; fra cannot be earlier")
        return self


class Leveringsloefter(_Model):
    """A category's delivery promises (schema v2), for every indsats of the category that
    does not name its own: personlig pleje's "1 time" tolerance said once, not per indsats."""

    erstatningsfrist: LoefteEllerDage | None = Field(
        default=None, description="replacement after a provider's cancellation"
    )
    aflysningsvarsel: LoefteEllerDage | None = Field(
        default=None, description="the citizen's cancellation notice"
    )
    forsinkelsestolerance: LoefteEllerDage | None = Field(
        default=None, description="how long after its window a visit not started is late"
    )


class Kvalitetsstandard(_Model):
    kommune: str = Field(pattern=r"^[a-z0-9-]+$", examples=["herlev"])
    version: str = Field(pattern=r"^[A-Za-z0-9.-]+$", examples=["2013"])
    titel: str
    gyldig_fra: Dato
    kilde: str | None = None
    frister: Frister = Frister()
    rehabilitering: Rehabilitering = Rehabilitering()
    helhedspleje: Helhedspleje | None = None
    planlaegning: dict[Kategori, Planlaegning] = Field(
        default_factory=dict,
        description="planning rules per category (praktisk: e.g. Monday to Friday)",
    )
    loefter: dict[Kategori, Leveringsloefter] = Field(
        default_factory=dict,
        description="delivery promises per category; an indsats's own promise overrides",
    )
    indsatser: list[Indsats] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_codes(self) -> Kvalitetsstandard:
        koder = [i.kode for i in self.indsatser] + [
            i.fsiii_kode for i in self.indsatser if i.fsiii_kode
        ]
        if len(koder) != len(set(koder)):
            raise ValueError("indsats codes (kode and fsiii_kode) must be unique")
        return self

    @property
    def katalog_version(self) -> str:
        """The id every decision records, e.g. "herlev-2013"."""
        return f"{self.kommune}-{self.version}"

    def planlaegningsregler(self, indsats: Indsats) -> Planlaegningsregler | None:
        """The rules an order of this indsats is planned by: the indsats's fields over its
        category's over the planner's defaults; None where neither names any (the order
        then plans by the defaults, as before the rules were data)."""
        lag = [p for p in (self.planlaegning.get(indsats.kategori), indsats.planlaegning) if p]
        if not lag:
            return None
        std = standard_planlaegning(indsats.kategori)
        felter: dict[str, Any] = {
            "ugedage": std.ugedag_navne,
            "uden_for_ugedage": std.uden_for_ugedage,
            "helligdage": std.helligdage,
            "rytme_anker": std.rytme_anker,
        }
        for p in lag:
            felter.update(p.model_dump(exclude_none=True))
        return Planlaegningsregler.fra_navne(**felter)

    def loefte(
        self,
        indsats: Indsats,
        navn: Literal["erstatningsfrist", "aflysningsvarsel", "forsinkelsestolerance"],
    ) -> LoefteEllerDage | None:
        """The indsats's own promise, else its category's (None: neither names one)."""
        egen: LoefteEllerDage | None = getattr(indsats, navn)
        if egen is not None:
            return egen
        kategoriens = self.loefter.get(indsats.kategori)
        return None if kategoriens is None else getattr(kategoriens, navn)  # type: ignore[no-any-return]

    def find(self, kode: str) -> Indsats | None:
        return next((i for i in self.indsatser if kode in (i.kode, i.fsiii_kode)), None)
