"""Vignettes for conditions that mimic muscle pain and slipped through the gate (issue 11).

Each condition has a typical and an atypical red-flag presentation that must reach ``refer`` or
``emergency``, and a benign look-alike that must stay ``proceed`` or ``modify``. Sources are those
of the rules: Swap & Nagurney (JAMA 2005) and Canto et al. (JAMA 2000) for heart pain without
chest pain, the BSR 2020 guideline for giant cell arteritis, NICE NG240 for meningitis and NICE
NG158 for pulmonary embolism. Answers a benign presentation does not give are left blank, as in
use.
"""

from __future__ import annotations

import pytest

from myomap.services.care import intake_from_mapping, screen_intake
from tests.spec.screening.test_screening_vignettes import V, Vignette, _drawing

NO_CLEAR = {"fever": False}  # a screened person: one safety question answered

MIMICS: list[Vignette] = [
    # -- acute coronary syndrome without chest pain ----------------------------------------------
    V(
        "acs_right_shoulder_arm_little_finger_diabetic_woman",
        "acute_coronary_syndrome",
        ("shoulder_front_r", "arm_inner_r", "little_finger_r"),
        {
            "sex": "female",
            "diabetes": True,
            "age": 58,
            "pain_on_exertion": True,
            "pain_reproduced_by_pressing": False,
        },
        "refer",
        ("cardiac_arm_exertional_not_reproduced",),
    ),
    V(
        "acs_jaw_interscapular_nausea_fatigue_older_woman",
        "acute_coronary_syndrome",
        ("jaw_l", "interscapular_l"),
        {"sex": "female", "age": 74, "nausea_vomiting": True, "unusual_fatigue": True},
        "refer",
        ("cardiac_atypical_accompaniments",),
    ),
    V(
        "acs_sternum_right_inner_arm_exertion",
        "acute_coronary_syndrome",
        ("sternum", "arm_inner_r"),
        {"age": 63, "pain_on_exertion": True},
        "refer",
        ("cardiac_chest_and_either_arm_exertional",),
    ),
    V(
        "acs_both_arms_exertion_not_reproduced",
        "acute_coronary_syndrome",
        ("arm_inner_l", "arm_inner_r"),
        {"pain_on_exertion": True, "pain_changes_with_movement": False},
        "refer",
        ("cardiac_arm_exertional_not_reproduced",),
    ),
    V(
        "acs_epigastric_sweating_breathless_diabetic_man",
        "acute_coronary_syndrome",
        ("epigastric",),
        {
            "sex": "male",
            "age": 49,
            "diabetes": True,
            "breathless_sweating": True,
            "nausea_vomiting": True,
        },
        "refer",
        ("cardiac_atypical_accompaniments",),
    ),
    V(
        "lookalike_pec_minor_arm_after_gym_reproduced",
        "benign",
        ("chest_upper_r", "arm_inner_r"),
        {
            **NO_CLEAR,
            "age": 29,
            "pain_on_exertion": False,
            "pain_reproduced_by_pressing": True,
            "pain_changes_with_movement": True,
        },
        "proceed",
    ),
    V(
        "lookalike_scalene_arm_pain_young_reproduced",
        "benign",
        ("neck_side_r", "arm_inner_r", "little_finger_r"),
        {**NO_CLEAR, "age": 34, "pain_reproduced_by_pressing": True},
        "proceed",
    ),
    # -- giant cell arteritis --------------------------------------------------------------------
    V(
        "gca_new_temple_headache_jaw_claudication",
        "giant_cell_arteritis",
        ("temple_r",),
        {"age": 72, "new_headache": True, "jaw_pain_chewing": True},
        "refer",
        ("gca_features",),
    ),
    V(
        "gca_scalp_tender_weight_loss_no_temple_pain",
        "giant_cell_arteritis",
        ("vertex",),
        {"age": 68, "new_headache": True, "scalp_tender": True, "weight_loss": True},
        "refer",
        ("gca_features",),
    ),
    V(
        "gca_visual_change_temple",
        "giant_cell_arteritis",
        ("temple_l", "jaw_l"),
        {"age": 77, "vision_change": True},
        "emergency",
        ("gca_vision",),
    ),
    V(
        "lookalike_trapezius_temple_headache_over_50",
        "benign",
        ("temple_r", "neck_back_r"),
        {
            **NO_CLEAR,
            "age": 55,
            "new_headache": False,
            "jaw_pain_chewing": False,
            "scalp_tender": False,
            "vision_change": False,
        },
        "proceed",
    ),
    # -- meningitis ------------------------------------------------------------------------------
    V(
        "meningitis_fever_stiff_neck_photophobia",
        "meningitis",
        ("neck_back_r", "occiput_r"),
        {"fever": True, "neck_stiff_bending": True, "light_hurts_eyes": True},
        "emergency",
        ("meningitis_features",),
    ),
    V(
        "meningitis_fever_photophobia_forehead_only",
        "meningitis",
        ("forehead",),
        {"fever": True, "light_hurts_eyes": True},
        "emergency",
        ("meningitis_features",),
    ),
    V(
        "lookalike_stiff_neck_after_sleeping_no_fever",
        "benign",
        ("neck_back_l", "neck_side_l"),
        {"fever": False, "neck_stiff_bending": False},
        "proceed",
    ),
    # -- pulmonary embolism ----------------------------------------------------------------------
    V(
        "pe_pleuritic_chest_breathless",
        "pulmonary_embolism",
        ("chest_side_r", "chest_mid_r"),
        {"pain_worse_breathing_in": True, "breathless_new": True},
        "emergency",
        ("pe_pleuritic_features",),
    ),
    V(
        "pe_interscapular_pleuritic_after_long_flight_leg_swollen",
        "pulmonary_embolism",
        ("interscapular_r",),
        {"pain_worse_breathing_in": True, "calf_swelling": True},
        "emergency",
        ("pe_pleuritic_features",),
    ),
    V(
        "pe_pleuritic_not_reproduced",
        "pulmonary_embolism",
        ("mid_back_l",),
        {"pain_worse_breathing_in": True, "pain_reproduced_by_pressing": False},
        "refer",
        ("pe_pleuritic_pain",),
    ),
    V(
        "lookalike_rib_muscle_strain_reproduced",
        "benign",
        ("chest_side_l",),
        {
            **NO_CLEAR,
            "pain_worse_breathing_in": True,
            "pain_reproduced_by_pressing": True,
            "breathless_new": False,
        },
        "proceed",
    ),
    # -- conditions that had fewer than two red-flag vignettes or no look-alike ------------------
    V(
        "lookalike_epigastric_rectus_after_situps",
        "benign",
        ("epigastric",),
        {**NO_CLEAR, "age": 30, "pain_changes_with_movement": True, "weight_loss": False},
        "proceed",
    ),
    V(
        "lookalike_low_back_after_gardening_no_fever",
        "benign",
        ("lumbar_r",),
        {"fever": False, "iv_drug_use": False, "immunosuppressed": False},
        "proceed",
    ),
    V(
        "sah_sudden_neck_pain_only",
        "subarachnoid_haemorrhage",
        ("neck_back_r", "occiput_r"),
        {"headache_sudden_severe": True},
        "emergency",
        ("cad_sudden_headache",),
    ),
    V(
        "appendix_atypical_vomiting_no_fever",
        "appendicitis",
        ("epigastric", "lower_quadrant_r"),
        {"fever": False, "nausea_vomiting": True},
        "refer",
        ("appendix_features",),
    ),
    V(
        "lung_apex_shoulder_ulnar_hand_smoker",
        "lung_apex_tumour",
        ("shoulder_top_r", "little_finger_r"),
        {"smoker": True, "age": 64},
        "refer",
        ("lung_apex_features",),
    ),
    V(
        "lung_apex_scapula_forearm_weight_loss_night",
        "lung_apex_tumour",
        ("scapula_upper_l", "forearm_volar_ulnar_l"),
        {"weight_loss": True, "night_pain": True},
        "refer",
        ("lung_apex_features",),
    ),
    V(
        "lookalike_scalene_shoulder_hand_young",
        "benign",
        ("shoulder_top_r", "little_finger_r"),
        {**NO_CLEAR, "age": 28, "smoker": False, "night_pain": False},
        "proceed",
    ),
    V(
        "stroke_face_numbness_slurred_speech",
        "stroke_tia",
        ("jaw_l",),
        {"numbness_face": True, "dysarthria": True},
        "emergency",
        ("cad_neurological_signs",),
    ),
    V(
        "stroke_unsteady_neck_pain",
        "stroke_tia",
        ("neck_back_l",),
        {"ataxia": True},
        "emergency",
        ("cad_neurological_signs",),
    ),
    # -- septic arthritis ------------------------------------------------------------------------
    V(
        "septic_knee_hot_swollen_fever",
        "septic_arthritis",
        ("knee_medial_r",),
        {"inflamed_regions": ["knee_medial_r"], "fever": True},
        "emergency",
        ("septic_joint_fever",),
    ),
    V(
        "septic_hip_immunosuppressed_no_fever",
        "septic_arthritis",
        ("hip_lateral_l", "groin_l"),
        {"inflamed_regions": ["hip_lateral_l"], "fever": False, "immunosuppressed": True},
        "refer",
        ("septic_joint_risk",),
    ),
    V(
        "lookalike_arthritis_flare_knee_no_fever",
        "benign",
        ("knee_medial_r",),
        {"inflamed_regions": ["knee_medial_r"], "fever": False, "immunosuppressed": False},
        "modify",
    ),
]


@pytest.mark.parametrize("v", MIMICS, ids=[v.id for v in MIMICS])
def test_mimic_vignette(v: Vignette) -> None:
    result = screen_intake(intake_from_mapping({"answers": v.answers}), _drawing(v.regions))
    fired = [r.rule for r in result.reasons]
    assert result.decision == v.decision, fired
    for rule in v.rules:
        assert rule in fired


def test_each_mimic_has_two_red_flags_and_a_lookalike() -> None:
    for cluster in (
        "acute_coronary_syndrome",
        "giant_cell_arteritis",
        "meningitis",
        "pulmonary_embolism",
        "septic_arthritis",
    ):
        serious = [
            v for v in MIMICS if v.cluster == cluster and v.decision in ("emergency", "refer")
        ]
        assert len(serious) >= 2, cluster
    assert len([v for v in MIMICS if v.cluster == "benign"]) >= 4


def test_right_arm_counts_like_the_left() -> None:
    answers = intake_from_mapping({"answers": {"pain_on_exertion": True}})
    left = screen_intake(answers, _drawing(("sternum", "arm_inner_l")))
    right = screen_intake(answers, _drawing(("sternum", "arm_inner_r")))
    assert left.decision == right.decision == "refer"
