"""A request costs at most one hop to the thread pool (issue 15).

The dependencies every request passes (authorize, the actor, the access-log binding) only
read what the middleware put on the request, so they run on the event loop; a route whose
body blocks on the event store runs that body in one thread-pool call, and its response is
validated on the loop. Each hop to a worker thread and back is a GIL hand-over: four of
them per delivery were measurable CPU. Hops are counted where Starlette and FastAPI make
them (`anyio.to_thread.run_sync`), on every route of every service.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import re
import tempfile
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import anyio.to_thread
import pytest
from fastapi import APIRouter, Depends, FastAPI, status
from fastapi.testclient import TestClient
from pydantic import BaseModel

from infra.docs.access_matrix import SERVICES, tables
from shared.infra.access import secure_api
from shared.infra.adgangslog import laesning
from shared.infra.api import OneHopRoute, actor, in_one_hop, principal
from shared.infra.settings import ServiceSettings
from shared.kernel import Aktoer
from tests.identity import headers_as


@pytest.fixture
def hops(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The names of the functions sent to the thread pool, in order."""
    made: list[str] = []
    real = anyio.to_thread.run_sync

    async def counted(func: Any, *args: Any, **kwargs: Any) -> Any:
        named = func
        while isinstance(named, functools.partial):
            named = named.func
        made.append(getattr(named, "__name__", repr(named)))
        return await real(func, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", counted)
    yield made


def test_the_shared_dependencies_run_on_the_event_loop() -> None:
    from shared.infra.access import authorize

    for dependency in (authorize, principal, actor, laesning):
        assert inspect.iscoroutinefunction(dependency), dependency.__name__


def test_one_hop_keeps_what_routing_and_openapi_read() -> None:
    def levering(bestilling_id: uuid.UUID, aktoer: Aktoer) -> dict[str, str]:
        """Indsats leveret."""
        return {}

    wrapped = in_one_hop(levering)
    assert inspect.iscoroutinefunction(wrapped)
    assert (wrapped.__name__, wrapped.__doc__) == ("levering", "Indsats leveret.")
    assert inspect.signature(wrapped) == inspect.signature(levering)


class Kvittering(BaseModel):
    status: str
    traad: str


def _app() -> FastAPI:
    table = {("POST", "/ting/{ting_id}"): frozenset({"leverandoer"})}
    api = secure_api("test", "0", "", access_table=table)
    router = APIRouter(route_class=OneHopRoute)

    @router.post("/ting/{ting_id}", status_code=status.HTTP_201_CREATED)
    def gem(ting_id: str, aktoer: Annotated[Aktoer, Depends(actor)]) -> Kvittering:
        # Blocking store work would be here: it must not run on the event loop's thread.
        return Kvittering(status=aktoer.id, traad=threading.current_thread().name)

    api.include_router(router)
    return api


def test_a_blocking_route_with_a_response_model_takes_one_hop(hops: list[str]) -> None:
    headers = headers_as("leverandoer", leverandoer_id="omsorg-plus-aps", borger_id="b")
    with TestClient(_app()) as client:
        client.get("/findes-ikke", headers=headers)  # the token is verified (and cached) once
        loop_thread = client.portal.call(lambda: threading.current_thread().name)  # type: ignore[union-attr]
        hops.clear()
        r = client.post("/ting/1", headers=headers)
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "test-leverandoer"
    assert r.json()["traad"] != loop_thread  # the body ran in a worker thread
    assert hops == ["gem"]  # and nothing else did: dependencies, response validation


def _routes(api: FastAPI) -> list[tuple[str, str]]:
    return [
        (method.upper(), path)
        for path, ops in api.openapi()["paths"].items()
        for method in ops
        if method in {"get", "post", "put", "delete", "patch"}
    ]


@pytest.mark.parametrize("service", SERVICES)
def test_every_route_takes_at_most_one_hop(service: str, hops: list[str]) -> None:
    """Every route in the service's access table, called by a role it admits with made-up
    ids (mostly a 404, 409 or 422 from inside the route, which is where the hop is)."""
    wiring = importlib.import_module(f"services.{service}.wiring")
    api = wiring.build(ServiceSettings(data_dir=Path(tempfile.mkdtemp()))).api
    table = tables()[service]
    assert set(table) <= set(_routes(api))
    borger = str(uuid.uuid4())
    too_many = []
    with TestClient(api, raise_server_exceptions=False) as client:
        for (method, path), allowed in sorted(table.items()):
            rolle = sorted(allowed)[0]
            headers = headers_as(rolle, leverandoer_id="omsorg-plus-aps", borger_id=borger)
            client.get("/findes-ikke", headers=headers)  # token verified once, then cached
            url = re.sub(
                r"\{(\w+)\}",
                lambda m: {"leverandoer_id": "omsorg-plus-aps", "borger_id": borger}.get(
                    m.group(1), str(uuid.uuid4())
                ),
                path,
            )
            hops.clear()
            r = client.request(method, url, headers=headers, json={})
            if len(hops) > 1:
                too_many.append(f"{method} {path} ({r.status_code}): {hops}")
    assert not too_many, "\n".join(too_many)
