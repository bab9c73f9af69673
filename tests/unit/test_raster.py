"""Pain drawings on the equal-area template: coverage, extent, Jaccard and frequency."""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import pytest

from myomap.domain.bodymap import View
from myomap.domain.drawing import PainDrawing
from myomap.domain.raster import (
    Template,
    coverage_by_region,
    drawing_masks,
    extent_percent,
    frequency_map,
    jaccard,
)
from myomap.services.drawings import template as bundled_template


@pytest.fixture(scope="module")
def tpl() -> Template:
    return bundled_template()


def drawing(*areas: dict[str, Any]) -> PainDrawing:
    return PainDrawing.model_validate({"areas": list(areas)})


def centre(tpl: Template, rid: str) -> tuple[float, float]:
    """A point well inside the region: the template pixel farthest from its border."""
    view, mask = tpl.region_mask(rid)
    rows, cols = np.nonzero(mask)
    # erode until one pixel block is left
    core = mask.copy()
    while True:
        nxt = core.copy()
        nxt[1:, :] &= core[:-1, :]
        nxt[:-1, :] &= core[1:, :]
        nxt[:, 1:] &= core[:, :-1]
        nxt[:, :-1] &= core[:, 1:]
        if not nxt.any():
            break
        core = nxt
    rows, cols = np.nonzero(core)
    return ((cols[0] + 0.5) * tpl.resolution, (rows[0] + 0.5) * tpl.resolution)


@pytest.mark.parametrize("rid", ["temple_r", "sacrum", "thigh_front_l", "upper_teeth_l"])
def test_one_region_extent_equals_its_area(tpl: Template, rid: str) -> None:
    cov = coverage_by_region(drawing({"regions": [rid], "intensity": 4}), tpl)
    assert set(cov) == {rid}
    assert cov[rid].coverage == 1.0
    assert extent_percent(cov, tpl) == pytest.approx(tpl.area_percent[rid])


def test_whole_body_extent_is_100(tpl: Template) -> None:
    d = drawing({"regions": list(tpl.region_ids), "intensity": 2})
    assert extent_percent(coverage_by_region(d, tpl), tpl) == pytest.approx(100.0)


def test_identical_drawings_jaccard_one_and_disjoint_zero(tpl: Template) -> None:
    a = drawing({"regions": ["temple_r", "jaw_r"], "intensity": 5})
    b = drawing({"regions": ["calf_upper_l"], "intensity": 5})
    assert jaccard(a, a, tpl) == 1.0
    assert jaccard(a, b, tpl) == 0.0
    half = drawing({"regions": ["temple_r"], "intensity": 5})
    expected = tpl.pixels[tpl.index["temple_r"]] / (
        tpl.pixels[tpl.index["temple_r"]] + tpl.pixels[tpl.index["jaw_r"]]
    )
    assert jaccard(a, half, tpl) == pytest.approx(expected)
    assert jaccard(drawing(), drawing(), tpl) == 1.0


def test_stroke_inside_a_region_covers_only_that_region(tpl: Template) -> None:
    x, y = centre(tpl, "thigh_front_r")
    d = drawing(
        {
            "strokes": [{"view": "front", "points": [[x, y - 2], [x, y + 2]], "width": 4}],
            "intensity": 3,
            "quality": "burning",
        }
    )
    cov = coverage_by_region(d, tpl)
    assert list(cov) == ["thigh_front_r"]
    assert 0 < cov["thigh_front_r"].coverage < 0.1
    assert cov["thigh_front_r"].quality == "burning"
    assert 0 < extent_percent(cov, tpl) < tpl.area_percent["thigh_front_r"]


def test_stroke_off_the_body_paints_nothing(tpl: Template) -> None:
    d = drawing({"strokes": [{"view": "back", "points": [[5, 5], [20, 20]]}], "intensity": 9})
    assert coverage_by_region(d, tpl) == {}
    assert not any(m.any() for m in drawing_masks(d, tpl).values())


def test_overlapping_areas_keep_the_highest_intensity(tpl: Template) -> None:
    d = drawing(
        {"regions": ["temple_r", "forehead"], "intensity": 3, "quality": "aching"},
        {"regions": ["temple_r"], "intensity": 8, "quality": "throbbing"},
    )
    cov = coverage_by_region(d, tpl)
    assert cov["temple_r"].intensity == 8
    assert cov["temple_r"].quality == "throbbing"
    assert cov["forehead"].intensity == 3
    single = coverage_by_region(drawing({"regions": ["temple_r", "forehead"], "intensity": 1}), tpl)
    assert extent_percent(cov, tpl) == pytest.approx(extent_percent(single, tpl))


def test_frequency_map_counts_drawings_per_region_and_pixel(tpl: Template) -> None:
    a = drawing({"regions": ["lumbar_l", "lumbar_r"], "intensity": 5})
    b = drawing({"regions": ["lumbar_l"], "intensity": 2})
    c = drawing({"regions": ["neck_back_r"], "intensity": 2})
    freq = frequency_map([a, b, c], tpl)
    assert freq.drawings == 3
    assert freq.region_fraction["lumbar_l"] == pytest.approx(2 / 3)
    assert freq.region_fraction["lumbar_r"] == pytest.approx(1 / 3)
    assert "temple_r" not in freq.region_fraction
    assert freq.max_count == 2
    _, lumbar_l = tpl.region_mask("lumbar_l")
    assert (freq.pixel_counts[View.BACK][lumbar_l] == 2).all()
    assert frequency_map([], tpl).drawings == 0


def test_500_point_stroke_rasterises_fast(tpl: Template) -> None:
    t = np.linspace(0, 1, 500)
    pts = np.stack([160 + 30 * np.sin(t * 12), 250 + 500 * t], axis=1).tolist()
    d = drawing({"strokes": [{"view": "front", "points": pts, "width": 12}], "intensity": 6})
    start = time.perf_counter()
    cov = coverage_by_region(d, tpl)
    elapsed = time.perf_counter() - start
    assert len(cov) > 3
    assert elapsed < 2.0
