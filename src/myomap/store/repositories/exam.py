"""Queries over what a visit's examination recorded: drawings, palpation findings, and the
entries (findings, treatments, ROM, PPT) a draft can lose."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from myomap.store.orm import (
    OutcomeMeasurement,
    PainDrawingRecord,
    PptMeasurement,
    RomMeasurement,
    Treatment,
    TrPFinding,
    Visit,
)

# The kinds of entry a draft can lose and the table that holds each.
ENTRY_TABLES: dict[str, Any] = {
    "findings": TrPFinding,
    "treatments": Treatment,
    "rom": RomMeasurement,
    "ppt": PptMeasurement,
    "measurements": OutcomeMeasurement,
}


def entry(session: Session, kind: str, entry_id: int) -> Any | None:
    """One charted entry by id (``kind`` is a key of ENTRY_TABLES)."""
    return session.get(ENTRY_TABLES[kind], entry_id)


def findings_of(session: Session, visit_id: int) -> list[TrPFinding]:
    """The visit's palpation findings in the order they were recorded."""
    return list(
        session.scalars(
            select(TrPFinding).where(TrPFinding.visit_id == visit_id).order_by(TrPFinding.id)
        )
    )


def latest_drawing(session: Session, visit_id: int) -> dict[str, Any] | None:
    """The visit's most recent pain drawing document, or None."""
    row = session.scalars(
        select(PainDrawingRecord)
        .where(PainDrawingRecord.visit_id == visit_id)
        .order_by(PainDrawingRecord.recorded_at.desc(), PainDrawingRecord.id.desc())
    ).first()
    return dict(row.drawing) if row else None


def latest_drawing_elsewhere(
    session: Session, client_id: int, before_visit: int
) -> tuple[dict[str, Any], str] | None:
    """The latest pain drawing of the client's other live visits and its date."""
    found = session.execute(
        select(PainDrawingRecord.drawing, PainDrawingRecord.recorded_at)
        .join(Visit, Visit.id == PainDrawingRecord.visit_id)
        .where(Visit.client_id == client_id, Visit.id != before_visit, Visit.deleted_at.is_(None))
        .order_by(PainDrawingRecord.recorded_at.desc(), PainDrawingRecord.id.desc())
    ).first()
    if found is None:
        return None
    return dict(found[0]), found[1].date().isoformat()
