"""Every event any service stores keeps text about a person sealed.

The walk finds every event class of every service (each eventsourcing aggregate event
defined under `services/*/domain`, and the access-log event in `shared/kernel` that every
service stores) and follows each field, through the value objects, tuples, lists and dicts
in it, to every place that can hold a string. Each must be a `Personoplysning` (sealed under
the citizen's key, so an erasure reaches it: docs/personal-data.md) or be declared below as
a code, an enum, an id, a timestamp or text the system writes, with the reason. A new
free-text field fails here until it is sealed (with an upcaster for the stored events) or
declared.
"""

from __future__ import annotations

import collections.abc
import dataclasses
import importlib
import pkgutil
import types
import typing
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any, Union

from eventsourcing.domain import Aggregate, CanMutateAggregate

import shared.kernel
from shared.kernel.personoplysning import Personoplysning

SERVICES = ("visitation", "provider", "supervision")
#: The library's own fields of every event.
BIBLIOTEK = frozenset({"originator_id", "originator_version", "timestamp", "originator_topic"})

#: Field names that hold a code, an enum, an id or a timestamp wherever they occur.
KODER: dict[str, str] = {
    # Who did it: the actor's claims (staff or the citizen's own subject id, role, tenant).
    "aktoer": "the actor's claims (id, rolle, organisation) as a dict",
    "id": "the actor's subject id from the identity broker",
    "rolle": "the actor's role (a closed set, docs/access-matrix.md)",
    "organisation": "the actor's tenant: the kommune or a leverandoer_id",
    "fuldmagtshaver": "the holder's identity-broker subject id, never a name (fuldmagt.py)",
    # Ids.
    "borger_id": "pseudonymous citizen id",
    "sag_id": "case id",
    "fund_id": "finding id",
    "punkt_id": "follow-up item id",
    "frist_id": "deadline id",
    "leverandoer_id": "provider id from the register",
    "fra_leverandoer_id": "provider id from the register",
    "til_leverandoer_id": "provider id from the register",
    "medarbejder_id": "the provider's staff id",
    "oevrige_medarbejdere": "further staff ids on a visit",
    "enhed_id": "the id of the device an offline item was recorded on (the app's, no name)",
    "stikproeve": "the drawn case ids",
    "katalog_version": "the quality standard's version id",
    "kommune": "the municipality's code",
    "sha256": "digest of the approved quality standard",
    "tjeneste": "the service's name",
    "endpoint": "the route's name",
    # Enums and codes (closed sets, checked by the API's Literal types or the domain).
    "kategori": "personlig | praktisk | ... (vocabulary)",
    "kategorier": "the categories a staff member may deliver",
    "indsats_kode": "the catalogue's service code",
    "indsats_navn": "the catalogue's name of the service, the same for every citizen",
    "klagetype": "afgoerelse | levering",
    "fristtype": "the deadline's kind",
    "kanal": "how an application came in, or fysisk | skaerm for a delivery",
    "henvendelse_fra": "who made contact: borger | paaroerende | ... (HenvendelseFra)",
    "egenskab": "part | repraesentant | andet (aktindsigt.py)",
    "sted": "hjem | leverandoer (tilsynsbesoeg.py)",
    "vurdering": "an inspection's rating: tilfredsstillende | ... (tilsynsbesoeg.py)",
    "udfald": "medhold | fastholdt, gennemfoert | afbrudt, Ankestyrelsen's outcome",
    "resultat": "bevilget | delvist | afslag",
    "niveau": "a § 83 a course's level",
    "periode": "a frequency's period: uge | anden_uge | ...",
    "ramme": "timer_pr_uge | pakke (aeldrelov.py)",
    "pakke": "a helhedspleje package's code",
    "retningsgivende_maal": "udrede | udvikle | fastholde | lindre (the citizen's own goals, "
    "individuelle_maal, are sealed)",
    "mestringskapacitet": "lav | middel | hoej",
    "omraade": "an FSIII function area's code",
    "omraader": "FSIII function area codes of a change report or a revurdering",
    "tidsvindue": "a visit's time slot label: morgen | eftermiddag | ...",
    "aflyst_af": "borger | leverandoer | kommune",
    "kilde": "the system's origin of a revurdering task (e.g. aendringsindberetning:<id>)",
    "opgaver_udfoert": "task labels of the granted service; why one was not done is the "
    "sealed delvis_aarsag",
    "opgaver_ikke_udfoert": "task labels of the granted service, as above",
    # Timestamps kept as ISO strings.
    "som_kendt_pr": "the moment an aktindsigt answer is as of",
    "laest": "when a read happened in the service that published it",
    "cvr": "a provider's CVR number (a company's, from the public register)",
}

