"""The library's Application with its private save path turned into hooks of our own.

`Application.save` runs `_record` (write), `_take_snapshots` and `_notify`; all three are
private. We need to route a command's write elsewhere (group commit), to hear of every
write (waking followers), and to run the same sequence for a processing event we built
ourselves (a consumer's events with one or several tracking records).
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.application import Application, ProcessingEvent
from eventsourcing.persistence import Recording


class LibraryApplication(Application[UUID]):
    def _record(self, processing_event: ProcessingEvent[UUID]) -> list[Recording[UUID]]:
        return self.record_events(processing_event)

    def record_events(self, processing_event: ProcessingEvent[UUID]) -> list[Recording[UUID]]:
        """Write the processing event (every save comes here); the library's way unless a
        subclass routes it elsewhere."""
        return self.library_record(processing_event)

    def library_record(self, processing_event: ProcessingEvent[UUID]) -> list[Recording[UUID]]:
        """The library's own write: events, tracking and the aggregate cache."""
        return super()._record(processing_event)

    def _notify(self, recordings: list[Recording[UUID]]) -> None:
        super()._notify(recordings)
        self.recorded(recordings)

    def recorded(self, recordings: list[Recording[UUID]]) -> None:
        """Called after every write with what was recorded (possibly nothing)."""

    def store_processing_event(
        self, processing_event: ProcessingEvent[UUID]
    ) -> list[Recording[UUID]]:
        """What `save` does with the processing event it builds, for one built by us."""
        recordings = self._record(processing_event)
        self._take_snapshots(processing_event)
        self._notify(recordings)
        return recordings


__all__ = ["LibraryApplication"]
