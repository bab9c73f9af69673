"""Well-known referral patterns of the leg and foot muscles, checked against the trigger point
manual (Travell & Simons vol. 2, ch. 19-27).

The group file is loaded on its own so that these checks do not depend on other groups' files;
cross-file rules are still applied to it with the shared sources.
"""

from __future__ import annotations

import json
from importlib import resources

import pytest

from myomap.domain.atlas import Atlas, Muscle, MuscleFile, Source, TriggerPoint
from myomap.domain.bodymap import BodyMap
from myomap.knowledge.checks import check_atlas

FILE = "leg_foot.json"

MUSCLES = [
    "tibialis_anterior",
    "tibialis_posterior",
    "fibularis_longus",
    "fibularis_brevis",
    "fibularis_tertius",
    "gastrocnemius",
    "soleus",
    "plantaris",
    "extensor_digitorum_longus",
    "extensor_hallucis_longus",
    "flexor_digitorum_longus",
    "flexor_hallucis_longus",
    "extensor_digitorum_brevis",
    "extensor_hallucis_brevis",
    "abductor_hallucis",
    "flexor_digitorum_brevis",
    "abductor_digiti_minimi_foot",
    "quadratus_plantae",
    "lumbricals_foot",
    "flexor_hallucis_brevis",
    "adductor_hallucis",
    "flexor_digiti_minimi_brevis",
    "dorsal_interossei_foot",
    "plantar_interossei_foot",
]

# (muscle, TrP id or None for any TrP of the muscle, region, "essential" | "spillover")
PATTERNS = [
    ("soleus", "soleus.tp1", "heel", "essential"),
    ("soleus", "soleus.tp1", "achilles", "spillover"),
    ("soleus", "soleus.tp2", "sacroiliac", "spillover"),
    ("soleus", "soleus.tp2", "calf_upper", "essential"),
    ("gastrocnemius", "gastrocnemius.medial_head", "arch", "essential"),
    ("gastrocnemius", "gastrocnemius.medial_head", "popliteal", "spillover"),
    ("gastrocnemius", None, "popliteal", "essential"),
    ("tibialis_anterior", "tibialis_anterior.tp1", "big_toe", "essential"),
    ("tibialis_anterior", "tibialis_anterior.tp1", "ankle_front", "essential"),
    ("tibialis_posterior", "tibialis_posterior.tp1", "achilles", "essential"),
    ("tibialis_posterior", "tibialis_posterior.tp1", "sole", "spillover"),
    ("fibularis_longus", "fibularis_longus.tp1", "ankle_lateral", "essential"),
    ("fibularis_brevis", None, "ankle_lateral", "essential"),
    ("fibularis_tertius", None, "ankle_front", "essential"),
    ("plantaris", None, "popliteal", "essential"),
    ("extensor_digitorum_longus", None, "foot_dorsum", "essential"),
    ("extensor_digitorum_longus", None, "lesser_toes", "essential"),
    ("extensor_hallucis_longus", None, "big_toe", "essential"),
    ("flexor_digitorum_longus", None, "ball_of_foot", "essential"),
    ("flexor_hallucis_longus", None, "big_toe", "essential"),
    ("extensor_digitorum_brevis", None, "foot_dorsum", "essential"),
    ("abductor_hallucis", None, "heel", "essential"),
    ("quadratus_plantae", None, "heel", "essential"),
    ("flexor_hallucis_brevis", None, "ball_of_foot", "essential"),
    ("adductor_hallucis", None, "ball_of_foot", "essential"),
    ("abductor_digiti_minimi_foot", None, "ball_of_foot", "essential"),
    ("flexor_digitorum_brevis", None, "ball_of_foot", "essential"),
    ("dorsal_interossei_foot", "dorsal_interossei_foot.first", "lesser_toes", "essential"),
]


@pytest.fixture(scope="module")
def group() -> Atlas:
    raw = json.loads((resources.files("myomap") / "data" / "atlas" / "muscles" / FILE).read_text())
    mf = MuscleFile.model_validate(raw)
    shared = json.loads(
        (resources.files("myomap") / "data" / "atlas" / "sources.json").read_text()
    )["sources"]
    sources = {k: Source.model_validate(v) for k, v in shared.items()}
    sources.update(mf.sources)
    return Atlas(version="test", sources=sources, muscles=mf.muscles)


def _trps(atlas: Atlas, muscle: str, trp: str | None) -> list[TriggerPoint]:
    m = atlas.muscle(muscle)
    return [tp for tp in m.trigger_points if trp is None or tp.id == trp]


@pytest.mark.parametrize(("muscle", "trp", "region", "zone"), PATTERNS)
def test_known_pattern(group: Atlas, muscle: str, trp: str | None, region: str, zone: str) -> None:
    tps = _trps(group, muscle, trp)
    assert tps, f"no trigger point {trp or muscle}"
    assert any(region in getattr(tp, zone) for tp in tps)


def test_group_file_passes_cross_file_checks(group: Atlas, bodymap: BodyMap) -> None:
    assert check_atlas(group, bodymap) == []


def test_every_listed_muscle_present(group: Atlas) -> None:
    assert sorted(MUSCLES) == sorted(m.id for m in group.muscles)


@pytest.mark.parametrize("muscle_id", MUSCLES)
def test_muscle_is_complete(group: Atlas, muscle_id: str) -> None:
    m: Muscle = group.muscle(muscle_id)
    assert m.group == "thigh_leg_foot"
    assert m.trigger_points and m.sources
    assert any(s.source in {"ts_vol2", "donnelly_2019"} for s in m.sources)
    assert m.release.stretch.instructions and m.release.rom_exercise.instructions
    assert 30 <= m.release.pressure.hold_seconds[0] <= m.release.pressure.hold_seconds[1] <= 90
    if m.self_care.safe:
        assert m.self_care.instructions and m.self_care.tool
    else:
        assert m.self_care.reason_if_unsafe
    for tp in m.trigger_points:
        assert tp.id.startswith(f"{muscle_id}.")
        assert tp.restricted_movements and tp.activating_factors and tp.perpetuating_factors


@pytest.mark.parametrize(
    ("muscle_id", "words"),
    [
        ("gastrocnemius", "popliteal"),
        ("plantaris", "popliteal"),
        ("fibularis_longus", "common fibular nerve"),
        ("extensor_digitorum_longus", "common fibular nerve"),
        ("abductor_hallucis", "tarsal tunnel"),
    ],
)
def test_cautions_name_nearby_structures(group: Atlas, muscle_id: str, words: str) -> None:
    assert any(words in c for c in group.muscle(muscle_id).cautions)


def test_popliteal_and_deep_calf_self_pressure_marked_unsafe(group: Atlas) -> None:
    for mid in ("plantaris", "tibialis_posterior"):
        assert group.muscle(mid).self_care.safe is False
