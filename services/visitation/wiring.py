"""Explicit wiring of the visitation service: store, API, relay and consumer."""

from __future__ import annotations

from fastapi import FastAPI

from services.visitation.adapters.public_events import to_public
from services.visitation.api.routes import build_router
from services.visitation.application.policies import VisitationPolicy
from services.visitation.application.visitation_app import VisitationApplication
from shared.contracts import PROVIDER_EVENTS_TOPIC, VISITATION_EVENTS_TOPIC
from shared.infra.api import add_health, install_problem_handlers
from shared.infra.consumer import EventConsumer
from shared.infra.eventstore import store_env
from shared.infra.relay import OutboxRelay
from shared.infra.runner import ServiceWiring
from shared.infra.settings import ServiceSettings

NAME = "visitation"
DEFAULT_PORT = 8001


def build(settings: ServiceSettings) -> ServiceWiring:
    app = VisitationApplication(env=store_env(settings, NAME))
    api = FastAPI(
        title="BUM visitation (myndighed)",
        version="0.1.0",
        description="Ansøgninger, funktionsvurderinger, afgørelser og klager.",
    )
    install_problem_handlers(api)
    api.include_router(build_router(app))
    wiring = ServiceWiring(
        name=NAME,
        api=api,
        relays=[
            OutboxRelay(
                app,
                source=NAME,
                topic=VISITATION_EVENTS_TOPIC,
                mapping=to_public,
                bootstrap=settings.kafka_bootstrap,
                poll_seconds=settings.relay_poll_seconds,
            )
        ],
        consumers=[
            EventConsumer(
                app,
                group_id=NAME,
                topics=[PROVIDER_EVENTS_TOPIC],
                handler=VisitationPolicy(app),
                bootstrap=settings.kafka_bootstrap,
                poll_ms=settings.consumer_poll_ms,
            )
        ],
    )
    add_health(api, NAME, wiring.status)
    return wiring
