"""The exactly-once check every fault test ends with, read from the services' real stores.

For each publishing service (visitation, provider) the ledger derives what its relay
publishes from the store itself: the public envelopes of its notification log, numbered per
case exactly as the relay numbers them. It then compares, per consumer:

- supervision's history: one `HaendelseRegistreret` per published event, per case in
  `case_sequence` order, with the same content (a digest of the envelope's stable fields);
- every consumer's tracking record per (source, case): the number of the case's events;
- the effects the process policies cause: one `BestillingModtaget` in provider per
  approved grant in a visitation decision, and one `BestillingKvitteret` in visitation per
  `BestillingModtaget` the provider published.

Each comparison is made by counts and by a checksum (SHA-256 over the sorted digests), so a
doubled, missing or altered effect shows up even where counts agree. `problems()` lists
every disagreement; `assert_exactly_once()` fails with them.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from psycopg import sql

from services.provider.adapters.public_events import to_public as provider_to_public
from services.provider.application.provider_app import ProviderApplication
from services.provider.domain.bestilling import Bestilling
from services.supervision.application.supervision_app import SupervisionApplication
from services.supervision.domain.sagsforloeb import Sagsforloeb
from services.visitation.adapters.public_events import to_public as visitation_to_public
from services.visitation.application.visitation_app import VisitationApplication
from services.visitation.domain.noter import Bestillingskvittering
from services.visitation.domain.sag import Sag
from shared.contracts import PublicEvent
from shared.infra.es import datastore_of, is_postgres, postgres_schema, tracking_table
from shared.infra.public_events import public_events
from shared.kernel.personoplysning import som_visning
from tests.leverandoerer import DEMO_LEVERANDOERER

#: Envelope fields that are the same in every copy of an event, wherever it is stored.
STABLE_FIELDS = ("event_id", "event_type", "schema_version", "source", "case_id")
STABLE_FIELDS += ("sequence", "case_sequence", "data")
_ALL = 10_000_000


def digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


def envelope_digest(envelope: dict[str, Any]) -> str:
    return digest({k: envelope.get(k) for k in STABLE_FIELDS})


@dataclass(frozen=True)
class Tally:
    """A multiset of digests, summarised as a count and an order-free checksum."""

    count: int
    checksum: str

    @staticmethod
    def of(digests: Iterable[str]) -> Tally:
        ordered = sorted(digests)
        return Tally(len(ordered), digest(ordered))


class _Log:
    """One store's notification log, read incrementally: polling the ledger while the
    services work only decodes what was written since the last look."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.notifications: list[Any] = []
        self.events: list[Any] = []

    def refresh(self) -> _Log:
        start = self.notifications[-1].id + 1 if self.notifications else 1
        new = list(self.app.process_recorder.select_notifications(start=start, limit=_ALL))
        self.notifications.extend(new)
        self.events.extend(self.app.mapper.to_domain_event(n) for n in new)
        return self


def tracking_positions(app: Any) -> dict[str, int]:
    """A consumer store's tracking records: the last position per tracking name, read in
    one query (one max_tracking_id() per case makes polling the ledger slow)."""
    recorder = app.process_recorder
    table = tracking_table(recorder)
    if is_postgres(recorder):
        query: Any = sql.SQL(
            "SELECT application_name, MAX(notification_id) FROM {0}.{1} GROUP BY 1"
        ).format(sql.Identifier(postgres_schema(recorder)), sql.Identifier(table))
    else:
        query = f"SELECT application_name, MAX(notification_id) FROM {table} GROUP BY 1"
    with datastore_of(recorder).transaction(commit=False) as cursor:
        cursor.execute(query)
        rows = cursor.fetchall()
    pairs = [tuple(r.values()) if isinstance(r, dict) else tuple(r) for r in rows]
    return {str(name): int(last) for name, last in pairs}


class _Decoded:
    """Stands in for an application in public_events(): its mapper hands back the events
    this ledger decoded already (by notification id) instead of decoding them again."""

    def __init__(self, app: Any, decoded: dict[int, Any]) -> None:
        self.app = app
        self.mapper = self
        self._decoded = decoded

    def to_domain_event(self, notification: Any) -> Any:
        return self._decoded[notification.id]


