"""The decision letter's content as data, in Danish (Serviceloven § 89: the citizen is told
in writing what was granted; Forvaltningsloven §§ 22-25: reasons and complaint guidance
whenever anything is refused; § 90, stk. 2: where to turn if the help is not delivered).

Pure: the adapters render the same data as HTML and PDF, so the two never disagree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from services.visitation.domain.meddelelse import KANAL_TEKST
from shared.reference.dansk import dansk_dato

if TYPE_CHECKING:
    from services.visitation.catalogue.kommune import Kommune
    from services.visitation.catalogue.model import Kvalitetsstandard
    from services.visitation.domain.sag import Sag
    from services.visitation.domain.values import Bevilling, Hyppighed

RESULTAT = {"bevilget": "Bevilget", "delvist": "Delvist bevilget", "afslag": "Afslag"}
PERIODE = {
    "dag": "om dagen",
    "uge": "om ugen",
    "anden_uge": "hver anden uge",
    "maaned": "om måneden",
}
LOVGRUNDLAG_KATEGORI = {
    "personlig": "Serviceloven § 83, stk. 1, nr. 1",
    "praktisk": "Serviceloven § 83, stk. 1, nr. 2",
    "madservice": "Serviceloven § 83, stk. 1, nr. 3",
    "rehabilitering": "Serviceloven § 83 a",
}


def hyppighed_tekst(h: Hyppighed) -> str:
    gange = "1 gang" if h.antal == 1 else f"{h.antal} gange"
    return f"{gange} {PERIODE.get(h.periode, h.periode)}"


def _indsats(b: Bevilling, katalog: Kvalitetsstandard | None) -> dict[str, Any]:
    entry = katalog.find(b.indsats_kode) if katalog is not None else None
    periode = f"fra {dansk_dato(b.startdato)}"
    if b.slutdato is not None:
        periode += f" til og med {dansk_dato(b.slutdato)}"
    return {
        "navn": b.indsats_navn,
        "kode": b.indsats_kode,
        "omfang": f"{hyppighed_tekst(b.hyppighed)}, {b.minutter_pr_besoeg} minutter pr. besøg",
        "periode": periode,
        "leverandoer": b.leverandoer_id,
        "lovgrundlag": entry.lovgrundlag if entry else LOVGRUNDLAG_KATEGORI.get(b.kategori, ""),
        "individuel_begrundelse": (
            b.individuel_begrundelse.vis() if b.individuel_begrundelse else None
        ),
    }


def brevdata(
    sag: Sag, nr: int, borger_navn: str, kommune: Kommune, katalog: Kvalitetsstandard | None
) -> dict[str, Any]:
    """Letter number `nr` (1-based) of the case, signed by the kommune as its data says."""
    a = sag.afgoerelser[nr - 1]
    afsender = kommune.afsender
    anmodninger = {x.anmodning_id: x for x in sag.anmodninger}
    udfald = [
        {
            "anmodning": anmodninger[u.anmodning_id].beskrivelse.vis(),
            "resultat": RESULTAT.get(u.resultat, u.resultat),
            "begrundelse": u.begrundelse.vis() if u.begrundelse else None,
        }
        for u in a.udfald
    ]
    afslag = any(u.resultat != "bevilget" for u in a.udfald)
    maal: list[str] = []
    for f in sag.rehab_forloeb.values():
        maal.append(f"Rehabiliteringsforløb: at {f.retningsgivende_maal}")
        maal += [m.vis() for m in f.individuelle_maal]
    helhedspleje = None
    if (h := a.helhedspleje) is not None:
        timer = f"{h.timer_pr_uge:g}".replace(".", ",")  # Danish decimal comma
        ramme = f"{timer} timer om ugen" if h.timer_pr_uge else f"pakken «{h.pakke}»"
        helhedspleje = {
            "ramme": ramme,
            "omfatter": [anmodninger[i].beskrivelse.vis() for i in h.anmodning_ids],
            "periode": f"fra {dansk_dato(h.startdato)}"
            + (f" til og med {dansk_dato(h.slutdato)}" if h.slutdato else ""),
            "leverandoer": h.leverandoer_id,
            "lovgrundlag": katalog.helhedspleje.lovgrundlag
            if katalog is not None and katalog.helhedspleje is not None
            else "Ældreloven § 10",
        }
        maal.append(f"Helhedspleje: at {h.retningsgivende_maal}")
        maal += [m.vis() for m in h.individuelle_maal]
    frister = katalog.frister if katalog is not None else None
    uger = frister.klagefrist_uger if frister is not None else 4
    genvurdering_uger = frister.genvurdering_uger if frister is not None else 4
    klagefrist = sag.klagefrist(a, uger, kommune.kalender())
    meddelelse = sag.meddelelser.get(a.afgoerelse_id)
    if meddelelse is not None:
        # Known: the deadline is a date, counted from the day the citizen received it.
        klagefrist_tekst = (
            f"Du kan klage over afgørelsen inden {uger} uger efter, at du har modtaget den. "
            f"Du modtog den {dansk_dato(meddelelse.meddelt_dato)} "
            f"({KANAL_TEKST.get(meddelelse.kanal, meddelelse.kanal)}), så fristen udløber "
            f"{dansk_dato(klagefrist)}."
        )
    else:
        klagefrist_tekst = (
            f"Du kan klage over afgørelsen inden {uger} uger efter, at du har modtaget den "
            f"(senest {dansk_dato(klagefrist)}, hvis du modtog den i dag)."
        )
    kontakt = [
        tekst
        for tekst in (
            f"Telefon {kommune.kontakt.telefon}" if kommune.kontakt.telefon else None,
            kommune.kontakt.email,
            kommune.kontakt.web,
        )
        if tekst
    ]
    return {
        "titel": "Afgørelse om hjælp i hjemmet",
        "kommune": kommune.navn,
        "afsender": afsender,
        "adresse": kommune.adresse.som_linjer(),
        "kontakt": kontakt,
        "modtager": borger_navn,
        "sag_id": str(sag.id),
        "afgoerelse_id": str(a.afgoerelse_id),
        "nr": nr,
        "dato": dansk_dato(a.truffet_dato),
        "dato_iso": a.truffet_dato.isoformat(),
        "udfald": udfald,
        "indsatser": [_indsats(b, katalog) for b in a.bevillinger],
        "helhedspleje": helhedspleje,
        "begrundelse": a.begrundelse.vis() if a.begrundelse else None,
        "maal": maal,
        "lovgrundlag": ("Ældreloven § 10; " if helhedspleje else "")
        + "Serviceloven §§ 83, 83 a, 89 og 90; Forvaltningsloven §§ 22-25",
        "katalog_version": a.katalog_version,
        "klagevejledning_sag": a.klagevejledning,
        "klagefrist": klagefrist.isoformat(),
        "meddelt": None
        if meddelelse is None
        else {"dato": meddelelse.meddelt_dato.isoformat(), "kanal": meddelelse.kanal},
        "klagevejledning": [
            klagefrist_tekst,
            f"Klagen sendes til {afsender}. Du kan klage mundtligt eller "
            f"skriftligt. Kommunen genvurderer afgørelsen inden {genvurdering_uger} uger.",
            "Fastholder kommunen afgørelsen helt eller delvist, sender kommunen klagen og "
            "sagens dokumenter videre til Ankestyrelsen, som træffer afgørelse i klagesagen.",
            "Lovgrundlag: Retssikkerhedsloven §§ 60, 66 og 67.",
        ],
        "klagevejledning_paakraevet": afslag,
        "levering": (
            "Hvis hjælpen ikke bliver leveret som beskrevet i afgørelsen, kan du henvende dig "
            f"til {afsender} (Serviceloven § 90, stk. 2). Klager over, "
            "hvordan hjælpen udføres, kan også rettes til leverandøren."
        ),
        "oplysningspligt": (
            "Du har pligt til at fortælle os om ændringer, der kan have betydning for hjælpen "
            "(Retssikkerhedsloven § 11)."
        ),
    }
