"""Who may call which supervision endpoint (default deny; see shared/infra/access.py)."""

from shared.infra.access import AccessTable, roles

SAGSLAESERE = roles("tilsyn", "revisor")
TAL = roles("tilsyn", "revisor", "administrator")
AKTINDSIGT_BEHANDLERE = roles("visitator", "tilsyn", "administrator")
BESOEG = "/tilsyn/besoeg/{tilsyn_id}"

ACCESS: AccessTable = {
    ("GET", "/sager"): SAGSLAESERE,
    # A citizen reads their own case's history and access log (checked in the application).
    ("GET", "/sager/{sag_id}/historik"): SAGSLAESERE | {"borger"},
    ("GET", "/sager/{sag_id}/tilstand"): SAGSLAESERE,
    ("GET", "/sager/{sag_id}/adgangslog"): SAGSLAESERE | {"borger"},
    ("GET", "/adgangslog"): SAGSLAESERE,  # the access log across all services
    ("GET", "/leveringsgrad"): TAL,
    ("GET", "/tilsyn/tal"): TAL,
    ("GET", "/tilsyn/projektioner"): TAL,
    ("GET", "/tilsyn/rapport/{maaned}"): TAL,
    ("POST", "/tilsyn/hvadhvis"): roles("tilsyn", "administrator"),  # budget tool
    ("POST", "/sager/{sag_id}/aktindsigt"): AKTINDSIGT_BEHANDLERE,
    ("GET", "/aktindsigt/{anmodning_id}"): AKTINDSIGT_BEHANDLERE | {"revisor"},
    ("GET", "/aktindsigt/{anmodning_id}/svar"): AKTINDSIGT_BEHANDLERE | {"revisor"},
    ("POST", "/aktindsigt/{anmodning_id}/besvarelse"): AKTINDSIGT_BEHANDLERE,
    ("POST", "/tilsyn/besoeg"): roles("tilsyn"),
    ("GET", BESOEG): SAGSLAESERE,
    ("POST", f"{BESOEG}/fund"): roles("tilsyn"),
    ("POST", f"{BESOEG}/opfoelgning"): roles("tilsyn"),
    ("POST", f"{BESOEG}/opfoelgning/{{punkt_id}}/lukning"): roles("tilsyn"),
}
