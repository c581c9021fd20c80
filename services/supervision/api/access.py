"""Who may call which supervision endpoint (default deny; see shared/infra/access.py)."""

from shared.infra.access import AccessTable, roles

TILSYN = roles("tilsyn", "revisor", "administrator")

ACCESS: AccessTable = {
    ("GET", "/sager/{sag_id}/historik"): roles("tilsyn", "revisor"),
    ("GET", "/leveringsgrad"): TILSYN,
}
