"""Small read queries over the record tables that more than one use case needs.

They return rows or plain values and hold no rule beyond "which row": the use cases in
:mod:`myomap.services` decide what the rows mean.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from myomap.domain.records import VisitSummary
from myomap.store.orm import Intake, PainDrawingRecord, TrPFinding, Visit


def latest_drawing(session: Session, visit_id: int) -> dict[str, Any] | None:
    """The visit's most recent pain drawing document, or None."""
    row = session.scalars(
        select(PainDrawingRecord)
        .where(PainDrawingRecord.visit_id == visit_id)
        .order_by(PainDrawingRecord.recorded_at.desc(), PainDrawingRecord.id.desc())
    ).first()
    return dict(row.drawing) if row else None


def latest_intake_answers(session: Session, client_id: int) -> dict[str, Any] | None:
    """The answers of the client's most recent intake, or None."""
    row = session.scalars(
        select(Intake)
        .where(Intake.client_id == client_id)
        .order_by(Intake.recorded_at.desc(), Intake.id.desc())
    ).first()
    return dict(row.answers) if row else None


def findings_of(session: Session, visit_id: int) -> list[TrPFinding]:
    """The visit's palpation findings in the order they were recorded."""
    return list(
        session.scalars(
            select(TrPFinding).where(TrPFinding.visit_id == visit_id).order_by(TrPFinding.id)
        )
    )


def visit_summary(row: Visit) -> VisitSummary:
    """The list view of a visit row (status, signer, practitioner, amendments)."""
    return VisitSummary(
        id=row.id,
        client_id=row.client_id,
        started_at=row.started_at,
        status=row.status,
        signed_at=row.signed_at,
        signed_by=row.signed_by,
        practitioner=row.practitioner.display_name if row.practitioner else None,
        amendment_count=len(row.amendments),
        deleted=row.deleted_at is not None,
        version=row.version,
    )
