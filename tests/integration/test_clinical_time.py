"""Clinical time: what a visit holds is dated when it happened, not when it was typed in.

An imported CSV folder and the demo seed both know when their visits took place; the drawing,
the home-care plan and the measurements they hold must carry that time into the store and into
every dated field of the FHIR export.
"""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from myomap.domain.errors import UsageError
from myomap.knowledge.instruments import bundled_catalogue
from myomap.services import clients, demo, examination, exports, visits
from myomap.services.database import Store

MAY = datetime(2026, 5, 12, 9, 30, tzinfo=UTC)
# Every place a FHIR resource of the export carries a date of care.
DATED = ("effectiveDateTime", "issued", "created", "authored", "performedDateTime", "date")


def _write(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)


def _may_folder(folder: Path) -> Path:
    folder.mkdir()
    drawing = {
        "format": "myomap.drawing/1",
        "areas": [{"regions": ["neck_side_r"], "intensity": 6}],
    }
    _write(
        folder / "clients.csv",
        [["client_ref", "display_name", "birth_year", "sex"], ["c-1", "Fictional Person", "", ""]],
    )
    visit_cols = ["visit_ref", "client_ref", "started_at", "practitioner", "status", "signed_at"]
    visit_cols += ["signed_by", "subjective", "objective", "assessment", "plan"]
    _write(
        folder / "visits.csv",
        [
            visit_cols,
            ["c-1/1", "c-1", MAY.isoformat(), "Pat", "signed"]
            + [(MAY + timedelta(hours=1)).isoformat(), "Pat", "Neck ache.", "", "", ""],
        ],
    )
    _write(
        folder / "drawings.csv",
        [
            ["visit_ref", "drawing_json", "regions", "choir_ids", "michigan_ids", "extent_percent"],
            ["c-1/1", json.dumps(drawing), "", "", "", ""],
        ],
    )
    _write(
        folder / "ppt.csv",
        [
            ["visit_ref", "site", "side", "trials_kpa", "mean_kpa"],
            ["c-1/1", "upper_trapezius", "right", "300,320,310", ""],
        ],
    )
    _write(
        folder / "rom.csv",
        [
            ["visit_ref", "movement", "side", "degrees"],
            ["c-1/1", "cervical_rotation", "left", "70"],
        ],
    )
    _write(
        folder / "measurements.csv",
        [
            ["client_ref", "visit_ref", "instrument", "recorded_at", "answers", "total", "band"],
            ["c-1", "c-1/1", "nrs", "", "6", "", ""],  # no time of its own: the visit's
        ],
    )
    return folder


def _dates(bundle: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(resource type, field, value) of every date of care in the export's resources."""
    out = []
    for entry in bundle["entry"]:
        resource = entry["resource"]
        kind = resource["resourceType"]
        if kind in ("StructureDefinition", "Questionnaire"):
            continue  # definitions, dated by their publication
        for key in DATED:
            if key in resource:
                out.append((kind, key, str(resource[key])))
        if "period" in resource:
            out.append((kind, "period.start", str(resource["period"]["start"])))
    return out


def test_an_imported_may_visit_exports_everything_dated_in_may(db: Store, tmp_path: Path) -> None:
    with db.transaction() as s:
        summary = exports.import_csv(s, _may_folder(tmp_path / "in"), bundled_catalogue())
    (cid,) = summary.created_clients
    with db.transaction() as s:
        (visit,) = clients.get_client(s, cid).visits
        detail = visits.show_visit(s, visit.id)
        bundle = exports.export_fhir(s, cid, bundled_catalogue())
    assert detail.drawings[0].recorded_at == MAY  # the drawing keeps the visit's time
    observations = [e["resource"] for e in bundle["entry"]]
    observations = [r for r in observations if r["resourceType"] == "Observation"]
    assert {o["code"]["coding"][-1]["code"] for o in observations} >= {"pain-drawing", "nrs"}
    dates = _dates(bundle)
    assert len([d for d in dates if d[0] == "Observation"]) == len(observations) >= 4
    late = [d for d in dates if not d[2].startswith("2026-05-12")]
    assert late == [], "dated at the import instead of the visit"


def test_the_demo_exports_nothing_dated_at_the_day_it_was_seeded(db: Store) -> None:
    seeded = datetime.now(UTC)
    with db.transaction() as s:
        ids = demo.seed(s).created
    start = datetime.fromisoformat(demo.load_definition()["start"])
    for cid in ids:
        with db.transaction() as s:
            bundle = exports.export_fhir(s, cid, bundled_catalogue())
        kinds = {r for r, _, _ in _dates(bundle)}
        assert {"Observation", "CarePlan", "Encounter"} <= kinds
        for kind, field, value in _dates(bundle):
            at = datetime.fromisoformat(value) if "T" in value else None
            assert at is not None, (kind, field, value)
            assert start - timedelta(days=1) <= at < seeded - timedelta(days=1), (kind, field)


def test_home_care_and_drawings_take_an_explicit_clinical_time(db: Store) -> None:
    drawing = {
        "format": "myomap.drawing/1",
        "areas": [{"regions": ["neck_side_r"], "intensity": 4}],
    }
    with db.transaction() as s:
        cid = clients.add_client(s, display_name="Fictional Person").id
        vid = visits.start_visit(s, cid, started_at=MAY).id
        drawn = examination.add_drawing(s, vid, drawing, recorded_at=MAY + timedelta(minutes=5))
        own = examination.add_drawing(s, vid, {**drawing, "recorded_at": MAY.isoformat()})
        given = examination.add_home_care(s, vid, {"stretch": "daily"}, given_at=MAY)
        typed = examination.add_home_care(s, vid, {"stretch": "twice a day"})
    assert drawn.recorded_at == MAY + timedelta(minutes=5)
    assert own.recorded_at == MAY  # the document's own time when the caller gives none
    assert given.given_at == MAY
    assert typed.given_at > MAY + timedelta(days=100)  # charted now: now
    for bad, message in (
        (MAY.replace(tzinfo=None), "time zone"),
        (datetime.now(UTC) + timedelta(days=30), "future"),
    ):
        with pytest.raises(UsageError, match=message), db.transaction() as s:
            examination.add_home_care(s, vid, {"stretch": "daily"}, given_at=bad)
        with pytest.raises(UsageError, match=message), db.transaction() as s:
            examination.add_drawing(s, vid, drawing, recorded_at=bad)
