"""Exports: a client's record as a FHIR R4 Bundle, and measures and drawings as CSV.

The CSV folder re-imports losslessly: exporting, importing into an empty store and exporting
again gives the same files. Derived columns (item totals, bands, CHOIR and Michigan ids, pain
extent) are written for analysis and recomputed, not trusted, on import.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from myomap.domain.actor import OPERATOR, Actor
from myomap.domain.crosswalk import Target
from myomap.domain.drawing import PainDrawing
from myomap.domain.errors import ConflictError, DataError, UsageError
from myomap.domain.outcomes import Catalogue, score
from myomap.domain.raster import build_template, coverage_by_region, extent_percent
from myomap.fhir import DrawingFacts, RecordSnapshot, as_transaction, build_bundle
from myomap.knowledge.loader import (
    atlas_version,
    load_atlas,
    load_bodymap,
    load_crosswalk,
    load_geometry,
)
from myomap.services.clients import get_client, list_clients
from myomap.services.csv_format import FILES, LIST_SEP, CsvSummary
from myomap.services.csv_import import import_folder
from myomap.services.csv_import import refs_in as refs
from myomap.services.installation import installation_id
from myomap.services.visits import show_visit

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from myomap.domain.raster import Template
    from myomap.domain.records import ClientDetail, VisitDetail
    from myomap.fhir import DrawingFacts, RecordSnapshot

# --- shared helpers ------------------------------------------------------------------------


@lru_cache(maxsize=1)
def template() -> Template:
    return build_template(load_geometry())


def drawing_facts(drawing: Mapping[str, Any]) -> DrawingFacts:
    """Pain extent (percent of the equal-area chart) and CHOIR ids of a stored drawing."""
    parsed = PainDrawing.model_validate(drawing)
    tpl = template()
    extent = extent_percent(coverage_by_region(parsed, tpl), tpl)
    choir = load_crosswalk().export_drawing(parsed, Target.CHOIR)
    return DrawingFacts(extent, tuple(choir))


def client_visits(session: Session, client: ClientDetail) -> list[VisitDetail]:
    return [show_visit(session, v.id) for v in client.visits if not v.deleted]


# --- FHIR ----------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def trp_labels() -> dict[str, str]:
    """Trigger point id -> the name a reader knows (muscle and trigger point, as the atlas
    words them), for exports and reports that must never show ids like ``trapezius.tp1``."""
    out: dict[str, str] = {}
    for muscle in load_atlas().muscles:
        for tp in muscle.trigger_points:
            first = muscle.name.split()[0].lower()
            out[tp.id] = tp.name if first in tp.name.lower() else f"{muscle.name}: {tp.name}"
    return out


def snapshot(
    session: Session,
    client_id: int,
    catalogue: Catalogue,
    exported_at: datetime | None = None,
    *,
    scope: Actor = OPERATOR,
) -> RecordSnapshot:
    client = get_client(session, client_id, include_deleted=False, scope=scope)
    visits = client_visits(session, client)
    facts = {d.id: drawing_facts(d.drawing) for v in visits for d in v.drawings}
    labels = {r.id: r.label for r in load_bodymap()}
    return RecordSnapshot(
        client=client,
        visits=visits,
        catalogue=catalogue,
        atlas_version=atlas_version(),
        installation=installation_id(session),
        region_labels=labels,
        trp_labels=trp_labels(),
        drawings=facts,
        exported_at=exported_at,
    )


def validate_bundle(bundle: Mapping[str, Any]) -> None:
    """Check the Bundle against the FHIR models; messages name the element, never its value."""
    from fhir.resources.R4B.bundle import Bundle
    from pydantic import ValidationError

    try:
        Bundle.model_validate(dict(bundle))
    except ValidationError as exc:
        where = "; ".join(
            ".".join(str(p) for p in e["loc"]) + f" ({e['type']})" for e in exc.errors()[:5]
        )
        raise DataError(f"the FHIR export failed validation at: {where}") from None


def export_fhir(
    session: Session,
    client_id: int,
    catalogue: Catalogue,
    exported_at: datetime | None = None,
    *,
    transaction: bool = False,
    scope: Actor = OPERATOR,
) -> dict[str, Any]:
    """A client's record as a ``collection`` Bundle, or with ``transaction`` as the
    conditional-create transaction a FHIR server's base endpoint takes."""
    bundle = build_bundle(snapshot(session, client_id, catalogue, exported_at, scope=scope))
    if transaction:
        bundle = as_transaction(bundle)
    validate_bundle(bundle)
    return bundle


# --- CSV export ----------------------------------------------------------------------------


