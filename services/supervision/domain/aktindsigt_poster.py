"""The entries of an aktindsigt answer: one small function per public event type, in
Danish, each giving its section, title and lines (`POSTER`), and the access log's reads
as entries (`opslag_post`). aktindsigt_svar.py assembles them into the answer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from shared.kernel.fuldmagt import OMFANG

Post = tuple[str, str, list[str]]  # section key, title, lines


def _ansoegning(d: dict[str, Any]) -> Post:
    linjer = [
        f"Modtaget {d['modtaget_dato']} ({d['kanal']}, henvendelse fra {d['henvendelse_fra']})."
    ]
    linjer += [f"Anmodning: {a['beskrivelse']} ({a['kategori']})" for a in d["anmodninger"]]
    return "ansoegning", "Ansøgning modtaget", linjer


def _vurdering(d: dict[str, Any]) -> Post:
    niveauer = ", ".join(f"{f['omraade']}: {f['niveau']}" for f in d["funktionsniveauer"])
    return (
        "vurdering",
        f"Funktionsvurdering {d['vurderet_dato']}",
        [f"Funktionsniveauer: {niveauer}"],
    )


def _bevilling(b: dict[str, Any]) -> str:
    h = b["hyppighed"]
    slut = f" til {b['slutdato']}" if b.get("slutdato") else ""
    return (
        f"Bevilget: {b['indsats_navn']} ({b['indsats_kode']}), {h['antal']} gang(e) pr. "
        f"{h['periode']}, {b['minutter_pr_besoeg']} min., leverandør {b['leverandoer_id']}, "
        f"fra {b['startdato']}{slut}"
    )


def _afgoerelse(d: dict[str, Any]) -> Post:
    linjer = [
        f"Udfald: {u['resultat']}" + (f" - {u['begrundelse']}" if u.get("begrundelse") else "")
        for u in d["udfald"]
    ]
    linjer += [_bevilling(b) for b in d["bevillinger"]]
    if h := d.get("helhedspleje"):
        ramme = f"{h['timer_pr_uge']} timer pr. uge" if h["timer_pr_uge"] else f"pakke {h['pakke']}"
        linjer.append(
            f"Helhedspleje (ældreloven): ramme {ramme}, leverandør {h['leverandoer_id']}, "
            f"fra {h['startdato']}; mål: {'; '.join(h['individuelle_maal'])}"
        )
    if d.get("begrundelse"):
        linjer.append(f"Begrundelse: {d['begrundelse']}")
    if d.get("klagevejledning"):
        linjer.append(f"Klagevejledning: {d['klagevejledning']}")
    return "afgoerelse", f"Afgørelse truffet {d['truffet_dato']}", linjer


def _ophoer(d: dict[str, Any]) -> Post:
    return (
        "afgoerelse",
        f"Bevilling ophørt {d['ophoersdato']}",
        [f"Årsag: {d['aarsag']}; {len(d['bevilling_ids'])} bevilling(er)."],
    )


def _skift(d: dict[str, Any]) -> Post:
    return (
        "leverandoer",
        f"Leverandørskift fra {d['gyldig_fra']}",
        [f"{d['kategori']}: fra {d['fra_leverandoer_id']} til {d['til_leverandoer_id']}"],
    )


def _bestilling(d: dict[str, Any]) -> Post:
    return (
        "bestilling",
        f"Bestilling sendt til {d['leverandoer_id']}",
        [
            f"Delt med {d['leverandoer_id']}: indsats {d['indsats_kode']} ({d['kategori']}), "
            f"{d['minutter_pr_besoeg']} min. pr. besøg. Dit CPR-nummer deles ikke i beskeden."
        ],
    )


def _kvittering(d: dict[str, Any]) -> Post:
    return "bestilling", f"Bestilling kvitteret af {d['leverandoer_id']}", []


def _planlagt(d: dict[str, Any]) -> Post:
    datoer = ", ".join(b["dato"] for b in d["besoeg"])
    return (
        "besoeg",
        f"{len(d['besoeg'])} besøg planlagt af {d['leverandoer_id']}",
        [f"Datoer: {datoer}"],
    )


def _leveret(d: dict[str, Any]) -> Post:
    return (
        "besoeg",
        "Besøg leveret",
        [f"{d['leveret_tidspunkt']}: {d['faktiske_minutter']} min. ved {d['medarbejder_id']}"],
    )


def _aflyst(d: dict[str, Any]) -> Post:
    af = "dig" if d["aflyst_af"] == "borger" else "leverandøren"
    varsel = "rettidigt" if d["rettidig"] else "for sent"
    return (
        "besoeg",
        f"Besøg aflyst af {af}",
        [f"Årsag: {d['aarsag']}; varslet {varsel} ({d['varsel_timer']} timer)."],
    )


def _svigtet(d: dict[str, Any]) -> Post:
    return (
        "besoeg",
        f"Besøg {d['oprindelig_dato']} ikke erstattet",
        [f"Erstatningsfrist {d['erstatning_frist']} overskredet. Årsag: {d['aarsag']}"],
    )


def _aendring(d: dict[str, Any]) -> Post:
    return (
        "aendring",
        f"Ændring i funktionsevne indberettet af {d['leverandoer_id']}",
        [f"Observeret {d['observeret_dato']}: {d['beskrivelse']}"],
    )


def _meddelt(d: dict[str, Any]) -> Post:
    kanal = {"digital_post": "Digital Post", "brev": "brev", "personligt": "personligt"}
    return (
        "afgoerelse",
        f"Afgørelsen meddelt {d['meddelt_dato']} ({kanal.get(d['kanal'], d['kanal'])})",
        [f"Klagefristen udløber {d['klagefrist']}."],
    )


def _klage(d: dict[str, Any]) -> Post:
    return "klage", f"Klage modtaget {d['modtaget_dato']} ({d['klagetype']})", [d["beskrivelse"]]


def _forgaeves(d: dict[str, Any]) -> Post:
    return (
        "besoeg",
        "Forgæves besøg",
        [f"{d['tidspunkt']}: {d['aarsag']} (medarbejder {d['medarbejder_id']})"],
    )


def _erstatning(d: dict[str, Any]) -> Post:
    return (
        "besoeg",
        f"Erstatningsbesøg planlagt {d['dato']}",
        [f"Erstatter et aflyst besøg; frist {d['erstatning_frist']}, {d['tidsvindue']}."],
    )


def _afsluttet(d: dict[str, Any]) -> Post:
    return (
        "bestilling",
        f"Bestilling hos {d['leverandoer_id']} afsluttet",
        [f"Sidste dag {d['sidste_dag']}; årsag: {d['aarsag']}."],
    )


def _pauset(d: dict[str, Any]) -> Post:
    return "besoeg", f"Besøg sat i bero fra {d['fra']}", [f"{len(d['besoeg_ids'])} besøg."]


def _genoptaget(d: dict[str, Any]) -> Post:
    return "besoeg", f"Besøg genoptaget fra {d['fra']}", [f"{len(d['besoeg_ids'])} besøg."]


def _frist(d: dict[str, Any]) -> Post:
    return (
        "frister",
        f"Frist overskredet: {d['fristtype']}",
        [f"Fristen {d['frist']} blev overskredet (konstateret {d['konstateret_dato']})."],
    )


def _kvittering_sendt(d: dict[str, Any]) -> Post:
    forventet = d.get("forventet_afgoerelse")
    tekst = f" Forventet afgørelse: {forventet}." if forventet else ""
    return "ansoegning", f"Kvittering for ansøgningen sendt {d['dato']}", [tekst.strip()]


def _genvurderet(d: dict[str, Any]) -> Post:
    return (
        "klage",
        f"Klage genvurderet {d['dato']}: {d['udfald']}",
        [f"Begrundelse: {d['begrundelse']}"],
    )


def _leverandoerregister(d: dict[str, Any]) -> Post:
    # The kommune's register, not a citizen's event: it never sits in a case's events.
    return "leverandoer", f"Leverandørregistret ændret for {d['navn']}", []


def _fuldmagt_givet(d: dict[str, Any]) -> Post:
    til = d.get("gyldig_til")
    periode = f"fra {d['gyldig_fra']}" + (f" til {til}" if til else ", uden udløb")
    omfang = ", ".join(OMFANG.get(o, o) for o in d["omfang"])
    return (
        "fuldmagt",
        f"Fuldmagt givet til {d['fuldmagtshaver']}",
        [f"Omfang: {omfang}; gælder {periode}."],
    )


def _fuldmagt_tilbagekaldt(d: dict[str, Any]) -> Post:
    return (
        "fuldmagt",
        f"Fuldmagt til {d['fuldmagtshaver']} tilbagekaldt",
        [f"Gælder ikke fra {d['tilbagekaldt_fra']}."],
    )


def _bestilling_afvist(d: dict[str, Any]) -> Post:
    return (
        "bestilling",
        f"Bestilling afvist af {d['leverandoer_id']}",
        [f"{d['kategori']} fra {d['startdato']}: {d['begrundelse']}"],
    )


def _samtykke(d: dict[str, Any]) -> Post:
    svar = "ønskede sagen" if d["indforstaaet"] else "ønskede ikke sagen; den er henlagt"
    return "ansoegning", f"Din bekræftelse af ansøgningen {d['dato']}", [f"Du {svar}."]


def _partshoering(d: dict[str, Any]) -> Post:
    return (
        "ansoegning",
        f"Partshøring sendt {d['sendt_dato']} (frist {d['svarfrist']})",
        [f"Oplysninger: {d['oplysninger']}"],
    )


def _partshoering_svar(d: dict[str, Any]) -> Post:
    return "ansoegning", f"Dit svar på partshøringen {d['dato']}", [d["svar"]]


def _medvirken(d: dict[str, Any]) -> Post:
    return (
        "ansoegning",
        f"Manglende medvirken noteret {d['dato']}",
        [d["beskrivelse"], f"Du blev oplyst om konsekvenserne {d['konsekvenser_oplyst_dato']}."],
    )


def _tilbagetrukket(d: dict[str, Any]) -> Post:
    return "ansoegning", f"Ansøgningen trukket tilbage {d['dato']}", [d["begrundelse"]]


def _ankestyrelsen(d: dict[str, Any]) -> Post:
    return (
        "klage",
        f"Ankestyrelsens afgørelse {d['dato']}: {d['udfald']}",
        [f"Begrundelse: {d['begrundelse']}"],
    )


def _valgt(d: dict[str, Any]) -> Post:
    hvorfor = (
        "dit valg"
        if d["aarsag"] == "borgerens_valg"
        else "du ikke valgte inden fristen, så kommunens egen leverandør er valgt"
    )
    return (
        "leverandoer",
        f"Leverandør valgt {d['dato']}: {d['leverandoer_id']}",
        [f"{d['kategori']}: {hvorfor}."],
    )


#: The services as a citizen knows them, for the access log's titles.
TJENESTER = {
    "visitation": "visitationen",
    "provider": "leverandørsystemet",
    "supervision": "tilsynet",
}


def _opslag_titel(tjeneste: str, endpoint: str) -> str:
    return f"Opslag i {TJENESTER.get(tjeneste, tjeneste)} ({endpoint})"


def _laest(d: dict[str, Any]) -> Post:
    # A PersonoplysningerLaest envelope met in a history: who read is the envelope's actor,
    # which the answer shows beside every entry.
    formaal = [f"Formål: {d['formaal']}"] if d.get("formaal") else []
    return "adgang", f"Opslag ({d['endpoint']})", formaal


def opslag_post(opslag: dict[str, Any]) -> dict[str, Any]:
    """One read from the access log as an entry of the answer's `adgang` section."""
    hvem = opslag["hvem"]
    formaal = f", formål: {opslag['formaal']}" if opslag.get("formaal") else ""
    tjeneste = opslag.get("tjeneste", "supervision")
    return {
        "dato": opslag["tidspunkt"][:10],
        "registreret": opslag["tidspunkt"],
        "titel": _opslag_titel(tjeneste, opslag["endpoint"]),
        "linjer": [f"{hvem['id']} ({hvem['rolle']}, {hvem['organisation']}){formaal}"],
        "kilde": tjeneste,
        "hvem": hvem,
        "lovgrundlag": "Databeskyttelsesforordningen art. 15",
        "event_id": opslag["adgang_id"],
    }


