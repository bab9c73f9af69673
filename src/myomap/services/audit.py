"""The audit trail: who did what to which record. Ids and verbs only, never health data."""

from __future__ import annotations

from typing import TYPE_CHECKING

from myomap.store.repositories import audit as audit_log

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def record(
    session: Session, *, actor: str, action: str, record_type: str, record_id: int | None
) -> None:
    """Add an audit entry in the caller's transaction, so it is saved exactly when the act is."""
    audit_log.add(session, actor=actor, action=action, record_type=record_type, record_id=record_id)
