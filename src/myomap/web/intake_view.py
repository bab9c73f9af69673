"""What the stepped intake page needs besides the questions: the client's last intake to offer
for review, where the latest drawing hurts (follow-up questions depend on it) and the body map's
region labels for the list that backs up the chart on region questions, so no one types region
ids."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from myomap.domain.errors import MyomapError
from myomap.knowledge.load import Knowledge
from myomap.services import care, charting, inputs
from myomap.store.repositories import intakes as intake_repo


def region_choices(known: Knowledge) -> list[dict[str, str]]:
    """Every chart region as id and label, sorted by label for the searchable list."""
    return sorted(({"id": r.id, "label": r.label} for r in known.bodymap), key=lambda r: r["label"])


def last_intake(session: Session, client_id: int) -> dict[str, Any] | None:
    """The client's most recent intake: its answers and the day they were given."""
    row = intake_repo.latest(session, client_id)
    if row is None:
        return None
    return {"answers": dict(row.answers), "date": row.recorded_at.date().isoformat()}


def painful_regions(session: Session, known: Knowledge, client_id: int) -> list[str]:
    """Where the client's latest drawing hurts, as the screening reads it (possibly empty)."""
    found = charting.last_drawing(session, client_id, 0)
    if found is None:
        return []
    try:
        drawing = inputs.drawing_from_json(known, found[0])
    except MyomapError:  # an old drawing the map no longer reads: ask every follow-up
        return []
    return list(care.drawing_facts(drawing, knowledge=known).painful)
