"""The bundled chart geometry: complete, symmetric, non-overlapping and proportioned."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from myomap.domain.bodymap import BodyMap, View
from myomap.domain.geometry import ChartGeometry, points_in_rings
from myomap.knowledge.loader import data_root, load_geometry

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def geometry() -> ChartGeometry:
    return load_geometry()


def test_every_region_has_a_polygon_on_its_view(geometry: ChartGeometry, bodymap: BodyMap) -> None:
    assert set(geometry.regions) == set(bodymap.regions)
    assert len(geometry.regions) == 189
    for region in bodymap:
        assert geometry.regions[region.id].view is region.view


def test_bilateral_regions_mirror_each_other(geometry: ChartGeometry, bodymap: BodyMap) -> None:
    for region in bodymap:
        shape = geometry.regions[region.id].shape
        twin = geometry.regions[bodymap.mirror(region.id)].shape
        cx, cy = shape.centroid
        tx, ty = twin.centroid
        assert cx + tx == pytest.approx(400.0, abs=0.3), region.id
        assert cy == pytest.approx(ty, abs=0.3), region.id
        assert shape.area == pytest.approx(twin.area, rel=0.01), region.id
        if region.is_midline:
            assert cx == pytest.approx(200.0, abs=0.3), region.id


def test_sides_sit_on_the_right_half(geometry: ChartGeometry, bodymap: BodyMap) -> None:
    # front: patient's right on the viewer's left; back: patient's left on the viewer's left
    for region in bodymap:
        if region.is_midline:
            continue
        x = geometry.regions[region.id].shape.centroid[0]
        viewer_left = (region.view is View.FRONT) == (region.side.value == "right")
        assert (x < 200) == viewer_left, region.id


def test_regions_do_not_overlap(geometry: ChartGeometry) -> None:
    step = 1.0
    xs, ys = np.meshgrid(np.arange(0, 400, step) + 0.5, np.arange(0, 1000, step) + 0.5)
    for view in (View.FRONT, View.BACK):
        count = np.zeros(xs.shape, dtype=np.int16)
        for region in geometry.in_view(view):
            x0, y0, x1, y1 = region.shape.bbox
            c0, c1, r0, r1 = int(x0), int(x1) + 1, int(y0), int(y1) + 1
            count[r0:r1, c0:c1] += points_in_rings(
                region.shape.rings, xs[r0:r1, c0:c1], ys[r0:r1, c0:c1]
            )
        body = int((count > 0).sum())
        assert int((count > 1).sum()) <= 0.001 * body, view


def test_regions_fill_the_silhouette(geometry: ChartGeometry) -> None:
    """Small gaps between regions are fine; uncovered body is not."""
    for view in (View.FRONT, View.BACK):
        sil = geometry.silhouettes[view]
        from myomap.domain.geometry import Shape

        body = Shape(sil).area
        covered = sum(r.shape.area for r in geometry.in_view(view))
        assert 0.97 * body < covered <= body * 1.001, view


def test_figure_proportions(geometry: ChartGeometry) -> None:
    sil = np.asarray(geometry.silhouettes[View.FRONT][0])
    top, bottom = sil[:, 1].min(), sil[:, 1].max()
    head = geometry.regions["chin"].shape.bbox[3] - top
    assert 7.3 <= (bottom - top) / head <= 8.1
    head_w = max(
        geometry.regions["temple_l"].shape.bbox[2] - geometry.regions["temple_r"].shape.bbox[0], 1
    )
    shoulders = (
        geometry.regions["shoulder_side_l"].shape.bbox[2]
        - geometry.regions["shoulder_side_r"].shape.bbox[0]
    )
    assert 1.8 <= shoulders / head_w <= 2.6
    # hands hang at mid-thigh, feet at the bottom
    assert (
        geometry.regions["middle_finger_r"].shape.bbox[3]
        < geometry.regions["patella_r"].shape.bbox[1]
    )
    assert geometry.regions["big_toe_r"].shape.bbox[3] > 980


def test_small_regions_are_still_hittable(geometry: ChartGeometry) -> None:
    for rid in (
        "upper_teeth_r",
        "tmj_r",
        "eyebrow_r",
        "little_finger_l",
        "coccyx",
        "perineum",
        "ear_l",
        "thumb_r",
    ):
        shape = geometry.regions[rid].shape
        assert shape.area >= 25, rid
        x0, y0, x1, y1 = shape.bbox
        assert min(x1 - x0, y1 - y0) >= 4, rid


def test_geometry_file_is_what_the_generator_makes(tmp_path: Path) -> None:
    fresh = tmp_path / "geometry.json"
    out = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "build_geometry.py"), "--output", str(fresh)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    bundled = (data_root() / "bodymap" / "geometry.json").read_text(encoding="utf-8")
    assert fresh.read_text(encoding="utf-8") == bundled, "run tools/build_geometry.py"
    assert json.loads(bundled)["format"] == "myomap.geometry/1"


def test_every_atlas_trigger_point_lands_in_its_region(
    geometry: ChartGeometry, bodymap: BodyMap, atlas: Any
) -> None:
    from myomap.domain.bodymap import Side

    placed = 0
    for muscle in atlas.muscles:
        for trp in muscle.trigger_points:
            base = trp.location.region
            ids = {bodymap.on_side(base, Side.RIGHT), bodymap.on_side(base, Side.LEFT)}
            for rid in ids:
                view, x, y = geometry.trp_point(rid, trp.location.at)
                assert geometry.regions[rid].shape.contains(x, y), (trp.id, rid)
                placed += 1
    assert placed > 0


def test_shoulders_about_two_and_a_quarter_head_widths(geometry: ChartGeometry) -> None:
    head_w = geometry.regions["temple_l"].shape.bbox[2] - geometry.regions["temple_r"].shape.bbox[0]
    for view, (right, left) in (
        (View.FRONT, ("shoulder_side_r", "shoulder_side_l")),
        (View.BACK, ("shoulder_back_r", "shoulder_back_l")),
    ):
        width = geometry.regions[left].shape.bbox[2] - geometry.regions[right].shape.bbox[0]
        if view is View.BACK:  # the back view has the patient's left on the viewer's left
            width = geometry.regions[right].shape.bbox[2] - geometry.regions[left].shape.bbox[0]
        assert 2.15 <= width / head_w <= 2.35, view


def _decoration() -> dict[View, list[np.ndarray]]:
    doc = json.loads((data_root() / "bodymap" / "geometry.json").read_text(encoding="utf-8"))
    return {
        View(v): [np.asarray(line, dtype=float) for line in raw["decoration"]]
        for v, raw in doc["views"].items()
    }


def _inside_any(geometry: ChartGeometry, ids: list[str], pts: np.ndarray) -> np.ndarray:
    inside = np.zeros(len(pts), dtype=bool)
    for rid in ids:
        inside |= points_in_rings(geometry.regions[rid].shape.rings, pts[:, 0], pts[:, 1])
    return inside


def test_face_lines_lie_on_the_face_and_are_symmetric(geometry: ChartGeometry) -> None:
    lines = _decoration()[View.FRONT]
    assert len(lines) >= 4
    face = [
        r.id
        for r in geometry.in_view(View.FRONT)
        if r.id.split("_")[0] in ("cheek", "jaw", "upper", "lower", "forehead", "chin")
    ]
    pts = np.vstack(lines)
    # points on the midline fall on the seam between the two cheeks: allow a unit either way
    near = np.zeros(len(pts), dtype=bool)
    for dx in (-1.0, 0.0, 1.0):
        near |= _inside_any(geometry, face, pts + [dx, 0.0])
    assert near.all()
    # nose between the eyes and the mouth, lips on the mouth
    eye_y = geometry.regions["orbit_r"].shape.centroid[1]
    chin_top = geometry.regions["chin"].shape.bbox[1]
    assert (pts[:, 1] > eye_y).all() and (pts[:, 1] < chin_top).all()
    mirrored = np.column_stack([400 - pts[:, 0], pts[:, 1]])
    gap = np.hypot(*(mirrored[:, None, :] - pts[None, :, :]).transpose(2, 0, 1)).min(axis=1)
    assert gap.max() < 0.25


def test_finger_lines_separate_the_fingers_on_the_back_of_each_hand(
    geometry: ChartGeometry,
) -> None:
    lines = _decoration()[View.BACK]
    for rid in ("hand_back_l", "hand_back_r"):
        shape = geometry.regions[rid].shape
        x0, _, x1, _ = shape.bbox
        own = [ln for ln in lines if x0 <= ln[:, 0].mean() <= x1]
        assert len(own) == 3, rid  # between four fingers
        for line in own:
            assert _inside_any(geometry, [rid], line).all(), rid
            assert np.hypot(*(line[-1] - line[0])) > 8, rid  # knuckle to cleft, not a dot
        # apart from each other across the hand
        starts = sorted(float(ln[0, 0]) for ln in own)
        assert min(b - a for a, b in zip(starts, starts[1:], strict=False)) > 4, rid


def test_toe_clefts_sit_at_the_front_of_each_sole(geometry: ChartGeometry) -> None:
    lines = _decoration()[View.BACK]
    for side in ("l", "r"):
        ball = geometry.regions[f"ball_of_foot_{side}"].shape
        x0, y0, x1, y1 = ball.bbox
        own = [ln for ln in lines if x0 <= ln[:, 0].mean() <= x1 and ln[:, 1].min() >= y0]
        assert len(own) == 4, side  # between five toes
        for line in own:
            assert _inside_any(geometry, [f"ball_of_foot_{side}"], line).all(), side
            tip = line[np.argmax(line[:, 1])] + [0.0, 2.0]  # reaching the tips of the toes
            assert not ball.contains(float(tip[0]), float(tip[1])), side
    heel_y = geometry.regions["heel_l"].shape.centroid[1]
    assert all(ln[:, 1].min() > heel_y for ln in lines if ln[:, 1].min() > 900)
