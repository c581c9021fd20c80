"""Explicit wiring of the supervision service: store, figures, API and consumer."""

from __future__ import annotations

from services.supervision.api.access import ACCESS
from services.supervision.api.adgangslog_routes import build_adgangslog_router
from services.supervision.api.aktindsigt_routes import build_aktindsigt_router
from services.supervision.api.hvadhvis_routes import build_hvadhvis_router
from services.supervision.api.routes import build_router
from services.supervision.api.tilsyn_routes import build_tilsyn_router
from services.supervision.application.aktindsigt import Aktindsigt
from services.supervision.application.projektioner import Tilsynsprojektioner
from services.supervision.application.supervision_app import (
    RecordEverything,
    RecordReads,
    SupervisionApplication,
)
from services.supervision.application.tilsyn import Tilsyn
from shared.contracts import PROVIDER_EVENTS_TOPIC, VISITATION_EVENTS_TOPIC
from shared.contracts.topics import ADGANGSLOG_TOPIC
from shared.infra import tid
from shared.infra.access import secure_api
from shared.infra.api import add_health
from shared.infra.consumer import EventConsumer, parkerede_sager
from shared.infra.eventstore import store_env
from shared.infra.idempotens import noegler_i
from shared.infra.runner import ServiceWiring
from shared.infra.settings import ServiceSettings

NAME = "supervision"
DEFAULT_PORT = 8003


def build(settings: ServiceSettings) -> ServiceWiring:
    # The one settings tree and the process's clock, passed down (runner.main made both).
    app = SupervisionApplication(env=store_env(settings, NAME), settings=settings, ur=tid.UR)
    projektioner = Tilsynsprojektioner(app)
    api = secure_api(
        "BUM tilsyn",
        "0.1.0",
        "Sagshistorik og genafspilning på tværs af tjenesterne, tilsynstal pr. leverandør "
        "og måned, aktindsigt og adgangslog.",
        access_table=ACCESS,
        auth=settings.auth,
    )
    noegler_i(api, app)  # Idempotency-Key records live with the commands' events
    consumers = [
        EventConsumer(
            app,
            group_id=NAME,
            topics=[VISITATION_EVENTS_TOPIC, PROVIDER_EVENTS_TOPIC],
            handler=RecordEverything(app),
            bootstrap=settings.kafka_bootstrap,
            poll_ms=settings.consumer_poll_ms,
        ),
        # The other services' reads of citizens' data: the access log across all APIs.
        # Its own group and tracking stream: the same cases are numbered anew there.
        EventConsumer(
            app,
            group_id=f"{NAME}-adgangslog",
            topics=[ADGANGSLOG_TOPIC],
            handler=RecordReads(),
            bootstrap=settings.kafka_bootstrap,
            poll_ms=settings.consumer_poll_ms,
            stream="adgangslog",
            # An access log may trail by half a second; the default 20 ms broker wait
            # made this mostly idle consumer cost ~8% of a core, taken from the busy one
            # beside it in this process (docs/scaling.md).
            fetch_max_wait_ms=500,
        ),
    ]
    # A case whose event the handler could not apply is parked (shared/infra/consumer.py):
    # the case list shows it as an error row beside the cases that are fine.
    api.include_router(
        build_router(app, projektioner, parkerede=lambda: parkerede_sager(consumers[0]))
    )
    api.include_router(build_adgangslog_router(projektioner))
    api.include_router(build_aktindsigt_router(app, Aktindsigt(app, projektioner)))
    api.include_router(build_tilsyn_router(Tilsyn(app, projektioner)))
    api.include_router(build_hvadhvis_router(projektioner))
    wiring = ServiceWiring(
        name=NAME,
        api=api,
        consumers=consumers,
        metrics=settings.metrics_enabled,
        readiness=settings.ready,
    )
    add_health(api, NAME, wiring.status)
    return wiring
