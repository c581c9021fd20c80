"""Dates, times and months as every service's API accepts them: inside the window of
`shared.kernel.tidsramme`, so a typo like year 9999 is a 422 problem at the door and never
a stored event that deadline arithmetic cannot handle. The bounds are in the OpenAPI (the
description, and `formatMinimum`/`formatMaximum` as JSON Schema validators such as ajv
read them)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

import annotated_types as at
from pydantic import AfterValidator, AwareDatetime, GetJsonSchemaHandler, StringConstraints
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema as cs

from shared.kernel.tidsramme import (
    FOERSTE_DATO,
    FOERSTE_TIDSPUNKT,
    SIDSTE_DATO,
    SIDSTE_TIDSPUNKT,
    STOERSTE_FORSKYDNING,
)


class _Dokumenteret:
    """Adds the window to the generated JSON Schema (pydantic leaves `ge`/`le` on a date
    out of it)."""

    def __init__(self, **tilfoej: Any) -> None:
        self.tilfoej = tilfoej

    def __get_pydantic_json_schema__(
        self, schema: cs.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema.update(self.tilfoej)
        return json_schema


def _rimelig_forskydning(tidspunkt: datetime) -> datetime:
    forskydning = tidspunkt.utcoffset()
    if forskydning is None or abs(forskydning) > STOERSTE_FORSKYDNING:
        raise ValueError("the UTC offset must be between -14:00 and +14:00")
    return tidspunkt


Dato = Annotated[
    date,
    at.Ge(FOERSTE_DATO),
    at.Le(SIDSTE_DATO),
    _Dokumenteret(
        description=f"A date from {FOERSTE_DATO} to {SIDSTE_DATO}.",
        formatMinimum=FOERSTE_DATO.isoformat(),
        formatMaximum=SIDSTE_DATO.isoformat(),
    ),
]

Tidspunkt = Annotated[
    AwareDatetime,
    at.Ge(FOERSTE_TIDSPUNKT),
    at.Le(SIDSTE_TIDSPUNKT),
    AfterValidator(_rimelig_forskydning),
    _Dokumenteret(
        description=f"An ISO 8601 moment with a UTC offset of at most ±14:00, from "
        f"{FOERSTE_DATO}T00:00:00Z to {SIDSTE_DATO}T23:59:59Z.",
        formatMinimum=FOERSTE_TIDSPUNKT.isoformat().replace("+00:00", "Z"),
        formatMaximum=SIDSTE_TIDSPUNKT.isoformat().replace("+00:00", "Z"),
    ),
]

#: A calendar month as YYYY-MM, years 1900-2199 like `Dato`.
MAANED_MOENSTER = r"^(19\d\d|2[01]\d\d)-(0[1-9]|1[0-2])$"
Maaned = Annotated[
    str,
    StringConstraints(pattern=MAANED_MOENSTER),
    _Dokumenteret(
        description=f"A month, YYYY-MM, from {FOERSTE_DATO:%Y-%m} to {SIDSTE_DATO:%Y-%m}."
    ),
]
