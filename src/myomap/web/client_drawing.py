"""The pain drawings a client sends from their own pages, as people read them: the places in
words (worst first) and a picture of the drawing on the body chart, strokes included.

Shown to the therapist on the client page and, in words, to the client beside their diary.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from myomap.chart import chart_svg
from myomap.domain.errors import MyomapError
from myomap.knowledge.load import Knowledge
from myomap.services import inputs
from myomap.services.drawings import drawing_heat, painted_places
from myomap.store.repositories.portal import latest_client_drawing


def places(known: Knowledge, doc: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Painted places of a stored drawing, worst first; an old drawing the map no longer reads
    gives none. Reading strokes through the template takes tens of milliseconds, so pages that
    list many drawings go through :meth:`myomap.web.presenters.Presenter.drawing_places`,
    which keeps each answer."""
    if not doc:
        return []
    try:
        drawing = inputs.drawing_from_json(known, doc)
    except MyomapError:
        return []
    return [
        {"region": p.region, "label": p.label, "intensity": p.intensity, "quality": p.quality}
        for p in painted_places(drawing, known.bodymap)
    ]


def chart_of(known: Knowledge, doc: dict[str, Any]) -> str | None:
    """The drawing painted over the front and back chart as inline SVG sized by CSS."""
    try:
        drawing = inputs.drawing_from_json(known, doc)
    except MyomapError:
        return None
    svg = chart_svg("both", heat=drawing_heat(drawing))
    head, rest = svg.split(">", 1)
    head = head.replace('width="800" ', "").replace('height="1040" ', "")
    head = head.replace(
        'aria-label="Body chart, front and back views"',
        'aria-label="The client\'s pain drawing on the body chart, front and back views"',
    )
    return head + ' class="chart own-drawing">' + rest


def latest_view(session: Session, known: Knowledge, client_id: int) -> dict[str, Any] | None:
    """The client's newest own drawing: picture, places, when and with what it came."""
    found = latest_client_drawing(session, client_id)
    if found is None:
        return None
    doc, when, source = found
    return {
        "svg": chart_of(known, doc),
        "places": places(known, doc),
        "at": when.isoformat() if isinstance(when, datetime) else str(when),
        "source": source,
    }
