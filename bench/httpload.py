"""A lean HTTP/1.1 keep-alive load generator on asyncio (uvloop).

Why not httpx: the generator shares two cores with the server it measures, and httpx spends
several times more CPU per request than this, which would lower the very throughput it
reports. Requests are pre-encoded bytes; responses are read by Content-Length (uvicorn
always sends it for JSON). Each connection owns its own request queue, so two requests for
the same aggregate are never in flight at once (that would be a 409, not load).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import uvloop


def encode_post(host: str, path: str, body: bytes, headers: dict[str, str]) -> bytes:
    lines = [
        f"POST {path} HTTP/1.1",
        f"Host: {host}",
        "Content-Type: application/json",
        f"Content-Length: {len(body)}",
        *(f"{k}: {v}" for k, v in headers.items()),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


@dataclass
class LoadOutcome:
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def errors(self) -> int:
        return sum(n for code, n in self.statuses.items() if not 200 <= code < 300)


async def _roundtrip(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, req: bytes) -> int:
    writer.write(req)
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
            break
    if length:
        await reader.readexactly(length)
    return status


def _record(out: LoadOutcome, status: int, latency: float) -> None:
    out.statuses[status] = out.statuses.get(status, 0) + 1
    if 200 <= status < 300:
        out.latencies.append(latency)


async def _closed(
    host: str, port: int, queues: Sequence[Sequence[bytes]], duration: float
) -> LoadOutcome:
    out = LoadOutcome()
    deadline = time.perf_counter() + duration

    async def worker(queue: Sequence[bytes]) -> None:
        reader, writer = await asyncio.open_connection(host, port)
        try:
            for req in queue:
                if time.perf_counter() >= deadline:
                    return
                t0 = time.perf_counter()
                status = await _roundtrip(reader, writer, req)
                _record(out, status, time.perf_counter() - t0)
        finally:
            writer.close()

    start = time.perf_counter()
    await asyncio.gather(*(worker(q) for q in queues))
    out.seconds = min(time.perf_counter(), deadline) - start
    return out


async def _open(
    host: str, port: int, queues: Sequence[Sequence[bytes]], rate: float, duration: float
) -> LoadOutcome:
    """Open loop: request i is due at start + i/rate whatever happened before it.

    Latency counts from the due time, so a server that falls behind shows its queueing
    (no coordinated omission). Request i goes to connection i mod n.
    """
    out = LoadOutcome()
    n = len(queues)
    total = min(int(rate * duration), sum(len(q) for q in queues))
    start = time.perf_counter() + 0.05

    async def worker(k: int) -> None:
        reader, writer = await asyncio.open_connection(host, port)
        try:
            for j, req in enumerate(queues[k]):
                i = j * n + k
                if i >= total:
                    return
                due = start + i / rate
                delay = due - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                status = await _roundtrip(reader, writer, req)
                _record(out, status, time.perf_counter() - due)
        finally:
            writer.close()

    await asyncio.gather(*(worker(k) for k in range(n)))
    out.seconds = time.perf_counter() - start
    return out


def closed_loop(
    port: int, queues: Sequence[Sequence[bytes]], duration: float, host: str = "127.0.0.1"
) -> LoadOutcome:
    """Each connection sends its next request as soon as the previous one answered."""
    return uvloop.run(_closed(host, port, queues, duration))


def open_loop(
    port: int,
    queues: Sequence[Sequence[bytes]],
    rate: float,
    duration: float,
    host: str = "127.0.0.1",
) -> LoadOutcome:
    return uvloop.run(_open(host, port, queues, rate, duration))
