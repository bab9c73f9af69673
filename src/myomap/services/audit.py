"""The audit trail: who did what to which record. Ids and verbs only, never health data."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def record(
    session: Session, *, actor: str, action: str, record_type: str, record_id: int | None
) -> None:
    """Add an audit entry in the caller's transaction, so it is saved exactly when the act is."""
    from myomap.store.orm import AuditEntry

    session.add(
        AuditEntry(
            actor=actor or "unknown", action=action, record_type=record_type, record_id=record_id
        )
    )
