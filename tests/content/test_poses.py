"""Exercise pictures: every stretch and movement of the atlas has one, and every one draws."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from myomap.chart.pose_svg import pose_svg
from myomap.domain.atlas import Atlas
from myomap.domain.pose import parse_pose
from myomap.knowledge.poses import load_poses

LIBRARY = load_poses()


def test_every_atlas_exercise_has_a_picture(atlas: Atlas) -> None:
    names = {ex.name for m in atlas.muscles for ex in (m.release.stretch, m.release.rom_exercise)}
    assert names, "the atlas lists no exercises"
    missing = sorted(n for n in names if n not in LIBRARY.exercises)
    assert not missing
    unused = set(LIBRARY.poses) - set(LIBRARY.exercises.values())
    assert not unused


@pytest.mark.parametrize("pid", sorted(LIBRARY.poses))
def test_every_pose_draws_inside_its_frame(pid: str) -> None:
    svg = pose_svg(LIBRARY.poses[pid], width=160)
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.find(f"{ns}title") is not None
    size = float(root.get("viewBox", "0 0 0 0").split()[2])
    coords = [
        float(v)
        for el in root.iter()
        for key in ("x1", "x2", "y1", "y2", "cx", "cy")
        if (v := el.get(key)) is not None
    ]
    assert coords and all(-1 <= c <= size + 1 for c in coords), pid
    assert root.find(f"{ns}polygon") is not None  # every pose shows its movement


def test_free_text_finds_the_longest_exercise_name() -> None:
    pose = LIBRARY.for_exercise("upper trapezius stretch, 3 x 30 s, twice a day")
    assert pose is not None and pose.id == LIBRARY.exercises["Upper trapezius stretch"]
    assert LIBRARY.for_exercise("something else entirely") is None


@pytest.mark.parametrize(
    "raw, message",
    [
        ({"title": "t", "posture": "floating"}, "unknown posture"),
        ({"title": "t", "view": "top"}, "view must be"),
        ({"title": "t", "arrow": {"at": "tail", "direction": 0}}, "no joint 'tail'"),
    ],
)
def test_bad_pose_data_is_refused(raw: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_pose("x", raw)
