"""Zone recall and precision of the atlas against a referral reference."""

from __future__ import annotations

from typing import Any

from myomap.knowledge.loader import load_atlas
from myomap.services.validation_zones import atlas_regions, zone_agreement


def _reference(items: list[list[str]]) -> dict[str, Any]:
    return {
        "muscles": {
            "supraspinatus": {
                "source": "test",
                "items": [{"area": f"area {i}", "regions": r} for i, r in enumerate(items)],
            }
        }
    }


def test_a_reference_equal_to_the_atlas_agrees_fully() -> None:
    atlas = load_atlas()
    mine = sorted(atlas_regions(atlas, "supraspinatus"))
    assert mine, "supraspinatus has zones"
    rows, totals = zone_agreement(atlas, _reference([[r] for r in mine]))
    assert rows[0]["recall"] == 1.0 and rows[0]["precision"] == 1.0
    assert totals == {"muscles": 1.0, "recall": 1.0, "precision": 1.0}


def test_an_area_the_atlas_does_not_reach_lowers_recall_only() -> None:
    atlas = load_atlas()
    mine = sorted(atlas_regions(atlas, "supraspinatus"))
    outside = "big_toe"
    assert outside not in mine
    rows, _ = zone_agreement(atlas, _reference([[r] for r in mine] + [[outside]]))
    assert rows[0]["recall"] == round(len(mine) / (len(mine) + 1), 3)
    assert rows[0]["precision"] == 1.0
    assert rows[0]["missed"] == [f"area {len(mine)}"]


def test_an_atlas_region_the_reference_does_not_name_lowers_precision_only() -> None:
    atlas = load_atlas()
    mine = sorted(atlas_regions(atlas, "supraspinatus"))
    rows, _ = zone_agreement(atlas, _reference([[r] for r in mine[1:]]))
    assert rows[0]["recall"] == 1.0
    assert rows[0]["precision"] == round((len(mine) - 1) / len(mine), 3)
    assert rows[0]["extra"] == [mine[0]]


def test_an_area_counts_once_whichever_of_its_regions_the_atlas_reaches() -> None:
    atlas = load_atlas()
    mine = sorted(atlas_regions(atlas, "supraspinatus"))
    rows, _ = zone_agreement(atlas, _reference([[*mine, "big_toe"]]))
    assert rows[0]["recall"] == 1.0 and rows[0]["precision"] == 1.0


def test_a_group_entry_is_compared_with_the_pooled_zones_of_its_muscles() -> None:
    atlas = load_atlas()
    members = ["supraspinatus", "teres_minor"]
    pooled = sorted(set().union(*(atlas_regions(atlas, m) for m in members)))
    assert set(pooled) - atlas_regions(atlas, "supraspinatus"), "teres minor adds regions"
    reference = {
        "muscles": {
            "cuff": {
                "source": "test",
                "muscles": members,
                "items": [{"area": r, "regions": [r]} for r in pooled],
            }
        }
    }
    rows, _ = zone_agreement(atlas, reference)
    assert rows[0]["muscle"] == "cuff"
    assert rows[0]["recall"] == 1.0 and rows[0]["precision"] == 1.0
