"""Who the simulated municipality's citizens are and what help they get: pure, seeded.

The grant mix follows the national figures in the issue: on average 3.2 hours of home
care a week, two thirds of citizens under 2 hours; cleaning every 14 days at one end,
four personal-care visits a day at the other. Five profiles reproduce that (the hours are
computed in `uge_timer` and reported with every run, so a change to the mix shows):

| profil | share | grants | hours/week |
|---|---|---|---|
| rengoering | 35 % | cleaning 60 min every other week | 0.5 |
| let | 30 % | cleaning + bath twice a week (30 min) | 1.5 |
| middel | 20 % | cleaning + personal care once a day (25 min) | 3.4 |
| tung | 10 % | cleaning + personal care 3 times a day (25 min) | 9.3 |
| svaer | 5 % | cleaning + personal care 4 times a day (40 min) | 19.2 |
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from uuid import UUID

#: (kategori, indsats_kode, indsats_navn, antal, periode, minutter)
Ydelse = tuple[str, str, str, int, str, int]

RENGOERING: Ydelse = ("praktisk", "H2.1", "Rengøring", 1, "anden_uge", 60)
BAD: Ydelse = ("personlig", "H1.3", "Bad", 2, "uge", 30)

PROFILER: dict[str, tuple[float, tuple[Ydelse, ...]]] = {
    "rengoering": (0.35, (RENGOERING,)),
    "let": (0.30, (RENGOERING, BAD)),
    "middel": (0.20, (RENGOERING, ("personlig", "H1.1", "Personlig pleje", 1, "dag", 25))),
    "tung": (0.10, (RENGOERING, ("personlig", "H1.1", "Personlig pleje", 3, "dag", 25))),
    "svaer": (0.05, (RENGOERING, ("personlig", "H1.1", "Personlig pleje", 4, "dag", 40))),
}
#: Visits a week per period unit, for the hours figure.
PR_UGE = {"dag": 7.0, "uge": 1.0, "anden_uge": 0.5}

#: Frit valg: who citizens choose, per category (weights). Diakonien's personal-care
#: approval ends with 2025, so the simulated year is 2025.
VALG: dict[str, tuple[tuple[str, float], ...]] = {
    "personlig": (
        ("hjemmeplejen-nord", 0.6),
        ("omsorg-plus-aps", 0.3),
        ("diakonien-selvejende", 0.1),
    ),
    "praktisk": (
        ("hjemmeplejen-nord", 0.4),
        ("rent-hjem-as", 0.3),
        ("omsorg-plus-aps", 0.2),
        ("diakonien-selvejende", 0.1),
    ),
}


def uge_timer(profil: str) -> float:
    return sum(a * PR_UGE[p] * m / 60 for _, _, _, a, p, m in PROFILER[profil][1])


@dataclass
class Borgerforloeb:
    """One citizen's year as the simulation plans it (days count from the year's start)."""

    nr: int
    profil: str
    ansoeger_dag: int  # 0 = an existing citizen, decided on the first day
    rehabilitering: bool  # § 83 a: a course comes before any § 83 grant
    klage_dag: int | None  # complains about the decision this many days after it
    skift_dag: int | None  # chooses another provider (frit valg)
    ophoer_dag: int | None  # help ends (death, nursing home)
    leverandoerer: dict[str, str] = field(default_factory=dict)
    sag_id: UUID | None = None
    anmodninger: dict[str, UUID] = field(default_factory=dict)  # kategori -> anmodning
    bevillinger: dict[str, UUID] = field(default_factory=dict)  # kategori -> bevilling
    rehab_id: UUID | None = None
    ophoert: bool = False

    @property
    def ydelser(self) -> tuple[Ydelse, ...]:
        return PROFILER[self.profil][1]


def _vaelg(rng: random.Random, valg: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([v for v, _ in valg], [w for _, w in valg])[0]


def befolkning(antal: int, dage: int, seed: int) -> list[Borgerforloeb]:
    """`antal` citizens: 80 % already receive help when the year starts, 20 % apply
    during it; some complain, switch provider or leave, at seeded random days."""
    rng = random.Random(seed)
    navne = list(PROFILER)
    vaegte = [PROFILER[n][0] for n in navne]
    out = []
    for nr in range(antal):
        profil = rng.choices(navne, vaegte)[0]
        ny = rng.random() < 0.2
        start = rng.randrange(1, max(2, dage - 7)) if ny else 0
        # § 83 a: new applicants with modest needs are offered reablement first.
        rehab = ny and profil in ("let", "middel") and rng.random() < 0.5
        rest = dage - start

        def senere(p: float, start: int = start, rest: int = rest) -> int | None:
            return start + rng.randrange(1, rest) if rest > 2 and rng.random() < p else None

        b = Borgerforloeb(
            nr=nr,
            profil=profil,
            ansoeger_dag=start,
            rehabilitering=rehab,
            klage_dag=rng.randrange(3, 20) if rng.random() < 0.03 else None,
            skift_dag=senere(0.05),
            ophoer_dag=senere(0.12),
        )
        for kategori, *_ in b.ydelser:
            b.leverandoerer[kategori] = _vaelg(rng, VALG[kategori])
        out.append(b)
    return out


def gennemsnit(borgere: list[Borgerforloeb]) -> dict[str, float]:
    """The mix actually drawn: average hours a week and the share under 2 hours."""
    timer = [uge_timer(b.profil) for b in borgere] or [0.0]
    return {
        "average_hours_per_week": round(sum(timer) / len(timer), 2),
        "share_under_2_hours": round(sum(t < 2 for t in timer) / len(timer), 3),
    }
