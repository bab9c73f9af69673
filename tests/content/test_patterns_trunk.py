"""Well-known trunk referral patterns, checked against the Trigger Point Manual.

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

GROUP = "trunk"
MANUAL = "ts_vol1"
MUSCLES = (
    "serratus_posterior_superior",
    "serratus_posterior_inferior",
    "iliocostalis_thoracis",
    "iliocostalis_lumborum",
    "longissimus_thoracis",
    "multifidi",
    "rotatores",
    "rectus_abdominis",
    "external_oblique",
    "internal_oblique",
    "transversus_abdominis",
    "pyramidalis",
    "intercostals",
    "diaphragm",
)
PARTS = {
    "rectus_abdominis": {"upper", "lower", "lateral_border"},
    "iliocostalis_thoracis": {"mid", "lower"},
    "external_oblique": {"upper", "lower"},
}
# Patterns the manual draws across the back on both sides from a TrP on one side.
BILATERAL = [
    ("rectus_abdominis.upper", "thoracolumbar"),
    ("rectus_abdominis.lower", "sacroiliac"),
    ("transversus_abdominis.upper", "upper_quadrant"),
]

PATTERNS = [
    # (muscle, TrP tag or None for any TrP, base region, zone kind)
    ("rectus_abdominis", "upper", "thoracolumbar", "essential"),  # band across the mid back
    ("rectus_abdominis", "upper", "epigastric", "spillover"),
    ("rectus_abdominis", "lower", "sacroiliac", "essential"),  # band across the low back
    ("rectus_abdominis", "lower", "lumbar", "essential"),
    ("rectus_abdominis", "lateral_border", "lower_quadrant", "essential"),  # McBurney's point
    ("external_oblique", "upper", "epigastric", "essential"),  # heartburn-like pain
    ("external_oblique", "lower", "groin", "essential"),
    ("internal_oblique", None, "groin", "essential"),
    ("transversus_abdominis", None, "upper_quadrant", "essential"),  # between costal margins
    ("pyramidalis", None, "suprapubic", "essential"),
    ("iliocostalis_lumborum", None, "buttock_upper", "essential"),  # mid-buttock
    ("longissimus_thoracis", None, "buttock_upper", "essential"),  # far below the TrP
    ("iliocostalis_thoracis", "lower", "lumbar", "essential"),
    ("iliocostalis_thoracis", "mid", "chest_side", "spillover"),
    ("multifidi", "s1", "coccyx", "essential"),
    ("multifidi", "lumbar", "lumbar_spine", "essential"),
    ("rotatores", None, "lumbar_spine", "essential"),
    ("serratus_posterior_superior", None, "scapula_upper", "essential"),  # under the scapula
    ("serratus_posterior_superior", None, "little_finger", "spillover"),
    ("serratus_posterior_inferior", None, "thoracolumbar", "essential"),
    ("intercostals", None, "chest_side", "essential"),
    ("diaphragm", None, "chest_lower", "essential"),  # side stitch at the costal margin
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


@pytest.mark.parametrize(("trp_id", "zone"), BILATERAL)
def test_bilateral_patterns_name_both_sides(group_atlas: Atlas, trp_id: str, zone: str) -> None:
    _, tp = group_atlas.trigger_point(trp_id)
    assert f"both:{zone}" in tp.essential


def test_abdominal_wall_cautions_mention_visceral_mimics(group_atlas: Atlas) -> None:
    for muscle_id in ("rectus_abdominis", "external_oblique", "internal_oblique"):
        text = " ".join(group_atlas.muscle(muscle_id).cautions).lower()
        assert "visceral" in text and "appendicitis" in text
