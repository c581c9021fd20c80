"""python -m services.supervision.rebuild: rebuild every read model from the stored events.

Reads supervision's store (the same BUM_* settings as the service), folds the whole log into
fresh read models with a progress bar, and proves the result:
- with `--live URL`, against the running service: the service reports its log position
  and a SHA-256 per read model; the rebuild stops at that same position and must match;
- without it, against a second, independent rebuild through the library's own event
  mapper (one domain event object per stored event: the slow, obvious path).
Exit code 0 when every read model matches, 1 otherwise.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from typing import Any

import httpx
from tqdm import tqdm

from services.supervision.application.projektioner import Tilsynsprojektioner, kanonisk
from services.supervision.application.supervision_app import SupervisionApplication
from shared.infra.eventstore import store_env
from shared.infra.settings import ServiceSettings


def genopbyg(
    app: SupervisionApplication, upto: int | None, vis_fremdrift: bool = True
) -> tuple[Tilsynsprojektioner, float]:
    total = upto if upto is not None else app.process_recorder.max_notification_id() or 0
    projektioner = Tilsynsprojektioner(app)
    start = time.perf_counter()
    with tqdm(total=total, unit="hændelser", disable=not vis_fremdrift, file=sys.stderr) as bar:
        projektioner.catch_up(upto=upto, fremdrift=bar.update)
    return projektioner, time.perf_counter() - start


def rebuild_all(app: SupervisionApplication) -> tuple[int, float]:
    """Fold the whole log into fresh read models and compute every read model's figures:
    (events folded, seconds). What the benchmark harness times."""
    start = time.perf_counter()
    projektioner = Tilsynsprojektioner(app)
    projektioner.catch_up()
    projektioner.resultater()
    return projektioner.position, time.perf_counter() - start


def via_mapper(app: SupervisionApplication, upto: int) -> dict[str, str]:
    """The independent check: every stored event through the library's mapper."""
    reference = Tilsynsprojektioner(app)
    position = 0
    while position < upto:
        batch = app.process_recorder.select_notifications(start=position + 1, limit=5000, stop=upto)
        if not batch:
            break
        for n in batch:
            reference.apply(app.mapper.to_domain_event(n))
        position = batch[-1].id
    return {k: hashlib.sha256(kanonisk(v)).hexdigest() for k, v in reference.resultater().items()}


def sammenlign(forventet: dict[str, str], faktisk: dict[str, str]) -> list[str]:
    return sorted(
        k for k in forventet.keys() | faktisk.keys() if forventet.get(k) != faktisk.get(k)
    )


def main(argv: list[str] | None = None, settings: ServiceSettings | None = None) -> int:
    settings = settings or ServiceSettings()  # this tool's one read of the environment
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--live", help="base URL of the running supervision service")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument(
        "--token",
        default=settings.token.get_secret_value() if settings.token else None,
        help="bearer token (role tilsyn, revisor or administrator) for --live; env BUM_TOKEN",
    )
    args = parser.parse_args(argv)

    app = SupervisionApplication(env=store_env(settings, "supervision"), settings=settings)
    live: dict[str, Any] | None = None
    if args.live:
        headers = {"Authorization": f"Bearer {args.token}"} if args.token else {}
        r = httpx.get(f"{args.live}/tilsyn/projektioner", headers=headers, timeout=60)
        r.raise_for_status()
        live = r.json()
    upto = live["position"] if live else app.process_recorder.max_notification_id() or 0

    projektioner, sekunder = genopbyg(app, upto, vis_fremdrift=not args.quiet)
    genopbygget = projektioner.fingeraftryk()["projektioner"]
    forventet = live["projektioner"] if live else via_mapper(app, upto)
    afvigelser = sammenlign(forventet, genopbygget)

    rate = projektioner.position / sekunder if sekunder else 0.0
    print(f"genopbygget {projektioner.position} hændelser på {sekunder:.2f} s ({rate:,.0f}/s)")
    print(f"sammenlignet med {'den kørende tjeneste' if live else 'mapper-genopbygning'}:")
    for navn in sorted(genopbygget):
        status = "AFVIGER" if navn in afvigelser else "ens"
        print(f"  {navn}: {status} {genopbygget[navn][:16]}")
    return 1 if afvigelser else 0


if __name__ == "__main__":
    sys.exit(main())
