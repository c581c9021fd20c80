"""What every service serves to integration partners: the AsyncAPI document, the payload
schemas, and (for a service that publishes) the catch-up endpoint over its published log.

Kafka retention is not the audit trail. A partner that was away longer than the retention,
or joins late, pages `/public-events` from any position and gets exactly what was
published, in CloudEvents structured JSON (the same attributes as the Kafka headers).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

import yaml
from fastapi import Depends, FastAPI, Query
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from shared.contracts.asyncapi import build_document
from shared.contracts.schemas import all_payload_schemas
from shared.contracts.topics import provider_topic
from shared.infra.api import principal
from shared.infra.auth import Principal
from shared.infra.relay import OutboxRelay
from shared.kernel import NotFound


class PublicEventsSide(BaseModel):
    """A page of published events: CloudEvents as sent on the topic."""

    topic: str
    events: list[dict[str, Any]]
    next_after: int = Field(description="the position to ask from next (`after`)")


def add_contract_routes(api: FastAPI, relays: Sequence[OutboxRelay]) -> None:
    document = build_document()
    schemas = all_payload_schemas()
    document_yaml = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)

    @api.get("/asyncapi.json", tags=["kontrakter"], summary="AsyncAPI 3.0 document (JSON)")
    def asyncapi_json() -> dict[str, Any]:
        return document

    @api.get(
        "/asyncapi.yaml",
        tags=["kontrakter"],
        summary="AsyncAPI 3.0 document (YAML)",
        response_class=Response,
        responses={200: {"content": {"application/yaml": {}}}},
    )
    def asyncapi_yaml() -> Response:
        return Response(document_yaml, media_type="application/yaml")

    @api.get("/contracts/schemas", tags=["kontrakter"], summary="Payload schema files")
    def schema_index() -> list[str]:
        return sorted(schemas)

    @api.get(
        "/contracts/schemas/{file_name}",
        tags=["kontrakter"],
        summary="One payload's JSON Schema, e.g. AfgoerelseTruffet.v1.json",
        response_class=JSONResponse,
        responses={200: {"content": {"application/schema+json": {"schema": {"type": "object"}}}}},
    )
    def schema_file(file_name: str) -> JSONResponse:
        if file_name not in schemas:
            raise NotFound("schema", file_name)
        return JSONResponse(schemas[file_name], media_type="application/schema+json")

    if not relays:
        return

    def by_topic() -> dict[str, OutboxRelay]:
        # Asked per request: a relay may take a topic on while running (add_route).
        return {route.topic: relay for relay in relays for route in relay.routes}

    main_topic = relays[0].topic

    @api.get(
        "/public-events",
        tags=["kontrakter"],
        response_model=PublicEventsSide,
        summary="Published events from a log position (catch-up for late partners)",
    )
    def public_events(
        caller: Annotated[Principal, Depends(principal)],
        after: Annotated[int, Query(ge=0, le=2**62, description="log position to start after")] = 0,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        topic: Annotated[str | None, Query(description="default: the service's topic")] = None,
    ) -> dict[str, Any]:
        wanted = topic or main_topic
        if caller.rolle == "leverandoer" and wanted != provider_topic(caller.leverandoer_id or ""):
            # A provider reads its own topic only; other topics look like they do not exist.
            raise NotFound("topic", wanted)
        relays_by_topic = by_topic()
        if wanted not in relays_by_topic:
            raise NotFound("topic", wanted)
        relay = relays_by_topic[wanted]
        events = relay.published_page(wanted, after, limit)
        return {
            "topic": wanted,
            "events": events,
            "next_after": int(events[-1]["logposition"]) if events else after,
        }
