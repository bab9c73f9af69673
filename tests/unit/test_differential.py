"""The differential engine and its service on a small fixed atlas (tests/lib/atlas_fixture.py)."""

from __future__ import annotations

import numpy as np
import pytest

from myomap.domain.bodymap import BodyMap, Side
from myomap.domain.differential import Evidence
from myomap.domain.drawing import PainArea, PainDrawing
from myomap.domain.errors import UnknownRegionError, UsageError
from myomap.domain.findings import Finding, parse_finding
from myomap.domain.instances import expand_instances
from myomap.domain.ranking import palpation_gain
from myomap.services.differential import (
    Differential,
    build_differential,
    locate,
    locate_many,
    ranking_to_dict,
)
from tests.lib.atlas_fixture import fixture_atlas


@pytest.fixture(scope="module")
def diff(bodymap: BodyMap) -> Differential:
    return build_differential(fixture_atlas(), bodymap)


def top_ids(result: object, k: int = 3) -> list[tuple[str, str]]:
    return [(c.trigger_point, c.side.value) for c in result.candidates[:k]]  # type: ignore[attr-defined]


def prob(result: object, trp: str, side: str) -> float:
    for c in result.candidates:  # type: ignore[attr-defined]
        if c.trigger_point == trp and c.side.value == side:
            return float(c.probability)
    raise AssertionError(f"{trp} {side} not among candidates")


# -- expansion -------------------------------------------------------------------------------


def test_zones_resolve_per_side(bodymap: BodyMap) -> None:
    inst = {(i.trigger_point, i.side): i for i in expand_instances(fixture_atlas(), bodymap)}
    scm_left = inst[("sternocleidomastoid.clavicular_1", Side.LEFT)]
    assert "forehead" in scm_left.essential  # midline base keeps its id
    assert scm_left.spillover == ()  # contra:forehead is midline, already essential
    ql = inst[("quadratus_lumborum.deep_1", Side.RIGHT)]
    assert ql.essential == ("sacroiliac_r", "buttock_lower_r")
    assert ql.spillover == ("sacroiliac_l",)  # both: adds the other side, same side is essential
    assert inst[("trapezius.upper_1", Side.LEFT)].essential == (
        "neck_back_l",
        "mastoid_l",
        "temple_l",
    )


def test_all_midline_trigger_point_has_one_instance(bodymap: BodyMap) -> None:
    sides = [
        i.side
        for i in expand_instances(fixture_atlas(), bodymap)
        if i.trigger_point == "rectus_abdominis.upper_1"
    ]
    assert sides == [Side.MIDLINE]


# -- ranking ---------------------------------------------------------------------------------


def test_full_essential_zone_ranks_its_trigger_point_first(diff: Differential) -> None:
    result = locate(["neck_back_r", "mastoid_r", "temple_r"], differential=diff)
    assert top_ids(result, 1) == [("trapezius.upper_1", "right")]
    assert result.candidates[0].essential == ("mastoid_r", "neck_back_r", "temple_r")
    assert result.candidates[0].unexplained == ()
    assert all(c.side is Side.RIGHT or c.unexplained for c in result.candidates)


def test_probabilities_are_ordered_and_bounded(diff: Differential) -> None:
    result = locate(["jaw_l", "cheek_l"], differential=diff)
    probs = [c.probability for c in result.candidates]
    assert all(a >= b - 1e-9 for a, b in zip(probs, probs[1:], strict=False))
    assert all(0.0 <= p <= 1.0 for p in probs)
    assert [c.rank for c in result.candidates] == list(range(1, len(probs) + 1))
    assert top_ids(result, 1) == [("masseter.superficial_1", "left")]


def test_candidates_only_list_trigger_points_that_refer_to_the_drawing(
    diff: Differential,
) -> None:
    result = locate(["heel_l"], differential=diff, top=10)
    assert top_ids(result, 10) == [("soleus.central_1", "left")]


def test_not_painful_region_is_evidence_against(diff: Differential) -> None:
    plain = locate(
        PainDrawing(areas=(PainArea(regions=("neck_back_r",), intensity=6),)), differential=diff
    )
    against = locate(
        PainDrawing(
            areas=(PainArea(regions=("neck_back_r",), intensity=6),),
            not_painful=("scapula_medial_r",),
        ),
        differential=diff,
    )
    assert prob(against, "levator_scapulae.central_1", "right") < prob(
        plain, "levator_scapulae.central_1", "right"
    )
    assert against.not_painful == ("scapula_medial_r",)


def test_two_separate_pains_are_explained_by_a_pair(diff: Differential) -> None:
    result = locate(["heel_l", "jaw_r", "lower_teeth_r"], differential=diff)
    best = result.explanations[0]
    assert set(best.trigger_points) == {
        ("soleus.central_1", Side.LEFT),
        ("masseter.superficial_1", Side.RIGHT),
    }
    assert best.unexplained == ()
    singles = [e for e in result.explanations if len(e.trigger_points) == 1]
    assert all(e.unexplained for e in singles)
    assert prob(result, "soleus.central_1", "left") > 0.5
    assert prob(result, "masseter.superficial_1", "right") > 0.5


