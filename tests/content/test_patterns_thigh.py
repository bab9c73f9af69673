"""Well-known referral patterns of the thigh muscles, checked against the trigger point manual
(Travell & Simons vol. 2, ch. 12-17).

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

FILE = "thigh.json"

MUSCLES = [
    "sartorius",
    "pectineus",
    "rectus_femoris",
    "vastus_medialis",
    "vastus_intermedius",
    "vastus_lateralis",
    "adductor_longus",
    "adductor_brevis",
    "adductor_magnus",
    "gracilis",
    "biceps_femoris",
    "semitendinosus",
    "semimembranosus",
    "popliteus",
]

# (muscle, TrP id or None for any TrP of the muscle, region, "essential" | "spillover")
PATTERNS = [
    ("rectus_femoris", "rectus_femoris.tp1", "patella", "essential"),
    ("vastus_medialis", "vastus_medialis.distal", "patella", "essential"),
    ("vastus_medialis", None, "knee_medial", "essential"),
    ("vastus_intermedius", None, "thigh_front", "essential"),
    ("vastus_lateralis", "vastus_lateralis.tp4", "thigh_outer", "essential"),
    ("vastus_lateralis", "vastus_lateralis.tp1", "patella", "essential"),
    ("vastus_lateralis", None, "knee_lateral", "essential"),
    ("sartorius", "sartorius.lower", "knee_medial", "essential"),
    ("pectineus", None, "groin", "essential"),
    ("adductor_longus", None, "groin", "essential"),
    ("adductor_longus", None, "knee_medial", "spillover"),
    ("adductor_brevis", None, "groin", "essential"),
    ("adductor_magnus", "adductor_magnus.mid_thigh", "thigh_inner", "essential"),
    ("adductor_magnus", "adductor_magnus.proximal", "perineum", "essential"),
    ("gracilis", None, "thigh_inner", "essential"),
    ("biceps_femoris", None, "popliteal", "essential"),
    ("semitendinosus", None, "buttock_lower", "essential"),
    ("semimembranosus", None, "buttock_lower", "essential"),
    ("popliteus", None, "popliteal", "essential"),
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


def test_vastus_lateralis_has_several_trigger_points(group: Atlas) -> None:
    assert len(group.muscle("vastus_lateralis").trigger_points) >= 3


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
        ("sartorius", "femoral triangle"),
        ("pectineus", "femoral triangle"),
        ("adductor_longus", "femoral triangle"),
        ("adductor_brevis", "femoral triangle"),
        ("adductor_magnus", "femoral triangle"),
        ("popliteus", "popliteal fossa"),
        ("biceps_femoris", "common fibular nerve"),
        ("semitendinosus", "sciatic nerve"),
    ],
)
def test_cautions_name_nearby_structures(group: Atlas, muscle_id: str, words: str) -> None:
    assert any(words in c for c in group.muscle(muscle_id).cautions)


def test_self_pressure_in_the_femoral_triangle_is_marked_unsafe(group: Atlas) -> None:
    assert group.muscle("pectineus").self_care.safe is False
