"""The CHOIR and Michigan crosswalk: the id tables as published, sides kept, complete both ways."""

from __future__ import annotations

import copy
import json
from importlib import resources
from typing import Any

import pytest

from myomap.domain.bodymap import BodyMap, Side
from myomap.domain.crosswalk import Crosswalk, Target, build_crosswalk
from myomap.domain.drawing import PainArea, PainDrawing
from myomap.domain.errors import DataError, UnknownRegionError
from myomap.knowledge.loader import load_crosswalk

RAW: dict[str, Any] = json.loads(
    (resources.files("myomap") / "data" / "bodymap" / "crosswalk.json").read_text("utf-8")
)


@pytest.fixture(scope="module")
def crosswalk() -> Crosswalk:
    return load_crosswalk()


def test_choir_has_74_ids_101_to_136_and_201_to_238(crosswalk: Crosswalk) -> None:
    ids = set(crosswalk.areas[Target.CHOIR])
    assert ids == set(range(101, 137)) | set(range(201, 239))
    front = [a for a in crosswalk.areas[Target.CHOIR].values() if a.view.value == "front"]
    assert len(front) == 36


def test_michigan_has_35_areas_keyed_0_to_34(crosswalk: Crosswalk) -> None:
    assert set(crosswalk.areas[Target.MICHIGAN]) == set(range(35))
    front = [a for a in crosswalk.areas[Target.MICHIGAN].values() if a.view.value == "front"]
    assert len(front) == 25


@pytest.mark.parametrize(
    ("area_id", "label", "key"),
    [
        (101, "Cranium (front-right)", "f01"),
        (110, "Shoulder (front-left)", "f10"),
        (125, "Hand (palm-right)", "f25"),
        (136, "Foot (top-left)", "f36"),
        (201, "Cranium (back-left)", "b01"),
        (223, "Buttocks (back-left)", "b23"),
        (238, "Foot (bottom-right)", "b38"),
    ],
)
def test_choir_labels_and_image_map_keys(
    crosswalk: Crosswalk, area_id: int, label: str, key: str
) -> None:
    area = crosswalk.areas[Target.CHOIR][area_id]
    assert (area.label, area.key) == (label, key)


@pytest.mark.parametrize(
    ("area_id", "label"),
    [
        (0, "Face"),
        (1, "Rt jaw"),
        (13, "Abdomen"),
        (24, "Lt ankle/foot"),
        (25, "Head"),
        (27, "Lt shoulder"),
        (28, "Rt shoulder"),
        (34, "Rt buttocks"),
    ],
)
def test_michigan_labels(crosswalk: Crosswalk, area_id: int, label: str) -> None:
    assert crosswalk.label(Target.MICHIGAN, area_id) == label


def test_label_side_agrees_with_recorded_side(crosswalk: Crosswalk) -> None:
    for area in crosswalk.areas[Target.CHOIR].values():
        assert area.label.endswith(f"{area.side.value})"), area.id
    for area in crosswalk.areas[Target.MICHIGAN].values():
        prefix = {"Rt": Side.RIGHT, "Lt": Side.LEFT}.get(area.label[:2], Side.MIDLINE)
        assert area.side is prefix, area.id


def test_coverage_is_complete_both_ways(crosswalk: Crosswalk, bodymap: BodyMap) -> None:
    assert crosswalk.coverage_problems(bodymap) == []


def test_sided_regions_map_to_ids_of_their_side(crosswalk: Crosswalk, bodymap: BodyMap) -> None:
    for region in bodymap:
        for target in Target:
            for area_id in crosswalk.ids_for(region.id, target):
                area_side = crosswalk.areas[target][area_id].side
                if region.side is not Side.MIDLINE and area_side is not Side.MIDLINE:
                    assert area_side is region.side, (region.id, target.value, area_id)


