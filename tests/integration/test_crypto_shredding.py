"""Crypto-shredding on both stores: personal data is stored only as ciphertext under the
citizen's key, from a key store kept apart from the events; erasing the key leaves every
event replayable with a placeholder where the data was."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from eventsourcing.domain import Aggregate, event

from shared.infra.crypto_shredding import KeyStore, KeyStoreSettings, new_master_key
from shared.infra.eventstore import EventStoreApplication, store_env
from shared.kernel.personoplysning import SLETTET_TEKST, Personoplysning
from tests.conftest import Postgres, SettingsFactory

pytestmark = pytest.mark.integration


class Journalnotat(Aggregate):
    """A minimal aggregate carrying personal data, as the services' aggregates do."""

    @event("Skrevet")
    def __init__(self, borger_id: str, navn: Personoplysning, notat: Personoplysning) -> None:
        self.borger_id = borger_id
        self.navn = navn
        self.notat = notat

    @event("Rettet")
    def ret(self, notat: Personoplysning) -> None:
        self.notat = notat


class Notater(EventStoreApplication):
    pass


@pytest.fixture(params=["sqlite-keys", "postgres-keys"])
def keys(request: pytest.FixtureRequest, tmp_path: Path, postgres: Postgres) -> KeyStore:
    settings = KeyStoreSettings(
        master_key=new_master_key(),
        url=postgres.new_database("bum_keys") if request.param == "postgres-keys" else None,
    )
    return KeyStore.from_settings(settings, tmp_path / "keys")


def raw_states(app: EventStoreApplication) -> bytes:
    return b"".join(n.state for n in app.process_recorder.select_notifications(start=1, limit=100))


def test_personal_data_is_ciphertext_and_erasure_keeps_replay(
    store_settings: SettingsFactory, keys: KeyStore
) -> None:
    env = store_env(store_settings("notater"), "notater")
    app = Notater(env=env, keys=keys)
    borger = str(uuid.uuid4())
    andre = str(uuid.uuid4())
    notat = Journalnotat(
        borger,
        Personoplysning.af(borger, "Jens Hansen"),
        Personoplysning.af(borger, "Faldet i badet"),
    )
    notat.ret(Personoplysning.af(borger, "Faldet i badet, skulder"))
    naboen = Journalnotat(
        andre, Personoplysning.af(andre, "Karen Olsen"), Personoplysning.af(andre, "Ingen")
    )
    app.save(notat, naboen)

    stored = raw_states(app)
    for secret in (b"Jens Hansen", b"Faldet", b"Karen Olsen"):
        assert secret not in stored  # only ciphertext reaches the event store
    # Every get replays from the store (no aggregate cache), so this reads the ciphertext.
    assert app.repository.get(notat.id).notat.vis() == "Faldet i badet, skulder"

    keys.erase(borger)  # the right to erasure, where no journal duty keeps the data
    reread = app.repository.get(notat.id)  # a fresh replay
    assert reread.navn.slettet and reread.notat.vis() == SLETTET_TEKST
    assert reread.version == 2  # every event still replays
    assert app.repository.get(naboen.id).navn.vis() == "Karen Olsen"
    assert keys.is_erased(borger) and not keys.is_erased(andre)

    # Writing for an erased citizen stores nothing readable, and does not recreate a key.
    reread.ret(Personoplysning.af(borger, "ny tekst"))
    app.save(reread)
    assert b"ny tekst" not in raw_states(app)
    assert keys.key_for(borger, create=False) is None


def test_key_store_refuses_a_missing_or_short_master_key(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="MASTER_KEY"):
        KeyStore.from_settings(KeyStoreSettings(master_key=None), tmp_path)
    with pytest.raises(ValueError, match="32 bytes"):
        KeyStore(b"short", sqlite_path=tmp_path / "k.sqlite")
