"""Queries over the audit trail (ids and verbs only) and the deletion acts of records."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, exists, func, or_, select
from sqlalchemy.orm import Session

from myomap.store.orm import AuditEntry, Deletion
from myomap.store.orm_accounts import User


def add(
    session: Session, *, actor: str, action: str, record_type: str, record_id: int | None
) -> None:
    """Add an entry in the caller's transaction, so it is saved exactly when the act is."""
    session.add(
        AuditEntry(
            actor=actor or "unknown", action=action, record_type=record_type, record_id=record_id
        )
    )


def last_at(
    session: Session, *, record_type: str, record_id: int, action: str, actor: str
) -> datetime | None:
    """When ``actor`` last did ``action`` to the record, if ever."""
    return session.scalars(
        select(AuditEntry.at)
        .where(
            AuditEntry.record_type == record_type,
            AuditEntry.record_id == record_id,
            AuditEntry.action == action,
            AuditEntry.actor == actor,
        )
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    ).first()


def count_since(session: Session, *, action: str, actor: str, since: datetime) -> int:
    """How many ``action`` entries ``actor`` has made since a time."""
    n = session.scalar(
        select(func.count(AuditEntry.id)).where(
            AuditEntry.action == action, AuditEntry.actor == actor, AuditEntry.at >= since
        )
    )
    return int(n or 0)


def readable_by_admin(session: Session, clinic_id: int | None) -> ColumnElement[bool]:
    """Which audit rows an admin of ``clinic_id`` may read.

    An admin of a clinic reads the acts of that clinic's accounts. An admin without a clinic
    reads the acts of the accounts without one; the rows of actors that are no account (the
    command line, the open local mode, failed logins under an unknown name) only while no
    account belongs to any clinic, i.e. on a single-clinic install. So in a store that serves
    several clinics, no admin reads another clinic's rows.
    """
    if clinic_id is not None:
        return AuditEntry.actor.in_(select(User.username).where(User.clinic_id == clinic_id))
    mine = AuditEntry.actor.in_(select(User.username).where(User.clinic_id.is_(None)))
    if session.scalar(select(exists().where(User.clinic_id.is_not(None)))):
        return mine
    return or_(mine, AuditEntry.actor.not_in(select(User.username)))


def entries_for_admin(
    session: Session, clinic_id: int | None, *, limit: int, actor: str | None = None
) -> list[AuditEntry]:
    """Newest first, only the rows an admin of ``clinic_id`` may read (see above)."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    query = query.where(readable_by_admin(session, clinic_id))
    if actor is not None:
        query = query.where(AuditEntry.actor == actor)
    return list(session.scalars(query).all())


def deletions_of(session: Session, record_type: str, record_id: int) -> list[Deletion]:
    """Every deletion act of one record, oldest first (restored ones included)."""
    return list(
        session.scalars(
            select(Deletion)
            .where(Deletion.record_type == record_type, Deletion.record_id == record_id)
            .order_by(Deletion.id)
        )
    )


def open_deletion(session: Session, record_type: str, record_id: int) -> Deletion | None:
    """The latest deletion of a record that no restore has closed yet."""
    return session.scalars(
        select(Deletion)
        .where(
            Deletion.record_type == record_type,
            Deletion.record_id == record_id,
            Deletion.restored_at.is_(None),
        )
        .order_by(Deletion.id.desc())
    ).first()
