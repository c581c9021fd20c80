"""Transcodings so domain value objects (frozen dataclasses, dates) survive the JSON store."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from eventsourcing.persistence import Transcoding


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


def dataclass_transcoding(cls: type[Any]) -> Transcoding:
    """A transcoding for one frozen dataclass.

    Encoding is shallow so nested dataclasses are encoded by their own transcoding. JSON
    has no tuples, so lists come back as tuples (domain value objects use tuples).
    """
    if not dataclasses.is_dataclass(cls):
        raise TypeError(f"{cls} is not a dataclass")
    field_names = [f.name for f in dataclasses.fields(cls)]

    class _DataclassTranscoding(Transcoding):
        type = cls
        name = f"{cls.__module__}.{cls.__qualname__}"

        def encode(self, obj: Any) -> dict[str, Any]:
            return {n: getattr(obj, n) for n in field_names}

        def decode(self, data: dict[str, Any]) -> Any:
            return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in data.items()})

    return _DataclassTranscoding()
