"""Explicit wiring of the provider service: store, read model, API, relay and consumer."""

from __future__ import annotations

import os
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from services.provider.adapters.public_events import to_public
from services.provider.api.access import ACCESS
from services.provider.api.afregning_routes import build_afregning_router
from services.provider.api.operations import build_operations, install_access_handler
from services.provider.api.plan_routes import build_plan_router
from services.provider.api.routes import build_router
from services.provider.application.fristvagt import Fristvagt, run_periodically
from services.provider.application.policies import ProviderPolicy
from services.provider.application.provider_app import ProviderApplication
from services.provider.application.read_model import ProviderWorkLists
from shared.contracts import PROVIDER_EVENTS_TOPIC, VISITATION_EVENTS_TOPIC
from shared.contracts.topics import ADGANGSLOG_TOPIC, provider_topic
from shared.infra.access import secure_api
from shared.infra.adgangslog import til_offentlig as adgangslog_til_offentlig
from shared.infra.api import add_health
from shared.infra.consumer import EventConsumer
from shared.infra.eventstore import store_env
from shared.infra.public_events import memoized, only_for_provider
from shared.infra.relay import Route, relay_for
from shared.infra.runner import ServiceWiring
from shared.infra.settings import ServiceSettings
from shared.reference.leverandoerer import GODKENDTE_LEVERANDOERER

NAME = "provider"
DEFAULT_PORT = 8002


def build(settings: ServiceSettings) -> ServiceWiring:
    app = ProviderApplication(env=store_env(settings, NAME))
    lists = ProviderWorkLists(app)
    vagt = Fristvagt(app, lists)
    # The daily deadline check runs with the service (BUM_FRISTKONTROL_INTERVAL_S, as in
    # visitation; 0 = off); POST /leverandoerer/{l}/fristkontrol checks an explicit day.
    interval = float(os.environ.get("BUM_FRISTKONTROL_INTERVAL_S", "3600"))

    @asynccontextmanager
    async def lifespan(_: Any) -> AsyncIterator[None]:
        stop = threading.Event()
        if interval > 0:
            threading.Thread(
                target=run_periodically,
                args=(vagt, stop, interval),
                name=f"{NAME}-fristkontrol",
                daemon=True,
            ).start()
        yield
        stop.set()

    api = secure_api(
        "BUM leverandør (udfører)",
        "0.1.0",
        "Bestillinger, besøgsplaner, leverancer og aflysninger.",
        access_table=ACCESS,
        lifespan=lifespan,
    )
    install_access_handler(api)
    api.include_router(build_router(app, lists))
    api.include_router(build_operations(app, lists))
    api.include_router(build_plan_router(app, lists))
    api.include_router(build_afregning_router(lists))
    # One relay for the store, one mapping shared by its routes: each event is decoded and
    # mapped once, whatever number of topics it goes to.
    mapping = memoized(to_public)
    wiring = ServiceWiring(
        name=NAME,
        api=api,
        relays=[
            relay_for(
                app,
                NAME,
                settings,
                [
                    Route(PROVIDER_EVENTS_TOPIC, mapping),
                    # Every read of a citizen's data, for supervision's access log.
                    Route(ADGANGSLOG_TOPIC, adgangslog_til_offentlig),
                    # Data minimisation on Kafka: each provider's own topic carries its own
                    # events only, so a private provider's system is granted exactly that
                    # topic.
                    *(
                        Route(
                            provider_topic(leverandoer_id),
                            only_for_provider(mapping, leverandoer_id),
                        )
                        for leverandoer_id in sorted(GODKENDTE_LEVERANDOERER)
                    ),
                ],
            )
        ],
        consumers=[
            EventConsumer(
                app,
                group_id=NAME,
                topics=[VISITATION_EVENTS_TOPIC],
                handler=ProviderPolicy(app),
                bootstrap=settings.kafka_bootstrap,
                poll_ms=settings.consumer_poll_ms,
            )
        ],
    )
    add_health(api, NAME, wiring.status)
    return wiring
