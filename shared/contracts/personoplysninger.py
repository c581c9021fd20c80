"""Which fields of the public contracts carry personal free text about the citizen.

The public events carry pseudonymous ids, and a few free-text fields the receiving service
needs for its own duty (a complaint's description, a cancellation's reason, ...). Those are
typed `Fritekst`: a string whose JSON schema says `"x-personoplysning": true`, so an
integration partner sees in the published schema which fields are personal data, and a
consumer that stores the events (supervision) can encrypt exactly those under the citizen's
key (`personoplysninger_i`), so an erasure reaches its copy too.
"""

from __future__ import annotations

import types
from functools import cache
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, Field
from pydantic.fields import FieldInfo

from shared.kernel.personoplysning import Personoplysning

MARKOER = "x-personoplysning"

#: Free text about the citizen (health, home, family): personal data (GDPR art. 9).
Fritekst = Annotated[
    str,
    Field(
        json_schema_extra={MARKOER: True},
        description="free text about the citizen: personal data; after an erasure "
        "(crypto-shredding) it reads '[personoplysning slettet]'",
    ),
]

#: Where a payload holds free text: field name -> True (the value, or each string of a
#: list, is free text) or the nested model's own map (applied to each item of a list).
Skema = dict[str, "Skema | bool"]


def _er_markeret(info: FieldInfo | None) -> bool:
    extra = info.json_schema_extra if info is not None else None
    return isinstance(extra, dict) and extra.get(MARKOER) is True


def _skema_for_type(annotation: Any) -> Skema | bool:
    origin = get_origin(annotation)
    if origin is Annotated:
        base, *metadata = get_args(annotation)
        if any(isinstance(m, FieldInfo) and _er_markeret(m) for m in metadata):
            return True
        return _skema_for_type(base)
    if origin in (Union, types.UnionType, list, tuple):
        for arg in get_args(annotation):
            found = _skema_for_type(arg)
            if found:
                return found
        return False
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return fritekst_skema(annotation)
    return False


@cache
def fritekst_skema(model: type[BaseModel]) -> Skema:
    """The free-text fields of a payload model, found from its `Fritekst` annotations."""
    skema: Skema = {}
    for navn, info in model.model_fields.items():
        found = True if _er_markeret(info) else _skema_for_type(info.annotation)
        if found:
            skema[navn] = found
    return skema


def _kapsl(value: Any, skema: Skema | bool, ejer: str) -> Any:
    if isinstance(value, list):
        return [_kapsl(v, skema, ejer) for v in value]
    if skema is True:
        return Personoplysning(ejer, value) if isinstance(value, str) else value
    if isinstance(value, dict) and isinstance(skema, dict):
        return personoplysninger_i(value, skema, ejer)
    return value


def personoplysninger_i(data: dict[str, Any], skema: Skema, ejer: str) -> dict[str, Any]:
    """`data` (a payload as JSON) with every free-text value a Personoplysning of `ejer`."""
    if not skema:
        return data
    ud = dict(data)
    for navn, under in skema.items():
        if ud.get(navn) is not None:
            ud[navn] = _kapsl(ud[navn], under, ejer)
    return ud
