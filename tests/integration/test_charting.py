"""Treatment-room charting in the services: a double tap charts once, entries of a draft can be
removed (audited) while a signed visit refuses, one open draft is found, the last drawing is
offered, the worklist and registration edits."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from myomap.domain.errors import ConflictError, NotFoundError, UsageError
from myomap.services import charting, clients, frontdesk, visits
from myomap.services.database import Store
from myomap.store.orm import AuditEntry

TRP = "trapezius.tp1"


def _visit(db: Store) -> tuple[int, int]:
    with db.transaction() as s:
        cid = clients.add_client(s, display_name="Chart Person").id
        vid = visits.start_visit(s, cid, actor="t").id
    return cid, vid


def test_a_double_tap_charts_once_but_a_different_entry_is_kept(db: Store) -> None:
    _, vid = _visit(db)
    with db.transaction() as s:
        a = charting.chart_treatment(
            s, vid, technique="pressure_release", side="right", trp=TRP, hold_seconds=30, actor="t"
        )
    with db.transaction() as s:
        b = charting.chart_treatment(
            s, vid, technique="pressure_release", side="right", trp=TRP, hold_seconds=30, actor="t"
        )
        c = charting.chart_treatment(
            s, vid, technique="pressure_release", side="left", trp=TRP, hold_seconds=30, actor="t"
        )
        f1 = charting.chart_finding(
            s,
            vid,
            trp=TRP,
            side="right",
            taut_band=True,
            hypersensitive_spot=True,
            referred_pain=True,
            actor="t",
        )
        f2 = charting.chart_finding(
            s,
            vid,
            trp=TRP,
            side="right",
            taut_band=True,
            hypersensitive_spot=True,
            referred_pain=True,
            actor="t",
        )
    assert a.id == b.id and c.id != a.id and f1.id == f2.id
    with db.transaction() as s:
        detail = visits.show_visit(s, vid)
    assert len(detail.treatments) == 2 and len(detail.findings) == 1


def test_unknown_trigger_points_are_refused(db: Store) -> None:
    _, vid = _visit(db)
    with db.transaction() as s, pytest.raises(UsageError, match="not in the atlas"):
        charting.chart_treatment(
            s, vid, technique="pressure_release", side="right", trp="infraspinatus.trp9"
        )


def test_draft_entries_are_removed_with_an_audit_entry_and_signed_ones_are_kept(db: Store) -> None:
    _, vid = _visit(db)
    with db.transaction() as s:
        t = charting.chart_treatment(s, vid, technique="pressure_release", side="right", actor="t")
    with db.transaction() as s:
        charting.remove_entry(s, vid, "treatments", t.id, actor="t")
        actions = list(s.scalars(select(AuditEntry.action).where(AuditEntry.record_id == vid)))
    assert "remove_treatments" in actions
    with db.transaction() as s:
        assert visits.show_visit(s, vid).treatments == []
        with pytest.raises(NotFoundError):
            charting.remove_entry(s, vid, "treatments", t.id, actor="t")
        with pytest.raises(UsageError):
            charting.remove_entry(s, vid, "amendments", 1, actor="t")
    with db.transaction() as s:
        t2 = charting.chart_treatment(s, vid, technique="pressure_release", side="left", actor="t")
        visits.write_note(s, vid, sections={"subjective": "x"}, actor="t")
        visits.sign_visit(s, vid, signed_by="t")
    with db.transaction() as s, pytest.raises(ConflictError):
        charting.remove_entry(s, vid, "treatments", t2.id, actor="t")


def test_open_draft_last_drawing_worklist_and_edit(db: Store) -> None:
    cid, vid = _visit(db)
    drawing = {"format": "myomap.drawing/1", "areas": [{"regions": ["temple_r"], "intensity": 5}]}
    from myomap.services import examination

    with db.transaction() as s:
        assert charting.open_draft(s, cid) == vid
        examination.add_drawing(s, vid, drawing, actor="t")
        nxt = visits.start_visit(s, cid, actor="t").id
        offered = charting.last_drawing(s, cid, nxt)
        work = charting.worklist(s, {cid})
    assert offered is not None and offered[0]["areas"][0]["regions"] == ["temple_r"]
    assert {w["visit_id"] for w in work["drafts"]} == {vid, nxt}
    assert {w["visit_id"] for w in work["today"]} == {vid, nxt}
    with db.transaction() as s:
        assert charting.worklist(s, set())["drafts"] == []
        edited = frontdesk.edit_client(
            s, cid, {"display_name": "Renamed", "birth_year": 1970}, actor="t"
        )
    assert edited.display_name == "Renamed" and edited.birth_year == 1970
    with db.transaction() as s, pytest.raises(UsageError):
        frontdesk.edit_client(s, cid, {"birth_year": 1800})
