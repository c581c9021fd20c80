"""Explicit wiring of the visitation service: store, API, relay and consumer."""

from __future__ import annotations

from services.visitation.adapters.public_events import to_public
from services.visitation.api.access import ACCESS
from services.visitation.api.brev_routes import build_brev_router
from services.visitation.api.frist_routes import build_frist_router
from services.visitation.api.fuldmagt_routes import build_fuldmagt_router
from services.visitation.api.katalog_routes import build_katalog_router
from services.visitation.api.leverandoer_routes import build_leverandoer_router
from services.visitation.api.opfoelgning_routes import build_opfoelgning_router
from services.visitation.api.rehab_routes import build_rehab_router
from services.visitation.api.routes import build_router
from services.visitation.api.sagsbehandling_routes import build_sagsbehandling_router
from services.visitation.api.sletning_routes import build_sletning_router
from services.visitation.api.valg_routes import build_valg_router
from services.visitation.application.bevillingskontrol import Bevillingskontrol
from services.visitation.application.frister import Frister
from services.visitation.application.policies import VisitationPolicy
from services.visitation.application.visitation_app import VisitationApplication
from shared.contracts import PROVIDER_EVENTS_TOPIC, VISITATION_EVENTS_TOPIC
from shared.contracts.topics import ADGANGSLOG_TOPIC
from shared.infra import tid
from shared.infra.access import secure_api
from shared.infra.adgangslog import til_offentlig as adgangslog_til_offentlig
from shared.infra.api import add_health
from shared.infra.consumer import EventConsumer
from shared.infra.eventstore import store_env
from shared.infra.idempotens import noegler_i
from shared.infra.periodisk import periodisk_livsloeb
from shared.infra.relay import Route, relay_for
from shared.infra.runner import ServiceWiring
from shared.infra.settings import ServiceSettings

NAME = "visitation"
DEFAULT_PORT = 8001


def build(settings: ServiceSettings) -> ServiceWiring:
    # The one settings tree and the process's clock, passed down (runner.main made both).
    app = VisitationApplication(env=store_env(settings, NAME), settings=settings, ur=tid.UR)
    frister = Frister(app)
    bevillingskontrol = Bevillingskontrol(frister)
    # The periodic clock check runs with the service (BUM_FRISTKONTROL_INTERVAL_S, 0 = off);
    # POST /frister/kontrol runs the same check for an explicit day.
    lifespan = periodisk_livsloeb(
        f"{NAME}-fristkontrol",
        [frister.kontroller, bevillingskontrol.kontroller],
        settings.fristkontrol_interval_s,
        app.ur.idag,
    )

    api = secure_api(
        "BUM visitation (myndighed)",
        "0.1.0",
        "Ansøgninger, funktionsvurderinger, afgørelser og klager.",
        access_table=ACCESS,
        auth=settings.auth,
        lifespan=lifespan,
    )
    noegler_i(api, app)  # Idempotency-Key records live with the commands' events
    api.include_router(build_router(app))
    api.include_router(build_katalog_router(app))
    api.include_router(build_rehab_router(app))
    api.include_router(build_sagsbehandling_router(app))
    api.include_router(build_brev_router(app))
    api.include_router(build_valg_router(app, bevillingskontrol))
    api.include_router(build_opfoelgning_router(app))
    api.include_router(build_frist_router(app, frister))
    api.include_router(build_fuldmagt_router(app))
    api.include_router(build_sletning_router(app))
    api.include_router(build_leverandoer_router(app))
    wiring = ServiceWiring(
        name=NAME,
        api=api,
        relays=[
            relay_for(
                app,
                NAME,
                settings,
                [
                    Route(VISITATION_EVENTS_TOPIC, to_public),
                    # Every read of a citizen's data, for supervision's access log.
                    Route(ADGANGSLOG_TOPIC, adgangslog_til_offentlig),
                ],
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
        metrics=settings.metrics_enabled,
        readiness=settings.ready,
    )
    add_health(api, NAME, wiring.status)
    return wiring
