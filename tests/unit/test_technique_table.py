"""Technique choice as a neuromuscular therapist would make it (issue 11), as a table.

Trigger point pressure release when one to three trigger points explain the drawing (Travell &
Simons: treat the trigger points whose referral reproduces the pain); deep tissue for widespread
tension with no referral pattern that explains it; myofascial release for fascial restriction,
low pressure tolerance or a screening limit to light pressure. Chronicity alone decides nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from myomap.domain.bodymap import Side
from myomap.domain.planner import TrPCandidate, choose_technique, signals
from myomap.domain.screening import screen
from myomap.knowledge.planning import load_planning
from myomap.knowledge.screening import bundled_rules
from myomap.services.care import intake_from_mapping


def c(trp: str, p: float, confirmed: bool = False) -> TrPCandidate:
    return TrPCandidate(trp, trp.split(".")[0], Side.RIGHT, p, confirmed)


@dataclass(frozen=True)
class Case:
    id: str
    candidates: tuple[TrPCandidate, ...]
    painful: int
    answers: dict[str, Any]
    primary: str
    reason: str  # a phrase the reasons must contain
    not_in_combination: tuple[str, ...] = field(default=())


CASES = [
    Case(
        "desk_worker_right_temple_headache_upper_trapezius",
        (
            c("levator_scapulae.upper", 0.39),
            c("trapezius.tp1", 0.34),
            c("levator_scapulae.lower", 0.19),
        ),
        4,
        {"pain_duration_weeks": 16, "postural_pattern": True},
        "pressure_release",
        "well explained by 2 trigger points",
        ("deep_tissue", "myofascial_release"),
    ),
    Case(
        "one_confirmed_infraspinatus",
        (c("infraspinatus.tp1", 0.2, True),),
        2,
        {},
        "pressure_release",
        "confirmed on palpation",
    ),
    Case(
        "tennis_elbow_wrist_extensor",
        (c("extensor_carpi_radialis_longus.tp1", 0.55),),
        2,
        {},
        "pressure_release",
        "well explained by 1 trigger point",
    ),
    Case(
        "jaw_clencher_masseter_temporalis",
        (c("masseter.tp1", 0.5), c("temporalis.tp1", 0.31)),
        3,
        {"stress": 8},
        "pressure_release",
        "well explained",
    ),
    Case(
        "chronic_gluteus_minimus_pseudo_sciatica",
        (c("gluteus_minimus.tp1", 0.45),),
        4,
        {"pain_duration_weeks": 30},
        "pressure_release",
        "well explained",
        ("deep_tissue",),
    ),
    Case(
        "widespread_tension_adhered_no_pattern",
        (c("trapezius.tp1", 0.12), c("rhomboid.tp1", 0.1)),
        10,
        {"adhesions": True},
        "deep_tissue",
        "without a trigger point referral pattern",
    ),
    Case(
        "widespread_tension_no_notes",
        (c("trapezius.tp1", 0.1),),
        9,
        {},
        "deep_tissue",
        "widespread",
    ),
    Case(
        "fascial_restriction_low_probability",
        (c("trapezius.tp1", 0.1),),
        3,
        {"fascial_restriction": True},
        "myofascial_release",
        "fascial restriction",
    ),
    Case(
        "low_pressure_tolerance_with_a_likely_trp",
        (c("trapezius.tp1", 0.5),),
        2,
        {"pressure_tolerance": "low"},
        "myofascial_release",
        "tolerates little pressure",
    ),
    Case(
        "blood_thinner_limits_pressure",
        (c("trapezius.tp1", 0.5),),
        2,
        {"anticoagulants": True},
        "myofascial_release",
        "limits pressure to light",
        ("deep_tissue",),
    ),
    Case(
        "blood_thinner_widespread_adhesions",
        (c("trapezius.tp1", 0.1),),
        10,
        {"anticoagulants": True, "adhesions": True},
        "myofascial_release",
        "ruled out by screening",
        ("deep_tissue",),
    ),
    Case(
        "nothing_points_anywhere",
        (c("trapezius.tp1", 0.1),),
        2,
        {},
        "pressure_release",
        "confirmed by palpation first",
    ),
    Case(
        "many_candidates_none_explains_alone",
        tuple(c(f"m{i}.tp1", 0.42) for i in range(5)),
        6,
        {},
        "pressure_release",
        "40% or more",
    ),
    Case(
        "widespread_but_two_trps_explain_it",
        (c("gluteus_minimus.tp1", 0.5), c("quadratus_lumborum.tp1", 0.45)),
        9,
        {},
        "pressure_release",
        "well explained",
        ("deep_tissue",),
    ),
    Case(
        "postural_and_fascial_over_a_moderate_trp",
        (c("pectoralis_minor.tp1", 0.35),),
        3,
        {"postural_pattern": True, "fascial_restriction": True},
        "myofascial_release",
        "fascial restriction",
    ),
    Case(
        "two_confirmed_with_adhesions",
        (c("trapezius.tp1", 0.3, True), c("levator_scapulae.upper", 0.3, True)),
        5,
        {"adhesions": True},
        "pressure_release",
        "2 trigger points confirmed",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[x.id for x in CASES])
def test_technique_table(case: Case) -> None:
    data = load_planning()
    intake = intake_from_mapping({"answers": {"fever": False, **case.answers}})
    screening = screen(intake, bundled_rules(), has_drawing=True)
    present = signals(data, intake, screening, case.candidates, case.painful)
    choice = choose_technique(data, present, screening)
    assert choice.primary == case.primary, (choice.scores, choice.reasons)
    assert any(case.reason in r for r in choice.reasons), choice.reasons
    for tid in case.not_in_combination:
        assert tid not in choice.combination, choice.combination


def test_table_is_large_enough() -> None:
    assert len(CASES) >= 15
    assert {x.primary for x in CASES} == {"pressure_release", "deep_tissue", "myofascial_release"}


def test_chronicity_alone_favours_no_technique() -> None:
    data = load_planning()
    assert all("chronic" not in t.favoured_by for t in data.techniques.values())
