"""Visitation's application: the unit of persistence and the commands a visitator gives."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from services.visitation.application.klager import Klagebehandling
from services.visitation.application.leverandoerer import Leverandoerregistrering
from services.visitation.application.sagsbehandling import Sagsbehandling
from services.visitation.application.sagsnoter import Sagsnoter
from services.visitation.catalogue import loader
from services.visitation.catalogue.kommune import Kommune
from services.visitation.catalogue.model import Kvalitetsstandard, Rehabilitering
from services.visitation.domain.aeldrelov import foedselsdato_fra_cpr
from services.visitation.domain.borger import Borger, BorgerIndeks
from services.visitation.domain.cpr import normaliseret_cpr
from services.visitation.domain.kalender import STANDARDKALENDER, Arbejdskalender
from services.visitation.domain.katalog import KatalogRegister
from services.visitation.domain.kriterier import Kriterievurdering, foreslaa
from services.visitation.domain.meddelelse import KLAGEFRIST_UGER, Meddelelse
from services.visitation.domain.opfoelgning import Opfoelgningsdel
from services.visitation.domain.rehabilitering_regler import Rehabiliteringsforloeb
from services.visitation.domain.sag import Sag
from services.visitation.domain.values import (
    VALUE_TYPES,
    Afgoerelse,
    Anmodning,
    Funktionsvurdering,
)
from shared.infra.aggregatopslag import hent_eller_ikke_fundet, hent_eller_none
from shared.infra.eventstore import ConcurrentChange
from shared.infra.service_app import ServiceApplication
from shared.kernel import Aktoer, NotFound
from shared.kernel.lukkedage import Lukkedage
from shared.kernel.personoplysning import Personoplysning

T = TypeVar("T")
#: Events the consumer and the clock check wrote to the case before their notes moved
#: beside it (noter.py); a process still running that code during an upgrade may write them
#: between a command's load and save. No command's rules read them.
SYSTEMHAENDELSER = (
    Sag.BestillingKvitteret,
    Sag.FristOverskredet,
    Opfoelgningsdel.LeveringSvigtNoteret,
    Opfoelgningsdel.BestillingAfvistNoteret,
)


class VisitationApplication(
    Sagsbehandling, Klagebehandling, Sagsnoter, Leverandoerregistrering, ServiceApplication
):
    name = "visitation"
    value_types = VALUE_TYPES

    def efter_start(self) -> None:
        # CPR numbers and names are personal data: without a key store they are not stored.
        assert self.keys is not None
        self._cpr_indeks_noegle = self.keys.derived_key("cpr-indeks")
        self._start_leverandoerregister()

    @property
    def kommune(self) -> str:
        """The municipality this service decides for (BUM_KOMMUNE, default herlev)."""
        return self.settings.kommune

    @property
    def katalog_dir(self) -> Path:
        return self.settings.katalog_dir or loader.DATA_DIR

    @property
    def kommunedata(self) -> Kommune:
        """Name, address, closed days and schedule from `<katalog_dir>/<kommune>/kommune.yaml`
        (read when asked, so an edited file counts from the next request)."""
        return loader.load_kommune(self.kommune, self.katalog_dir)

    @property
    def kalender(self) -> Arbejdskalender:
        """The working days every deadline of this kommune counts. Without a kommune file
        the deadlines still run, on weekdays minus public holidays (no closed days): a
        missing file must not stop the deadline check or the consumer of provider events.
        The letter, which must be signed, refuses instead (kommunedata)."""
        try:
            return self.kommunedata.kalender()
        except NotFound:
            return STANDARDKALENDER

    # -- kvalitetsstandard ---------------------------------------------------------------
    def godkend_kvalitetsstandard(
        self, kommune: str, version: str, godkendt_dato: date, aktoer: Aktoer
    ) -> Kvalitetsstandard:
        """KvalitetsstandardGodkendt: the file's validated content becomes binding."""
        # An invalid file is the municipality's rule text being wrong: the API refuses it
        # with every bad field's path (loader.KatalogFilUgyldig).
        standard = loader.load_checked(kommune, version, self.katalog_dir)
        if kommune == self.kommune:
            # The kommune's own schedule (kommune.yaml) says from when a version is in force;
            # it overrides the date the standard's text was written with.
            fra = self.kommunedata.ikrafttraeden(version)
            if fra is not None and fra != standard.gyldig_fra:
                standard = standard.model_copy(update={"gyldig_fra": fra})
        register = self._katalog_register(kommune)
        if register is None:
            register = KatalogRegister(kommune)
        register.godkend(
            standard, loader.fingerprint(standard), godkendt_dato, aktoer, self.ur.now()
        )
        self.save(register)
        return standard

    def _katalog_register(self, kommune: str) -> KatalogRegister | None:
        return hent_eller_none(self.repository, KatalogRegister.create_id(kommune), KatalogRegister)

    def godkendte_versioner(self, kommune: str) -> dict[str, date]:
        register = self._katalog_register(kommune)
        return {} if register is None else dict(register.gyldig_fra)

    def gaeldende_kvalitetsstandard(self, dato: date) -> Kvalitetsstandard | None:
        register = self._katalog_register(self.kommune)
        return None if register is None else register.gaeldende(dato)

    def kvalitetsstandard(self, katalog_version: str) -> Kvalitetsstandard:
        """An approved version as it was approved (what a decision's legal basis was)."""
        kommune = katalog_version.rsplit("-", 1)[0]
        register = self._katalog_register(kommune)
        standard = None if register is None else register.standard(katalog_version)
        if standard is None:
            raise NotFound("kvalitetsstandard", katalog_version)
        return standard

    def forslag(self, sag_id: UUID, dato: date) -> tuple[str | None, list[Kriterievurdering]]:
        """Which indsatser the latest assessment qualifies for under the standard in force."""
        sag = self.hent_sag(sag_id)
        katalog = self.gaeldende_kvalitetsstandard(dato)
        if katalog is None:
            return None, []
        vurdering = sag.vurderinger[-1] if sag.vurderinger else None
        return katalog.katalog_version, foreslaa(katalog, vurdering)

    # -- commands ------------------------------------------------------------------
    def modtag_ansoegning(
        self,
        cpr: str,
        navn: str,
        modtaget_dato: date,
        kanal: str,
        henvendelse_fra: str,
        anmodninger: tuple[Anmodning, ...],
        aktoer: Aktoer,
    ) -> Sag:
        """Ansøgning modtaget. Registers the citizen on first contact."""
        tidspunkt = self.ur.now()
        to_save: list[Borger | BorgerIndeks | Sag] = []
        # One spelling per number before the keyed hash: one person, one borger id.
        cpr = normaliseret_cpr(cpr)
        indeks_id = BorgerIndeks.id_for(cpr, self._cpr_indeks_noegle)
        indeks: BorgerIndeks | None
        try:
            indeks = self.repository.get(indeks_id)
        except AggregateNotFoundError:
            indeks = None
        assert self.keys is not None
        if indeks is not None and not self.keys.is_erased(str(indeks.borger_id)):
            borger_id = indeks.borger_id
        else:
            # First contact, or a citizen whose earlier data was erased: a new record (text
            # under the erased key could never be read again).
            borger_id = uuid.uuid4()
            borger = Borger(
                borger_id=borger_id,
                cpr=Personoplysning.af(borger_id, cpr),
                navn=Personoplysning.af(borger_id, navn),
                aktoer=aktoer,
                occurred_at=tidspunkt,
            )
            if indeks is None:
                indeks = BorgerIndeks(indeks_id=indeks_id, borger_id=borger_id)
            else:
                indeks.omregistrer(borger_id)
            to_save += [borger, indeks]
        sag = Sag.modtag_ansoegning(
            borger_id, modtaget_dato, kanal, henvendelse_fra, anmodninger, aktoer, tidspunkt
        )
        to_save.append(sag)
        self.save(*to_save)
        return sag

    def _kommando(self, sag_id: UUID, command: Callable[[Sag], T]) -> T:
        """Run a command on the case and save it.

        If the save loses a race only against system events that no rule depends on (an
        order acknowledgement from the provider, a missed-deadline note), the command is run
        again on the fresh case instead of answering 409; a race against a visitator's
        change still raises IntegrityError (409). The case's one writer runs it, on the
        case kept in memory (EventStoreApplication.run_command).
        """
        return self.run_command(sag_id, lambda: self._kommando_paa_sagen(sag_id, command))

    def _kommando_paa_sagen(self, sag_id: UUID, command: Callable[[Sag], T]) -> T:
        for _ in range(3):
            sag = self.hent_sag(sag_id)
            seen = sag.version
            result = command(sag)
            try:
                self.save(sag)
                return result
            except IntegrityError:
                between = list(self.repository.event_store.get(sag_id, gt=seen))
                if not between or not all(isinstance(e, SYSTEMHAENDELSER) for e in between):
                    raise
        raise ConcurrentChange(sag_id, self.hent_sag(sag_id).version)

    def registrer_funktionsvurdering(
        self, sag_id: UUID, vurdering: Funktionsvurdering, aktoer: Aktoer
    ) -> None:
        self._kommando(
            sag_id, lambda sag: sag.registrer_funktionsvurdering(vurdering, aktoer, self.ur.now())
        )

    def traef_afgoerelse(
        self,
        sag_id: UUID,
        afgoerelse: Afgoerelse,
        aktoer: Aktoer,
        partshoering_paakraevet: bool = False,
    ) -> Afgoerelse:
        katalog = self.gaeldende_kvalitetsstandard(afgoerelse.truffet_dato)
        lukkedage = self._lukkedage()

        def afgoer(sag: Sag) -> Afgoerelse:
            # Ældreloven turns on the citizen's age: the birth date is read from the CPR
            # number here and never stored beside it (on the case the command holds, not
            # a replay of its own).
            foedselsdato = foedselsdato_fra_cpr(self.hent_borger(sag.borger_id).cpr.vis())
            return sag.traef_afgoerelse(
                afgoerelse,
                aktoer,
                self.ur.now(),
                katalog,
                partshoering_paakraevet,
                foedselsdato,
                klagesager=self.klagesager(sag.id),  # their reopenings, as read now
                leverandoerer=self.leverandoerregister,
                lukkedage=lukkedage,
            )

        return self._kommando(sag_id, afgoer)

    def _lukkedage(self) -> Lukkedage | None:
        """The kommune's own closed days (kommune.yaml) for the grants' delivery rules; none
        without a kommune file, as `kalender`."""
        try:
            return self.kommunedata.lukkedage.som_vaerdi()
        except NotFound:
            return None

    def _afgoerelsens_katalog(self, sag: Sag, index: int) -> Kvalitetsstandard | None:
        """The approved standard a decision was made under (its klagefrist), if any."""
        if not sag.afgoerelser:
            return None
        version = sag.afgoerelser[index].katalog_version
        return self.kvalitetsstandard(version) if version else None

    def meddel_afgoerelse(
        self, sag_id: UUID, nr: int, meddelt_dato: date, kanal: str, aktoer: Aktoer
    ) -> tuple[Meddelelse, date]:
        """AfgoerelseMeddelt: decision `nr` (1-based) reached the citizen on `meddelt_dato`
        through `kanal`; returns the notice and the klagefrist that now runs from it."""
        kalender = self.kalender

        def meddel(sag: Sag) -> tuple[Meddelelse, date]:
            if not 1 <= nr <= len(sag.afgoerelser):
                raise NotFound("afgoerelse", nr)
            afgoerelse = sag.afgoerelser[nr - 1]
            katalog = self._afgoerelsens_katalog(sag, nr - 1)
            m = sag.meddel_afgoerelse(
                afgoerelse.afgoerelse_id,
                meddelt_dato,
                kanal,
                aktoer,
                self.ur.now(),
                klagefrist_uger=katalog.frister.klagefrist_uger if katalog else KLAGEFRIST_UGER,
                kalender=kalender,
            )
            return m, m.klagefrist

        return self._kommando(sag_id, meddel)

    def send_kvittering(
        self, sag_id: UUID, dato: date, forventet_afgoerelse: date | None, aktoer: Aktoer
    ) -> None:
        self._kommando(
            sag_id,
            lambda sag: sag.send_kvittering(dato, forventet_afgoerelse, aktoer, self.ur.now()),
        )

    # -- § 83 a -------------------------------------------------------------------------
    def vurder_rehabilitering(
        self, sag_id: UUID, dato: date, kan_forbedre: bool, begrundelse: str, aktoer: Aktoer
    ) -> None:
        self._kommando(
            sag_id,
            lambda sag: sag.vurder_rehabilitering(
                dato, kan_forbedre, begrundelse, aktoer, self.ur.now()
            ),
        )

    def bevilg_rehabiliteringsforloeb(
        self,
        sag_id: UUID,
        bevilget_dato: date,
        niveau: str,
        startdato: date,
        uger: int,
        retningsgivende_maal: str,
        individuelle_maal: tuple[str, ...],
        leverandoer_id: str,
        aktoer: Aktoer,
    ) -> Rehabiliteringsforloeb:
        """The course's bounds (weeks, levels) come from the standard in force, if any."""
        katalog = self.gaeldende_kvalitetsstandard(bevilget_dato)
        rammer = katalog.rehabilitering if katalog is not None else Rehabilitering()
        version = katalog.katalog_version if katalog is not None else None
        forloeb_id = uuid.uuid4()
        return self._kommando(
            sag_id,
            lambda sag: sag.bevilg_rehabiliteringsforloeb(
                forloeb_id,
                bevilget_dato,
                niveau,
                startdato,
                uger,
                retningsgivende_maal,
                individuelle_maal,
                leverandoer_id,
                rammer,
                version,
                aktoer,
                self.ur.now(),
                leverandoerer=self.leverandoerregister,
            ),
        )

    def aendr_rehabiliteringsmaal(
        self,
        sag_id: UUID,
        forloeb_id: UUID,
        dato: date,
        individuelle_maal: tuple[str, ...],
        aftalt_med_borgeren: bool,
        aktoer: Aktoer,
    ) -> None:
        self._kommando(
            sag_id,
            lambda sag: sag.aendr_rehabiliteringsmaal(
                forloeb_id, dato, individuelle_maal, aftalt_med_borgeren, aktoer, self.ur.now()
            ),
        )

    def afslut_rehabiliteringsforloeb(
        self,
        sag_id: UUID,
        forloeb_id: UUID,
        dato: date,
        udfald: str,
        begrundelse: str,
        aktoer: Aktoer,
    ) -> None:
        self._kommando(
            sag_id,
            lambda sag: sag.afslut_rehabiliteringsforloeb(
                forloeb_id, dato, udfald, begrundelse, aktoer, self.ur.now()
            ),
        )

    # -- follow-up -----------------------------------------------------------------------
    def skift_leverandoer(
        self, sag_id: UUID, kategori: str, til: str, anmodet_dato: date, aktoer: Aktoer
    ) -> date:
        return self._kommando(
            sag_id,
            lambda sag: sag.skift_leverandoer(
                kategori,
                til,
                anmodet_dato,
                aktoer,
                self.ur.now(),
                leverandoerer=self.leverandoerregister,
            ),
        )

    def ophoer_bevillinger(
        self,
        sag_id: UUID,
        bevilling_ids: tuple[UUID, ...],
        ophoersdato: date,
        aarsag: str,
        aktoer: Aktoer,
    ) -> tuple[UUID, ...]:
        return self._kommando(
            sag_id,
            lambda sag: sag.ophoer_bevillinger(
                bevilling_ids, ophoersdato, aarsag, aktoer, self.ur.now()
            ),
        )

    # -- queries ---------------------------------------------------------------------
    def hent_sag(self, sag_id: UUID) -> Sag:
        return hent_eller_ikke_fundet(self.repository, sag_id, Sag, "sag")

    def hent_borger(self, borger_id: UUID) -> Borger:
        try:
            borger: Borger = self.repository.get(borger_id)
        except AggregateNotFoundError:
            raise NotFound("borger", borger_id) from None
        return borger
