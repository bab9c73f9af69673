"""Well-known shoulder and arm referral patterns, checked against the Trigger Point Manual.

Each row names a muscle, optionally one of its TrPs (by id tag), a base region and whether the
literature draws that region in the solid (essential) or stippled (spillover) area.
"""

from __future__ import annotations

import pytest

from myomap.domain.atlas import Atlas, Muscle, parse_zone

GROUP = "shoulder_arm"
MUSCLES = (
    "supraspinatus",
    "infraspinatus",
    "teres_minor",
    "teres_major",
    "latissimus_dorsi",
    "subscapularis",
    "rhomboid_major",
    "rhomboid_minor",
    "deltoid",
    "coracobrachialis",
    "biceps_brachii",
    "brachialis",
    "triceps_brachii",
    "anconeus",
    "pectoralis_major",
    "pectoralis_minor",
    "subclavius",
    "serratus_anterior",
    "sternalis",
)
# Parts the manual keeps apart, which must be separate TrPs of one muscle.
PARTS = {
    "deltoid": {"anterior", "middle", "posterior"},
    "triceps_brachii": {"long_head", "medial_head", "lateral_head"},
    "pectoralis_major": {"clavicular", "sternal", "costal", "parasternal"},
}

PATTERNS = [
    # (muscle, TrP tag or None for any TrP, base region, zone kind)
    ("infraspinatus", None, "shoulder_front", "essential"),  # deep front of the shoulder joint
    ("infraspinatus", "medial", "scapula_medial", "essential"),
    ("supraspinatus", "medial", "shoulder_side", "essential"),  # mid-deltoid ache
    ("supraspinatus", "medial", "elbow_lateral", "essential"),  # lateral epicondyle
    ("teres_minor", None, "shoulder_back", "essential"),  # bull's-eye over posterior deltoid
    ("teres_major", None, "shoulder_back", "essential"),
    ("teres_major", None, "arm_back", "spillover"),  # over the long head of triceps
    ("latissimus_dorsi", "axillary", "scapula_angle", "essential"),  # lower tip of the scapula
    ("latissimus_dorsi", "axillary", "little_finger", "spillover"),  # down the ulnar arm
    ("subscapularis", None, "shoulder_back", "essential"),
    ("subscapularis", None, "wrist_dorsal", "essential"),  # strap around the wrist
    ("rhomboid_major", None, "scapula_medial", "essential"),  # along the vertebral border
    ("rhomboid_minor", None, "scapula_medial", "essential"),
    ("deltoid", "anterior", "shoulder_front", "essential"),  # local referral
    ("deltoid", "posterior", "shoulder_back", "essential"),
    ("coracobrachialis", None, "shoulder_front", "essential"),
    ("coracobrachialis", None, "middle_finger", "spillover"),  # skipping elbow and wrist
    ("biceps_brachii", None, "shoulder_front", "essential"),  # upward to the anterior deltoid
    ("brachialis", None, "thumb", "essential"),  # base of the thumb
    ("triceps_brachii", "medial_head_lateral", "elbow_lateral", "essential"),
    ("triceps_brachii", "insertion", "olecranon", "essential"),
    ("triceps_brachii", "long_head", "shoulder_back", "essential"),
    ("anconeus", None, "elbow_lateral", "essential"),
    ("pectoralis_major", "clavicular", "shoulder_front", "essential"),
    ("pectoralis_major", "sternal", "chest_mid", "essential"),
    ("pectoralis_major", "sternal", "elbow_medial", "essential"),
    ("pectoralis_major", "costal", "breast", "essential"),  # breast soreness, nipple sensitivity
    ("pectoralis_major", "parasternal", "sternum", "essential"),
    ("pectoralis_minor", None, "shoulder_front", "essential"),
    ("pectoralis_minor", None, "little_finger", "spillover"),
    ("subclavius", None, "thumb", "spillover"),  # radial half of the hand
    ("serratus_anterior", None, "chest_side", "essential"),  # side of the chest
    ("sternalis", None, "sternum", "essential"),
]


def _group_muscles(atlas: Atlas) -> dict[str, Muscle]:
    return {m.id: m for m in atlas.muscles if m.group == GROUP}


@pytest.mark.parametrize(("muscle_id", "tag", "region", "kind"), PATTERNS)
def test_known_pattern(
    atlas: Atlas, muscle_id: str, tag: str | None, region: str, kind: str
) -> None:
    muscle = atlas.muscle(muscle_id)
    tps = [tp for tp in muscle.trigger_points if tag is None or tp.id == f"{muscle_id}.{tag}"]
    assert tps, f"{muscle_id} has no TrP tagged {tag}"
    zones = [tp.essential if kind == "essential" else tp.spillover for tp in tps]
    assert any(region in {parse_zone(z)[1] for z in zs} for zs in zones)


def test_every_muscle_of_the_group_is_present(atlas: Atlas) -> None:
    assert set(MUSCLES) <= set(_group_muscles(atlas))


@pytest.mark.parametrize("muscle_id", MUSCLES)
def test_muscle_is_complete(atlas: Atlas, muscle_id: str) -> None:
    muscle = _group_muscles(atlas)[muscle_id]
    assert muscle.trigger_points
    assert any(ref.source in {"ts_vol1", "donnelly_2019"} for ref in muscle.sources)
    release = muscle.release
    assert release.stretch.instructions and release.rom_exercise.instructions
    low, high = release.pressure.hold_seconds
    assert 0 < low <= high <= 120
    for tp in muscle.trigger_points:
        assert tp.essential and tp.palpation.position
        assert tp.activating_factors and tp.perpetuating_factors


@pytest.mark.parametrize(("muscle_id", "parts"), sorted(PARTS.items()))
def test_parts_are_separate_trigger_points(atlas: Atlas, muscle_id: str, parts: set[str]) -> None:
    found = {tp.part for tp in atlas.muscle(muscle_id).trigger_points}
    assert parts <= found


def test_axillary_muscles_name_the_neurovascular_bundle(atlas: Atlas) -> None:
    for muscle_id in ("subscapularis", "pectoralis_minor", "subclavius", "coracobrachialis"):
        text = " ".join(atlas.muscle(muscle_id).cautions).lower()
        assert "plexus" in text or "artery" in text, muscle_id