def _num(value: float | None) -> str:
    if value is None:
        return ""
    value = float(value)
    return str(int(value)) if value.is_integer() else repr(value)


def _when(value: datetime | None) -> str:
    return value.isoformat() if value else ""


def _client_ref(client: ClientDetail) -> str:
    return client.external_ref or f"client-{client.id}"


def export_csv(
    session: Session,
    folder: Path,
    catalogue: Catalogue,
    *,
    overwrite: bool = False,
    client_ids: Collection[int] | None = None,
) -> CsvSummary:
    """Write the six CSV files for every client in the store (deleted records left out).

    ``client_ids`` limits the export to those clients, so a clinic exports only its own.
    """
    if folder.exists() and not folder.is_dir():
        raise UsageError(
            f"{folder} is a file, not a folder; give a folder for the CSV files "
            "(it is created if missing)"
        )
    existing = [name for name in FILES if (folder / name).exists()]
    if existing and not overwrite:
        raise ConflictError(
            f"{folder} already holds {', '.join(existing)}; choose an empty "
            "folder or pass --overwrite"
        )
    rows: dict[str, list[list[str]]] = {name: [] for name in FILES}
    crosswalk = load_crosswalk()
    for summary in list_clients(session):
        if client_ids is not None and summary.id not in client_ids:
            continue
        client = get_client(session, summary.id, include_deleted=False)
        cref = _client_ref(client)
        rows["clients.csv"].append(
            [cref, client.display_name, _num(client.birth_year), client.sex or ""]
        )
        visit_refs: dict[int, str] = {}
        for n, visit in enumerate(client_visits(session, client), start=1):
            vref = f"{cref}/{n}"
            visit_refs[visit.id] = vref
            rows["visits.csv"].append(
                [
                    vref,
                    cref,
                    _when(visit.started_at),
                    visit.practitioner or "",
                    visit.status,
                    _when(visit.signed_at),
                    visit.signed_by or "",
                    *(
                        visit.soap[name].original
                        for name in ("subjective", "objective", "assessment", "plan")
                    ),
                ]
            )
            for d in visit.drawings:
                parsed = PainDrawing.model_validate(d.drawing)
                facts = drawing_facts(d.drawing)
                rows["drawings.csv"].append(
                    [
                        vref,
                        json.dumps(d.drawing, sort_keys=True, ensure_ascii=False),
                        LIST_SEP.join(
                            r for a in parsed.areas if a.intensity > 0 for r in a.regions
                        ),
                        LIST_SEP.join(str(i) for i in facts.choir_ids),
                        LIST_SEP.join(
                            str(i) for i in crosswalk.export_drawing(parsed, Target.MICHIGAN)
                        ),
                        f"{facts.extent_percent:.2f}" if facts.extent_percent is not None else "",
                    ]
                )
            for p in visit.ppt:
                rows["ppt.csv"].append(
                    [
                        vref,
                        p.site,
                        p.side,
                        LIST_SEP.join(_num(t) for t in p.trials_kpa),
                        _num(p.mean_kpa),
                    ]
                )
            for r in visit.rom:
                rows["rom.csv"].append([vref, r.movement, r.side, _num(r.degrees)])
        for m in client.measurements:
            if m.visit_id is not None and m.visit_id not in visit_refs:
                continue  # belongs to a deleted visit
            band = None
            if m.instrument in catalogue.instruments:
                try:
                    band = score(catalogue.instruments[m.instrument], m.answers).band
                except UsageError:
                    band = None
            rows["measurements.csv"].append(
                [
                    cref,
                    visit_refs.get(m.visit_id, "") if m.visit_id else "",
                    m.instrument,
                    _when(m.recorded_at),
                    LIST_SEP.join("-" if a is None else _num(a) for a in m.answers),
                    _num(m.total),
                    band or "",
                ]
            )
    folder.mkdir(parents=True, exist_ok=True)
    result = CsvSummary(folder)
    for name, header in FILES.items():
        with (folder / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(rows[name])
        result.rows[name] = len(rows[name])
    return result


# --- CSV import (myomap.services.csv_import) ------------------------------------------------


def import_csv(
    session: Session, folder: Path, catalogue: Catalogue, *, actor: str = "import"
) -> CsvSummary:
    """Create the clients of a CSV folder that the store does not hold yet, with their visits,
    drawings, PPT, ROM and measurements, in the caller's transaction (all or nothing)."""
    return import_folder(session, folder, catalogue, actor=actor)


def refs_in(folder: Path) -> Sequence[str]:
    """Client references in a CSV folder (for messages and tests)."""
    return refs(folder)
