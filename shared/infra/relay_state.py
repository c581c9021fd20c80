"""Where a relay remembers how far it has published."""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field

from eventsourcing.persistence import ProcessRecorder

from shared.infra.local_state import JsonStateStore


@dataclass
class RelayState:
    #: Changes whenever the relay starts over because the broker lost messages; consumers
    #: seek back to the start of a partition when they see a new epoch.
    epoch: str = field(default_factory=lambda: uuid.uuid4().hex)
    #: Notification id of the last event published (0: nothing yet).
    position: int = 0
    #: Per partition, the offset the broker should give the next message we publish.
    next_offsets: dict[int, int] = field(default_factory=dict)


class RelayStateStore:
    def __init__(self, recorder: ProcessRecorder, name: str) -> None:
        self._store = JsonStateStore(recorder, f"relay:{name}")

    def load(self) -> RelayState:
        raw = self._store.load()
        if raw is None:
            return RelayState()
        return RelayState(
            epoch=raw["epoch"],
            position=int(raw["position"]),
            next_offsets={int(k): int(v) for k, v in raw["next_offsets"].items()},
        )

    def save(self, state: RelayState) -> None:
        self._store.save(asdict(state))
