"""Questions that follow the drawing (issue 11): a condition's questions are asked only when the
drawing or an earlier answer calls for them, so a benign presentation is asked no more than the
questionnaire asked before follow-ups existed (74 questions, all of them base questions)."""

from __future__ import annotations

from typing import Any

import pytest

from myomap.knowledge.screening import load_questionnaire
from myomap.services.care import intake_from_mapping, questions_to_ask

BASE_COUNT_BEFORE = 74  # questions in questionnaire 2026.11.0, every one asked of everyone

BENIGN: dict[str, tuple[tuple[str, ...], dict[str, Any]]] = {
    "desk_worker_neck_and_temple": (("neck_back_r", "shoulder_top_r", "temple_r"), {"age": 38}),
    "low_back_after_lifting": (("lumbar_l", "lumbar_r", "buttock_upper_l"), {"age": 42}),
    "tennis_elbow": (("elbow_lateral_r", "forearm_dorsal_radial_r"), {"age": 45}),
    "runner_calf": (("calf_upper_l", "calf_lower_l"), {"age": 31}),
    "gluteal_and_lateral_hip": (("buttock_upper_l", "hip_lateral_l", "thigh_outer_l"), {"age": 51}),
}


def _asked(regions: tuple[str, ...], answers: dict[str, Any]) -> list[str]:
    return questions_to_ask(intake_from_mapping({"answers": answers}), regions)


@pytest.mark.parametrize("name", sorted(BENIGN))
def test_benign_presentation_asks_no_more_than_before(name: str) -> None:
    regions, answers = BENIGN[name]
    asked = _asked(regions, answers)
    assert len(asked) <= BASE_COUNT_BEFORE, (name, len(asked))
    assert not [i for i in asked if load_questionnaire().item(i).follow_up], name


def test_every_follow_up_names_its_condition_and_is_in_the_template() -> None:
    q = load_questionnaire()
    follow = [it for it in q.items if it.follow_up is not None]
    assert len(follow) >= 10
    assert all(it.screens_for for it in follow)
    assert [it.id for it in q.items if it.follow_up is None].__len__() == BASE_COUNT_BEFORE
    assert set(q.template()["answers"]) == set(q.ids)


def test_headache_over_50_brings_the_arteritis_questions() -> None:
    young = _asked(("temple_r",), {"age": 38})
    older = _asked(("temple_r",), {"age": 67})
    gca = {"new_headache", "jaw_pain_chewing", "scalp_tender", "vision_change"}
    assert not gca & set(young)
    assert gca <= set(older)


def test_arm_or_jaw_pain_brings_the_heart_questions() -> None:
    for region in ("arm_inner_r", "jaw_l", "interscapular_l", "epigastric"):
        asked = _asked((region,), {})
        assert {"unusual_fatigue", "pain_reproduced_by_pressing"} <= set(asked), region
    assert "unusual_fatigue" not in _asked(("calf_upper_l",), {})


def test_fever_brings_the_meningitis_questions() -> None:
    assert "neck_stiff_bending" not in _asked(("neck_back_r",), {"fever": False})
    assert {"neck_stiff_bending", "light_hurts_eyes"} <= set(
        _asked(("neck_back_r",), {"fever": True})
    )


def test_called_for_follow_ups_left_blank_are_reported_unanswered() -> None:
    from myomap.domain.drawing import PainDrawing
    from myomap.services.care import screen_intake

    drawing = PainDrawing.model_validate({"areas": [{"regions": ["temple_r"], "intensity": 5}]})
    result = screen_intake(intake_from_mapping({"answers": {"age": 70, "fever": False}}), drawing)
    unanswered = next(r for r in result.reasons if r.rule == "unanswered")
    assert "new_headache" in unanswered.message or "..." in unanswered.message
    calf = PainDrawing.model_validate({"areas": [{"regions": ["calf_upper_l"], "intensity": 5}]})
    plain = screen_intake(intake_from_mapping({"answers": {"age": 70, "fever": False}}), calf)
    text = next(r for r in plain.reasons if r.rule == "unanswered").message
    n_temple = int(unanswered.message.split()[0])
    n_calf = int(text.split()[0])
    assert n_temple == n_calf + 4  # the four arteritis questions are now due


CALLED_FOR: list[tuple[tuple[str, ...], dict[str, Any], set[str], set[str]]] = [
    # (drawing, answers, follow-ups that must be asked, follow-ups that must not)
    (("neck_back_r",), {"age": 38}, set(), {"hands_clumsy_numb", "neck_flexion_shock"}),
    (("neck_back_r",), {"age": 56}, {"hands_clumsy_numb", "neck_flexion_shock"}, set()),
    (("groin_l",), {"sex": "male"}, {"testicle_pain_swelling"}, {"pregnancy_possible"}),
    (
        ("groin_l",),
        {"sex": "female", "age": 30},
        {"pregnancy_possible", "vaginal_bleeding_unusual"},
        {"testicle_pain_swelling"},
    ),
    (
        ("groin_l",),
        {"sex": "female", "age": 62},
        {"vaginal_bleeding_unusual"},
        {"pregnancy_possible"},
    ),
    (("calf_upper_l",), {"sudden_severe_pain": False}, set(), {"limb_cold_pale", "limb_numb_weak"}),
    (("calf_upper_l",), {"sudden_severe_pain": True}, {"limb_cold_pale", "limb_numb_weak"}, set()),
    (("shin_r",), {"minor_trauma": True}, {"pain_out_of_proportion", "limb_tight_swollen"}, set()),
    (("interscapular_l",), {"sudden_severe_pain": True}, {"pain_tearing"}, set()),
    (("interscapular_l",), {"sudden_severe_pain": False}, set(), {"pain_tearing"}),
    (("thoracic_spine",), {"cancer_history": True}, {"band_pain_or_strain"}, set()),
    (("thoracic_spine",), {"cancer_history": False}, set(), {"band_pain_or_strain"}),
    (("neck_back_r", "forearm_dorsal_radial_r"), {}, {"arm_weakness_progressive"}, set()),
    (("sternum",), {"pain_worse_breathing_in": True}, {"pain_eased_leaning_forward"}, set()),
    (("epigastric",), {}, {"nsaid_use", "black_stools_vomit_blood"}, set()),
    (("mid_back_l",), {"age": 40, "pain_after_meals": False}, set(), {"nsaid_use"}),
    (("lumbar_l",), {"age": 30, "pain_duration_weeks": 20}, {"back_pain_better_moving"}, set()),
    (("lumbar_l",), {"age": 30, "pain_duration_weeks": 3}, set(), {"back_pain_better_moving"}),
    (("shoulder_top_l", "shoulder_top_r"), {"age": 70}, {"morning_stiffness_long"}, set()),
    (("shoulder_top_l",), {"age": 70}, set(), {"morning_stiffness_long"}),
    (("chest_side_l",), {"age": 68}, {"skin_burning_one_side"}, set()),
    (("chest_side_l",), {"age": 35}, set(), {"skin_burning_one_side"}),
]


@pytest.mark.parametrize("case", CALLED_FOR, ids=[str(i) for i in range(len(CALLED_FOR))])
def test_condition_follow_ups_are_asked_only_when_called_for(
    case: tuple[tuple[str, ...], dict[str, Any], set[str], set[str]],
) -> None:
    regions, answers, must, must_not = case
    asked = set(_asked(regions, answers))
    assert must <= asked, must - asked
    assert not must_not & asked, must_not & asked
