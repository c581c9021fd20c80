"""Where a store's relay remembers, per topic, how far it has published, and each case's
last sequence number there.

The per-case counters make `case_sequence` in the envelope: 1, 2, 3 ... per (source, topic,
case) with no gaps, so a consumer can tell a redelivery (at or below what it has) from a
gap (a message the broker lost) and never applies a case's events out of order. The
numbers are a pure function of the notification log, so a topic that starts over from the
beginning hands out the very same numbers again.

One row per store (`relay:<source>`) holds every topic's position, epoch and offsets; the
counters changed by a batch and the batch's events (the published log that
`/public-events` pages for late partners) go in the same transaction: after a crash they
agree with each other, whatever the relay re-sends. A store written before this row
existed kept one row per topic (`relay:<source>-><topic>`, format 2): a topic missing from
the store's row continues from there, so an upgrade does not publish everything again.

The transaction does not wait for the disk (`nondurable_transaction`): a crash of the
database server may lose the last batches' positions, and the relay then sends those
batches again, with the same case sequences, which consumers drop as redeliveries. What
it may not do is lose an event, and it cannot: a position only moves after the broker
acknowledged everything up to it, and a lost position only moves it back.

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
from shared.infra.es import datastore_of, is_postgres, nondurable_transaction
from shared.kernel.personoplysning import sagens_ejer

#: The per-topic rows of stores written before one relay served all topics; a row of
#: another format makes that topic start over (as it always did).
TOPIC_ROW_FORMAT = 2
#: The store's one row holding every topic's position (bumped when its meaning changes; an
#: older row makes the relay start every topic over).
STORE_ROW_FORMAT = 3


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

    def head(self) -> dict[str, Any]:
        return {
            "epoch": self.epoch,
            "position": self.position,
            "next_offsets": {str(k): v for k, v in self.next_offsets.items()},
        }


@dataclass
class TopicBatch:
    """What one batch changed for one topic: the counters of the cases it touched (None: a
    start-over, every stored counter is replaced by the state's own) and its events."""

    changed_cases: Mapping[str, int] | None = field(default_factory=dict)
    published: Sequence[PublicEvent] = ()


class RelayStateStore:
    """The state of one store's relay (`source`), for each of its topics."""

    def __init__(self, recorder: ProcessRecorder, source: str, keys: KeyStore | None = None):
        self._recorder = recorder
        self._keys = keys
        self._datastore: Any = datastore_of(recorder)
        self._postgres = is_postgres(recorder)
        self._p = "%s" if self._postgres else "?"
        self._source = source
        self._key = f"relay:{source}"
        self._others: dict[str, Any] = {}
        self._fresh: set[str] = set()
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

    def name(self, topic: str) -> str:
        """The topic's name in the counter and published-log tables (as before one relay
        served all topics, so those rows carry over)."""
        return f"{self._source}->{topic}"

    def _value(self, row: Any, column: str, index: int) -> Any:
        return row[column] if self._postgres else row[index]

    def load(self, topics: Sequence[str]) -> dict[str, RelayState]:
        p = self._p
        states: dict[str, RelayState] = {}
        with self._datastore.transaction(commit=False) as cur:
            cur.execute(f"SELECT value FROM bum_local_state WHERE key = {p}", (self._key,))
            row = cur.fetchone()
            raw = json.loads(self._value(row, "value", 0)) if row is not None else None
            # A row of another format: every topic starts over under a new epoch.
            ours = raw is None or raw.get("format") == STORE_ROW_FORMAT
            heads: dict[str, Any] = dict(raw["topics"]) if raw is not None and ours else {}
            # Topics this relay does not serve (any more) keep their place in the row, so
            # one served again later does not fall back to a per-topic row (below) whose
            # position its counters have moved past.
            self._others = {t: h for t, h in heads.items() if t not in topics}
            for topic in topics:
                head = heads.get(topic)
                if head is None and ours:
                    # Never in the store's row: a store written by one relay per topic, or
                    # a topic added since (which starts at the beginning of the log).
                    head = self._topic_row(cur, topic)
                if head is None:
                    states[topic] = RelayState()
                    # Counters a former life left behind would disagree with the numbers
                    # handed out from the start again: the first save drops them.
                    self._fresh.add(topic)
                    continue
                cur.execute(
                    f"SELECT case_id, last_sequence FROM bum_relay_case_sequence WHERE relay = {p}",
                    (self.name(topic),),
                )
                counters = {
                    str(self._value(r, "case_id", 0)): int(self._value(r, "last_sequence", 1))
                    for r in cur.fetchall()
                }
                states[topic] = RelayState(
                    epoch=head["epoch"],
                    position=int(head["position"]),
                    next_offsets={int(k): int(v) for k, v in head["next_offsets"].items()},
                    case_sequences=counters,
                )
        return states

    def _topic_row(self, cur: Any, topic: str) -> dict[str, Any] | None:
        cur.execute(
            f"SELECT value FROM bum_local_state WHERE key = {self._p}",
            (f"relay:{self.name(topic)}",),
        )
        row = cur.fetchone()
        if row is None:
            return None
        raw = json.loads(self._value(row, "value", 0))
        # Written before case sequences existed: publish everything again from a new
        # epoch rather than hand out numbers that disagree with the log.
        return raw if raw.get("format") == TOPIC_ROW_FORMAT else None

    def save(self, states: Mapping[str, RelayState], batches: Mapping[str, TopicBatch]) -> None:
        """Store every topic's position and offsets (`states`: all of the relay's topics),
        and for the topics in `batches` the counters of the cases a batch touched and the
        batch's events in CloudEvents structured form, in one transaction that does not
        wait for the disk (see the module's docstring)."""
        p = self._p
        row = {
            "format": STORE_ROW_FORMAT,
            "topics": self._others | {topic: state.head() for topic, state in states.items()},
        }
        with nondurable_transaction(self._recorder) as cur:
            cur.execute(
                f"INSERT INTO bum_local_state (key, value) VALUES ({p}, {p}) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (self._key, json.dumps(row, sort_keys=True)),
            )
            for topic in sorted(self._fresh - set(batches)):
                cur.execute(
                    f"DELETE FROM bum_relay_case_sequence WHERE relay = {p}", (self.name(topic),)
                )
            for topic, batch in batches.items():
                name = self.name(topic)
                changed_cases = batch.changed_cases
                if changed_cases is None or topic in self._fresh:
                    cur.execute(f"DELETE FROM bum_relay_case_sequence WHERE relay = {p}", (name,))
                    changed_cases = states[topic].case_sequences
                rows = [(name, case, last) for case, last in changed_cases.items()]
                if rows:
                    cur.executemany(
                        "INSERT INTO bum_relay_case_sequence (relay, case_id, last_sequence) "
                        f"VALUES ({p}, {p}, {p}) ON CONFLICT (relay, case_id) "
                        "DO UPDATE SET last_sequence = excluded.last_sequence",
                        rows,
                    )
                if batch.published:
                    # A start-over publishes the very same events again: keep the first copy.
                    cur.executemany(
                        "INSERT INTO bum_published_event (relay, log_position, document) "
                        f"VALUES ({p}, {p}, {p}) ON CONFLICT (relay, log_position) DO NOTHING",
                        [
                            (name, e.sequence, json.dumps(self._dokument(e), ensure_ascii=False))
                            for e in batch.published
                        ],
                    )
        self._fresh.clear()

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

    def published_page(self, topic: str, after: int, limit: int) -> list[dict[str, Any]]:
        """Events published to `topic` with a log position above `after`, in log order."""
        p = self._p
        with self._datastore.transaction(commit=False) as cur:
            cur.execute(
                f"SELECT document FROM bum_published_event WHERE relay = {p} "
                f"AND log_position > {p} ORDER BY log_position LIMIT {p}",
                (self.name(topic), after, limit),
            )
            rows = cur.fetchall()
        documents = [json.loads(self._value(r, "document", 0)) for r in rows]
        return documents if self._keys is None else aabn(documents, self._keys)