def test_left_and_right_mirror_to_mirror_ids(crosswalk: Crosswalk, bodymap: BodyMap) -> None:
    for region in bodymap:
        if region.side is Side.LEFT:
            mirror = bodymap.mirror(region.id)
            for target in Target:
                ids_l = crosswalk.ids_for(region.id, target)
                ids_r = crosswalk.ids_for(mirror, target)
                assert len(ids_l) == len(ids_r), region.id
                parts_l = sorted(crosswalk.areas[target][i].part for i in ids_l)
                parts_r = sorted(crosswalk.areas[target][i].part for i in ids_r)
                assert parts_l == parts_r, region.id


def test_midline_regions_reach_both_sides_of_a_sided_part(crosswalk: Crosswalk) -> None:
    assert crosswalk.ids_for("sternum", Target.CHOIR) == (108, 109)
    assert crosswalk.ids_for("vertex", Target.CHOIR) == (101, 102, 201, 202)
    assert crosswalk.ids_for("umbilical", Target.MICHIGAN) == (13,)


def test_spot_checks_of_the_assignment(crosswalk: Crosswalk) -> None:
    assert crosswalk.ids_for("temple_l", Target.CHOIR) == (102,)
    assert crosswalk.ids_for("heel_r", Target.CHOIR) == (238,)
    assert crosswalk.ids_for("olecranon_r", Target.CHOIR) == (216,)
    assert crosswalk.ids_for("jaw_r", Target.MICHIGAN) == (1,)
    assert crosswalk.ids_for("shoulder_top_l", Target.MICHIGAN) == (27,)
    assert crosswalk.ids_for("lumbar_spine", Target.MICHIGAN) == (30,)


def test_export_of_regions_and_of_a_drawing(crosswalk: Crosswalk) -> None:
    assert crosswalk.export(["temple_l", "temple_r", "forehead"], Target.CHOIR) == [101, 102]
    drawing = PainDrawing(
        areas=(
            PainArea(regions=("popliteal_l", "calf_upper_l"), intensity=6),
            PainArea(regions=("heel_r",), intensity=0),
        )
    )
    assert crosswalk.export_drawing(drawing, Target.MICHIGAN) == [20, 22]
    assert crosswalk.export_drawing(drawing, Target.CHOIR) == [231, 233]


def test_export_of_an_unknown_region_is_a_usage_error(crosswalk: Crosswalk) -> None:
    with pytest.raises(UnknownRegionError):
        crosswalk.export(["temple_x"], Target.CHOIR)


def test_sources_and_verification_are_recorded() -> None:
    for table in ("choir", "michigan"):
        assert RAW[table]["sources"], table
        assert set(RAW[table]["sources"]) <= set(RAW["sources"])
        assert RAW[table]["verification"]["labels"]
    assert "UNVERIFIED" in RAW["choir"]["verification"]["labels"]
    assert all(s["citation"] for s in RAW["sources"].values())
    assert RAW["mapping_status"]


def test_broken_crosswalk_data_lists_every_problem(bodymap: BodyMap) -> None:
    raw = copy.deepcopy(RAW)
    raw["regions"]["temple"]["choir"] = ["cranium_sideways"]
    del raw["regions"]["heel"]
    raw["regions"]["elbow_pit"] = {"choir": [], "michigan": []}
    with pytest.raises(DataError) as err:
        build_crosswalk(raw, bodymap)
    message = str(err.value)
    assert "cranium_sideways" in message
    assert "'heel' is not mapped" in message
    assert "unknown region 'elbow_pit'" in message


def test_coverage_check_finds_unreached_ids(bodymap: BodyMap) -> None:
    raw = copy.deepcopy(RAW)
    raw["regions"]["vertex"]["choir"] = ["cranium_front"]  # the only path to 201/202
    raw["regions"]["jaw"]["michigan"] = []
    problems = build_crosswalk(raw, bodymap).coverage_problems(bodymap)
    assert "choir id 201: no region maps to it" in problems
    assert "region jaw_l: no michigan id" in problems
