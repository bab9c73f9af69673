"""Screening overrides stored with a visit: who chose to go on against the safety gate, and why.

A plan for someone not screened holds pressure work, and charting pressure on a visit whose
screening said ``refer`` or ``emergency`` is refused, until the therapist records a reason. The
reason is clinical text, so it is stored with the visit (never logged); the audit trail records
only that an override happened, by whom, on which visit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from myomap.domain.actor import OPERATOR, Actor
from myomap.domain.errors import UsageError
from myomap.services import audit, fields
from myomap.services.visits import draft_row
from myomap.store.orm import ScreeningOverride
from myomap.store.repositories import visits as visit_repo

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

REASON_MAX = 500
DECISIONS = ("emergency", "refer", "not_screened")


class OverrideView(dict[str, Any]):
    """The stored override as the API returns it."""

    def to_json(self) -> dict[str, Any]:
        return dict(self)


def record_override(
    session: Session,
    visit_id: int,
    *,
    decision: str,
    reason: str | None,
    actor: str,
    scope: Actor = OPERATOR,
) -> OverrideView:
    """Store the reason with a draft visit and audit it; the decision is what was overridden."""
    row = draft_row(session, visit_id, scope=scope)
    if decision not in DECISIONS:
        raise UsageError(f"the screening of visit {visit_id} says {decision}: nothing to override")
    text = fields.text("reason", reason, max_length=REASON_MAX)
    assert text is not None
    entry = ScreeningOverride(visit_id=row.id, decision=decision, reason=text, recorded_by=actor)
    session.add(entry)
    session.flush()
    audit.record(
        session, actor=actor, action="override_screening", record_type="visit", record_id=row.id
    )
    return OverrideView(
        id=entry.id,
        visit_id=row.id,
        decision=decision,
        reason=text,
        recorded_by=actor,
        recorded_at=entry.recorded_at.isoformat(),
    )


def latest_reason(session: Session, visit_id: int, decision: str) -> str | None:
    """The latest reason recorded on the visit for this decision (None when there is none)."""
    return visit_repo.latest_override_reason(session, visit_id, decision)
