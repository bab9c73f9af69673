"""Small read queries over the record tables that more than one use case needs.

They return rows or plain values and hold no rule beyond "which row": the use cases in
:mod:`myomap.services` decide what the rows mean.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import String, cast, select
from sqlalchemy.orm import Session

from myomap.domain.records import VisitSummary
from myomap.store.orm import Intake, PainDrawingRecord, TrPFinding, Visit
from myomap.store.orm_portal import DiaryEntry


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


def latest_client_drawing(
    session: Session, client_id: int
) -> tuple[dict[str, Any], datetime, str] | None:
    """The newest drawing the client sent from their own pages (with an intake or a diary
    entry): the document, when, and ``"intake"`` or ``"diary"``; None when there is none.

    A diary entry without a drawing may hold JSON ``null`` rather than SQL NULL, so both are
    excluded (the text cast works the same on SQLite and PostgreSQL).
    """
    found: list[tuple[dict[str, Any], datetime, str]] = []
    for column, when, source, owner in (
        (Intake.drawing, Intake.recorded_at, "intake", Intake.client_id),
        (DiaryEntry.drawing, DiaryEntry.at, "diary", DiaryEntry.client_id),
    ):
        row = session.execute(
            select(column, when)
            .where(owner == client_id, column.is_not(None), cast(column, String) != "null")
            .order_by(when.desc())
            .limit(1)
        ).first()
        if row is not None and isinstance(row[0], dict):
            found.append((dict(row[0]), row[1], source))
    return max(found, key=lambda f: f[1], default=None)


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
