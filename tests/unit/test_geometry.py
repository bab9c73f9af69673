"""Polygon maths and atlas point placement on the chart geometry."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from myomap.domain.bodymap import BodyMap, View
from myomap.domain.errors import DataError
from myomap.domain.geometry import (
    ChartGeometry,
    Shape,
    parse_geometry,
    points_in_rings,
    region_area_percent,
    ring_area,
)
from myomap.knowledge.loader import load_geometry

SQUARE = ((0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0))
HOLE = ((4.0, 4.0), (6.0, 4.0), (6.0, 6.0), (4.0, 6.0))


@pytest.fixture(scope="module")
def geometry() -> ChartGeometry:
    return load_geometry()


def test_shoelace_area_of_square_and_triangle() -> None:
    assert ring_area(SQUARE) == 100.0
    assert ring_area(SQUARE[::-1]) == 100.0
    assert ring_area(((0, 0), (4, 0), (0, 3))) == 6.0


def test_shape_with_hole() -> None:
    shape = Shape((SQUARE, HOLE))
    assert shape.area == 96.0
    assert shape.contains(2, 2)
    assert not shape.contains(5, 5)  # in the hole
    assert not shape.contains(11, 5)
    assert shape.bbox == (0.0, 0.0, 10.0, 10.0)
    assert shape.centroid == pytest.approx((5.0, 5.0))


def test_points_in_rings_vectorised_matches_scalar() -> None:
    tri = ((0.0, 0.0), (10.0, 0.0), (0.0, 10.0))
    xs, ys = np.meshgrid(np.arange(-1, 11) + 0.3, np.arange(-1, 11) + 0.1)
    inside = points_in_rings((tri,), xs, ys)
    expected = (xs > 0) & (ys > 0) & (xs + ys < 10)
    assert (inside == expected).all()


def test_area_percent_sums_to_100(geometry: ChartGeometry) -> None:
    pct = geometry.area_percent()
    assert sum(pct.values()) == pytest.approx(100.0)
    assert all(v > 0 for v in pct.values())


def test_region_area_percent_from_json_matches_bodymap(bodymap: BodyMap) -> None:
    doc = {
        "format": "myomap.geometry/1",
        "views": {"front": {"silhouette": [list(SQUARE)]}},
        "regions": {
            "a": {"view": "front", "rings": [list(SQUARE)]},
            "b": {"view": "back", "rings": [[(0, 0), (30, 0), (30, 10), (0, 10)]]},
        },
    }
    assert region_area_percent(doc) == {"a": 25.0, "b": 75.0}
    assert bodymap.get("temple_r").area > 0
    assert sum(r.area for r in bodymap) == pytest.approx(100.0, abs=0.01)


@pytest.mark.parametrize(
    "doc",
    [
        {"format": "other"},
        {"format": "myomap.geometry/1"},
        {
            "format": "myomap.geometry/1",
            "views": {},
            "regions": {"x": {"view": "side", "rings": []}},
        },
    ],
)
def test_malformed_geometry_is_a_data_error(doc: dict[str, object]) -> None:
    with pytest.raises(DataError):
        parse_geometry(doc)


@pytest.mark.parametrize("at", [(0.5, 0.5), (0.0, 0.0), (1.0, 1.0), (0.1, 0.9), (0.9, 0.2)])
def test_trp_point_lands_inside_every_region(
    geometry: ChartGeometry, at: tuple[float, float]
) -> None:
    for rid, region in geometry.regions.items():
        view, x, y = geometry.trp_point(rid, at)
        assert view is region.view
        assert region.shape.contains(x, y), (rid, at, x, y)


def test_trp_point_mirrors_between_sides(geometry: ChartGeometry) -> None:
    for rid in ("infraspinous_r", "temple_r", "thigh_outer_r", "calf_upper_r"):
        _, xr, yr = geometry.trp_point(rid, (0.3, 0.4))
        _, xl, yl = geometry.trp_point(rid[:-2] + "_l", (0.3, 0.4))
        assert xr + xl == pytest.approx(400.0, abs=0.5)
        assert yr == pytest.approx(yl, abs=0.5)


def test_trp_point_x_fraction_runs_from_midline_outward(geometry: ChartGeometry) -> None:
    # front view: right side on the viewer's left, so outward means smaller x
    _, x_in, _ = geometry.trp_point("chest_mid_r", (0.1, 0.5))
    _, x_out, _ = geometry.trp_point("chest_mid_r", (0.9, 0.5))
    assert x_out < x_in < 200
    # back view: right side on the viewer's right, so outward means larger x
    _, x_in, _ = geometry.trp_point("infraspinous_r", (0.1, 0.5))
    _, x_out, _ = geometry.trp_point("infraspinous_r", (0.9, 0.5))
    assert 200 < x_in < x_out


def test_region_at_finds_the_region_under_a_point(geometry: ChartGeometry) -> None:
    for rid in ("patella_l", "sacrum", "thumb_r", "upper_teeth_l"):
        view, x, y = geometry.trp_point(rid)
        assert geometry.region_at(view, x, y) == rid
    assert geometry.region_at(View.FRONT, 5, 5) is None


def test_unknown_region_is_a_key_error(geometry: ChartGeometry) -> None:
    with pytest.raises(KeyError):
        geometry.trp_point("no_such_region")


@settings(max_examples=150, deadline=None)
@given(
    rid=st.sampled_from(sorted(load_geometry().regions)),
    fx=st.floats(0.0, 1.0),
    fy=st.floats(0.0, 1.0),
)
def test_trp_point_property_always_inside(rid: str, fx: float, fy: float) -> None:
    geometry = load_geometry()
    view, x, y = geometry.trp_point(rid, (fx, fy))
    assert view is geometry.regions[rid].view
    assert geometry.regions[rid].shape.contains(x, y)
