"""The kommune's approved providers as data: `data/<kommune>/leverandoerer.yaml`.

The file seeds the provider register (domain/leverandoerregister.py): at start visitation
approves what the file lists and its store does not hold yet, as a system actor. After
that the register lives in the store and changes through the API; editing the file adds
new providers and windows at the next start, never undoes a restriction or withdrawal.
Pure: no I/O (loader.load_leverandoerer reads the file).
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.contracts.vocabulary import Kategori
from shared.reference.leverandoerer import (
    Godkendelse,
    GodkendtLeverandoer,
    Leverandoerregister,
)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Vindue(_Model):
    kategori: Kategori
    fra: date
    til: date | None = Field(default=None, description="inclusive; absent: open")

    @model_validator(mode="after")
    def _periode(self) -> Vindue:
        if self.til is not None and self.til < self.fra:
            raise ValueError("til is before fra")
        return self


class Leverandoerpost(_Model):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$", examples=["hjemmeplejen"])
    navn: str = Field(min_length=1)
    type: Literal["kommunal", "privat", "selvejende"]
    cvr: str | None = Field(default=None, pattern=r"^[0-9]{8}$")
    godkendelser: list[Vindue] = Field(default_factory=list)

    @model_validator(mode="after")
    def _cvr(self) -> Leverandoerpost:
        if (self.type == "kommunal") != (self.cvr is None):
            raise ValueError("a privat or selvejende provider has a cvr; a kommunal one not")
        return self


class Leverandoerfil(_Model):
    leverandoerer: list[Leverandoerpost]

    @model_validator(mode="after")
    def _unikke(self) -> Leverandoerfil:
        ids = [lev.id for lev in self.leverandoerer]
        if len(ids) != len(set(ids)):
            raise ValueError("a provider id is listed twice")
        return self

    def som_register(self) -> Leverandoerregister:
        """The file as a register value, as if just imported (tests of the pure rules)."""
        return Leverandoerregister.af(
            GodkendtLeverandoer(
                lev.id,
                lev.navn,
                lev.type,
                lev.cvr,
                tuple(Godkendelse(v.kategori, v.fra, v.til) for v in lev.godkendelser),
            )
            for lev in self.leverandoerer
        )
