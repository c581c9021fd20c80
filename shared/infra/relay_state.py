"""Where a relay remembers how far it has published, and each case's last sequence number.

The per-case counters make `case_sequence` in the envelope: 1, 2, 3 ... per (source, case)
with no gaps, so a consumer can tell a redelivery (at or below what it has) from a gap (a
message the broker lost) and never applies a case's events out of order. The numbers are a
pure function of the notification log, so a relay that starts over from the beginning
hands out the very same numbers again.

Position, offsets, the counters changed by a batch and the batch's events (the published
log that `/public-events` pages for late partners) are written in one transaction: after a
crash they agree with each other, whatever the relay re-sends.

The published log keeps the contracts' free-text fields (`Fritekst`) sealed under the case's
own key subject (`sagens_ejer`), which an erasure of the citizen deletes: a late partner
then pages the placeholder, never text the citizen's erasure should have reached.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from eventsourcing.persistence import ProcessRecorder

from shared.contracts import CONTRACTS, PublicEvent
from shared.contracts.cloudevents import structured
from shared.contracts.personoplysninger import fritekst_skema, personoplysninger_i
from shared.infra.crypto_shredding import KeyStore, aabn, forsegl
from shared.infra.es import datastore_of, is_postgres
from shared.kernel.personoplysning import sagens_ejer

#: Bumped when the stored state changes meaning; an older state makes the relay start over.
STATE_FORMAT = 2


@dataclass
class RelayState:
    #: Changes whenever the relay starts over because the broker lost messages; consumers
    #: seek back to the start of a partition when they see a new epoch.
    epoch: str = field(default_factory=lambda: uuid.uuid4().hex)
    #: Notification id of the last event published (0: nothing yet).
    position: int = 0
    #: Per partition, the offset the broker should give the next message we publish.
    next_offsets: dict[int, int] = field(default_factory=dict)
    #: Per case id, the last case_sequence handed out.
    case_sequences: dict[str, int] = field(default_factory=dict)


class RelayStateStore:
    def __init__(self, recorder: ProcessRecorder, name: str, keys: KeyStore | None = None):
        self._keys = keys
        self._datastore: Any = datastore_of(recorder)
        self._postgres = is_postgres(recorder)
        self._p = "%s" if self._postgres else "?"
        self._name = name
        self._key = f"relay:{name}"
        with self._datastore.transaction(commit=True) as cur:
            cur.execute(
                "CREATE TABLE IF NOT EXISTS bum_local_state "
                "(key TEXT PRIMARY KEY, value TEXT NOT NULL)"
            )
            cur.execute(
                "CREATE TABLE IF NOT EXISTS bum_relay_case_sequence "
                "(relay TEXT NOT NULL, case_id TEXT NOT NULL, last_sequence BIGINT NOT NULL, "
                "PRIMARY KEY (relay, case_id))"
            )
            cur.execute(
                "CREATE TABLE IF NOT EXISTS bum_published_event "
                "(relay TEXT NOT NULL, log_position BIGINT NOT NULL, document TEXT NOT NULL, "
                "PRIMARY KEY (relay, log_position))"
            )

    def _value(self, row: Any, column: str, index: int) -> Any:
        return row[column] if self._postgres else row[index]

    def load(self) -> RelayState:
        p = self._p
        with self._datastore.transaction(commit=False) as cur:
            cur.execute(f"SELECT value FROM bum_local_state WHERE key = {p}", (self._key,))
            row = cur.fetchone()
            if row is None:
                return RelayState()
            raw = json.loads(self._value(row, "value", 0))
            if raw.get("format") != STATE_FORMAT:
                # Written before case sequences existed: publish everything again from a
                # new epoch rather than hand out numbers that disagree with the log.
                return RelayState()
            cur.execute(
                f"SELECT case_id, last_sequence FROM bum_relay_case_sequence WHERE relay = {p}",
                (self._name,),
            )
            counters = {
                str(self._value(r, "case_id", 0)): int(self._value(r, "last_sequence", 1))
                for r in cur.fetchall()
            }
        return RelayState(
            epoch=raw["epoch"],
            position=int(raw["position"]),
            next_offsets={int(k): int(v) for k, v in raw["next_offsets"].items()},
            case_sequences=counters,
        )

    def save(
        self,
        state: RelayState,
        changed_cases: Mapping[str, int] | None = None,
        published: Sequence[PublicEvent] = (),
    ) -> None:
        """Store position and offsets, the counters of the cases a batch touched, and the
        batch's events in CloudEvents structured form.

        With `changed_cases=None` (a start-over) every stored counter is replaced by the
        state's own (normally none).
        """
        p = self._p
        head = {
            "format": STATE_FORMAT,
            "epoch": state.epoch,
            "position": state.position,
            "next_offsets": {str(k): v for k, v in state.next_offsets.items()},
        }
        with self._datastore.transaction(commit=True) as cur:
            cur.execute(
                f"INSERT INTO bum_local_state (key, value) VALUES ({p}, {p}) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (self._key, json.dumps(head, sort_keys=True)),
            )
            if changed_cases is None:
                cur.execute(f"DELETE FROM bum_relay_case_sequence WHERE relay = {p}", (self._name,))
                changed_cases = state.case_sequences
            rows = [(self._name, case, last) for case, last in changed_cases.items()]
            if rows:
                cur.executemany(
                    "INSERT INTO bum_relay_case_sequence (relay, case_id, last_sequence) "
                    f"VALUES ({p}, {p}, {p}) ON CONFLICT (relay, case_id) "
                    "DO UPDATE SET last_sequence = excluded.last_sequence",
                    rows,
                )
            if published:
                # A start-over publishes the very same events again: keep the first copy.
                cur.executemany(
                    "INSERT INTO bum_published_event (relay, log_position, document) "
                    f"VALUES ({p}, {p}, {p}) ON CONFLICT (relay, log_position) DO NOTHING",
                    [
                        (self._name, e.sequence, json.dumps(self._dokument(e), ensure_ascii=False))
                        for e in published
                    ],
                )

    def _dokument(self, e: PublicEvent) -> dict[str, Any]:
        """The event in CloudEvents structured form, its free text sealed (needs a key store:
        an application without one stores no personal data to begin with)."""
        document = structured(e)
        contract = CONTRACTS.get((e.event_type, e.schema_version))
        skema = fritekst_skema(contract) if contract is not None else {}
        if skema and self._keys is not None:
            data = personoplysninger_i(e.data, skema, sagens_ejer(e.case_id))
            document["data"] = forsegl(data, self._keys)
        return document

    def published_page(self, after: int, limit: int) -> list[dict[str, Any]]:
        """Published events with a log position above `after`, in log order."""
        p = self._p
        with self._datastore.transaction(commit=False) as cur:
            cur.execute(
                f"SELECT document FROM bum_published_event WHERE relay = {p} "
                f"AND log_position > {p} ORDER BY log_position LIMIT {p}",
                (self._name, after, limit),
            )
            rows = cur.fetchall()
        documents = [json.loads(self._value(r, "document", 0)) for r in rows]
        return documents if self._keys is None else aabn(documents, self._keys)
