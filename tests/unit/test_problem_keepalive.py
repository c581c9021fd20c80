"""A 5xx never breaks the keep-alive connection: an unhandled exception becomes a 500
problem document and the server keeps the connection for the client's next request.
(Before, Starlette's ServerErrorMiddleware re-raised after answering and uvicorn closed the
connection, so the next request on it was reset.) Runs a real uvicorn on a free port."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from shared.infra.api import PROBLEM, install_problem_handlers


def _app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/fejl")
    def fejl() -> dict[str, str]:
        raise OverflowError("date value out of range")

    @app.get("/ok")
    def ok() -> dict[str, str]:
        return {"status": "ok"}

    return app


@pytest.fixture
def base_url() -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(_app(), host="127.0.0.1", port=port, log_level="critical", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def _local_port(response: httpx.Response) -> int:
    stream = response.extensions["network_stream"]
    port: int = stream.get_extra_info("socket").getsockname()[1]
    return port


def test_500_is_a_problem_and_the_connection_stays_open(base_url: str) -> None:
    with httpx.Client(base_url=base_url, timeout=5) as client:
        first = _local_port(client.get("/ok"))
        failed = client.get("/fejl")
        failed_port = _local_port(failed)
        assert failed.status_code == 500
        assert failed.headers["content-type"] == PROBLEM
        assert failed.json()["status"] == 500
        assert "OverflowError" not in failed.text  # no internals to the caller
        assert failed.headers.get("connection", "").lower() != "close"
        time.sleep(0.2)  # give a server that closes after a 500 time to do so
        after = client.get("/ok")
        assert after.status_code == 200
        # One connection throughout: the client did not have to reconnect after the 500.
        assert first == failed_port == _local_port(after)
