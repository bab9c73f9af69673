"""What the client's diary adds to progress: its answers as points of the matching instruments,
and the trend since the last visit for the therapist's page."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from myomap.domain.records import MeasurementView
from myomap.services.portal import diary

# Diary answers become points of the matching instruments, so progress, responder analysis and
# reports count what the client reported at home beside what was measured at visits.
DIARY_INSTRUMENTS = (("pain", "nrs"), ("sleep", "sleep"), ("analgesic_doses", "analgesic"))


def diary_measurements(session: Session, client_id: int) -> list[MeasurementView]:
    """Diary entries as measurement views (negative ids: they are diary rows, not measurements)."""
    out: list[MeasurementView] = []
    for entry in reversed(diary(session, client_id, limit=5000)):
        for column, instrument in DIARY_INSTRUMENTS:
            value = getattr(entry, column)
            if value is not None:
                out.append(
                    MeasurementView(
                        id=-entry.id,
                        client_id=client_id,
                        visit_id=None,
                        instrument=instrument,
                        answers=[float(value)],
                        total=float(value),
                        recorded_at=entry.at,
                    )
                )
    return out


def trend_since(session: Session, client_id: int, since: datetime | None) -> dict[str, Any]:
    """What the diary says since a moment (the last visit): count, first and last pain, mean."""
    rows = list(reversed(diary(session, client_id, since=since)))
    if not rows:
        return {"entries": 0}
    pains = [r.pain for r in rows]
    return {
        "entries": len(rows),
        "first_pain": pains[0],
        "last_pain": pains[-1],
        "mean_pain": round(sum(pains) / len(pains), 1),
        "home_care_days": len({r.at.date() for r in rows if r.home_care_done}),
    }
