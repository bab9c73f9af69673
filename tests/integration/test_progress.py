"""Client progress and the cohort view, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from myomap.knowledge.instruments import bundled_catalogue
from myomap.services import clients, examination, progress, visits
from myomap.services.database import Store
from myomap.services.outcomes import record_measurement

T0 = datetime(2026, 4, 6, 9, tzinfo=UTC)


def _course(
    db: Store, name: str, pain: list[float], technique: str, regions: list[list[str]]
) -> int:
    """A client with one visit per pain value, each with a drawing and one treatment."""
    with db.transaction() as s:
        cid = clients.add_client(s, display_name=name).id
        for i, value in enumerate(pain):
            when = T0 + timedelta(days=7 * i)
            vid = visits.start_visit(s, cid, started_at=when).id
            examination.add_drawing(
                s,
                vid,
                {
                    "format": "myomap.drawing/1",
                    "areas": [
                        {"regions": regions[min(i, len(regions) - 1)], "intensity": int(value)}
                    ],
                },
            )
            examination.add_treatment(
                s, vid, technique=technique, side="right", trp="trapezius.tp1", hold_seconds=60
            )
            examination.add_ppt(
                s,
                vid,
                site="upper_trapezius",
                side="right",
                trials_kpa=[150 + 10 * i, 160 + 10 * i, 170 + 10 * i],
            )
            examination.add_ppt(
                s, vid, site="upper_trapezius", side="left", trials_kpa=[200.0, 200.0, 200.0]
            )
            examination.add_rom(
                s, vid, movement="cervical_rotation", side="left", degrees=60 + 4 * i
            )
            record_measurement(
                s,
                bundled_catalogue(),
                cid,
                instrument="nrs",
                answers=[value],
                visit_id=vid,
                recorded_at=when,
            )
    return cid


def test_progress_changes_trends_drawings_and_treatments(db: Store) -> None:
    cid = _course(
        db,
        "Improving",
        [8, 6, 4, 3],
        "ischemic_compression",
        [["neck_side_r", "shoulder_top_r", "temple_r"], ["neck_side_r"]],
    )
    with db.transaction() as s:
        p = progress.client_progress(s, cid, bundled_catalogue())
    (nrs,) = p["measures"]
    assert [pt["total"] for pt in nrs["points"]] == [8, 6, 4, 3]
    assert nrs["change"]["category"] == "substantial improvement"
    assert nrs["change"]["percent_improvement"] == 62.5
    assert nrs["trend"]["status"] == "improving" and nrs["trend"]["slope_per_week"] < 0
    right, left = sorted(p["ppt"], key=lambda x: x["side"] == "left")
    assert right["change_kpa"] == 30 and left["left_minus_right_kpa"] == 200 - 190
    (rom,) = p["rom"]
    assert rom["norm_degrees"] == 80 and rom["points"][-1]["percent_of_norm"] == 90
    d = p["drawings"]
    assert d["first"]["extent_percent"] > d["last"]["extent_percent"] > 0
    assert 0 < d["jaccard"] < 1
    assert {r["region"] for r in d["resolved_regions"]} == {"shoulder_top_r", "temple_r"}
    steps = p["treatments"]
    assert [s["pain_change"] for s in steps] == [-2, -2, -1, None]
    (given,) = steps[0]["treatments"]  # by name: a reader never meets an atlas id
    assert (
        given.startswith("Ischemic compression: Upper trapezius TrP1")
        and given.endswith(", right")
        and "trapezius.tp1" not in given
    )


def test_cohort_rates_by_technique_and_region(db: Store) -> None:
    _course(db, "A", [8, 4], "ischemic_compression", [["neck_side_r"]])
    _course(db, "B", [6, 6], "ischemic_compression", [["neck_side_r", "temple_r"]])
    _course(db, "C", [5, 2], "stretch", [["temple_r"]])
    _course(db, "D", [7], "stretch", [["temple_r"]])  # one rating: not evaluable
    with db.transaction() as s:
        view, maps = progress.cohort(s, bundled_catalogue())
    assert (view["clients"], view["evaluable"], view["responders"]) == (4, 3, 2)
    by_t = {r["technique"]: r for r in view["by_technique"]}
    assert (by_t["ischemic_compression"]["responders"], by_t["ischemic_compression"]["rate"]) == (
        1,
        0.5,
    )
    assert (by_t["stretch"]["clients"], by_t["stretch"]["evaluable"], by_t["stretch"]["rate"]) == (
        2,
        1,
        1.0,
    )
    by_r = {r["region"]: r for r in view["by_region"]}
    assert by_r["temple_r"]["clients"] == 3 and by_r["temple_r"]["rate"] == 0.5
    freq = {r["region"]: r["fraction"] for r in view["frequency"]["baseline"]["regions"]}
    assert freq["temple_r"] == 0.75 and freq["neck_side_r"] == 0.5
    assert maps["baseline"].drawings == 4 and maps["baseline"].max_count == 3


@pytest.mark.parametrize("values", [[7.0], [7.0, 5.0]])
def test_short_series_report_not_enough_data(db: Store, values: list[float]) -> None:
    cid = _course(db, "Short", values, "stretch", [["neck_side_r"]])
    with db.transaction() as s:
        p = progress.client_progress(s, cid, bundled_catalogue())
    assert p["measures"][0]["trend"]["status"] == "not enough data yet"
    assert (p["measures"][0]["change"] is None) == (len(values) == 1)
