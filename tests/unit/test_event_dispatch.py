"""The public mappings and the provider's work lists dispatch on the event's class
(functools.singledispatch), where they once ran isinstance chains in a fixed order.

The library redefines an aggregate's event classes for each aggregate class built on it
(`Bestilling.IndsatsLeveret` is a subclass of `Besoegsforloeb.IndsatsLeveret`), so what
a class maps to is decided by its MRO. These tests walk every event class of each
service's domain and check that each still maps to the event type the chains gave it: the
chains' classes are listed here as they were, and a class meeting none is unpublished.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
from types import ModuleType
from typing import Any

import pytest
from eventsourcing.domain import Aggregate, DomainEvent

from services.provider.adapters import public_events as provider_public
from services.provider.application.read_model import ProviderWorkLists
from services.provider.domain.afvisning import Bestillingsafvisning
from services.provider.domain.besoeg import Besoegsforloeb as Besoeg
from services.provider.domain.bestilling import Bestilling
from services.provider.domain.erstatning import Erstatningsforloeb as Erst
from services.provider.domain.forloeb import Bestillingsforloeb as Forl
from services.provider.domain.fuldmagt import Fuldmagtskopi
from services.provider.domain.helhedsplejeramme import Helhedsplejeramme
from services.provider.domain.notat import Besoegsnotat
from services.provider.domain.periode import Besoegsperiode
from services.visitation.adapters import public_events as visitation_public
from services.visitation.domain.ankestyrelsen import Ankedel
from services.visitation.domain.ansoegning import Ansoegningsdel as Ans
from services.visitation.domain.frister import UPUBLICEREDE_FRISTTYPER
from services.visitation.domain.fuldmagt import Fuldmagtsregister as Fm
from services.visitation.domain.klagesag import Klagesag
from services.visitation.domain.leverandoerregister import Leverandoer
from services.visitation.domain.meddelelse import Meddelelsesdel
from services.visitation.domain.noter import Bestillingskvittering, Fristoverskridelse
from services.visitation.domain.opfoelgning import Opfoelgningsdel as Opf
from services.visitation.domain.sag import Sag
from services.visitation.domain.valgfrist import Valgfristdel

#: The provider's chain before the registries: event type <- the classes it tested.
PROVIDER_PUBLISHED: dict[str, tuple[type[Any], ...]] = {
    "BestillingModtaget": (Bestilling.BestillingModtaget,),
    "BesoegPlanlagt": (Besoeg.BesoegPlanlagt,),
    "IndsatsLeveret": (Besoeg.IndsatsLeveret,),
    "BesoegAflyst": (Besoeg.BesoegAflyst,),
    "BesoegForgaeves": (Besoeg.BesoegForgaeves,),
    "ErstatningsbesoegPlanlagt": (Besoeg.ErstatningsbesoegPlanlagt,),
    "LeveringSvigtet": (Erst.LeveringSvigtet,),
    "BesoegPaabegyndt": (Besoeg.BesoegPaabegyndt,),
    "BesoegAfsluttet": (Besoeg.BesoegForladt,),
    "BesoegForsinket": (Besoeg.BesoegForsinket,),
    "BestillingAfsluttet": (Forl.BestillingAfsluttet,),
    "BesoegPauset": (Forl.BesoegPauset,),
    "BesoegGenoptaget": (Forl.BesoegGenoptaget,),
    "AendringIFunktionsevneIndberettet": (Forl.AendringIFunktionsevneIndberettet,),
    "BestillingAfvist": (Bestillingsafvisning.BestillingAfvist,),
}

#: Visitation's chain before the registries (the register's events by exact class).
VISITATION_PUBLISHED: dict[str, tuple[type[Any], ...]] = {
    "AnsoegningModtaget": (Sag.AnsoegningModtaget,),
    "FunktionsvurderingRegistreret": (Sag.FunktionsvurderingRegistreret,),
    "AfgoerelseTruffet": (Sag.AfgoerelseTruffet,),
    "KlageOprettet": (Sag.KlageOprettet, Klagesag.KlageOprettet),
    "FristOverskredet": (Sag.FristOverskredet, Fristoverskridelse.FristOverskredet),
    "KvitteringSendt": (Sag.KvitteringSendt,),
    "KlageGenvurderet": (Sag.KlageGenvurderet, Klagesag.KlageGenvurderet),
    "LeverandoerSkiftet": (Opf.LeverandoerSkiftet,),
    "BevillingOphoert": (Opf.BevillingOphoert,),
    "LeverandoerregisterAendret": (
        Leverandoer.LeverandoerOprettet,
        Leverandoer.LeverandoerGodkendt,
        Leverandoer.GodkendelseBegraenset,
        Leverandoer.GodkendelseTilbagekaldt,
    ),
    "FuldmagtGivet": (Fm.FuldmagtGivet,),
    "FuldmagtTilbagekaldt": (Fm.FuldmagtTilbagekaldt,),
    "BestillingKvitteret": (Sag.BestillingKvitteret, Bestillingskvittering.BestillingKvitteret),
    "SamtykkeRegistreret": (Ans.SamtykkeRegistreret,),
    "PartshoeringSendt": (Ans.PartshoeringSendt,),
    "PartshoeringBesvaret": (Ans.PartshoeringBesvaret,),
    "ManglendeMedvirkenNoteret": (Ans.ManglendeMedvirkenNoteret,),
    "AnsoegningTilbagetrukket": (Ans.AnsoegningTilbagetrukket,),
    "LeverandoerValgt": (Valgfristdel.LeverandoerValgt,),
    "AfgoerelseMeddelt": (Meddelelsesdel.AfgoerelseMeddelt,),
    "AnkestyrelsensAfgoerelse": (
        Ankedel.AnkestyrelsensAfgoerelseRegistreret,
        Klagesag.AnkestyrelsensAfgoerelseRegistreret,
    ),
}

#: The classes the work lists' chain folded; every other event changed nothing.
WORK_LISTS_FOLD: tuple[type[Any], ...] = (
    Bestilling.BestillingModtaget,
    Besoeg.BesoegPlanlagt,
    Besoeg.MedarbejderTildelt,
    Besoeg.IndsatsLeveret,
    Fuldmagtskopi.FuldmagtNoteret,
    Fuldmagtskopi.TilbagekaldelseNoteret,
    Besoeg.BesoegForgaeves,
    Besoeg.ErstatningsbesoegPlanlagt,
    Erst.LeveringSvigtet,
    Erst.ErstatningLeveret,
    Forl.BestillingAfsluttet,
    Forl.BesoegPauset,
    Forl.BesoegGenoptaget,
    Helhedsplejeramme.RammeModtaget,
    Besoeg.BesoegAflyst,
    Besoeg.BesoegPaabegyndt,
    Besoeg.BesoegForsinket,
    Besoegsnotat.NotatSkrevet,
    Besoegsperiode.Oprettet,
)


class _Vilkaarlig:
    """Any value: every attribute and call gives another, and it iterates as empty. The
    payload models are replaced by it too, so a mapping runs on an event of any class."""

    def __getattr__(self, name: str) -> _Vilkaarlig:
        return _Vilkaarlig()

    def __call__(self, *args: Any, **kwargs: Any) -> _Vilkaarlig:
        return _Vilkaarlig()

    def __iter__(self) -> Any:
        return iter(())


def event_classes(service: str) -> list[type[Any]]:
    """Every event class of a service's aggregates, the library's redefinitions included."""
    package = importlib.import_module(f"services.{service}.domain")
    found: set[type[Any]] = set()
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"services.{service}.domain.{info.name}")
        for aggregate in vars(module).values():
            if inspect.isclass(aggregate) and issubclass(aggregate, Aggregate):
                found |= {
                    c
                    for c in vars(aggregate).values()
                    if inspect.isclass(c) and issubclass(c, DomainEvent)
                }
    return sorted(found, key=lambda c: (c.__module__, c.__qualname__))


def event_of(cls: type[Any], **values: Any) -> Any:
    event = object.__new__(cls)
    for f in dataclasses.fields(cls):
        object.__setattr__(event, f.name, values.get(f.name, _Vilkaarlig()))
    return event


def published_as(cls: type[Any], published: dict[str, tuple[type[Any], ...]]) -> str | None:
    """The event type the chain gave `cls`: the one whose classes it descends from (there
    is at most one, so the chain's order never mattered), None for none."""
    types = [t for t, classes in published.items() if issubclass(cls, classes)]
    assert len(types) <= 1, (cls, types)
    return types[0] if types else None


@pytest.mark.parametrize(
    ("service", "mapping", "published", "count"),
    [
        ("provider", provider_public, PROVIDER_PUBLISHED, 56),
        ("visitation", visitation_public, VISITATION_PUBLISHED, 39),
    ],
)
def test_every_event_class_maps_to_the_event_type_it_did(
    monkeypatch: pytest.MonkeyPatch,
    service: str,
    mapping: ModuleType,
    published: dict[str, tuple[type[Any], ...]],
    count: int,
) -> None:
    monkeypatch.setattr(mapping, "v1", _Vilkaarlig())
    seen = 0
    for cls in event_classes(service):
        draft = mapping.to_public(event_of(cls))
        assert (None if draft is None else draft.event_type) == published_as(cls, published), cls
        seen += draft is not None
    assert seen == count  # the redefinitions (Bestilling.IndsatsLeveret, ...) included


def test_a_deadline_type_v1_cannot_name_stays_unpublished(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(visitation_public, "v1", _Vilkaarlig())
    for cls in (Sag.FristOverskredet, Fristoverskridelse.FristOverskredet):
        for fristtype in UPUBLICEREDE_FRISTTYPER:
            assert visitation_public.to_public(event_of(cls, fristtype=fristtype)) is None


@pytest.mark.parametrize(
    "registry",
    [
        provider_public.to_public.registry,
        visitation_public.to_public.registry,
        ProviderWorkLists.__dict__["apply"].dispatcher.registry,
    ],
    ids=["provider", "visitation", "work lists"],
)
def test_no_event_class_meets_two_registered_classes(registry: Any) -> None:
    """Two would make the dispatch pick by MRO where the chain picked by order."""
    registered = [c for c in registry if c is not object]
    for service in ("provider", "visitation"):
        for cls in event_classes(service):
            assert len([r for r in registered if issubclass(cls, r)]) <= 1, cls


def test_the_work_lists_fold_the_classes_their_chain_did() -> None:
    registry = ProviderWorkLists.__dict__["apply"].dispatcher.registry
    assert set(registry) - {object} == set(WORK_LISTS_FOLD)
