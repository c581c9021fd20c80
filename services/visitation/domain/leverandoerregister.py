"""The provider register (leverandørregister): whom the municipality has approved under
frit valg (Serviceloven § 91), for which categories, in which windows.

Approving a provider is a municipal act, so visitation owns the register. One small
aggregate per provider (id `leverandoer_register_id(leverandoer_id)`, also the case id of
its public events), plus one index of the ids so the register can be listed. A window is
never deleted: a restriction moves its end earlier, a withdrawal ends it the day before
`fra` (a window withdrawn from its first day is empty, and still there, so the data-file
import at start does not approve it again).
"""

from __future__ import annotations

import dataclasses
import re
import uuid
from datetime import date, datetime, timedelta
from typing import cast
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from shared.kernel import Aktoer, DomainRuleViolation
from shared.reference.leverandoerer import (
    Godkendelse,
    GodkendtLeverandoer,
    Leverandoertype,
    leverandoer_register_id,
)

TYPER: frozenset[str] = frozenset({"kommunal", "privat", "selvejende"})
KATEGORIER: frozenset[str] = frozenset({"personlig", "praktisk", "madservice", "rehabilitering"})
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$")
_CVR = re.compile(r"^[0-9]{8}$")


def _regel(regel: str, da: str, en: str) -> DomainRuleViolation:
    return DomainRuleViolation(regel, da, en)


@dataclasses.dataclass(frozen=True)
class Godkendelsesvindue:
    """One approval window as the register keeps it (with how it ended, if it did)."""

    kategori: str
    fra: date
    til: date | None
    tilbagekaldt_fra: date | None = None
    begrundelse: str | None = None

    @property
    def tom(self) -> bool:
        """Withdrawn from its first day: approves nothing."""
        return self.til is not None and self.til < self.fra


