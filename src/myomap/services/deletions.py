"""Deletion as a recorded, reversible act, for every record type that can be deleted.

A deleted record keeps its rows; a ``Deletion`` row says who deleted it, when and why, and a
restore closes that row instead of removing it, so the history of the act stays readable.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from myomap.domain.errors import ConflictError
from myomap.domain.records import DeletionView
from myomap.services import audit, fields
from myomap.store.orm import Deletion, utcnow
from myomap.store.repositories import audit as audit_log

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


class SoftDeletable(Protocol):
    id: int
    deleted_at: datetime | None


def mark_deleted(
    session: Session, row: SoftDeletable, record_type: str, *, by: str, reason: str
) -> DeletionView:
    act = Deletion(
        record_type=record_type,
        record_id=row.id,
        deleted_by=fields.required_text("deleted by", by, max_length=200),
        reason=fields.required_text("reason", reason, max_length=2000),
    )
    row.deleted_at = utcnow()
    session.add(act)
    session.flush()
    audit.record(session, actor=by, action="delete", record_type=record_type, record_id=row.id)
    return DeletionView.model_validate(act)


def mark_restored(
    session: Session, row: SoftDeletable, record_type: str, *, by: str
) -> DeletionView:
    if row.deleted_at is None:
        raise ConflictError(f"{record_type} {row.id} is not deleted; nothing to restore")
    act = reopen_deletion(session, record_type, row.id, by=by)
    row.deleted_at = None
    audit.record(session, actor=by, action="restore", record_type=record_type, record_id=row.id)
    return act


def reopen_deletion(session: Session, record_type: str, record_id: int, *, by: str) -> DeletionView:
    """Mark the latest open deletion of a record as restored, keeping the deletion itself."""
    act = audit_log.open_deletion(session, record_type, record_id)
    if act is None:  # pragma: no cover - a deleted mark always has its deletion row
        raise ConflictError(f"{record_type} {record_id} has no recorded deletion to undo")
    act.restored_at = utcnow()
    act.restored_by = fields.required_text("restored by", by, max_length=200)
    session.flush()
    return DeletionView.model_validate(act)
