"""Personal data as a value the domain can hold but the store only ever sees encrypted.

A `Personoplysning` names whose data it is (`ejer`: the pseudonymous borger_id). The event
store's transcoder encrypts it with that citizen's own key (crypto-shredding); once the key
is deleted, the value comes back `slettet` and shows a placeholder, while every event that
carried it still replays.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, TypeVar, cast
from uuid import UUID

SLETTET_TEKST = "[personoplysning slettet]"
T = TypeVar("T")


@dataclass(frozen=True)
class Personoplysning:
    ejer: str
    tekst: str | None
    slettet: bool = False

    @classmethod
    def af(cls, ejer: object, tekst: str) -> Personoplysning:
        return cls(str(ejer), tekst)

    def vis(self) -> str:
        """The text, or a clear placeholder once the citizen's key is gone."""
        return SLETTET_TEKST if self.slettet or self.tekst is None else self.tekst

    def __str__(self) -> str:
        return self.vis()

    def __repr__(self) -> str:  # never print personal data into a log by accident
        return f"Personoplysning(ejer={self.ejer!r}, slettet={self.slettet})"


#: The owner of free text a caller hands to an aggregate before it knows the citizen (the
#: aggregate sets it, `eje`), and of text upcast from events stored before encryption whose
#: state does not name the citizen (those stay plain in old stores anyway). The store
#: refuses to encrypt a value with this owner, so nothing is ever written without one.
INGEN_EJER = ""


def sagens_ejer(sag_id: object) -> str:
    """The key subject of free text about a case's citizen, received by a service before it
    learned who the citizen is (supervision: a provider event ahead of the visitation events
    of the case). Erasing a citizen erases this subject for each of their cases as well."""
    return f"sag:{sag_id}"


def ejere(obj: Any) -> set[str]:
    """The owners of every Personoplysning in `obj` (dicts, lists, tuples, dataclasses)."""
    if isinstance(obj, Personoplysning):
        return {obj.ejer}
    if isinstance(obj, dict):
        return set().union(*(ejere(v) for v in obj.values()))
    if isinstance(obj, tuple | list):
        return set().union(*(ejere(v) for v in obj))
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return set().union(*(ejere(getattr(obj, f.name)) for f in dataclasses.fields(obj)))
    return set()


def fritekst(tekst: str) -> Personoplysning:
    """Free text about a citizen, owned once the aggregate that records it calls `eje`."""
    return Personoplysning(INGEN_EJER, tekst)


def fritekst_eller_none(tekst: str | None) -> Personoplysning | None:
    return None if tekst is None else fritekst(tekst)


def eje(obj: T, ejer: object) -> T:
    """`obj` with every Personoplysning in it (also inside nested frozen dataclasses and
    tuples) owned by `ejer`: all free text in a citizen's case is that citizen's data.
    A value with nothing to own comes back as the very object given."""
    return cast("T", _eje(obj, str(ejer)))


#: Values that never hold a Personoplysning: skipped without a look inside.
_SKALARER = frozenset({str, int, float, bool, bytes, UUID, datetime, date, time, type(None)})


def _eje(obj: Any, ejer: str) -> Any:
    # Runs for every event replayed that carries a value object (every delivery of an
    # order on every load), so it only builds a new object where an owner changes.
    cls = type(obj)
    if cls in _SKALARER:
        return obj
    if cls is Personoplysning:
        return obj if obj.ejer == ejer else dataclasses.replace(obj, ejer=ejer)
    if isinstance(obj, Personoplysning):
        return dataclasses.replace(obj, ejer=ejer)
    if isinstance(obj, tuple):
        if all(type(x) in _SKALARER for x in obj):
            return obj
        items = tuple(_eje(x, ejer) for x in obj)
        return obj if all(a is b for a, b in zip(items, obj, strict=True)) else items
    names = _felter(cls)
    if names is None:
        return obj
    changes = {}
    for name in names:
        value = getattr(obj, name)
        if type(value) in _SKALARER:
            continue
        owned = _eje(value, ejer)
        if owned is not value:
            changes[name] = owned
    return dataclasses.replace(obj, **changes) if changes else obj


#: Per type: its dataclass field names, or None for a type that is not a dataclass.
_FELTER: dict[type, tuple[str, ...] | None] = {}


def _felter(cls: type) -> tuple[str, ...] | None:
    try:
        return _FELTER[cls]
    except KeyError:
        names = (
            tuple(f.name for f in dataclasses.fields(cls))
            if dataclasses.is_dataclass(cls)
            else None
        )
        _FELTER[cls] = names
        return names


def som_visning(obj: Any, slettet: Callable[[str], bool] | None = None) -> Any:
    """Like dataclasses.asdict, but every Personoplysning becomes its `vis()` text (the
    placeholder once erased), never its owner or raw fields: for API answers.

    `slettet(ejer)` asks the key store whether the owner's key is gone now: a read model
    that decrypted the text before an erasure still shows the placeholder after it."""
    if isinstance(obj, Personoplysning):
        return SLETTET_TEKST if slettet is not None and slettet(obj.ejer) else obj.vis()
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: som_visning(getattr(obj, f.name), slettet) for f in dataclasses.fields(obj)}
    if isinstance(obj, tuple | list):
        return [som_visning(x, slettet) for x in obj]
    if isinstance(obj, dict):
        return {k: som_visning(v, slettet) for k, v in obj.items()}
    return obj


def vis_eller_none(value: Personoplysning | None) -> str | None:
    return None if value is None else value.vis()


def opgrader(ejer: object, tekst: object) -> object:
    """For upcasters: a plain string stored before encryption becomes a Personoplysning
    (None and values already upcast are kept)."""
    return Personoplysning(str(ejer), tekst) if isinstance(tekst, str) else tekst


def opgrader_felter(obj: T, ejer: object, *felter: str) -> T:
    """For upcasters: the named plain-string fields of a stored value object become
    Personoplysning owned by `ejer`."""
    changes = {f: opgrader(ejer, getattr(obj, f)) for f in felter}
    return cast("T", dataclasses.replace(cast("Any", obj), **changes))
