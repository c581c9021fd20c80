"""The base of the three services' applications: an event store application that keeps
personal data under the key store its settings name."""

from __future__ import annotations

from collections.abc import Mapping

from shared.infra.crypto_shredding import KeyStore
from shared.infra.eventstore import EventStoreApplication
from shared.infra.settings import ServiceSettings, fra_miljoeet
from shared.infra.tid import Ur


class ServiceApplication(EventStoreApplication):
    """A service's application. Built without a key store it opens the one its settings
    name (BUM_KEYSTORE_URL / BUM_KEYSTORE_DIR): the same for all three services, so a
    citizen's erasure in one makes their data unreadable in every copy
    (docs/personal-data.md). `efter_start` sets up what the service keeps beside its store."""

    def __init__(
        self,
        env: Mapping[str, str] | None = None,
        keys: KeyStore | None = None,
        *,
        settings: ServiceSettings | None = None,
        ur: Ur | None = None,
    ):
        settings = settings or fra_miljoeet()
        super().__init__(
            env=env,
            keys=keys or KeyStore.from_settings(settings.keystore),
            settings=settings,
            ur=ur,
        )
        self.efter_start()

    def efter_start(self) -> None:
        """Called once the store is open: read models kept in memory, derived keys."""
