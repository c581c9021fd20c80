"""The demo kommune's provider register as a value, for tests of the pure domain rules
(the applications import the same file into their store at start)."""

from __future__ import annotations

from services.visitation.catalogue import loader
from shared.reference.leverandoerer import Leverandoerregister

_fil = loader.load_leverandoerer("herlev")
assert _fil is not None
DEMO_LEVERANDOERER: Leverandoerregister = _fil.som_register()
