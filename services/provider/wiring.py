"""Explicit wiring of the provider service: store, read model, API, relay and consumer."""

from __future__ import annotations

from services.provider.adapters.public_events import to_public
from services.provider.api.access import ACCESS
from services.provider.api.afregning_routes import build_afregning_router
from services.provider.api.operations import build_operations
from services.provider.api.plan_routes import build_plan_router
from services.provider.api.routes import build_router
from services.provider.api.synk_routes import build_synk_router
from services.provider.application.fristvagt import Fristvagt
from services.provider.application.policies import ProviderPolicy
from services.provider.application.provider_app import ProviderApplication
from services.provider.application.read_model import ProviderWorkLists
from shared.contracts import PROVIDER_EVENTS_TOPIC, VISITATION_EVENTS_TOPIC
from shared.contracts.topics import ADGANGSLOG_TOPIC, provider_topic
from shared.infra import tid
from shared.infra.access import secure_api
from shared.infra.adgangslog import til_offentlig as adgangslog_til_offentlig
from shared.infra.api import add_health
from shared.infra.consumer import EventConsumer
from shared.infra.eventstore import store_env
from shared.infra.idempotens import noegler_i
from shared.infra.periodisk import periodisk_livsloeb
from shared.infra.public_events import memoized, only_for_provider
from shared.infra.relay import Route, relay_for
from shared.infra.runner import ServiceWiring
from shared.infra.settings import ServiceSettings

NAME = "provider"
DEFAULT_PORT = 8002


def build(settings: ServiceSettings) -> ServiceWiring:
    # The one settings tree and the process's clock, passed down (runner.main made both).
    app = ProviderApplication(env=store_env(settings, NAME), settings=settings, ur=tid.UR)
    lists = ProviderWorkLists(app)
    # Commands find a visit's period from its day, and an order's periods, in the lists.
    app.besoegsdato, app.perioder_for = lists.besoegsdato, lists.perioder_for
    vagt = Fristvagt(app, lists)
    # The daily deadline check runs with the service (BUM_FRISTKONTROL_INTERVAL_S, as in
    # visitation; 0 = off); POST /leverandoerer/{l}/fristkontrol checks an explicit day.
    lifespan = periodisk_livsloeb(
        f"{NAME}-fristkontrol", [vagt.kontroller], settings.fristkontrol_interval_s, app.ur.idag
    )

    api = secure_api(
        "BUM leverandør (udfører)",
        "0.1.0",
        "Bestillinger, besøgsplaner, leverancer og aflysninger.",
        access_table=ACCESS,
        auth=settings.auth,
        lifespan=lifespan,
    )
    noegler_i(api, app)  # Idempotency-Key records live with the commands' events
    api.include_router(build_router(app, lists))
    api.include_router(build_operations(app, lists))
    api.include_router(build_plan_router(app, lists))
    api.include_router(build_synk_router(app))
    api.include_router(build_afregning_router(lists))
    # One relay for the store, one mapping shared by its routes: each event is decoded and
    # mapped once, whatever number of topics it goes to.
    mapping = memoized(to_public)

    def egen_route(leverandoer_id: str) -> Route:
        return Route(provider_topic(leverandoer_id), only_for_provider(mapping, leverandoer_id))

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
                    # The providers in the register copy now; one approved later gets its
                    # topic when its register event is stored (below), without a restart.
                    *(
                        egen_route(leverandoer_id)
                        for leverandoer_id in sorted(app.leverandoerregister)
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
        metrics=settings.metrics_enabled,
        readiness=settings.ready,
    )
    relay = wiring.relays[0]
    app.ved_ny_leverandoer(lambda leverandoer_id: relay.add_route(egen_route(leverandoer_id)))
    add_health(api, NAME, wiring.status)
    return wiring