#: Names that are prose in some event: never declared by name, only per event below.
PROSA = frozenset(
    {
        "aarsag",
        "anmoder",
        "ansvarlig",
        "begrundelse",
        "bemaerkning",
        "beskrivelse",
        "delvis_aarsag",
        "formaal",
        "grund",
        "haendelse",
        "indhold",
        "individuel_begrundelse",
        "individuelle_maal",
        "klagevejledning",
        "navn",
        "omfang",
        "oplysninger",
        "svar",
        "undtaget",
    }
)

#: `Event.path`: fields with a prose name that hold a code or text the system writes in
#: this event (the event's own class name, whichever aggregate or part defines it).
PR_HAENDELSE: dict[str, str] = {
    "BestillingAfsluttet.aarsag": "ophør or leverandørskift code (OphoersAarsag)",
    "BevillingOphoert.aarsag": "ophør code (OphoersAarsag)",
    "BesoegPauset.aarsag": "set by the system: indlaeggelse",
    "BesoegAfsluttet.aarsag": "a period's copy of BestillingAfsluttet.aarsag (a code)",
    "Oprettet.maaned": "a period's month, YYYY-MM",
    "LeverandoerValgt.aarsag": "borgerens_valg | valgfrist_overskredet",
    "BestillingAfvist.aarsag": "refusal code (AfvisningsAarsag)",
    "BestillingAfvist.begrundelse": "written by the system from the provider register "
    "(afvisning.ikke_godkendt_begrundelse): provider, category, date",
    "BestillingAfvistNoteret.begrundelse": "the provider's refusal as published: system text",
    "LeveringSvigtet.aarsag": "written by the system: who cancelled and the deadline, never "
    "the cancellation's own reason (docs/personal-data.md)",
    "LeveringSvigtNoteret.aarsag": "visitation's copy of LeveringSvigtet.aarsag",
    "BesoegForgaeves.forgaeves.aarsag": "ikke_hjemme | ingen_adgang | usikre_forhold",
    "FuldmagtGivet.omfang[]": "what a fuldmagt covers: codes such as se_sagen",
    "FuldmagtNoteret.omfang[]": "the provider's copy of FuldmagtGivet.omfang",
    "AfgoerelseTruffet.afgoerelse.klagevejledning": "how to complain: the law's procedure "
    "from the municipality's template, the same for every citizen",
    "PersonoplysningerSlettet.grund": "the legal ground of an erasure: it must outlive the "
    "key it deletes, so it cannot be sealed under it; about the law, not the citizen",
    "AdgangRegistreret.formaal": "the reader's declared purpose in the security log, kept "
    "for the log's retention whatever the erasure (docs/personal-data.md)",
    "StabOprettet.medarbejdere[].navn": "an employee's name in the provider's staff "
    "register: about staff, not a citizen, so no citizen's key fits it",
    "StabFastlagt.medarbejdere[].navn": "as StabOprettet",
    "HaendelseRegistreret.haendelse{}": "a public envelope as received: its contract's free "
    "text (Fritekst) is sealed on receipt (RecordEverything), and every prose field of "
    "every contract must be marked (test_contract_personoplysninger.py)",
    "KvalitetsstandardGodkendt.indhold{}": "the municipality's quality standard: the same "
    "for every citizen",
    "AktindsigtBesvaret.undtaget[]{}": "written by the system: the withheld events' ids, "
    "types, dates and the legal reason",
    # The provider register (visitation's leverandoerregister.py, the provider's copy): about
    # companies and institutions the kommune approves, never about a citizen.
    "LeverandoerOprettet.navn": "a provider's (company's) name in the kommune's register",
    "LeverandoerOprettet.efter.navn": "as LeverandoerOprettet.navn",
    "LeverandoerGodkendt.efter.navn": "as LeverandoerOprettet.navn",
    "GodkendelseBegraenset.efter.navn": "as LeverandoerOprettet.navn",
    "GodkendelseTilbagekaldt.efter.navn": "as LeverandoerOprettet.navn",
    "RegisterNoteret.leverandoer.navn": "the provider's copy of LeverandoerOprettet.navn",
    "GodkendelseTilbagekaldt.begrundelse": "the kommune's reason for withdrawing a "
    "provider's approval: about the provider, published to partners "
    "(LeverandoerregisterAendret), never about a citizen",
}


def haendelsesklasser() -> list[type[Any]]:
    """Every event class defined in a service's domain or in shared/kernel."""
    for service in SERVICES:
        pakke = importlib.import_module(f"services.{service}.domain")
        for modul in pkgutil.iter_modules(pakke.__path__):
            importlib.import_module(f"services.{service}.domain.{modul.name}")
    for modul in pkgutil.iter_modules(shared.kernel.__path__):
        importlib.import_module(f"shared.kernel.{modul.name}")

    fundet: dict[str, type[Any]] = {}
    stak: list[type[Any]] = [CanMutateAggregate]
    while stak:
        for sub in stak.pop().__subclasses__():
            stak.append(sub)
            modul = sub.__module__
            if modul.startswith("shared.kernel.") or (
                modul.startswith("services.") and ".domain." in modul
            ):
                fundet[f"{modul}:{sub.__qualname__}"] = sub
    return [fundet[k] for k in sorted(fundet)]


