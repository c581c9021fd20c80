"""Who reads each field of the kvalitetsstandard: kept next to the model so a field no rule
reads is noticed (issue 16: `visitationsbesoeg_arbejdsdage` was accepted and never computed).

`tests/unit/test_katalog_laesere.py` walks every field of `Kvalitetsstandard` and its nested
models and requires each to be in exactly one of the three tables below; for a reader it
checks that the named file still contains the named expression, so removing the reader
(or renaming the field) fails the test until the table is updated.

A field may pass through several readers (the catalogue merges planning rules, the
provider's planner applies them): each step is listed.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Laeser:
    """`udtryk` occurs in the file `fil` (a path from the repository root) and reads the field."""

    fil: str
    udtryk: str


_V = "services/visitation"
_KRITERIER = f"{_V}/domain/kriterier.py"
_FRISTER = f"{_V}/domain/frister.py"
_AELDRELOV = f"{_V}/domain/aeldrelov.py"
_REHAB = f"{_V}/domain/rehabilitering_regler.py"
_MODEL = f"{_V}/catalogue/model.py"
_PLANNER = "services/provider/domain/planning.py"

#: "Model.field" -> the readers that turn it into behaviour.
LAESERE: dict[str, tuple[Laeser, ...]] = {
    "Kvalitetsstandard.kommune": (Laeser(f"{_V}/catalogue/loader.py", "standard.kommune"),),
    "Kvalitetsstandard.version": (Laeser(f"{_V}/catalogue/loader.py", "standard.version"),),
    "Kvalitetsstandard.titel": (Laeser(f"{_V}/api/katalog_routes.py", "titel=k.titel"),),
    "Kvalitetsstandard.gyldig_fra": (
        Laeser(f"{_V}/application/visitation_app.py", "standard.gyldig_fra"),
    ),
    "Kvalitetsstandard.frister": (
        Laeser(f"{_V}/application/visitation_app.py", "katalog.frister"),
    ),
    "Kvalitetsstandard.rehabilitering": (
        Laeser(f"{_V}/application/visitation_app.py", "katalog.rehabilitering"),
    ),
    "Kvalitetsstandard.helhedspleje": (Laeser(_AELDRELOV, "katalog.helhedspleje"),),
    "Kvalitetsstandard.planlaegning": (Laeser(_MODEL, "self.planlaegning.get("),),
    "Kvalitetsstandard.indsatser": (Laeser(_KRITERIER, "katalog.indsatser"),),
    "Frister.kvittering_arbejdsdage": (Laeser(_MODEL, "self.kvittering_arbejdsdage"),),
    "Frister.kvittering": (
        Laeser(_MODEL, "self.kvittering or"),
        Laeser(_FRISTER, "cfg.kvitteringsfrist()"),
    ),
    "Frister.visitationsbesoeg": (
        Laeser(_MODEL, "self.visitationsbesoeg is not None"),
        Laeser(_FRISTER, "cfg.visitationsbesoegsfrist()"),
    ),
    "Frister.afgoerelse": (
        Laeser(_MODEL, "self.afgoerelse.items()"),
        Laeser(_FRISTER, "cfg.afgoerelsesfrist(kategori)"),
    ),
    "Sagsfrist.vaerdi": (Laeser(_FRISTER, "frist.vaerdi"),),
    "Sagsfrist.enhed": (Laeser(_FRISTER, "frist.enhed"),),
    "Frister.visitationsbesoeg_arbejdsdage": (
        Laeser(_MODEL, "self.visitationsbesoeg_arbejdsdage"),
    ),
    "Frister.afgoerelse_personlig_uger": (Laeser(_MODEL, "self.afgoerelse_personlig_uger"),),
    "Frister.afgoerelse_praktisk_uger": (Laeser(_MODEL, "self.afgoerelse_praktisk_uger"),),
    "Frister.klagefrist_uger": (
        Laeser(f"{_V}/application/visitation_app.py", "katalog.frister.klagefrist_uger"),
    ),
    "Frister.genvurdering_uger": (Laeser(_FRISTER, "cfg.genvurdering_uger"),),
    "Frister.revurdering_maaneder": (Laeser(_FRISTER, "cfg.revurdering_maaneder"),),
    "Frister.leverandoervalg_dage": (
        Laeser(f"{_V}/application/bevillingskontrol.py", ".leverandoervalg_dage"),
    ),
    "Rehabilitering.min_uger": (Laeser(_REHAB, "rammer.min_uger"),),
    "Rehabilitering.max_uger": (Laeser(_REHAB, "rammer.max_uger"),),
    "Rehabilitering.niveauer": (Laeser(_REHAB, "rammer.niveauer"),),
    "Helhedspleje.fra": (Laeser(_AELDRELOV, "katalog.helhedspleje.fra"),),
    "Helhedspleje.kategorier": (Laeser(_AELDRELOV, "regler.kategorier"),),
    "Helhedspleje.rammer": (Laeser(_AELDRELOV, "regler.rammer"),),
    "Helhedspleje.pakker": (Laeser(_AELDRELOV, "regler.pakker"),),
    "Helhedspleje.max_timer_pr_uge": (Laeser(_AELDRELOV, "regler.max_timer_pr_uge"),),
    "Helhedspleje.lovgrundlag": (
        Laeser(f"{_V}/domain/afgoerelsesbrev.py", "katalog.helhedspleje.lovgrundlag"),
    ),
    # Planning rules: merged into one Planlaegningsregler per indsats, sent with the order,
    # and applied by the provider's planner.
    "Planlaegning.ugedage": (
        Laeser(_MODEL, "p.model_dump(exclude_none=True)"),
        Laeser(_PLANNER, "r.ugedage"),
    ),
    "Planlaegning.uden_for_ugedage": (
        Laeser(_MODEL, "p.model_dump(exclude_none=True)"),
        Laeser(_PLANNER, "r.uden_for_ugedage"),
    ),
    "Planlaegning.helligdage": (
        Laeser(_MODEL, "p.model_dump(exclude_none=True)"),
        Laeser(_PLANNER, "r.helligdage"),
    ),
    "Planlaegning.rytme_anker": (
        Laeser(_MODEL, "p.model_dump(exclude_none=True)"),
        Laeser(_PLANNER, "r.rytme_anker"),
    ),
    "Indsats.kode": (Laeser(_MODEL, "i.kode"),),
    "Indsats.fsiii_kode": (Laeser(_MODEL, "i.fsiii_kode"),),
    "Indsats.navn": (Laeser(_KRITERIER, "indsats.navn"),),
    "Indsats.lovgrundlag": (Laeser(f"{_V}/domain/afgoerelsesbrev.py", "entry.lovgrundlag"),),
    "Indsats.kategori": (Laeser(_KRITERIER, "indsats.kategori != b.kategori"),),
    "Indsats.kriterier": (Laeser(_KRITERIER, "indsats.kriterier"),),
    "Indsats.undtagelser": (Laeser(_KRITERIER, "i.undtagelser"),),
    "Indsats.iverksaettelsesfrist_dage": (Laeser(_KRITERIER, "indsats.iverksaettelsesfrist_dage"),),
    "Indsats.aflysningsfrist_dage_foer": (Laeser(_KRITERIER, "indsats.aflysningsfrist_dage_foer"),),
    "Indsats.erstatning_ved_rettidig_borgeraflysning": (
        Laeser(_KRITERIER, "indsats.erstatning_ved_rettidig_borgeraflysning"),
    ),
    "Indsats.erstatning_ved_leverandoeraflysning": (
        Laeser(_KRITERIER, "indsats.erstatning_ved_leverandoeraflysning"),
    ),
    "Indsats.erstatningsfrist_dage": (Laeser(_KRITERIER, "indsats.erstatningsfrist_dage"),),
    "Indsats.erstatningsfrist": (
        Laeser(_KRITERIER, 'katalog.loefte(indsats, "erstatningsfrist")'),
    ),
    "Leveringsloefter.erstatningsfrist": (
        Laeser(_KRITERIER, 'katalog.loefte(indsats, "erstatningsfrist")'),
    ),
    "Indsats.aflysningsvarsel": (
        Laeser(_KRITERIER, 'katalog.loefte(indsats, "aflysningsvarsel")'),
    ),
    "Leveringsloefter.aflysningsvarsel": (
        Laeser(_KRITERIER, 'katalog.loefte(indsats, "aflysningsvarsel")'),
    ),
    "Indsats.forsinkelsestolerance": (
        Laeser(_KRITERIER, 'katalog.loefte(indsats, "forsinkelsestolerance")'),
    ),
    "Leveringsloefter.forsinkelsestolerance": (
        Laeser(_KRITERIER, 'katalog.loefte(indsats, "forsinkelsestolerance")'),
    ),
    "Kvalitetsstandard.loefter": (Laeser(_MODEL, "self.loefter.get(indsats.kategori)"),),
    "Indsats.revurdering_maaneder": (Laeser(_FRISTER, "indsats.revurdering_maaneder"),),
    "Indsats.planlaegning": (Laeser(_MODEL, "indsats.planlaegning"),),
    # Proposed to the visitator (GET /sager/{id}/forslag); the grant sets its own.
    # Outside frit valg: only the kommune's own provider (kraev_frit_valg).
    "Indsats.frit_valg": (Laeser(_KRITERIER, "frit_valg=indsats.frit_valg"),),
    "Indsats.hyppighed": (Laeser(_KRITERIER, "standard = indsats.hyppighed"),),
    "Indsats.minutter": (Laeser(_KRITERIER, "minutter=indsats.minutter"),),
    "StandardHyppighed.antal": (Laeser(_KRITERIER, "standard.antal"),),
    "StandardHyppighed.periode": (Laeser(_KRITERIER, "standard.periode"),),
    "Kriterier.omraader": (Laeser(_KRITERIER, "indsats.kriterier.omraader"),),
    "Kriterier.minimum_opfyldt": (Laeser(_KRITERIER, "indsats.kriterier.minimum_opfyldt"),),
    "Kriterier.lav_mestringskapacitet_taeller": (
        Laeser(_KRITERIER, "indsats.kriterier.lav_mestringskapacitet_taeller"),
    ),
    "Kriterium.omraade": (Laeser(_KRITERIER, "k.omraade"),),
    "Kriterium.min_niveau": (Laeser(_KRITERIER, "k.min_niveau"),),
    "Loefte.vaerdi": (Laeser(_KRITERIER, "v.vaerdi"),),
    "Loefte.enhed": (Laeser(_KRITERIER, "v.enhed"),),
}

#: Fields that only describe (where a value comes from, what a visit comprises): no rule
#: is meant to read them.
DOKUMENTATION: dict[str, str] = {
    "Kvalitetsstandard.kilde": "the source document the file was modelled from",
    "Indsats.kilde": "where in the source document the indsats is described",
    "Indsats.opgavepakke": "what the visit comprises, in the standard's words",
}

#: Fields a rule should read and none does yet. Each is a known gap with its reason; the
#: strict xfail test over this table fails once it is empty or a gap gains a reader
#: without moving here to LAESERE.
IKKE_LAEST_ENDNU: dict[str, str] = {}
