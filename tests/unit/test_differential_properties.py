"""Properties the differential must keep for every drawing (hypothesis), on the fixture atlas."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from myomap.domain.bodymap import BodyMap
from myomap.domain.drawing import PainArea, PainDrawing
from myomap.domain.errors import UsageError
from myomap.services.differential import Differential, build_differential, locate
from tests.lib.atlas_fixture import fixture_atlas

SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture(scope="module")
def diff(bodymap: BodyMap) -> Differential:
    return build_differential(fixture_atlas(), bodymap)


def marginals(diff: Differential, drawing: PainDrawing) -> dict[tuple[str, str], float]:
    result = locate(drawing, differential=diff, top=diff.model.n_instances)
    return {(c.trigger_point, c.side.value): c.probability for c in result.candidates}


def drawings(bodymap: BodyMap) -> st.SearchStrategy[PainDrawing]:
    ids = sorted(bodymap.regions)
    area = st.builds(
        lambda regions, intensity: PainArea(regions=tuple(regions), intensity=intensity),
        st.lists(st.sampled_from(ids), min_size=1, max_size=5, unique=True),
        st.integers(min_value=1, max_value=10),
    )
    return st.builds(
        lambda areas, np_: PainDrawing(areas=tuple(areas), not_painful=tuple(np_)),
        st.lists(area, min_size=1, max_size=3),
        st.lists(st.sampled_from(ids), max_size=4, unique=True),
    )


@SETTINGS
@given(data=st.data())
def test_essential_zone_puts_its_trigger_point_in_top_3(
    diff: Differential, data: st.DataObject
) -> None:
    inst = data.draw(st.sampled_from(diff.model.instances))
    result = locate(list(inst.essential), differential=diff, top=3)
    assert (inst.trigger_point, inst.side) in [(c.trigger_point, c.side) for c in result.candidates]


@SETTINGS
@given(data=st.data())
def test_mirroring_the_drawing_mirrors_the_ranking(
    diff: Differential, bodymap: BodyMap, data: st.DataObject
) -> None:
    drawing = data.draw(drawings(bodymap))
    mirrored = PainDrawing(
        areas=tuple(
            PainArea(regions=tuple(bodymap.mirror(r) for r in a.regions), intensity=a.intensity)
            for a in drawing.areas
        ),
        not_painful=tuple(bodymap.mirror(r) for r in drawing.not_painful),
    )
    flip = {"left": "right", "right": "left", "midline": "midline"}
    before = marginals(diff, drawing)
    after = marginals(diff, mirrored)
    assert {(t, flip[s]) for t, s in before} == set(after)
    for (trp, side), p in before.items():
        assert after[(trp, flip[side])] == pytest.approx(p, rel=1e-6, abs=1e-12)


@SETTINGS
@given(data=st.data())
def test_adding_a_region_only_one_trigger_point_explains_never_lowers_it(
    diff: Differential, bodymap: BodyMap, data: st.DataObject
) -> None:
    model = diff.model
    explainers = (model.kind > 0).sum(axis=0)
    unique_cols = [c for c in range(len(model.regions)) if explainers[c] == 1]
    col = data.draw(st.sampled_from(unique_cols))
    region = model.regions[col]
    owner = int((model.kind[:, col] > 0).nonzero()[0][0])
    inst = model.instances[owner]
    drawing = data.draw(drawings(bodymap))
    if region in drawing.region_ids():
        return
    intensity = data.draw(st.integers(min_value=1, max_value=10))
    grown = PainDrawing(
        areas=(*drawing.areas, PainArea(regions=(region,), intensity=intensity)),
        not_painful=tuple(r for r in drawing.not_painful if r != region),
    )
    key = (inst.trigger_point, inst.side.value)
    before = marginals(diff, drawing).get(key, 0.0)
    after = marginals(diff, grown)[key]
    assert after >= before - 1e-12


@SETTINGS
@given(
    regions=st.lists(st.text(min_size=0, max_size=12), max_size=6),
    findings=st.lists(st.text(max_size=30), max_size=3),
    top=st.integers(min_value=-3, max_value=500),
)
def test_no_input_crashes_the_engine(
    diff: Differential, regions: list[str], findings: list[str], top: int
) -> None:
    with contextlib.suppress(UsageError):
        locate(regions, differential=diff, findings=findings, top=top)


@SETTINGS
@given(data=st.data())
def test_any_valid_drawing_gives_bounded_ordered_probabilities(
    diff: Differential, bodymap: BodyMap, data: st.DataObject
) -> None:
    result = locate(data.draw(drawings(bodymap)), differential=diff, top=20)
    probs = [c.probability for c in result.candidates]
    # ties (equal up to rounding noise) are ordered by a stable key, not by the last bit
    assert all(a >= b - 1e-9 for a, b in zip(probs, probs[1:], strict=False))
    assert all(0.0 <= p <= 1.0 for p in probs)
    assert all(0.0 <= e.probability <= 1.0 for e in result.explanations)


@pytest.fixture(scope="module")
def bundled() -> Differential:
    from myomap.services.differential import default_differential

    return default_differential()


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_mirroring_holds_on_the_bundled_atlas(
    bundled: Differential, bodymap: BodyMap, data: st.DataObject
) -> None:
    drawing = data.draw(drawings(bodymap))
    mirrored = PainDrawing(
        areas=tuple(
            PainArea(regions=tuple(bodymap.mirror(r) for r in a.regions), intensity=a.intensity)
            for a in drawing.areas
        ),
        not_painful=tuple(bodymap.mirror(r) for r in drawing.not_painful),
    )
    flip = {"left": "right", "right": "left", "midline": "midline"}
    before = marginals(bundled, drawing)
    after = marginals(bundled, mirrored)
    for (trp, side), p in before.items():
        assert after[(trp, flip[side])] == pytest.approx(p, rel=1e-6, abs=1e-12)
