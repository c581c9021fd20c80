"""Which legal deadlines a case has, and whether they are met (pure; "today" is an argument)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from services.visitation.catalogue.model import Frister, Kvalitetsstandard, Sagsfrist
from services.visitation.domain.kalender import STANDARDKALENDER, Arbejdskalender, plus_maaneder
from shared.kernel.tidsramme import plus_dage

if TYPE_CHECKING:
    from services.visitation.domain.klagesag import Klagesag
    from services.visitation.domain.sag import Sag

LOVGRUNDLAG: dict[str, str] = {
    "kvittering": "Retssikkerhedsloven § 3, stk. 2; kommunens kvalitetsstandard",
    "visitationsbesoeg": "Retssikkerhedsloven § 3, stk. 2; kommunens kvalitetsstandard",
    "afgoerelse": "Retssikkerhedsloven § 3, stk. 2 (offentliggjorte sagsbehandlingsfrister)",
    "genvurdering": "Retssikkerhedsloven § 66, stk. 1",
    "revurdering": "Serviceloven § 148; kommunens kvalitetsstandard",
    "revurderingsopgave": "Serviceloven § 148 (ændringsindberetning fra leverandøren)",
}

REVURDERING_EFTER_83A_ARBEJDSDAGE = 10


@dataclass(frozen=True)
class Frist:
    frist_id: str  # stable per case: the key that makes "missed" recorded only once
    # kvittering | visitationsbesoeg | afgoerelse | genvurdering | revurdering
    # | revurderingsopgave
    fristtype: str
    frist: date  # the last day on which it is met
    opfyldt_dato: date | None

    def status(self, idag: date) -> str:
        if self.opfyldt_dato is not None:
            return "opfyldt" if self.opfyldt_dato <= self.frist else "opfyldt_for_sent"
        return "overskredet" if idag > self.frist else "aaben"


#: Deadlines the published FristOverskredet v1 cannot name (its `fristtype` is a closed
#: list): recorded on the case and on the work list, not published, until a v2 names them.
UPUBLICEREDE_FRISTTYPER = frozenset({"visitationsbesoeg"})


def plus_frist(kalender: Arbejdskalender, start: date, frist: Sagsfrist) -> date:
    """The last day of a typed case deadline counted from `start` in the kommune's
    calendar: working days skip days it is closed; weeks, months and calendar days that
    end on such a day run to the next working day."""
    if frist.enhed == "arbejdsdage":
        return kalender.plus_arbejdsdage(start, frist.vaerdi)
    if frist.enhed == "uger":
        return kalender.plus_uger(start, frist.vaerdi)
    if frist.enhed == "maaneder":
        return kalender.naeste_arbejdsdag(plus_maaneder(start, frist.vaerdi))
    return kalender.naeste_arbejdsdag(plus_dage(start, frist.vaerdi))


def sagens_frister(
    sag: Sag,
    katalog: Kvalitetsstandard | None,
    kalender: Arbejdskalender = STANDARDKALENDER,
    klagesager: Sequence[Klagesag] = (),
) -> list[Frist]:
    """Working days and week deadlines count the kommune's calendar (its closed days).
    `klagesager`: the case's complaints filed since they became aggregates (klagesag.py);
    those filed before are in the case."""
    cfg = katalog.frister if katalog is not None else Frister()
    plus_arbejdsdage, plus_uger = kalender.plus_arbejdsdage, kalender.plus_uger
    frister: list[Frist] = []
    foerste_afgoerelse = sag.afgoerelser[0].truffet_dato if sag.afgoerelser else None
    if foerste_afgoerelse is None and sag.lukket is not None:
        # Withdrawn or declined: the case ended without a decision, so its clocks stop.
        foerste_afgoerelse = sag.lukket[0]
    # Receipt within N working days; a decision inside the period answers it too.
    frister.append(
        Frist(
            "kvittering",
            "kvittering",
            plus_frist(kalender, sag.modtaget_dato, cfg.kvitteringsfrist()),
            sag.kvittering_sendt or foerste_afgoerelse,
        )
    )
    if (besoegsfrist := cfg.visitationsbesoegsfrist()) is not None:
        # The visitator's visit ("senest 10 arbejdsdage efter henvendelse", Herlev): the
        # assessment made there is what meets it; a decision or a closed case ends the clock.
        vurderet = [
            v.vurderet_dato for v in sag.vurderinger if v.vurderet_dato >= sag.modtaget_dato
        ]
        frister.append(
            Frist(
                "visitationsbesoeg",
                "visitationsbesoeg",
                plus_frist(kalender, sag.modtaget_dato, besoegsfrist),
                min(vurderet) if vurderet else foerste_afgoerelse,
            )
        )
    for kategori in sorted({a.kategori for a in sag.anmodninger}):
        if (afgoerelsesfrist := cfg.afgoerelsesfrist(kategori)) is not None:
            frister.append(
                Frist(
                    f"afgoerelse:{kategori}",
                    "afgoerelse",
                    plus_frist(kalender, sag.modtaget_dato, afgoerelsesfrist),
                    foerste_afgoerelse,
                )
            )
    genvurderet = dict(sag.genvurderet)
    genvurderet.update({k.id: k.genvurdering[0] for k in klagesager if k.genvurdering})
    for klage in [*sag.klager, *(k.klage for k in klagesager)]:
        if klage.klagetype == "afgoerelse":
            frister.append(
                Frist(
                    f"genvurdering:{klage.klage_id}",
                    "genvurdering",
                    plus_uger(klage.modtaget_dato, cfg.genvurdering_uger),
                    genvurderet.get(klage.klage_id),
                )
            )
    if sag.afgoerelser and sag.afgoerelser[-1].bevillinger:
        seneste = sag.afgoerelser[-1]
        maaneder = [cfg.revurdering_maaneder]
        for b in seneste.bevillinger:
            indsats = katalog.find(b.indsats_kode) if katalog is not None else None
            if indsats is not None and indsats.revurdering_maaneder is not None:
                maaneder.append(indsats.revurdering_maaneder)
        senere = [
            v.vurderet_dato for v in sag.vurderinger if v.vurderet_dato > seneste.truffet_dato
        ]
        frister.append(
            Frist(
                f"revurdering:{seneste.afgoerelse_id}",
                "revurdering",
                plus_maaneder(seneste.truffet_dato, min(maaneder)),
                min(senere) if senere else None,
            )
        )
    for forloeb in sag.rehab_forloeb.values():
        # § 83 a course ended or abandoned: a new § 83 assessment is due "uanset hvad
        # årsagen er" (002). The law sets no period; 10 working days is the demo practice.
        if forloeb.afsluttet_dato is not None:
            efter = [
                v.vurderet_dato
                for v in sag.vurderinger
                if v.vurderet_dato >= forloeb.afsluttet_dato
            ]
            frister.append(
                Frist(
                    f"revurdering-efter-83a:{forloeb.forloeb_id}",
                    "revurdering",
                    plus_arbejdsdage(forloeb.afsluttet_dato, REVURDERING_EFTER_83A_ARBEJDSDAGE),
                    min(efter) if efter else None,
                )
            )
    for opgave_id, (frist, opfyldt) in sag.revurderingsopgaver.items():
        frister.append(
            Frist(f"revurderingsopgave:{opgave_id}", "revurderingsopgave", frist, opfyldt)
        )
    return frister
