"""The planning data parses into typed values, and a bad planning file is refused clearly."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from myomap.domain.errors import DataError
from myomap.domain.planning_data import PlanningData
from myomap.domain.pose import parse_pose
from myomap.knowledge.planning import FILES, load_planning, parse_planning
from myomap.knowledge.poses import load_poses

PLANNING = Path(__file__).resolve().parents[2] / "src" / "myomap" / "data" / "planning"


@pytest.fixture
def docs() -> dict[str, Any]:
    return {name: json.loads((PLANNING / name).read_text(encoding="utf-8")) for name in FILES}


def test_bundled_files_parse_into_typed_values(docs: dict[str, Any]) -> None:
    data = parse_planning(docs)
    assert isinstance(data, PlanningData)
    assert data.default_technique in data.techniques
    assert data.doses.pressure.level("first_visit").hold_cap_seconds == 60
    assert (
        data.doses.selection.max_trigger_points
        == docs["doses.json"]["selection"]["max_trigger_points"]
    )
    assert [b.id for b in data.benefits] == [b["id"] for b in docs["benefits.json"]["benefits"]]
    assert data == load_planning()


def test_numbers_keep_the_type_the_file_gives_them(docs: dict[str, Any]) -> None:
    """A threshold a plan prints as "7" must not become "7.0"."""
    docs["doses.json"]["calming"]["stress_at_least"] = 7
    docs["doses.json"]["calming"]["gad7_at_least"] = 9.5
    calming = parse_planning(docs).doses.calming
    assert f"{calming.stress_at_least}" == "7"
    assert f"{calming.gad7_at_least}" == "9.5"


def test_parsed_data_cannot_be_changed(docs: dict[str, Any]) -> None:
    data = parse_planning(docs)
    with pytest.raises(ValueError):
        data.doses.selection.max_trigger_points = 99  # type: ignore[misc]


@pytest.mark.parametrize(
    ("file", "change", "message"),
    [
        (
            "doses.json",
            lambda d: d["pressure"]["standard"].pop("repetitions_cap"),
            "planning/doses.json: pressure.standard.repetitions_cap: Field required",
        ),
        (
            "doses.json",
            lambda d: d["selection"].__setitem__("max_trigger_points", "eight"),
            "planning/doses.json: selection.max_trigger_points: Input should be a valid integer",
        ),
        (
            "doses.json",
            lambda d: d["signals"].__setitem__("chronic_week", 12),
            "planning/doses.json: signals.chronic_week: Extra inputs are not permitted",
        ),
        (
            "doses.json",
            lambda d: d.__setitem__("minutes_allowed", [180, 20]),
            "minutes_allowed: the first number must not exceed the second",
        ),
        (
            "techniques.json",
            lambda d: d.__setitem__("default", "cupping"),
            "default technique 'cupping' is not among the techniques",
        ),
        (
            "techniques.json",
            lambda d: d["techniques"]["deep_tissue"]["favoured_by"].__setitem__("sunburn", 2),
            "technique deep_tissue is favoured by unknown signals ['sunburn']",
        ),
        (
            "benefits.json",
            lambda d: d["benefits"][0].pop("claim"),
            "planning/benefits.json: benefits.0.claim: Field required",
        ),
        (
            "sources.json",
            lambda d: d["sources"]["lewit_1984"].__setitem__("label", ""),
            "planning/sources.json: sources.lewit_1984.label: String should have at least 1",
        ),
    ],
)
def test_bad_planning_file_names_the_file_and_the_entry(
    docs: dict[str, Any], file: str, change: Any, message: str
) -> None:
    bad = copy.deepcopy(docs)
    change(bad[file])
    with pytest.raises(DataError) as err:
        parse_planning(bad)
    assert message in str(err.value)


def test_unknown_source_is_refused(docs: dict[str, Any]) -> None:
    docs["doses.json"]["calming"]["sources"] = ["no_such_study"]
    with pytest.raises(DataError, match="unknown sources no_such_study"):
        parse_planning(docs)


def test_missing_file_is_refused(docs: dict[str, Any]) -> None:
    del docs["benefits.json"]
    with pytest.raises(DataError, match="missing benefits.json"):
        parse_planning(docs)


def test_pose_entry_with_a_misspelt_key_is_refused() -> None:
    with pytest.raises(ValueError, match="angel"):
        parse_pose("x", {"title": "t", "angel": {"head": 150}})


def test_bundled_poses_parse_into_typed_poses() -> None:
    library = load_poses()
    raw = json.loads((PLANNING / "poses.json").read_text(encoding="utf-8"))
    assert set(library.poses) == set(raw["poses"])
    pose = library.poses["neck_side_bend"]
    assert pose.arrow is not None and pose.arrow.at == "head"
    assert pose.angles["head"] == 150.0
