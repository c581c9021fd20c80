"""The rules visitation enforces, as pure functions that raise DomainRuleViolation."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date, timedelta
from uuid import UUID

from services.visitation.domain.funktionsomraader import FUNKTIONSNIVEAUER, FUNKTIONSOMRAADER
from services.visitation.domain.kalender import plus_uger
from services.visitation.domain.values import (
    Afgoerelse,
    Anmodning,
    Bevilling,
    Funktionsvurdering,
    Klage,
)
from shared.kernel import DomainRuleViolation
from shared.kernel.personoplysning import Personoplysning
from shared.reference.leverandoerer import Leverandoerregister

#: A grant's provider before the citizen has chosen one (see domain/valgfrist.py).
AFVENTER_VALG = "afventer-valg"
#: Klagefrist: 4 weeks from the decision (Retssikkerhedsloven § 67).
KLAGEFRIST = timedelta(weeks=4)
MAKS_MINUTTER_PR_BESOEG = 480


def ansoegning_skal_indeholde_anmodninger(anmodninger: Sequence[Anmodning]) -> None:
    if not anmodninger:
        raise DomainRuleViolation(
            "ansoegning-uden-anmodninger",
            "En ansøgning skal indeholde mindst én anmodning.",
            "An application must contain at least one request.",
        )
    ids = Counter(a.anmodning_id for a in anmodninger)
    if any(n > 1 for n in ids.values()):
        raise DomainRuleViolation(
            "anmodning-dublet",
            "Hver anmodning skal have sit eget id.",
            "Each request needs its own id.",
        )


def funktionsvurdering_gyldig(vurdering: Funktionsvurdering, modtaget: date) -> None:
    if not vurdering.funktionsniveauer:
        raise DomainRuleViolation(
            "funktionsvurdering-tom",
            "En funktionsvurdering skal vurdere mindst ét område.",
            "A function assessment must score at least one area.",
        )
    seen: set[str] = set()
    for f in vurdering.funktionsniveauer:
        if f.omraade not in FUNKTIONSOMRAADER:
            raise DomainRuleViolation(
                "ukendt-funktionsomraade",
                f"Funktionsområdet {f.omraade} findes ikke i kataloget.",
                f"Function area {f.omraade} is not in the catalogue.",
            )
        if f.niveau not in FUNKTIONSNIVEAUER:
            raise DomainRuleViolation(
                "ugyldigt-funktionsniveau",
                f"Niveau {f.niveau} for {f.omraade} skal være 0-4 eller 9.",
                f"Level {f.niveau} for {f.omraade} must be 0-4 or 9.",
            )
        if f.omraade in seen:
            raise DomainRuleViolation(
                "funktionsomraade-dublet",
                f"Funktionsområdet {f.omraade} er vurderet to gange.",
                f"Function area {f.omraade} is scored twice.",
            )
        seen.add(f.omraade)
    if vurdering.vurderet_dato < modtaget:
        raise DomainRuleViolation(
            "vurdering-foer-ansoegning",
            "Vurderingen kan ikke ligge før ansøgningen blev modtaget.",
            "The assessment cannot predate the application.",
        )


def afgoerelse_gyldig(
    afgoerelse: Afgoerelse,
    anmodninger: Sequence[Anmodning],
    har_vurdering: bool,
    modtaget: date,
    leverandoerer: Leverandoerregister,
) -> None:
    """An outcome for every anmodning, reasons and guidance for any refusal, and grants
    that match what was asked for (Serviceloven § 89, Forvaltningsloven §§ 22-25)."""
    if not har_vurdering:
        raise DomainRuleViolation(
            "afgoerelse-uden-vurdering",
            "Der skal foreligge en funktionsvurdering, før der træffes afgørelse.",
            "A function assessment is required before a decision.",
        )
    if afgoerelse.truffet_dato < modtaget:
        raise DomainRuleViolation(
            "afgoerelse-foer-ansoegning",
            "Afgørelsen kan ikke ligge før ansøgningen blev modtaget.",
            "The decision cannot predate the application.",
        )
    by_id = {a.anmodning_id: a for a in anmodninger}
    udfald_ids = [u.anmodning_id for u in afgoerelse.udfald]
    if sorted(map(str, udfald_ids)) != sorted(map(str, by_id)):
        raise DomainRuleViolation(
            "alle-anmodninger-skal-afgoeres",
            "Afgørelsen skal tage stilling til hver anmodning præcis én gang.",
            "The decision must give exactly one outcome for every request.",
        )
    refused = [u for u in afgoerelse.udfald if u.resultat in ("afslag", "delvist")]
    if refused and not (
        _har_tekst(afgoerelse.begrundelse) or all(_har_tekst(u.begrundelse) for u in refused)
    ):
        raise DomainRuleViolation(
            "afslag-kraever-begrundelse",
            "Afslag og delvis bevilling skal begrundes.",
            "A refusal or partial grant needs a written reason.",
        )
    if refused and not (afgoerelse.klagevejledning and afgoerelse.klagevejledning.strip()):
        # Blank guidance tells the citizen nothing, exactly like a blank reason.
        raise DomainRuleViolation(
            "afslag-kraever-klagevejledning",
            "Afslag og delvis bevilling skal have klagevejledning.",
            "A refusal or partial grant needs complaint guidance.",
        )
    resultat = {u.anmodning_id: u.resultat for u in afgoerelse.udfald}
    granted_for = {b.anmodning_id for b in afgoerelse.bevillinger}
    if afgoerelse.helhedspleje is not None:  # ældreloven: the forløb covers its requests
        granted_for |= set(afgoerelse.helhedspleje.anmodning_ids)
    for anmodning_id, res in resultat.items():
        if res in ("bevilget", "delvist") and anmodning_id not in granted_for:
            raise DomainRuleViolation(
                "bevilling-mangler",
                "En bevilget anmodning skal have mindst én bevilget indsats.",
                "A granted request needs at least one granted service.",
            )
    for b in afgoerelse.bevillinger:
        _bevilling_gyldig(b, by_id, resultat, afgoerelse.truffet_dato, leverandoerer)


def _bevilling_gyldig(
    b: Bevilling,
    by_id: dict[UUID, Anmodning],
    resultat: dict[UUID, str],
    truffet: date,
    leverandoerer: Leverandoerregister,
) -> None:
    if b.anmodning_id not in by_id or resultat.get(b.anmodning_id) == "afslag":
        raise DomainRuleViolation(
            "bevilling-uden-anmodning",
            f"Indsatsen {b.indsats_kode} hører ikke til en bevilget anmodning.",
            f"Service {b.indsats_kode} does not belong to a granted request.",
        )
    if b.kategori != by_id[b.anmodning_id].kategori:
        raise DomainRuleViolation(
            "bevilling-forkert-kategori",
            f"Indsatsen {b.indsats_kode} har en anden kategori end anmodningen.",
            f"Service {b.indsats_kode} has another category than the request.",
        )
    if not 0 < b.minutter_pr_besoeg <= MAKS_MINUTTER_PR_BESOEG:
        raise DomainRuleViolation(
            "ugyldigt-tidsforbrug",
            f"Minutter pr. besøg skal være mellem 1 og {MAKS_MINUTTER_PR_BESOEG}.",
            f"Minutes per visit must be between 1 and {MAKS_MINUTTER_PR_BESOEG}.",
        )
    if b.startdato < truffet or (b.slutdato is not None and b.slutdato <= b.startdato):
        raise DomainRuleViolation(
            "ugyldig-bevillingsperiode",
            "Bevillingen skal starte tidligst på afgørelsesdagen og slutte efter start.",
            "A grant starts on or after the decision date and ends after it starts.",
        )
    # Frit valg: the provider must be approved for the category when the help starts (or
    # the citizen chooses later, within the choice deadline).
    if b.leverandoer_id != AFVENTER_VALG and not leverandoerer.er_godkendt(
        b.leverandoer_id, b.kategori, b.startdato
    ):
        raise DomainRuleViolation(
            "leverandoer-ikke-godkendt",
            f"{b.leverandoer_id} er ikke godkendt til {b.kategori} hjælp den {b.startdato}.",
            f"{b.leverandoer_id} is not approved for {b.kategori} help on {b.startdato}.",
        )


def klagefrist(afgoerelse_dato: date, uger: int = 4) -> date:
    """Last day to complain: same weekday 4 weeks on, or the next working day."""
    return plus_uger(afgoerelse_dato, uger)


def klage_for_sent(afgoerelse_dato: date, modtaget: date) -> bool:
    """A late complaint is still registered, only flagged (never dropped)."""
    return modtaget > klagefrist(afgoerelse_dato)


def kvittering_gyldig(
    modtaget: date, allerede: date | None, dato: date, forventet: date | None
) -> None:
    if allerede is not None:
        raise DomainRuleViolation(
            "kvittering-allerede-sendt",
            f"Der er allerede sendt kvittering for modtagelsen ({allerede}).",
            f"A receipt was already sent ({allerede}).",
        )
    if dato < modtaget or (forventet is not None and forventet < dato):
        raise DomainRuleViolation(
            "kvittering-ugyldig-dato",
            "Kvitteringen kan ikke ligge før ansøgningen, og forventet afgørelse ikke før "
            "kvitteringen.",
            "A receipt cannot predate the application, nor the expected decision the receipt.",
        )


def genvurdering_gyldig(klage: Klage | None, allerede: bool, dato: date, begrundelse: str) -> None:
    """Retssikkerhedsloven § 66: the deciding authority reconsiders a complaint first."""
    if klage is None or klage.klagetype != "afgoerelse":
        raise DomainRuleViolation(
            "genvurdering-kraever-afgoerelsesklage",
            "Kun en klage over en afgørelse kan genvurderes.",
            "Only a complaint about a decision can be reconsidered.",
        )
    if allerede:
        raise DomainRuleViolation(
            "klage-allerede-genvurderet",
            "Klagen er allerede genvurderet.",
            "The complaint has already been reconsidered.",
        )
    if dato < klage.modtaget_dato or not begrundelse.strip():
        raise DomainRuleViolation(
            "genvurdering-ugyldig",
            "Genvurderingen skal begrundes og kan ikke ligge før klagen.",
            "A reconsideration needs a reason and cannot predate the complaint.",
        )


def _har_tekst(tekst: Personoplysning | None) -> bool:
    return tekst is not None and bool(tekst.tekst and tekst.tekst.strip())
