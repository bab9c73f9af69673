"""Well-known forearm and hand referral patterns, checked against the Trigger Point Manual.

Each row names a muscle, optionally one of its TrPs (by id tag), a base region and whether the
literature draws that region in the solid (essential) or stippled (spillover) area.
"""

from __future__ import annotations

import pytest

from myomap.domain.atlas import Atlas, Muscle, parse_zone

GROUP = "forearm_hand"
MUSCLES = (
    "brachioradialis",
    "extensor_carpi_radialis_longus",
    "extensor_carpi_radialis_brevis",
    "extensor_carpi_ulnaris",
    "extensor_digitorum",
    "extensor_indicis",
    "extensor_digiti_minimi",
    "supinator",
    "palmaris_longus",
    "flexor_carpi_radialis",
    "flexor_carpi_ulnaris",
    "flexor_digitorum_superficialis",
    "flexor_digitorum_profundus",
    "flexor_pollicis_longus",
    "pronator_teres",
    "adductor_pollicis",
    "opponens_pollicis",
    "abductor_pollicis_brevis",
    "flexor_pollicis_brevis",
    "abductor_digiti_minimi_hand",
    "dorsal_interossei_hand",
    "palmar_interossei_hand",
)

PATTERNS = [
    # (muscle, TrP tag or None for any TrP, base region, zone kind)
    ("brachioradialis", None, "hand_back", "essential"),  # web between thumb and index
    ("brachioradialis", None, "elbow_lateral", "spillover"),
    ("extensor_carpi_radialis_longus", None, "elbow_lateral", "essential"),
    ("extensor_carpi_radialis_longus", None, "hand_back", "essential"),
    ("extensor_carpi_radialis_brevis", None, "wrist_dorsal", "essential"),
    ("extensor_carpi_ulnaris", None, "wrist_dorsal", "essential"),  # ulnar side of the wrist
    ("extensor_digitorum", "middle_finger", "middle_finger", "essential"),
    ("extensor_digitorum", "ring_finger", "ring_finger", "essential"),
    ("extensor_indicis", None, "wrist_dorsal", "essential"),
    ("supinator", None, "elbow_lateral", "essential"),  # lateral epicondyle
    ("supinator", None, "hand_back", "essential"),  # dorsal web of the thumb
    ("palmaris_longus", None, "palm", "essential"),  # prickling in the palm
    ("flexor_carpi_radialis", None, "wrist_volar", "essential"),
    ("flexor_carpi_ulnaris", None, "wrist_volar", "essential"),
    ("flexor_digitorum_superficialis", "radial", "middle_finger", "essential"),
    ("flexor_digitorum_superficialis", "ulnar", "little_finger", "essential"),
    ("flexor_digitorum_profundus", None, "ring_finger", "essential"),
    ("flexor_pollicis_longus", None, "thumb", "essential"),  # palm side of the thumb to its tip
    ("pronator_teres", None, "wrist_volar", "essential"),  # deep radial volar wrist
    ("adductor_pollicis", None, "thumb", "essential"),
    ("opponens_pollicis", None, "thumb", "essential"),
    ("opponens_pollicis", None, "wrist_volar", "essential"),
    ("abductor_pollicis_brevis", None, "palm", "essential"),  # thenar area (Kim 2009)
    ("abductor_digiti_minimi_hand", None, "little_finger", "essential"),
    ("dorsal_interossei_hand", "first", "index_finger", "essential"),
    ("palmar_interossei_hand", "third", "little_finger", "essential"),
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


def test_finger_extensor_trigger_points_are_kept_apart(atlas: Atlas) -> None:
    parts = {tp.part for tp in atlas.muscle("extensor_digitorum").trigger_points}
    assert {"middle_finger", "ring_finger"} <= parts


def test_hand_trigger_points_lie_on_the_hand(atlas: Atlas) -> None:
    """Intrinsic hand muscles are drawn on the palm or the back of the hand, not the forearm."""
    intrinsic = (
        "adductor_pollicis",
        "opponens_pollicis",
        "abductor_pollicis_brevis",
        "flexor_pollicis_brevis",
        "abductor_digiti_minimi_hand",
        "dorsal_interossei_hand",
        "palmar_interossei_hand",
    )
    for muscle_id in intrinsic:
        for tp in atlas.muscle(muscle_id).trigger_points:
            assert tp.location.region in {"palm", "hand_back"}, tp.id


def test_nerve_tunnels_are_named_in_cautions(atlas: Atlas) -> None:
    expected = {
        "supinator": "radial nerve",
        "pronator_teres": "median nerve",
        "flexor_carpi_ulnaris": "ulnar nerve",
    }
    for muscle_id, nerve in expected.items():
        assert nerve in " ".join(atlas.muscle(muscle_id).cautions).lower(), muscle_id