def test_intensity_and_coverage_raise_weight(diff: Differential) -> None:
    p = diff.model.params
    assert p.region_weight(1.0, 8) > p.region_weight(1.0, 3) > 0
    assert p.region_weight(1.0, 5) > p.region_weight(0.2, 5) > 0
    assert p.region_weight(1.0, 0) == 0.0


def test_muscle_probability_is_at_least_its_best_trigger_point(diff: Differential) -> None:
    result = locate(["neck_back_r", "interscapular_r"], differential=diff)
    muscles = {m.muscle: m.probability for m in result.muscles}
    for c in result.candidates:
        assert muscles[c.muscle] >= c.probability - 1e-9


def test_ties_break_by_stable_key(diff: Differential) -> None:
    first = locate(["temple_l", "temple_r"], differential=diff)
    again = locate(["temple_r", "temple_l"], differential=diff)
    assert top_ids(first, 6) == top_ids(again, 6)
    tied = [
        (c.trigger_point, c.side.value)
        for c in first.candidates
        if c.trigger_point == "temporalis.anterior_1"
    ]
    assert tied == [("temporalis.anterior_1", "left"), ("temporalis.anterior_1", "right")]


# -- findings --------------------------------------------------------------------------------


def test_finding_grammar() -> None:
    assert parse_finding("trapezius.upper_1=confirmed") == Finding("trapezius.upper_1", None, True)
    assert parse_finding("Trapezius.upper_1:LEFT = absent") == Finding(
        "trapezius.upper_1", Side.LEFT, False
    )
    assert parse_finding("masseter.deep_1:r=present").side is Side.RIGHT
    for bad in (
        "trapezius=confirmed",
        "trapezius.upper_1",
        "trapezius.upper_1=maybe",
        "trapezius.upper_1:up=absent",
    ):
        with pytest.raises(UsageError, match="confirmed|absent|left or right"):
            parse_finding(bad)


def test_confirmed_raises_and_absent_lowers_but_never_to_zero(diff: Differential) -> None:
    regions = ["neck_back_r", "scapula_medial_r", "temple_r"]
    base = locate(regions, differential=diff)
    confirmed = locate(
        regions, differential=diff, findings=["levator_scapulae.central_1:right=confirmed"]
    )
    absent = locate(regions, differential=diff, findings=["trapezius.upper_1:right=absent"])
    lev, trap = "levator_scapulae.central_1", "trapezius.upper_1"
    assert prob(confirmed, lev, "right") > prob(base, lev, "right")
    assert prob(absent, trap, "right") < prob(base, trap, "right")
    assert prob(absent, trap, "right") > 0.0
    moved = next(c for c in confirmed.candidates if c.trigger_point == lev)
    assert moved.probability_without_findings == pytest.approx(prob(base, lev, "right"))
    assert "confirmed" in moved.why
    assert all(p.trigger_point != lev or p.side is not Side.RIGHT for p in confirmed.next_palpation)


def test_finding_without_side_applies_to_both_sides(diff: Differential) -> None:
    regions = ["temple_l", "temple_r"]
    base = locate(regions, differential=diff)
    both = locate(regions, differential=diff, findings=["temporalis.anterior_1=absent"])
    for side in ("left", "right"):
        assert prob(both, "temporalis.anterior_1", side) < prob(base, "temporalis.anterior_1", side)


def test_unknown_trigger_point_in_finding_is_a_usage_error(diff: Differential) -> None:
    with pytest.raises(UsageError, match="Unknown trigger point 'trapezius.nope'"):
        locate(["temple_r"], differential=diff, findings=["trapezius.nope=confirmed"])


# -- next palpation --------------------------------------------------------------------------


def test_palpation_gain_peaks_at_uncertain_candidates(diff: Differential) -> None:
    gain = palpation_gain(diff.model, np.array([0.0, 0.01, 0.5, 0.99, 1.0]))
    assert gain[2] > gain[1] > gain[0] - 1e-12
    assert gain[2] > gain[3]
    assert np.all(gain >= -1e-12)


def test_next_palpation_is_ordered_by_gain(diff: Differential) -> None:
    result = locate(["neck_back_r", "temple_r"], differential=diff)
    gains = [p.expected_gain for p in result.next_palpation]
    assert gains and gains == sorted(gains, reverse=True)
    assert len(gains) <= diff.model.params.next_palpation


# -- input checking --------------------------------------------------------------------------


def test_unknown_region_suggests_close_ids(diff: Differential) -> None:
    with pytest.raises(UnknownRegionError) as err:
        locate(["tempel_r"], differential=diff)
    assert "temple_r" in err.value.suggestions


def test_side_places_base_regions(diff: Differential) -> None:
    left = locate(["temple", "neck_back"], side="left", differential=diff)
    assert left.regions == ("neck_back_l", "temple_l")
    both = locate(["temple"], differential=diff)
    assert both.regions == ("temple_l", "temple_r")
    moved = locate(["temple_r"], side="left", differential=diff)
    assert moved.regions == ("temple_l",)


