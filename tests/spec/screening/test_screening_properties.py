"""Properties every rule set of this shape must keep, checked on random intakes and drawings."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from myomap.domain.drawing import PainDrawing
from myomap.domain.screening import DECISION_RANK, RANK
from myomap.knowledge.screening import load_questionnaire
from myomap.services.care import intake_from_mapping, screen_intake

# answering "no" to this question is what raises suspicion, so "yes" cannot be monotone
REASSURING = {"pain_changes_with_movement"}
FLAGS = [
    it.id for it in load_questionnaire().items if it.type == "boolean" and it.id not in REASSURING
]
REGIONS = [
    "neck_back_r",
    "chest_mid_l",
    "arm_inner_l",
    "jaw_l",
    "epigastric",
    "lumbar_spine",
    "flank_r",
    "lower_quadrant_r",
    "umbilical",
    "upper_quadrant_r",
    "scapula_angle_r",
    "calf_upper_l",
    "buttock_lower_l",
    "temple_r",
    "thoracic_spine",
    "shoulder_top_l",
]


def _drawing(regions: list[str]) -> PainDrawing | None:
    if not regions:
        return None
    return PainDrawing.model_validate({"areas": [{"regions": regions, "intensity": 5}]})


@settings(max_examples=80, deadline=None)
@given(
    st.dictionaries(st.sampled_from(FLAGS), st.booleans(), max_size=8),
    st.sampled_from(FLAGS),
    st.lists(st.sampled_from(REGIONS), max_size=5, unique=True),
)
def test_saying_yes_to_a_warning_sign_never_lowers_the_decision(
    answers: dict[str, Any],
    flag: str,
    regions: list[str],
) -> None:
    drawing = _drawing(regions)
    before = screen_intake(intake_from_mapping({"answers": {**answers, flag: False}}), drawing)
    after = screen_intake(intake_from_mapping({"answers": {**answers, flag: True}}), drawing)
    assert DECISION_RANK[after.decision] >= DECISION_RANK[before.decision]
    assert set(before.avoid_regions) <= set(after.avoid_regions)


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(st.sampled_from(FLAGS), st.booleans(), max_size=10),
    st.lists(st.sampled_from(REGIONS), max_size=6, unique=True),
)
def test_decision_is_the_worst_reason(answers: dict[str, Any], regions: list[str]) -> None:
    intake = intake_from_mapping({"answers": answers})
    result = screen_intake(intake, _drawing(regions))
    worst = max((RANK[r.severity] for r in result.reasons), default=0)
    expected = {3: "emergency", 2: "refer", 1: "modify", 0: "proceed"}[worst]
    if worst < 2 and not load_questionnaire().safety_answered(intake):
        expected = "not_screened"  # nobody asked a safety question: nothing is cleared
    assert result.decision == expected
    assert [RANK[r.severity] for r in result.reasons] == sorted(
        (RANK[r.severity] for r in result.reasons), reverse=True
    )
