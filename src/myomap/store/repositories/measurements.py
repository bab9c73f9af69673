"""Queries over outcome measurements, by client and by visit, in the order they were taken."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from myomap.store.orm import OutcomeMeasurement


def of_client(session: Session, client_id: int) -> list[OutcomeMeasurement]:
    """The client's outcome measurements in the order they were taken."""
    return list(
        session.scalars(
            select(OutcomeMeasurement)
            .where(OutcomeMeasurement.client_id == client_id)
            .order_by(OutcomeMeasurement.recorded_at, OutcomeMeasurement.id)
        )
    )


def of_visit(session: Session, visit_id: int) -> list[OutcomeMeasurement]:
    """The outcome measurements taken at the visit, in order."""
    return list(
        session.scalars(
            select(OutcomeMeasurement)
            .where(OutcomeMeasurement.visit_id == visit_id)
            .order_by(OutcomeMeasurement.recorded_at, OutcomeMeasurement.id)
        )
    )