class Ledger:
    """Reads the three services' stores (opened by the caller on the same databases)."""

    def __init__(
        self,
        visitation: VisitationApplication,
        provider: ProviderApplication,
        supervision: SupervisionApplication,
    ) -> None:
        self.visitation = visitation
        self.provider = provider
        self.supervision = supervision
        self._logs = {id(app): _Log(app) for app in (visitation, provider, supervision)}

    def _log(self, app: Any) -> _Log:
        return self._logs[id(app)].refresh()

    # -- what the stores say ------------------------------------------------------------
    def published(self) -> dict[str, list[PublicEvent]]:
        """Per source, the events its relay publishes to its main topic, in log order."""
        out = {}
        for source, app, mapping in (
            ("visitation", self.visitation, visitation_to_public),
            ("provider", self.provider, provider_to_public),
        ):
            log = self._log(app)
            # The stored events are decoded already; public_events maps them again.
            decoded = dict(zip((n.id for n in log.notifications), log.events, strict=True))
            out[source] = public_events(
                _Decoded(app, decoded), source, mapping, log.notifications, {}
            )
        return out

    def recorded_by_supervision(self) -> dict[str, list[dict[str, Any]]]:
        """Per source, the envelopes supervision recorded, in the order it recorded them."""
        out: dict[str, list[dict[str, Any]]] = {"visitation": [], "provider": []}
        for event in self._log(self.supervision).events:
            if isinstance(event, Sagsforloeb.HaendelseRegistreret):
                # As published: the free text supervision stored encrypted, as text again.
                haendelse = som_visning(event.haendelse)
                out.setdefault(haendelse["source"], []).append(haendelse)
        return out

    def bestillinger(self) -> list[str]:
        """Digests of the orders the provider received (its effect of visitation events)."""
        return [
            digest([str(e.sag_id), str(e.bevilling_id), e.leverandoer_id])
            for e in self._log(self.provider).events
            if isinstance(e, Bestilling.BestillingModtaget)
        ]

    def kvitteringer(self) -> list[str]:
        """Digests of the order receipts visitation noted (its effect of provider events)."""
        return [
            digest(
                [str(getattr(e, "sag_id", e.originator_id)), str(e.bevilling_id), e.leverandoer_id]
            )
            for e in self._log(self.visitation).events
            # Before the cut on the case; since, on a receipt of its own (noter.py).
            if isinstance(e, Sag.BestillingKvitteret | Bestillingskvittering.BestillingKvitteret)
        ]

    # -- the comparison -------------------------------------------------------------------
    def problems(self) -> list[str]:
        found: list[str] = []
        published = self.published()
        recorded = self.recorded_by_supervision()
        consumers: dict[str, tuple[str, Any]] = {
            "visitation": ("provider", self.provider),
            "provider": ("visitation", self.visitation),
        }
        for source, events in published.items():
            expected = Tally.of(envelope_digest(e.model_dump(mode="json")) for e in events)
            actual = Tally.of(envelope_digest(h) for h in recorded.get(source, []))
            if actual != expected:
                found.append(f"supervision/{source}: recorded {actual}, published {expected}")
            per_case: dict[str, list[str]] = {}
            for e in events:
                per_case.setdefault(str(e.case_id), []).append(str(e.event_id))
            got: dict[str, list[str]] = {}
            for h in recorded.get(source, []):
                got.setdefault(str(h["case_id"]), []).append(str(h["event_id"]))
            wrong = [c for c in per_case.keys() | got.keys() if per_case.get(c) != got.get(c)]
            if wrong:
                found.append(f"supervision/{source}: {len(wrong)} cases differ, e.g. {wrong[0]}")
            for name, app in (("supervision", self.supervision), consumers[source]):
                positions = tracking_positions(app)
                lagging = {
                    case: (positions.get(f"{source}/{case}", 0), len(ids))
                    for case, ids in per_case.items()
                    if positions.get(f"{source}/{case}", 0) != len(ids)
                }
                if lagging:
                    case, (tracked, total) = next(iter(lagging.items()))
                    found.append(
                        f"{name} tracking of {source}: {len(lagging)} cases off, "
                        f"e.g. {case} at {tracked} of {total}"
                    )
        found.extend(self._effects(published))
        return found

    def _effects(self, published: dict[str, list[PublicEvent]]) -> list[str]:
        found = []
        ordered = [
            digest([str(e.case_id), str(b["bevilling_id"]), b["leverandoer_id"]])
            for e in published["visitation"]
            if e.event_type == "AfgoerelseTruffet"
            for b in e.data.get("bevillinger", [])
            if b["leverandoer_id"] in DEMO_LEVERANDOERER
        ]
        expected, actual = Tally.of(ordered), Tally.of(self.bestillinger())
        if actual != expected:
            found.append(f"provider orders: {actual}, decided grants {expected}")
        receipts = [
            digest([str(e.case_id), str(e.data["bevilling_id"]), e.data["leverandoer_id"]])
            for e in published["provider"]
            if e.event_type == "BestillingModtaget"
        ]
        expected, actual = Tally.of(receipts), Tally.of(self.kvitteringer())
        if actual != expected:
            found.append(f"visitation receipts: {actual}, orders published {expected}")
        doubled = [d for d, n in Counter(self.bestillinger()).items() if n > 1]
        if doubled:
            found.append(f"provider: {len(doubled)} grants ordered more than once")
        return found

    def summary(self) -> dict[str, Any]:
        """Counts and checksums per flow, for the test output and docs/faults.md."""
        published = self.published()
        recorded = self.recorded_by_supervision()
        return {
            f"{source}->supervision": {
                "published": Tally.of(
                    envelope_digest(e.model_dump(mode="json")) for e in events
                ).__dict__,
                "recorded": Tally.of(envelope_digest(h) for h in recorded[source]).__dict__,
            }
            for source, events in published.items()
        } | {
            "provider orders": len(self.bestillinger()),
            "visitation receipts": len(self.kvitteringer()),
        }

    def assert_exactly_once(self) -> None:
        problems = self.problems()
        assert not problems, "exactly-once violated:\n" + "\n".join(problems)
