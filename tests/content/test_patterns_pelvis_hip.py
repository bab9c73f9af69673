"""Well-known pelvis and hip referral patterns, checked against the Trigger Point Manual.

Each row names a muscle, optionally one of its TrPs (by id tag), a base region and whether the
literature draws that region in the solid (essential) or stippled (spillover) area. The group's
file is loaded on its own so these checks do not depend on the other groups' files.
"""

from __future__ import annotations

import json
from importlib import resources

import pytest

from myomap.domain.atlas import Atlas, Muscle, MuscleFile, Source, parse_zone
from myomap.domain.bodymap import BodyMap
from myomap.knowledge.checks import check_atlas

GROUP = "pelvis_hip"
MANUAL = "ts_vol2"
MUSCLES = (
    "quadratus_lumborum",
    "iliopsoas",
    "gluteus_maximus",
    "gluteus_medius",
    "gluteus_minimus",
    "piriformis",
    "obturator_internus",
    "gemelli",
    "quadratus_femoris",
    "obturator_externus",
    "levator_ani",
    "coccygeus",
    "bulbospongiosus",
    "ischiocavernosus",
    "sphincter_ani",
    "tensor_fasciae_latae",
)
PARTS = {
    "quadratus_lumborum": {"superficial", "deep"},
    "gluteus_minimus": {"anterior", "posterior"},
    "iliopsoas": {"iliacus", "psoas"},
}
PELVIC_FLOOR = (
    "levator_ani",
    "coccygeus",
    "bulbospongiosus",
    "ischiocavernosus",
    "sphincter_ani",
    "obturator_internus",
)

PATTERNS = [
    # (muscle, TrP tag or None for any TrP, base region, zone kind)
    ("gluteus_minimus", "anterior", "thigh_outer", "essential"),  # down the outside of the leg
    ("gluteus_minimus", "anterior", "knee_lateral", "essential"),
    ("gluteus_minimus", "anterior", "leg_lateral", "essential"),
    ("gluteus_minimus", "anterior", "ankle_lateral", "spillover"),
    ("gluteus_minimus", "posterior", "thigh_back", "essential"),  # pseudo-S1 sciatica
    ("gluteus_minimus", "posterior", "calf_upper", "essential"),
    ("quadratus_lumborum", "superficial_upper", "iliac_crest", "essential"),
    ("quadratus_lumborum", "superficial_upper", "lower_quadrant", "spillover"),
    ("quadratus_lumborum", "superficial_lower", "hip_lateral", "essential"),  # trochanter
    ("quadratus_lumborum", "deep_upper", "sacroiliac", "essential"),
    ("quadratus_lumborum", "deep_lower", "buttock_lower", "essential"),
    ("iliopsoas", None, "lumbar", "essential"),  # vertical band beside the lumbar spine
    ("iliopsoas", None, "thigh_front", "essential"),
    ("iliopsoas", "iliacus", "groin", "spillover"),
    ("gluteus_maximus", "tp1", "sacroiliac", "essential"),
    ("gluteus_maximus", "tp3", "coccyx", "essential"),
    ("gluteus_medius", "tp1", "sacroiliac", "essential"),
    ("gluteus_medius", "tp1", "iliac_crest", "essential"),
    ("gluteus_medius", "tp2", "thigh_outer", "spillover"),
    ("piriformis", None, "sacroiliac", "essential"),
    ("piriformis", None, "thigh_back", "spillover"),  # proximal two-thirds of the thigh
    ("tensor_fasciae_latae", None, "thigh_outer", "essential"),
    ("tensor_fasciae_latae", None, "knee_lateral", "spillover"),
    ("levator_ani", None, "coccyx", "essential"),
    ("coccygeus", None, "coccyx", "essential"),
    ("obturator_internus", None, "coccyx", "essential"),  # anococcygeal region
    ("sphincter_ani", None, "perineum", "essential"),
    ("bulbospongiosus", None, "perineum", "essential"),
]


@pytest.fixture(scope="module")
def group_file() -> MuscleFile:
    root = resources.files("myomap") / "data" / "atlas"
    raw = json.loads((root / "muscles" / f"{GROUP}.json").read_text(encoding="utf-8"))
    return MuscleFile.model_validate(raw)


