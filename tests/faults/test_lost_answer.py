"""The answer is lost, the command is not doubled (issue 19 item 3).

A phone sends a command with an Idempotency-Key; the service commits it; the connection
dies before the phone reads the answer (here: the test closes its socket with a reset
once the command's events are in the store, without reading a byte). The phone sends the
same command again with the same key and gets the first answer, marked as a replay, and
downstream there is exactly one effect: one decision, one order, one delivery, one
cancellation synced offline (the whole sync sent again: its item is replayed), each
published once and recorded once by supervision (the exactly-once ledger of the fault
tests). Without a key the same retry is answered as a rule violation the phone cannot
tell from a real refusal, which is what the key is for.
"""

from __future__ import annotations

import json
import socket
import struct
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import httpx
import pytest

from shared.infra.idempotens import HEADER, REPLAYED
from tests.faults.harness import FaultStack, fault_stack, wait_for
from tests.faults.test_concurrent_decision import ANNE, case_ready_for_decision, decision
from tests.identity import headers_for
from tests.ur import E2E_NU, TODAY

LEV = headers_for("leverandoer", "sosu-maria", leverandoer_id="omsorg-plus-aps")


def send_and_hang_up(base: str, path: str, headers: dict[str, str], body: Any) -> None:
    """Write the request and return at once, reading nothing; `hang_up` ends it."""
    url = urlparse(base)
    raw = json.dumps(body).encode()
    head = [f"POST {path} HTTP/1.1", f"Host: {url.netloc}", "Content-Type: application/json"]
    head += [f"{k}: {v}" for k, v in headers.items()]
    head += [f"Content-Length: {len(raw)}", "", ""]
    sock = socket.create_connection((url.hostname, url.port), timeout=30)
    sock.sendall("\r\n".join(head).encode() + raw)
    _open.append(sock)


_open: list[socket.socket] = []


def hang_up() -> None:
    """Close with a reset (SO_LINGER 0): whatever the server sent is never read."""
    while _open:
        sock = _open.pop()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()


def stored(fs: FaultStack, service: str, topic_end: str, originator: str | None = None) -> int:
    notes = fs.app(service).process_recorder.select_notifications(start=1, limit=10**7)
    mine = [n for n in notes if originator is None or str(n.originator_id) == originator]
    return sum(1 for n in mine if n.topic.endswith(topic_end))


def published_and_recorded(fs: FaultStack, source: str, event_type: str) -> tuple[int, int]:
    ledger = fs.ledger()
    published = [e for e in ledger.published()[source] if e.event_type == event_type]
    recorded = [
        h for h in ledger.recorded_by_supervision()[source] if h.get("event_type") == event_type
    ]
    return len(published), len(recorded)


@pytest.mark.integration
@pytest.mark.e2e
def test_a_command_whose_answer_was_lost_is_retried_with_one_effect(tmp_path: Path) -> None:
    with fault_stack(tmp_path) as fs:
        fs.start()
        v, p = fs.url("visitation"), fs.url("provider")
        sag_id, anmodning_id = case_ready_for_decision(v, 1)

        # The decision: committed, then the connection is gone before the answer is read.
        path, body = f"/sager/{sag_id}/afgoerelse", decision(anmodning_id, 30)
        send_and_hang_up(v, path, {**ANNE, HEADER: "afg-1"}, body)
        wait_for(
            lambda: stored(fs, "visitation", "AfgoerelseTruffet", sag_id) == 1,
            60,
            lambda: "the decision committed",
        )
        hang_up()
        retry = httpx.post(f"{v}{path}", headers={**ANNE, HEADER: "afg-1"}, json=body, timeout=30)
        assert retry.status_code == 201, retry.text
        assert retry.headers[REPLAYED] == "true"
        # Without the key the phone's retry would be told "no" by a rule, not "done".
        bare = httpx.post(f"{v}{path}", headers=ANNE, json=body, timeout=30)
        assert bare.status_code == 422 and REPLAYED not in bare.headers
        sag = httpx.get(f"{v}/sager/{sag_id}", headers=ANNE, timeout=30).json()
        assert len(sag["afgoerelser"]) == 1

        # The order arrives at the provider; its first visit is today's.
        def visits() -> list[dict[str, Any]]:
            r = httpx.get(f"{p}/leverandoerer/omsorg-plus-aps/besoeg", headers=LEV, timeout=30)
            return list(r.json()) if r.status_code == 200 else []

        wait_for(lambda: bool(visits()), 120, lambda: "the order's visits at the provider")
        first = min(visits(), key=lambda b: (b["dato"], b["tidsvindue"]))
        assert first["dato"] == TODAY.isoformat()

        # The delivery, the same way: committed, answer lost, retried with its key.
        path = f"/bestillinger/{first['bestilling_id']}/besoeg/{first['besoeg_id']}/levering"
        levering = {
            "leveret_tidspunkt": E2E_NU.isoformat(),
            "faktiske_minutter": 30,
            "medarbejder_id": "sosu-maria",
        }
        send_and_hang_up(p, path, {**LEV, HEADER: "lev-1"}, levering)
        wait_for(
            lambda: stored(fs, "provider", "IndsatsLeveret") == 1,
            60,
            lambda: "the delivery committed",
        )
        hang_up()
        retry = httpx.post(f"{p}{path}", headers={**LEV, HEADER: "lev-1"}, json=levering)
        assert retry.status_code == 201, retry.text
        assert retry.headers[REPLAYED] == "true"

        # An offline shift sync, the same way: its cancellation committed, the answer lost,
        # the whole sync sent again: the item is replayed, not applied twice.
        later = max(visits(), key=lambda b: (b["dato"], b["tidsvindue"]))
        synk = {
            "enhed_id": "telefon-1",
            "poster": [
                {
                    "art": "aflysning",
                    "idempotens_noegle": "afl-1",
                    "registreret_paa_enhed": E2E_NU.isoformat(),
                    "bestilling_id": later["bestilling_id"],
                    "besoeg_id": later["besoeg_id"],
                    "aflyst_af": "borger",
                    "aarsag": "Hos datteren",
                }
            ],
        }
        path = "/leverandoerer/omsorg-plus-aps/synkronisering"
        send_and_hang_up(p, path, LEV, synk)
        wait_for(
            lambda: stored(fs, "provider", "BesoegAflyst") == 1,
            60,
            lambda: "the synced cancellation committed",
        )
        hang_up()
        again = httpx.post(f"{p}{path}", headers=LEV, json=synk, timeout=30)
        assert again.status_code == 200, again.text
        assert [r["udfald"] for r in again.json()["resultater"]] == ["genafspillet"]

        # Exactly one effect downstream, and every flow exactly once.
        summary = fs.wait_exactly_once()
        assert summary["provider orders"] == 1
        wait_for(
            lambda: published_and_recorded(fs, "provider", "IndsatsLeveret") == (1, 1),
            60,
            lambda: f"one delivery: {published_and_recorded(fs, 'provider', 'IndsatsLeveret')}",
        )
        wait_for(
            lambda: published_and_recorded(fs, "provider", "BesoegAflyst") == (1, 1),
            60,
            lambda: f"one cancellation: {published_and_recorded(fs, 'provider', 'BesoegAflyst')}",
        )
        assert published_and_recorded(fs, "visitation", "AfgoerelseTruffet") == (1, 1)
        assert stored(fs, "provider", "IndsatsLeveret") == stored(fs, "provider", "BesoegAflyst")