def _tekst(tp: Any, sti: str, set_: frozenset[type[Any]]) -> Iterator[tuple[str, bool]]:
    """(path, sealed) of every place in a value of type `tp` that can hold a string."""
    origin = typing.get_origin(tp)
    if tp is Personoplysning:
        yield sti, True
    elif tp is str or tp is Any:
        yield sti, False
    elif origin in (Union, types.UnionType):
        for arg in typing.get_args(tp):
            yield from _tekst(arg, sti, set_)
    elif origin in (tuple, list, set, frozenset, collections.abc.Sequence):
        for arg in typing.get_args(tp):
            if arg is not Ellipsis:
                yield from _tekst(arg, f"{sti}[]", set_)
    elif origin is dict:
        yield from _tekst(typing.get_args(tp)[1], f"{sti}{{}}", set_)
    elif origin is typing.Literal or origin is typing.ClassVar:
        return  # a closed set in the type itself; or not a field
    elif isinstance(tp, type) and dataclasses.is_dataclass(tp) and tp not in set_:
        for navn, felt in typing.get_type_hints(tp).items():
            yield from _tekst(felt, f"{sti}.{navn}", set_ | {tp})
    elif isinstance(tp, type) and issubclass(tp, str):
        yield sti, False  # a str subclass can hold any text


def tekstfelter(cls: type[Any]) -> Iterator[tuple[str, bool]]:
    """`Event.path` and whether it is sealed, for every string place of an event class."""
    for navn, tp in typing.get_type_hints(cls).items():
        if navn not in BIBLIOTEK:
            for sti, forseglet in _tekst(tp, navn, frozenset()):
                yield f"{cls.__name__}.{sti}", forseglet


def _navn(sti: str) -> str:
    return sti.rsplit(".", 1)[-1].rstrip("[]{}")


def ikke_forseglet(cls: type[Any]) -> list[str]:
    """The event's string places that are neither sealed nor declared."""
    return [
        sti
        for sti, forseglet in tekstfelter(cls)
        if not forseglet
        and sti not in PR_HAENDELSE
        and not (_navn(sti) in KODER and _navn(sti) not in PROSA)
    ]


def test_every_text_field_of_every_event_is_sealed_or_declared() -> None:
    fejl = sorted(
        {f"{cls.__module__}: {sti}" for cls in haendelsesklasser() for sti in ikke_forseglet(cls)}
    )
    assert not fejl, "free text neither sealed (Personoplysning) nor declared:\n" + "\n".join(fejl)


def test_the_walk_reaches_every_service_and_the_fields_it_must_see_sealed() -> None:
    klasser = haendelsesklasser()
    for service in SERVICES:
        assert any(c.__module__.startswith(f"services.{service}.") for c in klasser), service
    forseglede = {sti for c in klasser for sti, forseglet in tekstfelter(c) if forseglet}
    assert {
        "AktindsigtAnmodet.anmoder",
        "AktindsigtAnmodet.omfang",
        "FundRegistreret.beskrivelse",
        "OpfoelgningOprettet.ansvarlig",
        "OpfoelgningLukket.bemaerkning",
        "AfgoerelseTruffet.afgoerelse.bevillinger[].individuel_begrundelse",
        "LeverandoerValgt.bevillinger[].individuel_begrundelse",
        "LeverandoerSkiftet.bevillinger[].individuel_begrundelse",
        "AnsoegningModtaget.anmodninger[].beskrivelse",
        "BesoegAflyst.aflysning.aarsag",
        "BorgerRegistreret.navn",
    } <= forseglede


def test_the_declarations_name_no_prose_and_nothing_that_is_gone() -> None:
    assert not set(KODER) & PROSA  # a prose name is declared per event, never everywhere
    steder = {sti for c in haendelsesklasser() for sti, _ in tekstfelter(c)}
    assert set(PR_HAENDELSE) <= steder, set(PR_HAENDELSE) - steder
    assert set(KODER) <= {_navn(s) for s in steder}, set(KODER) - {_navn(s) for s in steder}


class _Proeve(Aggregate):
    """A made-up aggregate with one plain free-text field beside sealed and declared ones."""

    @dataclasses.dataclass(frozen=True)
    class Note:
        tekst: str
        kladde: Personoplysning | None

    class Noteret(Aggregate.Event):
        sag_id: str
        kategori: str
        bemaerkning: Personoplysning
        noter: tuple[_Proeve.Note, ...]
        sti: Path | None
        dato: date


def test_the_walk_finds_a_plain_free_text_field_deep_in_a_value() -> None:
    assert ikke_forseglet(_Proeve.Noteret) == ["Noteret.noter[].tekst"]
    assert ("Noteret.noter[].kladde", True) in set(tekstfelter(_Proeve.Noteret))