@pytest.fixture(scope="module")
def group_atlas(group_file: MuscleFile) -> Atlas:
    root = resources.files("myomap") / "data" / "atlas"
    shared = json.loads((root / "sources.json").read_text(encoding="utf-8"))["sources"]
    sources = {sid: Source.model_validate(s) for sid, s in shared.items()}
    for sid, src in group_file.sources.items():
        assert sid not in sources, f"{sid} redefines a shared source"
        sources[sid] = src
    return Atlas(version="test", sources=sources, muscles=group_file.muscles)


def _muscles(group_atlas: Atlas) -> dict[str, Muscle]:
    return {m.id: m for m in group_atlas.muscles}


@pytest.mark.parametrize(("muscle_id", "tag", "region", "kind"), PATTERNS)
def test_known_pattern(
    group_atlas: Atlas, muscle_id: str, tag: str | None, region: str, kind: str
) -> None:
    muscle = group_atlas.muscle(muscle_id)
    tps = [tp for tp in muscle.trigger_points if tag is None or tp.id == f"{muscle_id}.{tag}"]
    assert tps, f"{muscle_id} has no TrP tagged {tag}"
    zones = [tp.essential if kind == "essential" else tp.spillover for tp in tps]
    assert any(region in {parse_zone(z)[1] for z in zs} for zs in zones)


def test_group_file_passes_cross_checks(group_atlas: Atlas, bodymap: BodyMap) -> None:
    assert check_atlas(group_atlas, bodymap) == []


def test_every_required_muscle_is_present(group_file: MuscleFile) -> None:
    assert group_file.group == GROUP
    ids = {m.id for m in group_file.muscles}
    assert set(MUSCLES) <= ids, sorted(set(MUSCLES) - ids)
    assert all(m.group == GROUP for m in group_file.muscles)


@pytest.mark.parametrize("muscle_id", MUSCLES)
def test_muscle_is_complete(group_atlas: Atlas, muscle_id: str) -> None:
    m = group_atlas.muscle(muscle_id)
    assert m.trigger_points
    assert all(tp.id.startswith(f"{m.id}.") for tp in m.trigger_points)
    assert {ref.source for ref in m.sources} & {MANUAL, "donnelly_2019"}
    release = m.release
    assert release.stretch.instructions and release.rom_exercise.instructions
    assert 30 <= release.pressure.hold_seconds[0] <= release.pressure.hold_seconds[1] <= 90
    assert release.pressure.repetitions <= 3
    assert m.self_care.safe or m.self_care.reason_if_unsafe
    if m.self_care.safe:
        assert m.self_care.tool and m.self_care.instructions
    for tp in m.trigger_points:
        assert tp.restricted_movements, tp.id
        assert tp.activating_factors and tp.perpetuating_factors, tp.id
        assert tp.prevalence_note, tp.id


@pytest.mark.parametrize(("muscle_id", "parts"), sorted(PARTS.items()))
def test_parts_are_separate_trigger_points(
    group_atlas: Atlas, muscle_id: str, parts: set[str]
) -> None:
    found = {tp.part for tp in group_atlas.muscle(muscle_id).trigger_points}
    assert parts <= found


@pytest.mark.parametrize("muscle_id", PELVIC_FLOOR)
def test_pelvic_floor_is_not_self_treated_and_palpated_internally(
    group_atlas: Atlas, muscle_id: str
) -> None:
    m = group_atlas.muscle(muscle_id)
    assert m.self_care.safe is False
    assert m.self_care.reason_if_unsafe and "internal" in m.self_care.reason_if_unsafe.lower()
    assert all(tp.palpation.method == "internal" for tp in m.trigger_points)


def test_femoral_triangle_and_sciatic_nerve_cautions(group_atlas: Atlas) -> None:
    assert any("femoral triangle" in c for c in group_atlas.muscle("iliopsoas").cautions)
    for muscle_id in ("piriformis", "gemelli", "quadratus_femoris"):
        assert any("sciatic" in c for c in group_atlas.muscle(muscle_id).cautions)
