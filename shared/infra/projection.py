"""Read models that follow a service's own notification log.

A projection is a pure fold over the service's stored events: it can be thrown away and
rebuilt from the log at any time, and it catches up before every query so a client reads
its own writes. It lives in memory; the events stay the source of truth.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from typing import Any

from shared.infra.eventstore import EventStoreApplication


class LogFollowingProjection(ABC):
    batch_size = 1000

    def __init__(self, app: EventStoreApplication) -> None:
        self.app = app
        self.position = 0
        self._lock = threading.Lock()

    @abstractmethod
    def apply(self, domain_event: Any) -> None:
        """Fold one domain event into the read model."""

    def catch_up(self) -> int:
        applied = 0
        with self._lock:
            while True:
                notifications = self.app.process_recorder.select_notifications(
                    start=self.position + 1, limit=self.batch_size
                )
                if not notifications:
                    return applied
                for notification in notifications:
                    self.apply(self.app.mapper.to_domain_event(notification))
                    self.position = notification.id
                    applied += 1
