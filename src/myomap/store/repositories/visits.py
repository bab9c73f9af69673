"""Queries over visits: by id within an actor's scope, the row lock for a change, a client's open
draft, the clinic's worklist, and the screening overrides recorded on a visit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from myomap.domain.actor import Actor, RecordNotFound
from myomap.domain.records import VisitSummary
from myomap.store.orm import (
    Client,
    HomeCarePlan,
    Practitioner,
    ScreeningOverride,
    Visit,
    utcnow,
)
from myomap.store.repositories.named import id_named


def get(session: Session, visit_id: int) -> Visit | None:
    """The visit row whatever its clinic (the caller applies a scope), or None."""
    return session.get(Visit, visit_id)


# Built once: loader options are immutable, and building them is a visible share of a write.
_WITH_SUMMARY = (
    joinedload(Visit.client),
    joinedload(Visit.practitioner),
    joinedload(Visit.amendments),
)


def in_scope(session: Session, actor: Actor, visit_id: int) -> Visit:
    """The visit if its client is in the actor's scope, deleted or not; another clinic's visit
    raises the same :class:`RecordNotFound` as an id that does not exist. Read in one statement
    with its client (for that check) and what its summary shows: every statement of a write
    runs under the write lock, so a change to a visit saves the lazy loads that followed."""
    row = session.get(Visit, visit_id, options=_WITH_SUMMARY)
    if row is None or not actor.sees(row.client.clinic_id):
        raise RecordNotFound("visit", visit_id)
    return row


def locked(session: Session, visit_id: int) -> Visit | None:
    """The visit re-read under ``SELECT ... FOR UPDATE`` (PostgreSQL; SQLite's transaction
    already holds the write lock), so the state a concurrent writer left is seen."""
    return session.get(Visit, visit_id, with_for_update=True, populate_existing=True)


def summary(row: Visit) -> VisitSummary:
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


def count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Visit)) or 0)


def open_draft(session: Session, client_id: int) -> int | None:
    """The client's most recent draft visit that is not deleted, if there is one."""
    found: int | None = session.scalars(
        select(Visit.id)
        .where(Visit.client_id == client_id, Visit.status == "draft", Visit.deleted_at.is_(None))
        .order_by(Visit.started_at.desc(), Visit.id.desc())
    ).first()
    return found


def previous_with_treatments(session: Session, row: Visit) -> Visit | None:
    """The client's latest live visit before ``row`` that recorded any treatment."""
    return session.scalars(
        select(Visit)
        .where(
            Visit.client_id == row.client_id,
            Visit.id != row.id,
            Visit.deleted_at.is_(None),
            Visit.started_at <= row.started_at,
            Visit.treatments.any(),
        )
        .order_by(Visit.started_at.desc(), Visit.id.desc())
    ).first()


def live_with_clients(
    session: Session, client_ids: set[int]
) -> list[tuple[int, datetime, str, int, str]]:
    """(visit id, start, status, client id, name) of live visits of live clients, newest first."""
    rows = session.execute(
        select(Visit.id, Visit.started_at, Visit.status, Client.id, Client.display_name)
        .join(Client, Client.id == Visit.client_id)
        .where(Visit.deleted_at.is_(None), Client.deleted_at.is_(None))
        .order_by(Visit.started_at.desc(), Visit.id.desc())
    ).all()
    return [
        (int(vid), started, str(status), int(cid), str(name))
        for vid, started, status, cid, name in rows
        if cid in client_ids
    ]


def next_booked(session: Session, client_id: int) -> datetime | None:
    """The earliest live visit of the client that starts after now."""
    found = session.scalar(
        select(func.min(Visit.started_at)).where(
            Visit.client_id == client_id, Visit.deleted_at.is_(None), Visit.started_at > utcnow()
        )
    )
    return found if isinstance(found, datetime) else None


def latest_home_care(session: Session, client_id: int) -> tuple[dict[str, Any], datetime] | None:
    """The plan and time of the latest home-care plan given at a live visit of the client."""
    row = session.scalar(
        select(HomeCarePlan)
        .join(Visit, Visit.id == HomeCarePlan.visit_id)
        .where(Visit.client_id == client_id, Visit.deleted_at.is_(None))
        .order_by(HomeCarePlan.given_at.desc(), HomeCarePlan.id.desc())
        .limit(1)
    )
    return (dict(row.plan), row.given_at) if row is not None else None


def latest_override_reason(session: Session, visit_id: int, decision: str) -> str | None:
    """The latest reason recorded on the visit for going on past this screening decision."""
    row = session.scalars(
        select(ScreeningOverride)
        .where(ScreeningOverride.visit_id == visit_id, ScreeningOverride.decision == decision)
        .order_by(ScreeningOverride.id.desc())
    ).first()
    return row.reason if row else None


def practitioner_id(session: Session, display_name: str) -> int:
    """The practitioner with this display name, created on first use."""
    return id_named(session, Practitioner.display_name, display_name)
