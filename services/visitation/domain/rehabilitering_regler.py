"""The rules of § 83 a rehabilitering (no I/O, no events): when the § 83, stk. 3
consideration is required, what makes a course valid, and the course as the case knows it.
The part of the case that records them is rehabilitering.py."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

from services.visitation.catalogue.model import Rehabilitering
from shared.kernel import DomainRuleViolation
from shared.kernel.personoplysning import Personoplysning
from shared.reference.leverandoerer import Leverandoerregister

if TYPE_CHECKING:
    from services.visitation.domain.values import Afgoerelse

#: § 83, stk. 1: personlig hjælp, praktisk hjælp and madservice.
KATEGORIER_83 = frozenset({"personlig", "praktisk", "madservice"})
RETNINGSGIVENDE_MAAL_83A = frozenset({"udrede", "udvikle"})
FORLOEBSUDFALD = frozenset({"gennemfoert", "afbrudt"})


@dataclass(frozen=True)
class Rehabiliteringsforloeb:
    """The course as the case knows it now (state, not stored: rebuilt from the events)."""

    forloeb_id: UUID
    bevilget_dato: date
    niveau: str
    startdato: date
    slutdato: date
    retningsgivende_maal: str
    individuelle_maal: tuple[Personoplysning, ...]  # the citizen's own goals, in their words
    leverandoer_id: str
    katalog_version: str | None
    afsluttet_dato: date | None = None
    udfald: str | None = None  # gennemfoert | afbrudt


def _regel(regel: str, da: str, en: str) -> DomainRuleViolation:
    return DomainRuleViolation(regel, da, en)


def kraev_83a_stillingtagen(
    afgoerelse: Afgoerelse,
    tidligere: Sequence[Afgoerelse],
    vurdering: tuple[date, bool] | None,
    forloeb: Sequence[Rehabiliteringsforloeb],
) -> None:
    """§ 83, stk. 3: the first § 83 grant on a case needs a § 83 a assessment first, and if a
    course could help, the course must have ended or been abandoned."""
    # A helhedspleje forløb (ældreloven) is personal and practical help too.
    if afgoerelse.helhedspleje is None and not any(
        b.kategori in KATEGORIER_83 for b in afgoerelse.bevillinger
    ):
        return
    if any(
        a.helhedspleje is not None or any(b.kategori in KATEGORIER_83 for b in a.bevillinger)
        for a in tidligere
    ):
        return
    if vurdering is None:
        raise _regel(
            "83a-vurdering-foer-83",
            "Før der bevilges hjælp efter serviceloven § 83, skal det vurderes, om et "
            "rehabiliteringsforløb efter § 83 a kan forbedre funktionsevnen (§ 83, stk. 3).",
            "Before granting help under section 83 the municipality must assess whether a "
            "section 83 a reablement course could improve function (section 83(3)).",
        )
    if vurdering[1] and not any(f.afsluttet_dato is not None for f in forloeb):
        raise _regel(
            "83a-forloeb-foer-83",
            "Vurderingen er, at et rehabiliteringsforløb kan hjælpe: forløbet skal være "
            "afsluttet eller afbrudt, før der bevilges hjælp efter § 83.",
            "The assessment says a reablement course could help: the course must have ended "
            "or been abandoned before section 83 help is granted.",
        )


def forloeb_gyldigt(
    vurdering: tuple[date, bool] | None,
    forloeb: Sequence[Rehabiliteringsforloeb],
    bevilget_dato: date,
    niveau: str,
    startdato: date,
    uger: int,
    individuelle_maal: Sequence[str],
    leverandoer_id: str,
    rammer: Rehabilitering,
    leverandoerer: Leverandoerregister,
) -> None:
    if vurdering is None or not vurdering[1]:
        raise _regel(
            "83a-forloeb-kraever-vurdering",
            "Et rehabiliteringsforløb kræver en vurdering af, at forløbet kan forbedre "
            "funktionsevnen.",
            "A reablement course needs an assessment that it could improve function.",
        )
    if any(f.afsluttet_dato is None for f in forloeb):
        raise _regel(
            "83a-forloeb-allerede-aktivt",
            "Borgeren har allerede et aktivt rehabiliteringsforløb i sagen.",
            "The citizen already has an active reablement course on this case.",
        )
    if niveau not in rammer.niveauer:
        raise _regel(
            "83a-ukendt-niveau",
            f"Niveauet {niveau!r} findes ikke; kvalitetsstandarden kender {rammer.niveauer}.",
            f"Level {niveau!r} is unknown; the quality standard has {rammer.niveauer}.",
        )
    if not rammer.min_uger <= uger <= rammer.max_uger:
        raise _regel(
            "83a-varighed",
            f"Et rehabiliteringsforløb varer {rammer.min_uger}-{rammer.max_uger} uger.",
            f"A reablement course lasts {rammer.min_uger}-{rammer.max_uger} weeks.",
        )
    maal_gyldige(individuelle_maal)
    if startdato < bevilget_dato or bevilget_dato < vurdering[0]:
        raise _regel(
            "83a-ugyldig-periode",
            "Forløbet bevilges tidligst på vurderingsdagen og starter tidligst på bevillingsdagen.",
            "A course is granted no earlier than the assessment and starts no earlier than "
            "the grant.",
        )
    if not leverandoerer.er_godkendt(leverandoer_id, "rehabilitering", startdato):
        raise _regel(
            "leverandoer-ikke-godkendt",
            f"{leverandoer_id} er ikke godkendt til rehabilitering den {startdato}.",
            f"{leverandoer_id} is not approved for reablement on {startdato}.",
        )


def maal_gyldige(individuelle_maal: Sequence[str]) -> None:
    if not individuelle_maal or not all(m.strip() for m in individuelle_maal):
        raise _regel(
            "83a-individuelle-maal",
            "Forløbet skal have individuelle mål, fastsat sammen med borgeren (§ 83 a, stk. 2).",
            "The course needs individual goals set with the citizen (section 83 a(2)).",
        )
