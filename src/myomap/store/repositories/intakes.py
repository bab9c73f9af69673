"""Queries over intakes: the screening answers and decisions recorded for a client."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from myomap.store.orm import Intake


def of_client(session: Session, client_id: int) -> list[Intake]:
    """The client's intakes, oldest first."""
    return list(
        session.scalars(
            select(Intake)
            .where(Intake.client_id == client_id)
            .order_by(Intake.recorded_at, Intake.id)
        )
    )


def latest(session: Session, client_id: int) -> Intake | None:
    """The client's most recent intake, or None."""
    return session.scalars(
        select(Intake)
        .where(Intake.client_id == client_id)
        .order_by(Intake.recorded_at.desc(), Intake.id.desc())
    ).first()


def latest_answers(session: Session, client_id: int) -> dict[str, object] | None:
    """The answers of the client's most recent intake, or None."""
    row = latest(session, client_id)
    return dict(row.answers) if row else None


def self_reported(session: Session, client_ids: Iterable[int]) -> list[tuple[int, str, datetime]]:
    """(client id, decision, time) of the intakes the clients answered themselves, oldest first."""
    return [
        (int(cid), str(decision), at)
        for cid, decision, at in session.execute(
            select(Intake.client_id, Intake.decision, Intake.recorded_at)
            .where(Intake.client_id.in_(set(client_ids)), Intake.recorded_by == "client")
            .order_by(Intake.recorded_at, Intake.id)
        ).all()
    ]
