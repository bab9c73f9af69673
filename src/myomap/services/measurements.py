"""Outcome measurements: an instrument's answers and total, for a client, optionally a visit.

Totals come from :mod:`myomap.domain.outcomes` through :func:`scored_total` (validation,
reverse-scored items, missing-item rules), so an answer set the instrument refuses is never
stored. ``answers`` are kept exactly as given, so stored rows can be re-scored.
:func:`provisional_total` (a plain sum) remains for callers that predate the scorer.
"""

from __future__ import annotations

import math
import re
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from myomap.domain.errors import UsageError
from myomap.services import audit, clients
from myomap.services.views import MeasurementView

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

_INSTRUMENT = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def provisional_total(instrument: str, answers: list[float | None]) -> float | None:
    """Sum of the answered items; None when nothing was answered. Replaced by the real scorer."""
    given = [a for a in answers if a is not None]
    return float(sum(given)) if given else None


def scored_total(instrument: str, answers: list[float | None]) -> float | None:
    """The instrument's own total (validation, reverse items, missing-item rule)."""
    from myomap.services.outcomes import score_answers

    return score_answers(instrument, answers).total


def add_measurement(
    session: Session,
    client_id: int,
    *,
    instrument: str,
    answers: list[float | None],
    visit_id: int | None = None,
    recorded_at: datetime | None = None,
    actor: str = "unknown",
) -> MeasurementView:
    from myomap.services.visits import get_row as get_visit
    from myomap.store.orm import OutcomeMeasurement, utcnow

    clients.get_row(session, client_id)
    name = instrument.strip().lower()
    if not _INSTRUMENT.match(name):
        raise UsageError("instrument must be an instrument id such as nrs, gad7 or phq9")
    if not answers or len(answers) > 200:
        raise UsageError("answers: give 1 to 200 item answers")
    for a in answers:
        if a is not None and not math.isfinite(a):
            raise UsageError("answers must be numbers (or empty for a missing item)")
    if visit_id is not None and get_visit(session, visit_id).client_id != client_id:
        raise UsageError(f"visit {visit_id} belongs to another client; check the visit id")
    if recorded_at is not None and recorded_at.tzinfo is None:
        raise UsageError("recorded at must include a time zone")
    if recorded_at is not None and recorded_at > utcnow() + timedelta(days=1):
        raise UsageError("recorded at is in the future; give the time the measure was taken")
    if recorded_at is not None and recorded_at.year < 1900:
        raise UsageError("recorded at is before 1900; check the year")
    row = OutcomeMeasurement(
        client_id=client_id,
        visit_id=visit_id,
        instrument=name,
        answers=list(answers),
        total=scored_total(name, list(answers)),
        recorded_at=recorded_at or utcnow(),
    )
    session.add(row)
    session.flush()
    audit.record(session, actor=actor, action="create", record_type="measurement",
                 record_id=row.id)
    return MeasurementView.model_validate(row)
