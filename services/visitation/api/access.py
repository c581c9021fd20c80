"""Who may call which visitation endpoint (default deny; see shared/infra/access.py).

What a role is bound to is checked where the data is: a borger only on their own case.
"""

from shared.infra.access import AccessTable, roles

ALLE = roles("visitator", "leverandoer", "tilsyn", "revisor", "borger", "administrator")
SAGSLAESERE = roles("visitator", "revisor", "tilsyn")

ACCESS: AccessTable = {
    ("POST", "/sager"): roles("visitator"),
    ("GET", "/sager/{sag_id}"): roles("visitator", "revisor"),
    ("POST", "/sager/{sag_id}/funktionsvurderinger"): roles("visitator"),
    ("POST", "/sager/{sag_id}/afgoerelse"): roles("visitator"),
    ("POST", "/sager/{sag_id}/klager"): roles("visitator", "borger"),
    ("GET", "/kvalitetsstandarder"): ALLE,
    ("GET", "/kvalitetsstandarder/schema"): ALLE,
    ("POST", "/kvalitetsstandarder/validering"): roles("administrator"),
    ("GET", "/kvalitetsstandarder/{katalog_version}"): ALLE,
    ("POST", "/kvalitetsstandarder/{kommune}/{version}/godkendelse"): roles("administrator"),
    ("GET", "/sager/{sag_id}/forslag"): roles("visitator"),
    ("POST", "/sager/{sag_id}/kvittering"): roles("visitator"),
    ("POST", "/sager/{sag_id}/klager/{klage_id}/genvurdering"): roles("visitator"),
    ("GET", "/sager/{sag_id}/frister"): SAGSLAESERE,
    ("GET", "/arbejdsliste"): roles("visitator"),
    ("POST", "/frister/kontrol"): roles("visitator", "administrator"),
    ("POST", "/sager/{sag_id}/rehabiliteringsvurdering"): roles("visitator"),
    ("POST", "/sager/{sag_id}/rehabiliteringsforloeb"): roles("visitator"),
    ("POST", "/sager/{sag_id}/rehabiliteringsforloeb/{forloeb_id}/maal"): roles("visitator"),
    ("POST", "/sager/{sag_id}/rehabiliteringsforloeb/{forloeb_id}/afslutning"): roles("visitator"),
    ("GET", "/godkendte-leverandoerer"): ALLE,
    ("POST", "/sager/{sag_id}/leverandoerskift"): roles("visitator", "borger"),
    ("POST", "/sager/{sag_id}/ophoer"): roles("visitator"),
    ("POST", "/sager/{sag_id}/samtykke"): roles("visitator", "borger"),
    ("POST", "/sager/{sag_id}/partshoeringer"): roles("visitator"),
    ("POST", "/sager/{sag_id}/partshoeringer/{partshoering_id}/svar"): roles("visitator", "borger"),
    ("POST", "/sager/{sag_id}/manglende-medvirken"): roles("visitator"),
    ("POST", "/sager/{sag_id}/tilbagetraekning"): roles("visitator", "borger"),
    ("POST", "/sager/{sag_id}/klager/{klage_id}/ankestyrelsen"): roles("visitator"),
    ("POST", "/sager/{sag_id}/afgoerelser/{nr}/meddelelse"): roles("visitator"),
    ("GET", "/sager/{sag_id}/afgoerelser/{nr}/brev.html"): roles("visitator", "revisor", "borger"),
    ("GET", "/sager/{sag_id}/afgoerelser/{nr}/brev.pdf"): roles("visitator", "revisor", "borger"),
    ("POST", "/sager/{sag_id}/leverandoervalg"): roles("visitator", "borger"),
    ("POST", "/bevillinger/kontrol"): roles("visitator", "administrator"),
    ("GET", "/public-events"): roles("tilsyn", "revisor", "administrator"),
    # Fuldmagt: a borger only for their own borger_id (checked in fuldmagt_routes.py).
    ("POST", "/borgere/{borger_id}/fuldmagter"): roles("visitator", "borger"),
    ("GET", "/borgere/{borger_id}/fuldmagter"): roles("visitator", "revisor", "borger"),
    ("POST", "/borgere/{borger_id}/fuldmagter/{fuldmagt_id}/tilbagekaldelse"): roles(
        "visitator", "borger"
    ),
    ("POST", "/borgere/{borger_id}/sletning"): roles("administrator"),
    # The provider register: public knowledge to read; approving is the kommune's act.
    ("GET", "/leverandoerer"): ALLE,
    ("GET", "/leverandoerer/{leverandoer_id}"): ALLE,
    ("POST", "/leverandoerer"): roles("administrator"),
    ("POST", "/leverandoerer/{leverandoer_id}/godkendelser"): roles("administrator"),
    ("POST", "/leverandoerer/{leverandoer_id}/godkendelser/{kategori}/begraensning"): roles(
        "administrator"
    ),
    ("POST", "/leverandoerer/{leverandoer_id}/godkendelser/{kategori}/tilbagekaldelse"): roles(
        "administrator"
    ),
}
