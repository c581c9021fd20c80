"""Eligibility: which catalogue indsatser an assessment qualifies for (pure functions)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from services.visitation.catalogue import model as katalog_model
from services.visitation.catalogue.model import Indsats, Kvalitetsstandard
from services.visitation.domain.values import (
    Bevilling,
    Funktionsvurdering,
    Hyppighed,
    Leveringsregler,
)
from shared.kernel import DomainRuleViolation
from shared.kernel.loefte import Loefte
from shared.kernel.lukkedage import Lukkedage
from shared.reference.leverandoerer import Leverandoerregister

IKKE_RELEVANT = 9


@dataclass(frozen=True)
class Kriterievurdering:
    indsats_kode: str
    navn: str
    kategori: str
    opfyldt: bool
    opfyldte: tuple[str, ...]  # e.g. ("B1-11:3", "mestringskapacitet:lav")
    kraevet: int
    #: The standard's serviceniveau for the indsats, proposed to the visitator as a
    #: starting point: the grant itself sets frequency and minutes from the individual
    #: assessment (the standard may never replace it), so these are a proposal only.
    hyppighed: Hyppighed | None = None
    minutter: int | None = None


def vurder(indsats: Indsats, vurdering: Funktionsvurdering | None) -> Kriterievurdering:
    """Count met criteria. Level 9 (ikke relevant) never meets a criterion."""
    opfyldte: list[str] = []
    kraevet = 0
    if indsats.kriterier is not None:
        kraevet = indsats.kriterier.minimum_opfyldt
        niveauer = {f.omraade: f.niveau for f in (vurdering.funktionsniveauer if vurdering else ())}
        for k in indsats.kriterier.omraader:
            niveau = niveauer.get(k.omraade)
            if niveau is not None and niveau != IKKE_RELEVANT and niveau >= k.min_niveau:
                opfyldte.append(f"{k.omraade}:{niveau}")
        lav = vurdering is not None and vurdering.mestringskapacitet == "lav"
        if indsats.kriterier.lav_mestringskapacitet_taeller and lav:
            opfyldte.append("mestringskapacitet:lav")
    opfyldt = indsats.kriterier is not None and len(opfyldte) >= kraevet
    standard = indsats.hyppighed
    return Kriterievurdering(
        indsats.kode,
        indsats.navn,
        indsats.kategori,
        opfyldt,
        tuple(opfyldte),
        kraevet,
        hyppighed=Hyppighed(standard.antal, standard.periode) if standard else None,
        minutter=indsats.minutter,
    )


def foreslaa(
    katalog: Kvalitetsstandard, vurdering: Funktionsvurdering | None, boligform: str = "eget_hjem"
) -> list[Kriterievurdering]:
    """The indsatser whose criteria the assessment meets: the visitator's starting point."""
    return [
        v
        for i in katalog.indsatser
        if boligform not in i.undtagelser and (v := vurder(i, vurdering)).opfyldt
    ]


def leveringsregler(
    katalog: Kvalitetsstandard, indsats: Indsats, lukkedage: Lukkedage | None = None
) -> Leveringsregler:
    return Leveringsregler(
        katalog_version=katalog.katalog_version,
        aflysningsfrist_dage_foer=indsats.aflysningsfrist_dage_foer,
        erstatning_ved_rettidig_borgeraflysning=indsats.erstatning_ved_rettidig_borgeraflysning,
        erstatning_ved_leverandoeraflysning=indsats.erstatning_ved_leverandoeraflysning,
        erstatningsfrist_dage=indsats.erstatningsfrist_dage,
        iverksaettelsesfrist_dage=indsats.iverksaettelsesfrist_dage,
        erstatningsfrist=_loefte(katalog.loefte(indsats, "erstatningsfrist")),
        aflysningsvarsel=_loefte(katalog.loefte(indsats, "aflysningsvarsel")),
        forsinkelsestolerance=_loefte(katalog.loefte(indsats, "forsinkelsestolerance")),
        planlaegning=katalog.planlaegningsregler(indsats),
        lukkedage=lukkedage,
        frit_valg=indsats.frit_valg,
    )


def kraev_frit_valg(b: Bevilling, leverandoerer: Leverandoerregister) -> None:
    """An indsats the standard keeps outside frit valg (`frit_valg: false`) is delivered
    by the kommune's own provider: a grant, a choice or a switch naming another (or
    waiting for the citizen's choice) is refused. Grants decided before the rule carry
    no rules or `frit_valg` true, and pass."""
    if b.leveringsregler is None or b.leveringsregler.frit_valg:
        return
    if not leverandoerer.er_kommunal(b.leverandoer_id):
        raise DomainRuleViolation(
            "indsats-uden-frit-valg",
            f"Indsatsen {b.indsats_kode} er ikke omfattet af frit valg i kvalitetsstandarden "
            f"og leveres af kommunens egen leverandør, ikke {b.leverandoer_id}.",
            f"Service {b.indsats_kode} is outside free choice in the quality standard and "
            f"is delivered by the kommune's own provider, not {b.leverandoer_id}.",
        )


def _loefte(v: int | katalog_model.Loefte | None) -> Loefte | None:
    """The catalogue's promise as a domain value; a bare integer is calendar days."""
    if v is None:
        return None
    if isinstance(v, int):
        return Loefte.fra_dage(v)
    return Loefte(v.vaerdi, v.enhed)


def bevilling_mod_katalog(
    b: Bevilling,
    katalog: Kvalitetsstandard,
    vurdering: Funktionsvurdering | None,
    lukkedage: Lukkedage | None = None,
) -> Bevilling:
    """Check one grant against the standard in force and attach its delivery rules.

    Outside the catalogue or its criteria is allowed only with a recorded individual
    reason (the kommune's serviceniveau may never override an individual need).
    """
    tekst = b.individuel_begrundelse.tekst if b.individuel_begrundelse is not None else None
    begrundet = bool(tekst and tekst.strip())
    indsats = katalog.find(b.indsats_kode)
    if indsats is None:
        if not begrundet:
            raise DomainRuleViolation(
                "indsats-ikke-i-kvalitetsstandard",
                f"Indsatsen {b.indsats_kode} findes ikke i {katalog.katalog_version}; "
                "en bevilling uden for kataloget kræver en individuel begrundelse.",
                f"Service {b.indsats_kode} is not in {katalog.katalog_version}; granting "
                "outside the catalogue needs an individual reason.",
            )
        return b
    if indsats.kategori != b.kategori:
        raise DomainRuleViolation(
            "indsats-forkert-kategori",
            f"Indsatsen {b.indsats_kode} er {indsats.kategori} hjælp i kataloget.",
            f"Service {b.indsats_kode} is {indsats.kategori} help in the catalogue.",
        )
    resultat = vurder(indsats, vurdering)
    if not resultat.opfyldt and not begrundet:
        krav = (
            ", ".join(
                f"{k.omraade}:{k.min_niveau}"
                for k in (indsats.kriterier.omraader if indsats.kriterier else [])
            )
            or "ingen kriterier i kataloget"
        )
        raise DomainRuleViolation(
            "bevilling-uden-for-kriterier",
            f"Funktionsvurderingen opfylder ikke kriterierne for {indsats.navn} ({krav}, "
            f"mindst {resultat.kraevet}); bevilling kræver en individuel begrundelse.",
            f"The assessment does not meet the criteria for {b.indsats_kode} ({krav}, at "
            f"least {resultat.kraevet}); granting needs an individual reason.",
        )
    return dataclasses.replace(b, leveringsregler=leveringsregler(katalog, indsats, lukkedage))
