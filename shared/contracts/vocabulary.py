"""Closed Danish vocabularies shared by the contracts and the domain layers."""

from typing import Literal

Kategori = Literal["personlig", "praktisk", "madservice", "rehabilitering"]
Kanal = Literal["mundtlig", "skriftlig", "digital", "telefon"]
HenvendelseFra = Literal["borger", "paaroerende", "laege", "sygehus", "hjemmepleje", "andet"]
Resultat = Literal["bevilget", "delvist", "afslag"]
Periode = Literal["dag", "uge", "anden_uge", "maaned"]
AflystAf = Literal["borger", "leverandoer"]
Klagetype = Literal["afgoerelse", "levering"]
#: How a decision reached the citizen (AfgoerelseMeddelt).
Meddelelseskanal = Literal["digital_post", "brev", "personligt"]
OphoersAarsag = Literal[
    "doedsfald", "fraflytning", "plejebolig", "udloeb", "ny_afgoerelse", "andet"
]
ForgaevesAarsag = Literal["ikke_hjemme", "ingen_adgang", "usikre_forhold"]
LeveringsKanal = Literal["fysisk", "skaerm"]
Fristtype = Literal["kvittering", "afgoerelse", "genvurdering", "revurdering", "revurderingsopgave"]
Genvurderingsudfald = Literal["medhold", "fastholdt"]
#: What a fuldmagt covers (shared.kernel.fuldmagt.OMFANG has the Danish wording).
Fuldmagtsomfang = Literal["se_og_aflyse_besoeg", "se_sagen", "klage_og_frit_valg"]
#: Why a provider refused an order (BestillingAfvist).
AfvisningsAarsag = Literal["ikke_godkendt_paa_startdato"]
Ankeudfald = Literal["stadfaestet", "aendret", "hjemvist", "ophaevet", "afvist"]
