"""A drawing as people read it: the worst intensity per body pixel for the chart's heat layer,
and the painted places in words, worst first (the client's drawing on the therapist's page)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from myomap.domain.bodymap import View
from myomap.domain.drawing import PainDrawing
from myomap.domain.raster import Template, area_masks, intensity_grid
from myomap.knowledge.loader import load_bodymap
from myomap.services.drawings import painted_places
from myomap.services.drawings import template as bundled_template
from tests.unit.test_raster import centre


@pytest.fixture(scope="module")
def tpl() -> Template:
    return bundled_template()


def drawing(*areas: dict[str, Any]) -> PainDrawing:
    return PainDrawing.model_validate({"areas": list(areas)})


def test_the_grid_holds_the_worst_intensity_drawn_on_each_pixel(tpl: Template) -> None:
    x, y = centre(tpl, "thigh_front_l")
    stroke = {"view": "front", "points": [[x, y - 20], [x, y + 20]], "width": 10}
    d = drawing(
        {"regions": ["thigh_front_l", "temple_r"], "intensity": 3},
        {"strokes": [stroke], "intensity": 8},
    )
    grid = intensity_grid(d, tpl)
    assert set(grid) == {View.FRONT, View.BACK}
    thigh = tpl.labels[View.FRONT] == tpl.index["thigh_front_l"]
    painted = area_masks(d.areas[1], tpl)[View.FRONT]
    assert painted.any() and np.all(grid[View.FRONT][painted] == pytest.approx(0.8))
    assert np.all(grid[View.FRONT][thigh & ~painted] == pytest.approx(0.3))
    temple = tpl.labels[View.FRONT] == tpl.index["temple_r"]
    assert np.all(grid[View.FRONT][temple] == pytest.approx(0.3))
    untouched = tpl.body(View.FRONT) & ~thigh & ~temple & ~painted
    assert not grid[View.FRONT][untouched].any()
    assert not grid[View.BACK].any()


def test_an_empty_drawing_paints_nothing(tpl: Template) -> None:
    grid = intensity_grid(drawing(), tpl)
    assert all(not g.any() for g in grid.values())


def test_places_read_strokes_and_put_the_worst_first(tpl: Template) -> None:
    x, y = centre(tpl, "calf_upper_r")
    stroke = {"view": "back", "points": [[x, y - 5], [x, y + 5]], "width": 6}
    d = drawing(
        {"regions": ["temple_r"], "intensity": 4, "quality": "aching"},
        {"strokes": [stroke], "intensity": 9},
    )
    places = painted_places(d, load_bodymap())
    assert [p.region for p in places] == ["calf_upper_r", "temple_r"]
    assert places[0].intensity == 9 and places[0].label.startswith("Right")
    assert places[1].label == "Right temple" and places[1].quality == "aching"
