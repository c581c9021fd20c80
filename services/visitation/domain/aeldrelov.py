"""Ældreloven (L 89, in force 1 July 2025): for a citizen of folkepensionsalder, personal and
practical help is granted as one rummeligt helhedspleje forløb (a frame plus individual
goals), not as minute-priced single services ("standardiserede enkeltydelser").

The kommune's kvalitetsstandard says from which day it grants helhedspleje (municipalities
moved over on different dates; never before 2025-07-01), the frames it uses (hours per week
or a task-package level) and which categories the forløb covers. A decision is checked
against that shape when the citizen is of pension age on the decision date.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

from services.visitation.domain.cpr import foedselsdato
from shared.kernel import DomainRuleViolation
from shared.kernel.personoplysning import Personoplysning
from shared.reference.leverandoerer import Leverandoerregister

if TYPE_CHECKING:
    from services.visitation.catalogue.model import Kvalitetsstandard
    from services.visitation.domain.values import Afgoerelse, Anmodning

AELDRELOVEN_I_KRAFT = date(2025, 7, 1)
RETNINGSGIVENDE_MAAL = frozenset({"udrede", "udvikle", "fastholde", "lindre"})
RAMMER = frozenset({"timer_pr_uge", "pakke"})

#: Folkepensionsalder by birth date (lov om social pension § 1 a as amended 2006, 2011,
#: 2015 and 2025): (born on or after, age in years, extra months). Checked top down.
PENSIONSALDER: tuple[tuple[date, int, int], ...] = (
    (date(1971, 1, 1), 70, 0),
    (date(1967, 1, 1), 69, 0),
    (date(1963, 1, 1), 68, 0),
    (date(1955, 7, 1), 67, 0),
    (date(1955, 1, 1), 66, 6),
    (date(1954, 7, 1), 66, 0),
    (date(1954, 1, 1), 65, 6),
)


@dataclass(frozen=True)
class Helhedspleje:
    """The grant under ældreloven § 10: one forløb with a frame and goals."""

    forloeb_id: UUID
    anmodning_ids: tuple[UUID, ...]
    ramme: str  # timer_pr_uge | pakke
    timer_pr_uge: float | None
    pakke: str | None
    retningsgivende_maal: str
    individuelle_maal: tuple[Personoplysning, ...]  # the citizen's own goals, in their words
    leverandoer_id: str
    startdato: date
    slutdato: date | None = None


def foedselsdato_fra_cpr(cpr: str) -> date | None:
    """The birth date in a CPR number (DDMMYY plus the 7th digit for the century, as the
    CPR office defines it). None if it is not a valid date (e.g. a placeholder)."""
    return foedselsdato(cpr)


def folkepensionsalder_naaet(foedselsdato: date) -> date:
    """The day the citizen reaches folkepensionsalder."""
    aar, maaneder = 65, 0
    for fra, a, m in PENSIONSALDER:
        if foedselsdato >= fra:
            aar, maaneder = a, m
            break
    maaned = foedselsdato.month - 1 + maaneder
    y, mo = foedselsdato.year + aar + maaned // 12, maaned % 12 + 1
    dag = min(foedselsdato.day, 28 if mo == 2 else 30 if mo in (4, 6, 9, 11) else 31)
    return date(y, mo, dag)


def aeldreloven_gaelder(
    foedselsdato: date | None, dato: date, katalog: Kvalitetsstandard | None
) -> bool:
    """Helhedspleje is the form: the kommune grants it from this date, and the citizen is
    of pension age then. Without a known birth date or a standard, the old form stays."""
    if foedselsdato is None or katalog is None or katalog.helhedspleje is None:
        return False
    fra = max(katalog.helhedspleje.fra, AELDRELOVEN_I_KRAFT)
    return dato >= fra and dato >= folkepensionsalder_naaet(foedselsdato)


def _regel(regel: str, da: str, en: str) -> DomainRuleViolation:
    return DomainRuleViolation(regel, da, en)


def kraev_aeldrelovsform(
    afgoerelse: Afgoerelse,
    anmodninger: Sequence[Anmodning],
    foedselsdato: date | None,
    katalog: Kvalitetsstandard | None,
    leverandoerer: Leverandoerregister,
) -> None:
    h = afgoerelse.helhedspleje
    if not aeldreloven_gaelder(foedselsdato, afgoerelse.truffet_dato, katalog):
        if h is not None:
            raise _regel(
                "helhedspleje-kun-efter-aeldreloven",
                "Helhedspleje bevilges efter ældreloven til borgere i folkepensionsalderen, "
                "fra den dato kommunens kvalitetsstandard angiver.",
                "Helhedspleje is granted under the Elderly Act to citizens of pension age, "
                "from the date the kommune's quality standard sets.",
            )
        return
    assert katalog is not None and katalog.helhedspleje is not None
    regler = katalog.helhedspleje
    omfattet = set(regler.kategorier)
    enkelt = [b for b in afgoerelse.bevillinger if b.kategori in omfattet]
    if enkelt:
        raise _regel(
            "aeldrelov-ikke-enkeltydelser",
            f"Borgeren er i folkepensionsalderen: {', '.join(sorted(omfattet))} hjælp "
            "bevilges som ét helhedsplejeforløb med en ramme og mål, ikke som enkeltydelser "
            f"({enkelt[0].indsats_kode}).",
            "The citizen is of pension age: this help is granted as one helhedspleje course "
            f"with a frame and goals, not as single services ({enkelt[0].indsats_kode}).",
        )
    kategori = {a.anmodning_id: a.kategori for a in anmodninger}
    bevilget = {
        u.anmodning_id
        for u in afgoerelse.udfald
        if u.resultat in ("bevilget", "delvist") and kategori.get(u.anmodning_id) in omfattet
    }
    if bevilget and h is None:
        raise _regel(
            "aeldrelov-helhedspleje-paakraevet",
            "Den bevilgede personlige og praktiske hjælp skal gives som et helhedsplejeforløb.",
            "The granted personal and practical help must be a helhedspleje course.",
        )
    if h is None:
        return
    if not set(h.anmodning_ids) or set(h.anmodning_ids) != bevilget:
        raise _regel(
            "helhedspleje-anmodninger",
            "Forløbet skal dække præcis de bevilgede anmodninger om personlig og praktisk hjælp.",
            "The course must cover exactly the granted requests for personal and practical help.",
        )
    ramme_ok = (
        h.ramme == "timer_pr_uge"
        and h.timer_pr_uge is not None
        and 0 < h.timer_pr_uge <= regler.max_timer_pr_uge
        and h.pakke is None
    ) or (h.ramme == "pakke" and h.pakke in regler.pakker and h.timer_pr_uge is None)
    if h.ramme not in regler.rammer or not ramme_ok:
        raise _regel(
            "helhedspleje-ramme",
            f"Rammen skal være en af {regler.rammer}: timer pr. uge (højst "
            f"{regler.max_timer_pr_uge}) eller en pakke blandt {regler.pakker}.",
            f"The frame must be one of {regler.rammer}: hours per week (at most "
            f"{regler.max_timer_pr_uge}) or a package among {regler.pakker}.",
        )
    if h.retningsgivende_maal not in RETNINGSGIVENDE_MAAL or not (
        h.individuelle_maal and all((m.tekst or "").strip() for m in h.individuelle_maal)
    ):
        raise _regel(
            "helhedspleje-maal",
            "Forløbet skal have et retningsgivende mål (udrede, udvikle, fastholde, lindre) "
            "og individuelle mål fastsat med borgeren.",
            "The course needs a directional goal and individual goals set with the citizen.",
        )
    if h.startdato < afgoerelse.truffet_dato or (
        h.slutdato is not None and h.slutdato <= h.startdato
    ):
        raise _regel(
            "ugyldig-bevillingsperiode",
            "Forløbet starter tidligst på afgørelsesdagen og slutter efter start.",
            "The course starts on or after the decision date and ends after it starts.",
        )
    for k in sorted({kategori[i] for i in h.anmodning_ids}):
        if not leverandoerer.er_godkendt(h.leverandoer_id, k, h.startdato):
            raise _regel(
                "leverandoer-ikke-godkendt",
                f"{h.leverandoer_id} er ikke godkendt til {k} hjælp den {h.startdato}.",
                f"{h.leverandoer_id} is not approved for {k} help on {h.startdato}.",
            )
