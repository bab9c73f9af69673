"""The client's newest own drawing, read the same way on SQLite and PostgreSQL: diary entries
without a drawing (JSON null) never hide one, and intake and diary drawings compete by time."""

from __future__ import annotations

from datetime import timedelta

from myomap.services import clients, portal
from myomap.services.database import Store
from myomap.store.orm import utcnow
from myomap.store.repositories.portal import latest_client_drawing

DRAWN = {"format": "myomap.drawing/1", "areas": [{"regions": ["temple_r"], "intensity": 5}]}
LATER = {"format": "myomap.drawing/1", "areas": [{"regions": ["calf_upper_l"], "intensity": 3}]}


def test_latest_client_drawing(db: Store) -> None:
    now = utcnow()
    with db.transaction() as s:
        me = clients.add_client(s, display_name="Drawer").id
        other = clients.add_client(s, display_name="Someone else").id
        assert latest_client_drawing(s, me) is None
        clients.record_intake(
            s,
            me,
            answers={},
            decision="proceed",
            recorded_by="client",
            drawing=DRAWN,
            recorded_at=now - timedelta(hours=3),
        )
        portal.add_diary(s, me, portal.DiaryIn(pain=2, at=now - timedelta(hours=2)), actor="c")
        portal.add_diary(s, other, portal.DiaryIn(pain=2, at=now), actor="c", drawing=LATER)
    with db.transaction() as s:
        doc, _when, source = latest_client_drawing(s, me) or ({}, None, "")
        assert (doc, source) == (DRAWN, "intake")
        portal.add_diary(
            s, me, portal.DiaryIn(pain=3, at=now - timedelta(hours=1)), actor="c", drawing=LATER
        )
    with db.transaction() as s:
        doc, _when, source = latest_client_drawing(s, me) or ({}, None, "")
        assert (doc, source) == (LATER, "diary")