POSTER: dict[str, Callable[[dict[str, Any]], Post]] = {
    "AnsoegningModtaget": _ansoegning,
    "FunktionsvurderingRegistreret": _vurdering,
    "AfgoerelseTruffet": _afgoerelse,
    "BevillingOphoert": _ophoer,
    "LeverandoerSkiftet": _skift,
    "BestillingModtaget": _bestilling,
    "BestillingKvitteret": _kvittering,
    "BesoegPlanlagt": _planlagt,
    "IndsatsLeveret": _leveret,
    "BesoegAflyst": _aflyst,
    "LeveringSvigtet": _svigtet,
    "AendringIFunktionsevneIndberettet": _aendring,
    "KlageOprettet": _klage,
    "BesoegForgaeves": _forgaeves,
    "ErstatningsbesoegPlanlagt": _erstatning,
    "BestillingAfsluttet": _afsluttet,
    "BesoegPauset": _pauset,
    "BesoegGenoptaget": _genoptaget,
    "FristOverskredet": _frist,
    "KvitteringSendt": _kvittering_sendt,
    "KlageGenvurderet": _genvurderet,
    "FuldmagtGivet": _fuldmagt_givet,
    "FuldmagtTilbagekaldt": _fuldmagt_tilbagekaldt,
    "BestillingAfvist": _bestilling_afvist,
    "SamtykkeRegistreret": _samtykke,
    "PartshoeringSendt": _partshoering,
    "PartshoeringBesvaret": _partshoering_svar,
    "ManglendeMedvirkenNoteret": _medvirken,
    "AnsoegningTilbagetrukket": _tilbagetrukket,
    "AnkestyrelsensAfgoerelse": _ankestyrelsen,
    "LeverandoerValgt": _valgt,
    "AfgoerelseMeddelt": _meddelt,
    "LeverandoerregisterAendret": _leverandoerregister,
    "PersonoplysningerLaest": _laest,
}