def test_top_must_be_positive(diff: Differential) -> None:
    with pytest.raises(UsageError):
        locate(["temple_r"], differential=diff, top=0)


def test_empty_drawing_gives_no_candidates(diff: Differential) -> None:
    result = locate(PainDrawing(), differential=diff)
    assert result.candidates == () and result.explanations == () and result.warnings == ()


# -- batch and JSON --------------------------------------------------------------------------


def test_batch_gives_the_same_numbers_as_one_by_one(diff: Differential) -> None:
    drawings: list[list[str]] = [
        ["temple_r", "neck_back_r"],
        ["heel_l"],
        ["jaw_l", "ear_l"],
        ["arm_inner_l", "jaw_l", "sternum"],
        [],
    ]
    seen: list[int] = []
    many = list(locate_many(drawings, differential=diff, chunk=2, progress=seen.append))
    assert seen == [2, 2, 1]
    for regions, got in zip(drawings, many, strict=True):
        assert ranking_to_dict(got) == ranking_to_dict(locate(regions, differential=diff))


def test_batch_accepts_evidence_weights(diff: Differential) -> None:
    ev = Evidence({"heel_r": 0.4}, frozenset({"achilles_r"}))
    (res,) = locate_many([ev], differential=diff)
    assert top_ids(res, 1) == [("soleus.central_1", "right")]


def test_visceral_warning_rides_on_every_result(diff: Differential) -> None:
    cardiac = locate(["arm_inner_l", "jaw_l", "chest_mid_l"], differential=diff)
    assert [w.pattern for w in cardiac.warnings][:1] == ["cardiac_ischaemia"]
    data = ranking_to_dict(cardiac)
    warning = data["warnings"][0]
    assert {"pattern", "organ", "message"} <= set(warning)
    assert warning["organ"] == "Heart"
    assert locate(["arm_inner_l"], differential=diff).warnings == ()
    (batch,) = locate_many([["arm_inner_l", "jaw_l", "chest_mid_l"]], differential=diff)
    assert batch.warnings == cardiac.warnings


def test_json_shape(diff: Differential) -> None:
    data = ranking_to_dict(locate(["temple_r"], differential=diff, top=2))
    assert {
        "atlas_version",
        "regions",
        "candidates",
        "explanations",
        "next_palpation",
        "warnings",
    } <= set(data)
    assert set(data["candidates"][0]) >= {
        "rank",
        "muscle",
        "trigger_point",
        "side",
        "probability",
        "essential",
        "spillover",
        "why",
    }
    assert len(data["candidates"]) == 2
    assert set(data["explanations"][0]) == {"trigger_points", "probability", "unexplained"}
    assert set(data["next_palpation"][0]) == {"trigger_point", "side", "expected_gain"}


# -- compiled cache (CLI cold start) ---------------------------------------------------------


def test_compiled_cache_is_written_reused_and_rebuilt(
    diff: Differential, monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    from pathlib import Path

    from myomap.config import load_settings
    from myomap.knowledge import differential as compiled
    from myomap.knowledge.load import load

    cache = Path(str(tmp_path)) / "cache"
    calls: list[int] = []

    def compile_once() -> Differential:
        calls.append(1)
        return diff

    def cli_knowledge(**env: str) -> Differential:
        settings = load_settings({"MYOMAP_CACHE_DIR": str(cache), **env})
        return load(settings, compiled_cache=True).differential

    monkeypatch.setattr(compiled, "default_differential", compile_once)
    first = cli_knowledge()
    (written,) = cache.glob("differential-*.pickle")
    again = cli_knowledge()
    assert calls == [1]  # the second call came from the file
    assert ranking_to_dict(locate(["temple_r"], differential=again)) == ranking_to_dict(
        locate(["temple_r"], differential=first)
    )
    written.write_bytes(b"not a pickle")
    cli_knowledge()
    assert calls == [1, 1]  # a corrupt cache is rebuilt, not an error
    for f in cache.iterdir():
        f.unlink()
    cli_knowledge(MYOMAP_NO_CACHE="1")
    assert calls == [1, 1, 1] and list(cache.iterdir()) == []


def test_tie_at_the_pool_boundary_keeps_mirrored_drawings_mirrored(
    diff: Differential, bodymap: BodyMap
) -> None:
    """The left and right SCM instances tie on midline regions; the pool must not pick one."""
    regions = [
        "vertex",
        "thigh_back_r",
        "knee_lateral_r",
        "lower_quadrant_l",
        "sacroiliac_l",
        "chest_upper_l",
        "scapula_spine_r",
    ]
    flip = {"left": "right", "right": "left", "midline": "midline"}
    first = locate(regions, differential=diff, top=50)
    mirrored = locate([bodymap.mirror(r) for r in regions], differential=diff, top=50)
    after = {(c.trigger_point, c.side.value): c.probability for c in mirrored.candidates}
    for c in first.candidates:
        assert after[(c.trigger_point, flip[c.side.value])] == pytest.approx(c.probability)
    scm = {
        c.side.value: c.probability
        for c in first.candidates
        if c.trigger_point == "sternocleidomastoid.sternal_1"
    }
    assert scm["left"] == pytest.approx(scm["right"])
