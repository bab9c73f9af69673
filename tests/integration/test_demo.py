"""The demo seed: fictional, reproducible, idempotent, and using real vocabulary."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from myomap.knowledge.instruments import bundled_catalogue
from myomap.knowledge.loader import load_bodymap
from myomap.services import clients, demo, visits
from myomap.services.database import Store, open_store
from myomap.store.orm import OutcomeMeasurement, Visit


def _snapshot(db: Store) -> list[tuple[object, ...]]:
    with db.transaction() as s:
        return [
            (m.instrument, tuple(m.answers), m.total, m.recorded_at)
            for m in s.scalars(select(OutcomeMeasurement).order_by(OutcomeMeasurement.id))
        ]


def test_demo_seed_is_idempotent_and_realistic(db: Store) -> None:
    spec = demo.load_definition()
    with db.transaction() as s:
        first = demo.seed(s)
    with db.transaction() as s:
        second = demo.seed(s)
    assert 3 <= len(first.created) <= 5 and first.existing == []
    assert second.created == [] and sorted(second.existing) == sorted(first.created)
    with db.transaction() as s:
        listed = clients.list_clients(s)
        n_visits = s.scalar(select(func.count()).select_from(Visit))
        detail = clients.get_client(s, first.created[0])
        shown = visits.show_visit(s, detail.visits[0].id)
        last = visits.show_visit(s, detail.visits[-1].id)
    assert len(listed) == len(spec["clients"])
    assert n_visits == sum(p["visits"] for p in spec["clients"])
    assert all(c.visit_count >= 3 for c in listed)
    regions = load_bodymap().regions
    assert all(r in regions for r in shown.drawings[0].drawing["areas"][0]["regions"])
    assert shown.status == "signed" and last.status == "draft"
    assert shown.amendments  # one demo note shows how an amendment reads
    assert last.treatments and all(t.response is None for t in last.treatments)
    instruments = {m.instrument for m in detail.measurements}
    assert {"nrs", "pgic", "gad7", "phq9", "pss10", "sleep"} <= instruments
    nrs = [m.total for m in detail.measurements if m.instrument == "nrs"]
    assert nrs[0] is not None and nrs[-1] is not None and nrs[-1] < nrs[0]
    catalogue = bundled_catalogue()
    for m in detail.measurements:
        items = catalogue.get(m.instrument).items
        assert len(m.answers) == items.count
        assert all(items.min <= a <= items.max for a in m.answers if a is not None)
    # Courses in the demo file are scored totals, reverse-scored PSS items included.
    for name in ("gad7", "phq9", "pss10"):
        totals = [m.total for m in detail.measurements if m.instrument == name]
        assert totals[0] is not None and totals[-1] is not None and totals[-1] < totals[0], name


def test_demo_seed_is_reproducible(db: Store, tmp_path: Path) -> None:
    other = open_store(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    try:
        for store in (db, other):
            with store.transaction() as s:
                demo.seed(s)
        assert _snapshot(db) == _snapshot(other)
        assert len(_snapshot(db)) > 40
    finally:
        other.close()


def test_demo_names_are_marked_fictional() -> None:
    spec = demo.load_definition()
    assert "fictional" in spec["statement"].lower()
    for person in spec["clients"]:
        assert any(w in person["display_name"] for w in ("Fiction", "Madeup", "Invented", "Sample"))
        assert person["key"].startswith("demo:")


def test_demo_trigger_points_exist_in_the_atlas() -> None:
    from myomap.knowledge.loader import load_atlas

    known = {tp.id for _, tp in load_atlas().trigger_points()}
    spec = demo.load_definition()
    used = {
        f["trp"] for p in spec["clients"] for f in p["findings"] + p["treatments"] if f.get("trp")
    }
    assert used and used <= known, sorted(used - known)
