"""Movement findings: grammar, which instances they concern, and how they move the ranking.

Run on the bundled atlas, because what matters is that its ``movement_id`` entries turn a
restricted neck rotation or shoulder abduction into evidence for the right muscles and sides.
"""

from __future__ import annotations

import math

import pytest

from myomap.domain.atlas import Atlas, MovementTest
from myomap.domain.bodymap import BodyMap, Side
from myomap.domain.errors import UsageError
from myomap.domain.findings import MovementFinding, parse_any_finding, parse_movement_finding
from myomap.domain.ranking import Ranking
from myomap.knowledge.checks import check_atlas
from myomap.services.differential import (
    Differential,
    default_differential,
    locate,
    ranking_to_dict,
)

NECK = ["neck_side_r", "neck_back_r", "suboccipital_r", "mastoid_r", "temple_r"]


@pytest.fixture(scope="module")
def diff() -> Differential:
    return default_differential()


def probs(result: Ranking) -> dict[tuple[str, str], float]:
    return {(c.trigger_point, c.side.value): c.probability for c in result.candidates}


def targets(diff: Differential, text: str) -> set[tuple[str, str]]:
    model = diff.model
    f = parse_any_finding(text)
    return {
        (model.instances[i].trigger_point, model.instances[i].side.value)
        for i in model.finding_targets(f)
    }


# -- grammar -----------------------------------------------------------------------------------


def test_movement_finding_grammar() -> None:
    assert parse_any_finding("movement:neck_rotation:left=restricted") == MovementFinding(
        "neck_rotation", Side.LEFT, "restricted"
    )
    assert parse_any_finding(" Movement: Neck rotation : R = Painful ") == MovementFinding(
        "neck_rotation", Side.RIGHT, "painful"
    )
    assert parse_any_finding("movement:mouth-opening=full") == MovementFinding(
        "mouth_opening", None, "normal"
    )
    assert parse_any_finding("trapezius.tp1=absent").label() == "trapezius.tp1=absent"
    for bad, why in (
        ("movement:neck_rotation", "Cannot read"),
        ("movement:neck_rotation=tight", "restricted, painful or normal"),
        ("movement:neck_rotation:up=restricted", "left or right"),
        ("movement:=normal", "Cannot read"),
    ):
        with pytest.raises(UsageError, match=why):
            parse_movement_finding(bad)


def test_synonyms_and_labels_resolve_to_ids(diff: Differential) -> None:
    index = diff.model.movements
    assert index.resolve(
        parse_movement_finding("movement:turning the head:left=restricted")
    ) == MovementFinding("neck_rotation", Side.LEFT, "restricted")
    assert (
        index.resolve(parse_movement_finding("movement:Knee to chest=painful")).movement
        == "hip_flexion"
    )


def test_unknown_movement_is_a_usage_error_with_suggestions(diff: Differential) -> None:
    with pytest.raises(UsageError, match="Unknown movement 'neck_rotaton'.*neck_rotation"):
        locate(NECK, differential=diff, findings=["movement:neck_rotaton:left=restricted"])


# -- which instances a finding concerns ----------------------------------------------------------


def test_direction_is_relative_to_the_trigger_point_side(diff: Differential) -> None:
    left = targets(diff, "movement:neck_rotation:left=restricted")
    # the atlas: sternocleidomastoid restricts rotation toward its side, splenius away from it
    assert ("sternocleidomastoid.sternal_mid", "left") in left
    assert ("sternocleidomastoid.sternal_mid", "right") not in left
    assert ("splenius_capitis.tp1", "right") in left
    assert ("splenius_capitis.tp1", "left") not in left
    # "neck rotation" without a direction in the atlas concerns both sides
    assert {("semispinalis_cervicis.tp1", "left"), ("semispinalis_cervicis.tp1", "right")} <= left
    either = targets(diff, "movement:neck_rotation=restricted")
    assert left < either
    assert ("sternocleidomastoid.sternal_mid", "right") in either


def test_limb_movement_concerns_the_limb_moved(diff: Differential) -> None:
    right = targets(diff, "movement:shoulder_abduction:right=painful")
    assert ("supraspinatus.lateral", "right") in right
    assert all(side == "right" for _, side in right)
    assert {t for t, _ in right} == {
        t for t, _ in targets(diff, "movement:shoulder_abduction:left=painful")
    }


def test_side_of_a_movement_without_sides_is_ignored(diff: Differential) -> None:
    sided = targets(diff, "movement:mouth_opening:left=restricted")
    assert sided == targets(diff, "movement:mouth_opening=restricted")
    assert {("masseter.deep", "left"), ("masseter.deep", "right")} <= sided


# -- how a finding moves the ranking ---------------------------------------------------------------