class Leverandoer(Aggregate):
    @staticmethod
    def create_id(leverandoer_id: str) -> UUID:
        return leverandoer_register_id(leverandoer_id)

    class LeverandoerOprettet(Aggregate.Created):
        leverandoer_id: str
        navn: str
        type: Leverandoertype
        cvr: str | None
        aktoer: Aktoer
        occurred_at: datetime
        efter: GodkendtLeverandoer

    class LeverandoerGodkendt(Aggregate.Event):
        leverandoer_id: str
        kategori: str
        fra: date
        til: date | None
        aktoer: Aktoer
        occurred_at: datetime
        efter: GodkendtLeverandoer

    class GodkendelseBegraenset(Aggregate.Event):
        leverandoer_id: str
        kategori: str
        fra: date  # the window's first day: which window
        ny_til: date
        aktoer: Aktoer
        occurred_at: datetime
        efter: GodkendtLeverandoer

    class GodkendelseTilbagekaldt(Aggregate.Event):
        leverandoer_id: str
        kategori: str
        vindue_fra: date  # the window's first day: which window
        tilbagekaldt_fra: date
        begrundelse: str
        aktoer: Aktoer
        occurred_at: datetime
        efter: GodkendtLeverandoer

    @classmethod
    def opret(
        cls,
        leverandoer_id: str,
        navn: str,
        type: str,
        cvr: str | None,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> Leverandoer:
        if not _ID.match(leverandoer_id):
            raise _regel(
                "leverandoer-id",
                "Leverandørens id skal være 3-64 tegn: små bogstaver, cifre og bindestreg.",
                "A provider id is 3-64 characters: lower-case letters, digits and hyphens.",
            )
        if not navn.strip():
            raise _regel(
                "leverandoer-navn", "Leverandøren skal have et navn.", "A provider needs a name."
            )
        if type not in TYPER:
            raise _regel(
                "leverandoer-type",
                f"Leverandørtypen skal være en af {sorted(TYPER)}.",
                f"The provider type must be one of {sorted(TYPER)}.",
            )
        if type == "kommunal" and cvr is not None:
            raise _regel(
                "kommunal-leverandoer-uden-cvr",
                "Kommunens egen leverandør har intet CVR-nummer i registret.",
                "The municipality's own provider has no CVR number in the register.",
            )
        if type != "kommunal" and (cvr is None or not _CVR.match(cvr)):
            raise _regel(
                "leverandoer-cvr",
                "En privat eller selvejende leverandør skal have et CVR-nummer på 8 cifre.",
                "A private or self-governing provider needs an 8-digit CVR number.",
            )
        typ = cast(Leverandoertype, type)  # one of TYPER, checked above
        return cls(
            leverandoer_id=leverandoer_id,
            navn=navn.strip(),
            type=typ,
            cvr=cvr,
            aktoer=aktoer,
            occurred_at=occurred_at,
            efter=GodkendtLeverandoer(leverandoer_id, navn.strip(), typ, cvr, ()),
        )

    @event(LeverandoerOprettet)
    def __init__(
        self,
        leverandoer_id: str,
        navn: str,
        type: Leverandoertype,
        cvr: str | None,
        aktoer: Aktoer,
        occurred_at: datetime,
        efter: GodkendtLeverandoer,
    ) -> None:
        self.leverandoer_id = leverandoer_id
        self.navn = navn
        self.type = type
        self.cvr = cvr
        self.vinduer: list[Godkendelsesvindue] = []

    # -- queries -------------------------------------------------------------------------
    def vinduer_for(self, kategori: str) -> list[Godkendelsesvindue]:
        return sorted((v for v in self.vinduer if v.kategori == kategori), key=lambda v: v.fra)

    def har_vindue(self, kategori: str, fra: date) -> bool:
        return any(v.kategori == kategori and v.fra == fra for v in self.vinduer)

    def som_vaerdi(self, vinduer: list[Godkendelsesvindue] | None = None) -> GodkendtLeverandoer:
        """The provider as the register value the rules read (empty windows left out);
        with `vinduer`, as it would be with those windows."""
        return GodkendtLeverandoer(
            self.leverandoer_id,
            self.navn,
            self.type,
            self.cvr,
            tuple(
                Godkendelse(v.kategori, v.fra, v.til)
                for v in sorted(
                    self.vinduer if vinduer is None else vinduer,
                    key=lambda v: (v.kategori, v.fra),
                )
                if not v.tom
            ),
        )

    # -- commands ------------------------------------------------------------------------
    def godkend(
        self, kategori: str, fra: date, til: date | None, aktoer: Aktoer, occurred_at: datetime
    ) -> None:
        if kategori not in KATEGORIER:
            raise _regel(
                "godkendelse-kategori",
                f"Kategorien skal være en af {sorted(KATEGORIER)}.",
                f"The category must be one of {sorted(KATEGORIER)}.",
            )
        if til is not None and til < fra:
            raise _regel(
                "godkendelse-periode",
                "En godkendelse kan ikke slutte, før den begynder.",
                "An approval cannot end before it starts.",
            )
        for v in self.vinduer_for(kategori):
            if v.tom:
                continue
            if (v.til is None or fra <= v.til) and (til is None or v.fra <= til):
                raise _regel(
                    "godkendelse-overlapper",
                    f"{self.leverandoer_id} er allerede godkendt til {kategori} fra {v.fra}"
                    f"{f' til {v.til}' if v.til else ''}; perioderne må ikke overlappe.",
                    f"{self.leverandoer_id} is already approved for {kategori} from {v.fra}"
                    f"{f' to {v.til}' if v.til else ''}; windows must not overlap.",
                )
        efter = self.som_vaerdi(_godkendt(self.vinduer, kategori, fra, til))
        self._godkendt(self.leverandoer_id, kategori, fra, til, aktoer, occurred_at, efter)

    def _vindue(self, kategori: str, dato: date) -> Godkendelsesvindue:
        """The window of `kategori` that is in force on `dato` or starts after it (the
        latest such one that is not empty)."""
        kandidater = [
            v for v in self.vinduer_for(kategori) if not v.tom and (v.til is None or v.til >= dato)
        ]
        if not kandidater:
            raise _regel(
                "ingen-godkendelse",
                f"{self.leverandoer_id} har ingen godkendelse til {kategori}, der gælder "
                f"den {dato} eller senere.",
                f"{self.leverandoer_id} has no approval for {kategori} in force on {dato} "
                "or later.",
            )
        return kandidater[0]

    def begraens(self, kategori: str, ny_til: date, aktoer: Aktoer, occurred_at: datetime) -> None:
        """The approval of `kategori` in force on `ny_til` (or the next one) now ends then."""
        v = self._vindue(kategori, ny_til)
        if ny_til < v.fra:
            raise _regel(
                "begraensning-foer-godkendelse",
                f"Godkendelsen til {kategori} begynder først den {v.fra}; brug tilbagekaldelse "
                "for at fjerne den.",
                f"The approval for {kategori} starts on {v.fra}; withdraw it to remove it.",
            )
        efter = self.som_vaerdi(_begraenset(self.vinduer, kategori, v.fra, ny_til))
        self._begraenset(self.leverandoer_id, kategori, v.fra, ny_til, aktoer, occurred_at, efter)

    def tilbagekald(
        self,
        kategori: str,
        fra: date,
        begrundelse: str,
        idag: date,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> None:
        """No approval of `kategori` from `fra` on (today at the earliest: what citizens
        chose before stays chosen under the approval that held then)."""
        if not begrundelse.strip():
            raise _regel(
                "tilbagekaldelse-kraever-begrundelse",
                "En tilbagekaldelse skal begrundes.",
                "A withdrawal needs a reason.",
            )
        if fra < idag:
            raise _regel(
                "tilbagekaldelse-ikke-bagud",
                "En godkendelse kan tidligst tilbagekaldes fra i dag.",
                "An approval can be withdrawn from today at the earliest.",
            )
        beroerte = [
            v for v in self.vinduer_for(kategori) if not v.tom and (v.til is None or v.til >= fra)
        ]
        if not beroerte:
            raise _regel(
                "ingen-godkendelse",
                f"{self.leverandoer_id} har ingen godkendelse til {kategori}, der gælder "
                f"den {fra} eller senere.",
                f"{self.leverandoer_id} has no approval for {kategori} in force on {fra} or later.",
            )
        for v in beroerte:  # this window and any approved to start later
            efter = self.som_vaerdi(
                _tilbagekaldt(self.vinduer, kategori, v.fra, fra, begrundelse.strip())
            )
            self._tilbagekaldt(
                self.leverandoer_id,
                kategori,
                v.fra,
                fra,
                begrundelse.strip(),
                aktoer,
                occurred_at,
                efter,
            )

    # -- events --------------------------------------------------------------------------
    @event(LeverandoerGodkendt)
    def _godkendt(  # type: ignore[no-untyped-def]
        self, leverandoer_id, kategori, fra, til, aktoer, occurred_at, efter
    ) -> None:
        self.vinduer = _godkendt(self.vinduer, kategori, fra, til)

    @event(GodkendelseBegraenset)
    def _begraenset(  # type: ignore[no-untyped-def]
        self, leverandoer_id, kategori, fra, ny_til, aktoer, occurred_at, efter
    ) -> None:
        self.vinduer = _begraenset(self.vinduer, kategori, fra, ny_til)

    @event(GodkendelseTilbagekaldt)
    def _tilbagekaldt(  # type: ignore[no-untyped-def]
        self,
        leverandoer_id,
        kategori,
        vindue_fra,
        tilbagekaldt_fra,
        begrundelse,
        aktoer,
        occurred_at,
        efter,
    ) -> None:
        self.vinduer = _tilbagekaldt(
            self.vinduer, kategori, vindue_fra, tilbagekaldt_fra, begrundelse
        )


# The windows after each change, as pure functions: the events apply them, and each
# command computes the provider's state after its event with them (`efter`, the snapshot
# the public event carries).
def _godkendt(
    vinduer: list[Godkendelsesvindue], kategori: str, fra: date, til: date | None
) -> list[Godkendelsesvindue]:
    return [*vinduer, Godkendelsesvindue(kategori, fra, til)]


def _begraenset(
    vinduer: list[Godkendelsesvindue], kategori: str, fra: date, ny_til: date
) -> list[Godkendelsesvindue]:
    return [
        dataclasses.replace(v, til=ny_til) if (v.kategori, v.fra) == (kategori, fra) else v
        for v in vinduer
    ]


def _tilbagekaldt(
    vinduer: list[Godkendelsesvindue],
    kategori: str,
    vindue_fra: date,
    tilbagekaldt_fra: date,
    begrundelse: str,
) -> list[Godkendelsesvindue]:
    slut = tilbagekaldt_fra - timedelta(days=1)
    return [
        dataclasses.replace(
            v,
            til=slut if v.til is None else min(v.til, slut),
            tilbagekaldt_fra=tilbagekaldt_fra,
            begrundelse=begrundelse,
        )
        if (v.kategori, v.fra) == (kategori, vindue_fra)
        else v
        for v in vinduer
    ]


class Leverandoerindeks(Aggregate):
    """Which providers the register holds (so it can be listed and rebuilt at start)."""

    ID = uuid.UUID("0c6a4f0e-8d3b-4b7a-a2f1-5e9c7d3b1a24")

    @staticmethod
    def create_id() -> UUID:
        return Leverandoerindeks.ID

    class Oprettet(Aggregate.Created):
        pass

    class LeverandoerTilfoejet(Aggregate.Event):
        leverandoer_id: str

    @event(Oprettet)
    def __init__(self) -> None:
        self.leverandoer_ids: list[str] = []

    def tilfoej(self, leverandoer_id: str) -> None:
        if leverandoer_id not in self.leverandoer_ids:
            self._tilfoejet(leverandoer_id)

    @event(LeverandoerTilfoejet)
    def _tilfoejet(self, leverandoer_id: str) -> None:
        self.leverandoer_ids.append(leverandoer_id)
