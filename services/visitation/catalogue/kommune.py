"""The kommune itself as data: its name and address for letters and reports, its closed
days, and which version of its kvalitetsstandard is in force from which date.

`data/<kommune>/kommune.yaml` follows this model (`kommune.schema.json` is generated from
it). `kode` is the ASCII id in URLs, events and folder names; `navn` is how the kommune
signs (UTF-8: "Hørsholm Kommune"), so no kommune's name is written in code. Pure: no I/O.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, model_validator

from services.visitation.domain.kalender import Arbejdskalender
from shared.kernel.lukkedage import Lukkedage as KernelLukkedage


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Adresse(_Model):
    linjer: list[str] = Field(min_length=1, examples=[["Herlev Bygade 90"]])
    postnummer: str = Field(pattern=r"^\d{4}$", examples=["2730"])
    by: str = Field(examples=["Herlev"])

    def som_linjer(self) -> list[str]:
        return [*self.linjer, f"{self.postnummer} {self.by}"]


class Kontakt(_Model):
    telefon: str | None = Field(default=None, examples=["44 52 70 00"])
    email: str | None = Field(default=None, examples=["visitationen@herlev.dk"])
    web: str | None = Field(default=None, examples=["https://www.herlev.dk"])


class Lukkedage(_Model):
    """Days the kommune is closed beyond Sundays, Saturdays and public holidays (which always
    count). Default none: 24 and 31 December are working days unless the kommune says so."""

    aarlige: list[str] = Field(
        default_factory=list,
        description="every year on this day, as MM-DD",
        examples=[["12-24", "12-31"]],
    )
    datoer: list[date] = Field(default_factory=list, description="single closed days")

    @model_validator(mode="after")
    def _gyldige_dage(self) -> Lukkedage:
        for dag in self.aarlige:
            try:
                maaned, d = (int(x) for x in dag.split("-"))
                date(2024, maaned, d)  # a leap year: 02-29 is a day that exists
            except ValueError as exc:
                raise ValueError(f"aarlige: {dag!r} is not a day as MM-DD") from exc
        return self

    def som_vaerdi(self) -> KernelLukkedage | None:
        """As the value copied into a grant's delivery rules; None when there are none."""
        if not self.aarlige and not self.datoer:
            return None
        return KernelLukkedage(tuple(self.aarlige), tuple(self.datoer))

    def kalender(self) -> Arbejdskalender:
        aarlige = set()
        for dag in self.aarlige:
            maaned, d = dag.split("-")
            aarlige.add((int(maaned), int(d)))
        return Arbejdskalender(frozenset(aarlige), frozenset(self.datoer))


class Ikrafttraeden(_Model):
    version: str = Field(pattern=r"^[A-Za-z0-9.-]+$", examples=["2013"])
    fra: date = Field(description="the first day this version is in force")


class Kommune(_Model):
    kode: str = Field(
        pattern=r"^[a-z0-9-]+$",
        examples=["herlev"],
        description="ASCII id (folder, URLs, katalog_version); the name is `navn`",
    )
    navn: str = Field(min_length=1, examples=["Herlev Kommune", "Hørsholm Kommune"])
    enhed: str = Field(
        default="Visitationen", description="the unit that signs decisions and takes complaints"
    )
    adresse: Adresse
    kontakt: Kontakt = Kontakt()
    lukkedage: Lukkedage = Lukkedage()
    kvalitetsstandarder: list[Ikrafttraeden] = Field(
        default_factory=list,
        description="which version is in force from which date (approval records it)",
    )

    @model_validator(mode="after")
    def _entydig_plan(self) -> Kommune:
        versioner = [k.version for k in self.kvalitetsstandarder]
        datoer = [k.fra for k in self.kvalitetsstandarder]
        if len(set(versioner)) != len(versioner) or len(set(datoer)) != len(datoer):
            raise ValueError("kvalitetsstandarder: each version and each date only once")
        return self

    @property
    def afsender(self) -> str:
        """How letters are signed: "Herlev Kommune, Visitationen"."""
        return f"{self.navn}, {self.enhed}"

    def kalender(self) -> Arbejdskalender:
        return self.lukkedage.kalender()

    def ikrafttraeden(self, version: str) -> date | None:
        return next((k.fra for k in self.kvalitetsstandarder if k.version == version), None)
