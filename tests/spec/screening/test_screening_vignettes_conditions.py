"""Vignettes for the conditions added to the coverage matrix after the first twenty (issue 11).

Each condition has a typical and an atypical red-flag presentation that must reach ``refer`` or
``emergency`` and a benign look-alike that must stay ``proceed`` or ``modify``. The rules and
their sources are in ``data/screening/rules.json`` (Klompas, JAMA 2002 for aortic dissection;
ESVS 2020 for acute limb ischaemia; Ulmer 2002 for compartment syndrome; NICE NG234 for spinal
cord compression; Cook 2010 for cervical myelopathy; NICE NG59 for progressive neurological
deficit; Sharp, AAFP 2013 for testicular torsion; NICE NG126 for ectopic pregnancy; the BTS
guideline for pneumothorax; ESC 2015 for pericarditis). Answers a presentation does not give are
left blank, as in use.
"""

from __future__ import annotations

import pytest

from myomap.services.care import intake_from_mapping, screen_intake
from tests.spec.screening.test_screening_vignettes import V, Vignette, _drawing

CONDITION_VIGNETTES: list[Vignette] = [
    # -- aortic dissection -----------------------------------------------------------------------
    V(
        "dissection_tearing_interscapular_hypertensive",
        "aortic_dissection",
        ("interscapular_l", "chest_mid_l"),
        {"age": 66, "hypertension": True, "sudden_severe_pain": True, "pain_tearing": True},
        "emergency",
        ("aortic_dissection_sudden_features",),
    ),
    V(
        "dissection_sudden_mid_back_not_reproduced_young",
        "aortic_dissection",
        ("mid_back_r",),
        {"age": 34, "sudden_severe_pain": True, "pain_reproduced_by_pressing": False},
        "emergency",
        ("aortic_dissection_sudden_not_mechanical",),
    ),
    V(
        "lookalike_interscapular_desk_hypertension",
        "benign",
        ("interscapular_l", "scapula_medial_l"),
        {"age": 58, "hypertension": True, "sudden_severe_pain": False, "fever": False},
        "proceed",
    ),
    # -- acute limb ischaemia --------------------------------------------------------------------
    V(
        "limb_ischaemia_sudden_cold_calf",
        "acute_limb_ischaemia",
        ("calf_upper_l", "calf_lower_l"),
        {"age": 74, "sudden_severe_pain": True, "limb_cold_pale": True, "limb_numb_weak": True},
        "emergency",
        ("limb_ischaemia_signs",),
    ),
    V(
        "limb_ischaemia_arm_poor_circulation_cold",
        "acute_limb_ischaemia",
        ("forearm_volar_ulnar_r", "palm_r"),
        {"age": 69, "poor_circulation": True, "smoker": True, "limb_cold_pale": True},
        "refer",
        ("limb_ischaemia_cold_pale",),
    ),
    V(
        "lookalike_calf_cramp_cold_feet",
        "benign",
        ("calf_upper_l",),
        {"age": 47, "poor_circulation": True, "limb_cold_pale": False, "limb_numb_weak": False},
        "modify",
    ),
    # -- compartment syndrome --------------------------------------------------------------------
    V(
        "compartment_shin_fracture_pain_out_of_proportion",
        "compartment_syndrome",
        ("shin_r", "leg_lateral_r"),
        {"age": 24, "fracture_regions": ["shin_r"], "pain_out_of_proportion": True},
        "emergency",
        ("compartment_pain_out_of_proportion",),
    ),
    V(
        "compartment_forearm_tight_after_minor_crush",
        "compartment_syndrome",
        ("forearm_volar_radial_l",),
        {
            "age": 39,
            "minor_trauma": True,
            "limb_tight_swollen": True,
            "pain_out_of_proportion": False,
        },
        "refer",
        ("compartment_tight_after_injury",),
    ),
    V(
        "lookalike_calf_strain_after_kick",
        "benign",
        ("calf_upper_r",),
        {
            "age": 28,
            "minor_trauma": True,
            "fever": False,
            "pain_out_of_proportion": False,
            "limb_tight_swollen": False,
        },
        "proceed",
    ),
    # -- spinal cord compression -----------------------------------------------------------------
    V(
        "mscc_breast_cancer_thoracic_legs_weak",
        "spinal_cord_compression",
        ("thoracic_spine", "mid_back_l"),
        {"age": 61, "cancer_history": True, "leg_weakness_progressive": True},
        "emergency",
        ("mscc_neurological",),
    ),
    V(
        "mscc_prostate_cancer_neck_band_night",
        "spinal_cord_compression",
        ("neck_back_r", "suboccipital_r"),
        {"age": 72, "sex": "male", "cancer_history": True, "night_pain": True},
        "refer",
        ("mscc_spinal_pain_features",),
    ),
    V(
        "lookalike_mid_back_postural_no_cancer",
        "benign",
        ("mid_back_l", "interscapular_l"),
        {"age": 45, "cancer_history": False, "night_pain": False, "fever": False},
        "proceed",
    ),
    # -- cervical myelopathy ---------------------------------------------------------------------
    V(
        "myelopathy_neck_hands_lhermitte",
        "cervical_myelopathy",
        ("neck_back_l", "neck_back_r"),
        {"age": 63, "hands_clumsy_numb": True, "neck_flexion_shock": True},
        "refer",
        ("myelopathy_hands", "myelopathy_lhermitte"),
    ),
    V(
        "myelopathy_upper_trapezius_only_hands_numb",
        "cervical_myelopathy",
        ("shoulder_top_l", "shoulder_top_r"),
        {"age": 52, "hands_clumsy_numb": True, "fever": False},
        "refer",
        ("myelopathy_hands",),
    ),
    V(
        "lookalike_neck_stiffness_over_50",
        "benign",
        ("neck_back_r", "shoulder_top_r"),
        {"age": 56, "hands_clumsy_numb": False, "neck_flexion_shock": False, "fever": False},
        "proceed",
    ),
    # -- progressive radiculopathy ---------------------------------------------------------------
    V(
        "radiculopathy_neck_arm_grip_weakening",
        "progressive_radiculopathy",
        ("neck_back_r", "arm_outer_r", "forearm_dorsal_radial_r", "thumb_r"),
        {"age": 48, "arm_weakness_progressive": True},
        "refer",
        ("radiculopathy_arm_progressive",),
    ),
    V(
        "radiculopathy_sciatica_foot_drop",
        "progressive_radiculopathy",
        ("buttock_lower_l", "thigh_back_l", "leg_lateral_l"),
        {"age": 41, "leg_weakness_progressive": True},
        "emergency",
        ("cauda_equina_progressive_deficit",),
    ),
    V(
        "lookalike_neck_arm_pain_stable",
        "benign",
        ("neck_back_r", "arm_outer_r", "forearm_dorsal_radial_r"),
        {"age": 44, "arm_weakness_progressive": False, "fever": False},
        "proceed",
    ),
    # -- testicular torsion ----------------------------------------------------------------------
    V(
        "torsion_teen_sudden_testicle_vomiting",
        "testicular_torsion",
        ("groin_r", "genitals"),
        {"age": 16, "sex": "male", "testicle_pain_swelling": True, "nausea_vomiting": True},
        "emergency",
        ("torsion_testicle_acute",),
    ),
    V(
        "torsion_boy_groin_lower_belly_only",
        "testicular_torsion",
        ("lower_quadrant_l", "groin_l"),
        {"age": 13, "sex": "male", "testicle_pain_swelling": True},
        "emergency",
        ("torsion_testicle_acute",),
    ),
    V(
        "lookalike_adductor_strain_male_groin",
        "benign",
        ("groin_l", "thigh_inner_l"),
        {"age": 27, "sex": "male", "testicle_pain_swelling": False, "fever": False},
        "proceed",
    ),
    # -- ectopic pregnancy and pelvic causes -----------------------------------------------------
    V(
        "ectopic_lower_quadrant_late_period_bleeding",
        "ectopic_pregnancy",
        ("lower_quadrant_r", "groin_r"),
        {
            "age": 28,
            "sex": "female",
            "pregnancy_possible": True,
            "vaginal_bleeding_unusual": True,
        },
        "emergency",
        ("ectopic_features",),
    ),
    V(
        "ectopic_shoulder_tip_faint_mild_pelvic",
        "ectopic_pregnancy",
        ("suprapubic", "shoulder_top_r"),
        {"age": 31, "sex": "female", "pregnancy_possible": True, "faint": True},
        "emergency",
        ("ectopic_features",),
    ),
    V(
        "pelvic_pain_unusual_discharge",
        "ectopic_pregnancy",
        ("lower_quadrant_l", "suprapubic"),
        {"age": 24, "sex": "female", "pregnancy_possible": False, "vaginal_bleeding_unusual": True},
        "refer",
        ("pelvic_bleeding_unusual",),
    ),
    V(
        "lookalike_adductor_strain_female_groin",
        "benign",
        ("groin_r", "thigh_inner_r"),
        {
            "age": 30,
            "sex": "female",
            "pregnancy_possible": False,
            "vaginal_bleeding_unusual": False,
            "fever": False,
        },
        "proceed",
    ),
    # -- pneumothorax ----------------------------------------------------------------------------
    V(
        "pneumothorax_young_man_sudden_side_breathless",
        "pneumothorax",
        ("chest_side_l",),
        {
            "age": 22,
            "sex": "male",
            "sudden_severe_pain": True,
            "pain_worse_breathing_in": True,
            "breathless_new": True,
        },
        "emergency",
        ("pneumothorax_sudden_pleuritic",),
    ),
    V(
        "pneumothorax_smoker_sudden_scapular_no_breathless",
        "pneumothorax",
        ("scapula_upper_r", "interscapular_r"),
        {
            "age": 35,
            "smoker": True,
            "sudden_severe_pain": True,
            "pain_worse_breathing_in": True,
            "breathless_new": False,
        },
        "emergency",
        ("pneumothorax_sudden_pleuritic",),
    ),
    V(
        "lookalike_rib_strain_after_cough",
        "benign",
        ("chest_side_r",),
        {
            "age": 40,
            "sudden_severe_pain": False,
            "pain_worse_breathing_in": True,
            "pain_reproduced_by_pressing": True,
            "pain_changes_with_movement": True,
            "breathless_new": False,
            "fever": False,
        },
        "proceed",
    ),
    # -- pericarditis ----------------------------------------------------------------------------
    V(
        "pericarditis_sternum_leaning_forward_after_cold",
        "pericarditis",
        ("sternum", "chest_upper_l"),
        {
            "age": 30,
            "pain_worse_breathing_in": True,
            "pain_eased_leaning_forward": True,
            "fever": False,
        },
        "refer",
        ("pericarditis_positional",),
    ),
    V(
        "pericarditis_trapezius_ridge_only",
        "pericarditis",
        ("shoulder_top_l", "neck_side_l"),
        {"age": 44, "pain_worse_breathing_in": True, "pain_eased_leaning_forward": True},
        "refer",
        ("pericarditis_positional",),
    ),
    V(
        "lookalike_costochondritis",
        "benign",
        ("sternum", "chest_upper_l"),
        {
            "age": 36,
            "pain_worse_breathing_in": True,
            "pain_eased_leaning_forward": False,
            "pain_reproduced_by_pressing": True,
            "pain_changes_with_movement": True,
            "fever": False,
        },
        "proceed",
    ),
    # -- peptic ulcer ----------------------------------------------------------------------------
    V(
        "ulcer_epigastric_nsaid_black_stools",
        "peptic_ulcer",
        ("epigastric",),
        {"age": 57, "nsaid_use": True, "black_stools_vomit_blood": True},
        "emergency",
        ("ulcer_bleeding",),
    ),
    V(
        "ulcer_mid_back_only_meals_nsaid",
        "peptic_ulcer",
        ("thoracic_spine", "mid_back_r"),
        {"age": 62, "pain_after_meals": True, "nsaid_use": True, "black_stools_vomit_blood": False},
        "refer",
        ("ulcer_pattern_features",),
    ),
    V(
        "lookalike_mid_back_strain_on_ibuprofen",
        "benign",
        ("mid_back_l",),
        {
            "age": 39,
            "pain_after_meals": False,
            "nausea_vomiting": False,
            "nsaid_use": True,
            "fever": False,
        },
        "proceed",
    ),
    # -- inflammatory back pain / spondyloarthritis ----------------------------------------------
    V(
        "ibp_young_man_lumbar_buttock_all_features",
        "inflammatory_back_pain",
        ("lumbar_l", "lumbar_r", "buttock_upper_l"),
        {
            "age": 27,
            "sex": "male",
            "pain_duration_weeks": 30,
            "back_pain_insidious": True,
            "back_pain_better_moving": True,
            "back_pain_wakes_eases_up": True,
        },
        "refer",
        ("inflammatory_back_pain",),
    ),
    V(
        "ibp_woman_alternating_buttock_night_and_movement",
        "inflammatory_back_pain",
        ("buttock_lower_l", "buttock_lower_r"),
        {
            "age": 34,
            "sex": "female",
            "pain_duration_weeks": 16,
            "back_pain_insidious": False,
            "back_pain_better_moving": True,
            "back_pain_wakes_eases_up": True,
        },
        "refer",
        ("inflammatory_back_pain",),
    ),
    V(
        "lookalike_chronic_mechanical_low_back",
        "benign",
        ("lumbar_l", "buttock_upper_l"),
        {
            "age": 42,
            "pain_duration_weeks": 14,
            "back_pain_insidious": False,
            "back_pain_better_moving": False,
            "back_pain_wakes_eases_up": True,
            "fever": False,
        },
        "proceed",
    ),
    # -- polymyalgia rheumatica ------------------------------------------------------------------
    V(
        "pmr_both_shoulders_stiff_older_woman",
        "polymyalgia_rheumatica",
        ("shoulder_top_l", "shoulder_top_r", "arm_outer_l", "arm_outer_r"),
        {"age": 71, "sex": "female", "morning_stiffness_long": True},
        "refer",
        ("pmr_features",),
    ),
    V(
        "pmr_hip_girdle_only",
        "polymyalgia_rheumatica",
        ("hip_lateral_l", "hip_lateral_r", "buttock_upper_l", "buttock_upper_r"),
        {"age": 66, "sex": "male", "morning_stiffness_long": True},
        "refer",
        ("pmr_features",),
    ),
    V(
        "lookalike_both_shoulders_after_painting",
        "benign",
        ("shoulder_top_l", "shoulder_top_r"),
        {"age": 58, "morning_stiffness_long": False, "fever": False},
        "proceed",
    ),
    # -- herpes zoster before the rash -----------------------------------------------------------
    V(
        "zoster_older_chest_wall_burning",
        "herpes_zoster",
        ("chest_side_l", "mid_back_l"),
        {"age": 68, "skin_burning_one_side": True},
        "refer",
        ("zoster_prodrome",),
    ),
    V(
        "zoster_immunosuppressed_flank_burning",
        "herpes_zoster",
        ("flank_r", "lumbar_r"),
        {"age": 41, "immunosuppressed": True, "skin_burning_one_side": True},
        "refer",
        ("zoster_prodrome",),
    ),
    V(
        "lookalike_mid_back_ache_older",
        "benign",
        ("mid_back_l", "scapula_medial_l"),
        {"age": 63, "skin_burning_one_side": False, "fever": False},
        "proceed",
    ),
    # -- aortic dissection look-alike: a sudden lifting strain of the low back with high blood
    # pressure is not a dissection pattern (the dissection rules read the chest, upper back, belly)
    V(
        "lookalike_lifting_strain_sudden_low_back_hypertensive",
        "benign",
        ("lumbar_l", "lumbar_r"),
        {"age": 52, "hypertension": True, "sudden_severe_pain": True, "minor_trauma": True},
        "proceed",
    ),
]


@pytest.mark.parametrize("v", CONDITION_VIGNETTES, ids=[v.id for v in CONDITION_VIGNETTES])
def test_condition_vignette(v: Vignette) -> None:
    result = screen_intake(intake_from_mapping({"answers": v.answers}), _drawing(v.regions))
    fired = [r.rule for r in result.reasons]
    assert result.decision == v.decision, fired
    for rule in v.rules:
        assert rule in fired


def test_each_condition_has_two_red_flags_and_a_lookalike() -> None:
    clusters = {v.cluster for v in CONDITION_VIGNETTES} - {"benign"}
    for cluster in clusters:
        serious = [
            v
            for v in CONDITION_VIGNETTES
            if v.cluster == cluster and v.decision in ("emergency", "refer")
        ]
        assert len(serious) >= 2, cluster
    assert len([v for v in CONDITION_VIGNETTES if v.cluster == "benign"]) >= len(clusters)
