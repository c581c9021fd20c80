"""Who may call which provider endpoint (default deny; see shared/infra/access.py).

What a role is bound to is checked in application/adgang.py: a leverandør user only for
its own provider, a borger only for their own visits.
"""

from shared.infra.access import AccessTable, roles

ALLE = roles("visitator", "leverandoer", "tilsyn", "revisor", "borger", "administrator")
LAESERE = roles("leverandoer", "visitator", "tilsyn", "revisor")
LEVERANDOER = roles("leverandoer")
#: Settlement: the provider itself, the authority that pays, auditors.
AFREGNING = roles("leverandoer", "visitator", "revisor", "administrator")
BESOEG = "/bestillinger/{bestilling_id}/besoeg/{besoeg_id}"

ACCESS: AccessTable = {
    ("GET", "/leverandoerer"): ALLE,
    ("GET", "/leverandoerer/{leverandoer_id}/bestillinger"): LAESERE,
    ("GET", "/leverandoerer/{leverandoer_id}/besoeg"): LAESERE,
    ("GET", "/bestillinger/{bestilling_id}"): LAESERE,
    ("POST", f"{BESOEG}/levering"): LEVERANDOER,
    ("POST", f"{BESOEG}/aflysning"): LEVERANDOER,
    ("POST", f"{BESOEG}/forgaeves"): LEVERANDOER,
    ("POST", f"{BESOEG}/erstatning"): LEVERANDOER,
    ("POST", f"{BESOEG}/paabegyndt"): LEVERANDOER,
    ("POST", f"{BESOEG}/afsluttet"): LEVERANDOER,
    ("POST", f"{BESOEG}/notater"): LEVERANDOER,
    # The care notes are the provider's record of the visit: its own staff, and the
    # kommune's tilsyn looking at the quality of care; not the visitator's case file.
    ("GET", f"{BESOEG}/notater"): roles("leverandoer", "tilsyn"),
    ("POST", "/bestillinger/{bestilling_id}/aendringsindberetninger"): LEVERANDOER,
    ("POST", "/leverandoerer/{leverandoer_id}/synkronisering"): LEVERANDOER,
    ("POST", "/leverandoerer/{leverandoer_id}/fristkontrol"): roles("leverandoer", "administrator"),
    ("POST", "/leverandoerer/{leverandoer_id}/planlaegning"): roles("leverandoer", "administrator"),
    ("POST", "/leverandoerer/{leverandoer_id}/borgere/{borger_id}/indlaeggelse"): LEVERANDOER,
    ("POST", "/leverandoerer/{leverandoer_id}/borgere/{borger_id}/udskrivning"): LEVERANDOER,
    ("PUT", "/leverandoerer/{leverandoer_id}/medarbejdere"): roles("leverandoer", "administrator"),
    ("GET", "/leverandoerer/{leverandoer_id}/medarbejdere"): roles("leverandoer", "administrator"),
    ("GET", "/leverandoerer/{leverandoer_id}/koereliste"): roles("leverandoer", "administrator"),
    ("GET", "/leverandoerer/{leverandoer_id}/koereliste.csv"): roles(
        "leverandoer", "administrator"
    ),
    ("GET", "/leverandoerer/{leverandoer_id}/afregning"): AFREGNING,
    ("GET", "/leverandoerer/{leverandoer_id}/afregning.csv"): AFREGNING,
    ("GET", "/borgere/{borger_id}/besoeg"): roles("borger"),
    ("POST", "/borgere/{borger_id}/besoeg/{besoeg_id}/aflysning"): roles("borger"),
    # A leverandør reads only its own topic (?topic=bum.leverandoer.<id>.v1); checked there.
    ("GET", "/public-events"): roles("leverandoer", "tilsyn", "revisor", "administrator"),
}
