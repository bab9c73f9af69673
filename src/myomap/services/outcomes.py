"""Outcome measurements: score an instrument's answers once and store them with the total.

The catalogue comes from the application's knowledge (bundled instruments plus the clinic's
folder) and is passed in explicitly, so a clinic's instrument scores the same in the CLI, the web
app and a CSV import. Totals come from :mod:`myomap.domain.outcomes` (validation, reverse-scored
items, missing-item rules), so an answer set the instrument refuses is never stored. ``answers``
are kept exactly as given, so stored rows can be re-scored.
"""

from __future__ import annotations

import math
import re
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from myomap.domain.actor import OPERATOR, Actor
from myomap.domain.errors import UsageError
from myomap.domain.outcomes import Catalogue, Score, score
from myomap.domain.records import MeasurementView
from myomap.services import audit, clients
from myomap.services.visits import get_row as visit_row
from myomap.store.orm import OutcomeMeasurement, utcnow

_INSTRUMENT = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def parse_answer(text: str) -> float | None:
    """One answer from the command line or a CSV cell: a number, or '-', '' or 'na' if missing."""
    cleaned = text.strip().lower()
    if cleaned in ("", "-", "na", "n/a", "none"):
        return None
    try:
        return float(cleaned)
    except ValueError:
        raise UsageError("answers must be numbers; use '-' for an unanswered item") from None


def score_answers(catalogue: Catalogue, instrument: str, answers: list[float | None]) -> Score:
    """Total, band and item scores of one answer set, nothing stored."""
    return score(catalogue.get(instrument), answers)


def record_measurement(
    session: Session,
    catalogue: Catalogue,
    client_id: int,
    *,
    instrument: str,
    answers: list[float | None],
    visit_id: int | None = None,
    recorded_at: datetime | None = None,
    actor: str = "unknown",
    scope: Actor = OPERATOR,
) -> tuple[MeasurementView, Score]:
    """Score with ``catalogue``, then store answers and that total; a refused set is not saved."""
    answers = list(answers)
    if not answers or len(answers) > 200:
        raise UsageError("answers: give 1 to 200 item answers")
    for a in answers:
        if a is not None and not math.isfinite(a):
            raise UsageError("answers must be numbers (or empty for a missing item)")
    result = score_answers(catalogue, instrument, answers)
    name = instrument.strip().lower()
    if not _INSTRUMENT.match(name):
        raise UsageError("instrument must be an instrument id such as nrs, gad7 or phq9")
    clients.get_row(session, client_id, scope=scope)
    if visit_id is not None and visit_row(session, visit_id, scope=scope).client_id != client_id:
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
        answers=answers,
        total=result.total,
        recorded_at=recorded_at or utcnow(),
    )
    session.add(row)
    session.flush()
    audit.record(session, actor=actor, action="create", record_type="measurement", record_id=row.id)
    return MeasurementView.model_validate(row), result
