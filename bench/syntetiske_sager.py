"""python -m bench.syntetiske_sager: synthetic cases for supervision, and the rebuild timed.

Fills a supervision store with synthetic cases exactly as the service stores them (one
`Sagsforloeb` per case, one `HaendelseRegistreret` per validated public envelope), then
rebuilds every read model from scratch and prints events per second, best of `--runs`.
The benchmark harness (`bench/supervision_phase.py`) and tests call `fyld_lager` and
`sag_haendelser`.

Every message is built through the published contracts: each payload is validated by its
contract model (`shared/contracts/registry.py`, which refuses unknown fields) and dumped
as published, and the envelope is a `PublicEvent`. A contract that changes makes this
generator fail at once, instead of feeding the benchmark messages no service would send.
It lived in the product (`services/supervision/maaling.py`) before; it is a benchmark tool.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import NAMESPACE_URL, uuid5

from services.supervision.application.supervision_app import SupervisionApplication
from services.supervision.domain.sagsforloeb import Sagsforloeb
from services.supervision.rebuild import rebuild_all
from shared.contracts import PublicEvent
from shared.contracts.registry import payload_model
from shared.infra.eventstore import store_env
from shared.infra.settings import ServiceSettings

LEVERANDOERER = ("omsorg-plus-aps", "hjem-og-hjerte", "kommunens-hjemmepleje")
VISITATOR = {"id": "vis-anne", "rolle": "visitator", "organisation": "kommunen"}


def _id(*dele: object) -> str:
    # Deterministic ids: the same store content (and figures) on every run.
    return str(uuid5(NAMESPACE_URL, "/".join(map(str, dele))))


def sag_haendelser(n: int, start: date) -> list[dict[str, Any]]:
    """One case's public events (15 per case): application, receipt, decision, order, plan of
    eight visits, six deliveries by two helpers, a cancellation, its replacement, a forgæves
    visit. Shapes as in docs/event-catalogue.md."""
    sag, borger, lev = _id("sag", n), _id("borger", n), LEVERANDOERER[n % len(LEVERANDOERER)]
    bev, best = _id("bev", n), _id("best", n)
    dag = start + timedelta(days=n % 60)
    besoeg = [(_id("besoeg", n, i), dag + timedelta(days=2 + 3 * i)) for i in range(8)]
    sosu = {"id": f"sosu-{n % 40}", "rolle": "leverandoer", "organisation": lev}
    ud: list[tuple[str, dict[str, Any], dict[str, str], date]] = [
        (
            "AnsoegningModtaget",
            {
                "borger_id": borger,
                "modtaget_dato": (dag - timedelta(days=9)).isoformat(),
                "kanal": "telefon",
                "henvendelse_fra": "borger",
                "anmodninger": [
                    {"anmodning_id": _id("anm", n), "beskrivelse": "Bad", "kategori": "personlig"}
                ],
            },
            VISITATOR,
            dag - timedelta(days=9),
        ),
        ("KvitteringSendt", {"dato": (dag - timedelta(days=8)).isoformat()}, VISITATOR, dag),
        (
            "AfgoerelseTruffet",
            {
                "afgoerelse_id": _id("afg", n),
                "borger_id": borger,
                "truffet_dato": dag.isoformat(),
                "udfald": [{"anmodning_id": _id("anm", n), "resultat": "bevilget"}],
                "bevillinger": [
                    {
                        "bevilling_id": bev,
                        "anmodning_id": _id("anm", n),
                        "indsats_kode": "H1.3",
                        "indsats_navn": "Bad",
                        "kategori": "personlig",
                        "hyppighed": {"antal": 2, "periode": "uge"},
                        "minutter_pr_besoeg": 30,
                        "leverandoer_id": lev,
                        "startdato": dag.isoformat(),
                        "leveringsregler": {
                            "katalog_version": "2026",
                            "iverksaettelsesfrist_dage": 3,
                        },
                    }
                ],
                "klagevejledning": "Du kan klage inden 4 uger.",
            },
            VISITATOR,
            dag,
        ),
        (
            "BestillingModtaget",
            {
                "bestilling_id": best,
                "bevilling_id": bev,
                "leverandoer_id": lev,
                "indsats_kode": "H1.3",
                "kategori": "personlig",
                "minutter_pr_besoeg": 30,
            },
            sosu,
            dag,
        ),
        (
            "BesoegPlanlagt",
            {
                "bestilling_id": best,
                "leverandoer_id": lev,
                "besoeg": [
                    {
                        "besoeg_id": b,
                        "dato": d.isoformat(),
                        "tidsvindue": "morgen",
                        "planlagte_minutter": 30,
                    }
                    for b, d in besoeg
                ],
            },
            sosu,
            dag,
        ),
    ]
    for i, (b, d) in enumerate(besoeg[:6]):
        tid = datetime.combine(d, datetime.min.time(), UTC).replace(hour=8).isoformat()
        ud.append(
            (
                "IndsatsLeveret",
                {
                    "besoeg_id": b,
                    "bestilling_id": best,
                    "leverandoer_id": lev,
                    "leveret_tidspunkt": tid,
                    "faktiske_minutter": 25 + i,
                    "medarbejder_id": sosu["id"] if i % 3 else f"sosu-vikar-{n % 7}",
                },
                sosu,
                d,
            )
        )
    (aflyst, aflyst_dag), (forgaeves, forgaeves_dag) = besoeg[6], besoeg[7]
    erstatning = _id("erstatning", n)
    ud += [
        (
            "BesoegAflyst",
            {
                "besoeg_id": aflyst,
                "bestilling_id": best,
                "leverandoer_id": lev,
                "aflyst_af": "leverandoer",
                "aarsag": "Sygdom",
                "varsel_timer": 4.0,
                "rettidig": False,
            },
            sosu,
            aflyst_dag,
        ),
        (
            "ErstatningsbesoegPlanlagt",
            {
                "besoeg_id": erstatning,
                "bestilling_id": best,
                "leverandoer_id": lev,
                "erstatter_besoeg_id": aflyst,
                "dato": (aflyst_dag + timedelta(days=2)).isoformat(),
                "tidsvindue": "middag",
                "planlagte_minutter": 30,
                "erstatning_frist": (aflyst_dag + timedelta(days=8)).isoformat(),
            },
            sosu,
            aflyst_dag,
        ),
        (
            "IndsatsLeveret",
            {
                "besoeg_id": erstatning,
                "bestilling_id": best,
                "leverandoer_id": lev,
                "leveret_tidspunkt": f"{aflyst_dag + timedelta(days=2 + n % 9)}T12:00:00+00:00",
                "faktiske_minutter": 30,
                "medarbejder_id": sosu["id"],
            },
            sosu,
            aflyst_dag + timedelta(days=2),
        ),
        (
            "BesoegForgaeves",
            {
                "besoeg_id": forgaeves,
                "bestilling_id": best,
                "leverandoer_id": lev,
                "tidspunkt": f"{forgaeves_dag}T08:00:00+00:00",
                "medarbejder_id": sosu["id"],
                "aarsag": "ikke_hjemme",
            },
            sosu,
            forgaeves_dag,
        ),
    ]
    return [
        PublicEvent(
            event_id=_id("event", n, i),
            event_type=typ,
            schema_version=1,
            source="visitation" if aktoer is VISITATOR else "provider",
            case_id=sag,
            sequence=i + 1,
            case_sequence=i + 1,
            occurred_at=f"{d}T09:00:00+00:00",
            recorded_at=f"{d}T09:00:01+00:00",
            actor=aktoer,
            legal_basis="Serviceloven § 83",
            data=payload_model(typ, 1).model_validate(data).model_dump(mode="json"),
        ).model_dump(mode="json")
        for i, (typ, data, aktoer, d) in enumerate(ud)
    ]


def fyld_lager(app: SupervisionApplication, antal_haendelser: int, pr_gem: int = 200) -> int:
    """Store synthetic cases until at least `antal_haendelser` public events are recorded;
    `pr_gem` cases per transaction. Returns the number of events stored."""
    gemt, n = 0, 0
    while gemt < antal_haendelser:
        aggregates = []
        for _ in range(pr_gem):
            haendelser = sag_haendelser(n, date(2026, 1, 5))
            forloeb = Sagsforloeb(sag_id=haendelser[0]["case_id"])
            for h in haendelser:
                # As the consumer stores it: the envelope validated and dumped as published.
                forloeb.registrer(PublicEvent.model_validate(h).model_dump(mode="json"))
            aggregates.append(forloeb)
            gemt += len(haendelser)
            n += 1
        app.save(*aggregates)
    return gemt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    app = SupervisionApplication(env=store_env(ServiceSettings(), "supervision"))
    if not app.process_recorder.max_notification_id():
        print(f"fylder lageret med {fyld_lager(app, args.events)} hændelser", file=sys.stderr)
    bedst = float("inf")
    for _ in range(args.runs):
        # CPU time beside wall time: on a shared machine the wall clock also counts the
        # time other processes held the cores.
        cpu = time.process_time()
        antal, sekunder = rebuild_all(app)
        cpu = time.process_time() - cpu
        bedst = min(bedst, sekunder)
        print(
            f"{antal} hændelser på {sekunder:.3f} s: {antal / sekunder:,.0f}/s "
            f"(CPU {cpu:.3f} s: {antal / cpu:,.0f}/s)"
        )
    print(f"bedst: {antal / bedst:,.0f} hændelser/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