def test_restricted_movement_raises_its_trigger_points_and_keeps_the_others_in_order(
    diff: Differential,
) -> None:
    text = "movement:neck_rotation:right=restricted"
    base = locate(NECK, differential=diff, top=40)
    after = locate(NECK, differential=diff, top=40, findings=[text])
    hit = targets(diff, text)
    p0, p1 = probs(base), probs(after)
    moved = [k for k in p0 if k in hit and k in p1]
    assert moved, "the drawing should have candidates that restrict neck rotation"
    for k in moved:
        assert p1[k] > p0[k]
    others_before = [k for k in p0 if k not in hit]
    others_after = [k for k in p1 if k not in hit]
    common = [k for k in others_before if k in others_after]
    # unrelated candidates keep their order (their probabilities may still shift a little
    # through the sets of two or three they form with the raised ones)
    assert len(common) > 5
    assert [k for k in others_after if k in common] == common
    # they climb in the ranking and none falls
    r0, r1 = list(p0), list(p1)
    assert all(r1.index(k) <= r0.index(k) for k in moved)
    assert any(r1.index(k) < r0.index(k) for k in moved)


def test_normal_movement_lowers_its_trigger_points_a_little(diff: Differential) -> None:
    text = "movement:neck_rotation:right=normal"
    base = probs(locate(NECK, differential=diff, top=40))
    after = probs(locate(NECK, differential=diff, top=40, findings=[text]))
    moved = [k for k in base if k in targets(diff, text) and k in after]
    assert moved
    for k in moved:
        assert 0.0 < after[k] < base[k]


def test_likelihood_ratios_come_from_the_model_data(diff: Differential) -> None:
    lr = diff.model.params.movement_lr
    assert lr["restricted"] > 1.0 and lr["painful"] > 1.0 and 0.0 < lr["normal"] < 1.0
    model = diff.model
    f = parse_any_finding("movement:neck_rotation:right=painful")
    odds = model.finding_log_odds([f])
    idx = model.finding_targets(f)
    assert (odds[idx] - model.log_odds[idx]).tolist() == pytest.approx(
        [math.log(lr["painful"])] * len(idx)
    )
    untouched = [i for i in range(model.n_instances) if i not in set(idx)]
    assert (odds[untouched] == model.log_odds[untouched]).all()


def test_why_says_how_the_movement_moved_the_candidate(diff: Differential) -> None:
    text = "movement:neck_rotation:right=restricted"
    result = locate(NECK, differential=diff, top=40, findings=[text])
    hit = targets(diff, text)
    moved = [c for c in result.candidates if (c.trigger_point, c.side.value) in hit]
    assert moved
    for c in moved:
        assert "neck rotation to the right restricted" in c.why
        assert "raises its odds 2-fold" in c.why
        assert c.probability_without_findings is not None
        assert c.probability_without_findings < c.probability
    untouched = [c for c in result.candidates if (c.trigger_point, c.side.value) not in hit]
    assert untouched and all("Findings" not in c.why for c in untouched)
    row = ranking_to_dict(result)
    first = next(c for c in row["candidates"] if c["findings"])
    assert first["findings"] == [text]


def test_movement_finding_does_not_count_as_a_palpation(diff: Differential) -> None:
    text = "movement:neck_rotation:right=restricted"
    result = locate(NECK, differential=diff, findings=[text])
    suggested = {(p.trigger_point, p.side.value) for p in result.next_palpation}
    assert suggested & targets(diff, text), "restricting TrPs still need palpating"


# -- data checks -------------------------------------------------------------------------------


def test_every_movement_id_resolves_and_every_movement_is_used(
    atlas: Atlas, bodymap: BodyMap
) -> None:
    assert atlas.movements
    assert check_atlas(atlas, bodymap) == []
    used = {
        t.movement_id.split(":")[-1]
        for _, tp in atlas.trigger_points()
        for t in tp.restricted_movements
        if t.movement_id
    }
    assert used == {mv.id for mv in atlas.movements}


def test_checks_reject_unknown_or_misused_movement_ids(atlas: Atlas, bodymap: BodyMap) -> None:
    muscle = atlas.muscle("masseter")
    tp = muscle.trigger_points[0]
    bad_tests = (
        MovementTest(movement="x", test="y", movement_id="no_such_movement"),
        MovementTest(movement="x", test="y", movement_id="contra:mouth_opening"),
    )
    bad_tp = tp.model_copy(update={"restricted_movements": bad_tests})
    bad = atlas.model_copy(
        update={
            "muscles": (
                muscle.model_copy(update={"trigger_points": (bad_tp, *muscle.trigger_points[1:])}),
            )
        }
    )
    problems = check_atlas(bad, bodymap)
    assert any("'no_such_movement' is not in the movement vocabulary" in p for p in problems)
    assert any("'contra:' used with a movement that has no side" in p for p in problems)
