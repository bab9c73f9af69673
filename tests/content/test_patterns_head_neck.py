"""Well-known referral patterns of the head and neck muscles, checked against the trigger point
manual (Travell & Simons vol. 1, 2nd ed., ch. 6-17, 19-20) and, for longus colli, Minerbi 2017.

The group file is loaded on its own so that these checks do not depend on other groups' files;
cross-file rules are still applied to it with the shared sources. One test also looks for the
group in the fully loaded atlas.
"""

from __future__ import annotations

import json
from importlib import resources

import pytest

from myomap.domain.atlas import Atlas, Muscle, MuscleFile, Source, TriggerPoint, parse_zone
from myomap.domain.bodymap import BodyMap
from myomap.knowledge.checks import check_atlas

FILE = "head_neck.json"

MUSCLES = [
    "trapezius",
    "sternocleidomastoid",
    "masseter",
    "temporalis",
    "medial_pterygoid",
    "lateral_pterygoid",
    "digastric",
    "buccinator",
    "orbicularis_oculi",
    "zygomaticus_major",
    "platysma",
    "occipitofrontalis",
    "splenius_capitis",
    "splenius_cervicis",
    "semispinalis_capitis",
    "semispinalis_cervicis",
    "multifidi_cervical",
    "rectus_capitis_posterior_major",
    "rectus_capitis_posterior_minor",
    "obliquus_capitis_inferior",
    "obliquus_capitis_superior",
    "levator_scapulae",
    "scalenus_anterior",
    "scalenus_medius",
    "scalenus_posterior",
    "scalenus_minimus",
    "longus_colli",
]

# (muscle, TrP id or None for any TrP of the muscle, base region, "essential" | "spillover")
PATTERNS = [
    ("trapezius", "trapezius.tp1", "temple", "essential"),
    ("trapezius", "trapezius.tp1", "mastoid", "essential"),
    ("trapezius", "trapezius.tp1", "jaw", "spillover"),
    ("trapezius", "trapezius.tp2", "occiput", "essential"),
    ("trapezius", "trapezius.tp3", "scapula_upper", "essential"),
    ("trapezius", "trapezius.tp4", "scapula_medial", "essential"),
    ("trapezius", "trapezius.tp5", "interscapular", "essential"),
    ("trapezius", "trapezius.tp6", "shoulder_top", "essential"),
    ("sternocleidomastoid", "sternocleidomastoid.sternal_lower", "sternum", "essential"),
    ("sternocleidomastoid", "sternocleidomastoid.sternal_mid", "cheek", "essential"),
    ("sternocleidomastoid", "sternocleidomastoid.sternal_mid", "orbit", "essential"),
    ("sternocleidomastoid", "sternocleidomastoid.sternal_upper", "vertex", "essential"),
    ("sternocleidomastoid", "sternocleidomastoid.clavicular_mid", "forehead", "essential"),
    ("sternocleidomastoid", "sternocleidomastoid.clavicular_upper", "ear", "essential"),
    ("masseter", "masseter.superficial_upper", "upper_teeth", "essential"),
    ("masseter", "masseter.superficial_mid", "lower_teeth", "essential"),
    ("masseter", "masseter.superficial_lower", "eyebrow", "essential"),
    ("masseter", "masseter.deep", "ear", "essential"),
    ("temporalis", "temporalis.tp1", "eyebrow", "essential"),
    ("temporalis", None, "upper_teeth", "essential"),
    ("temporalis", None, "temple", "essential"),
    ("medial_pterygoid", None, "ear", "essential"),
    ("medial_pterygoid", None, "throat", "essential"),
    ("lateral_pterygoid", None, "tmj", "essential"),
    ("lateral_pterygoid", None, "cheek", "essential"),
    ("digastric", "digastric.anterior_belly", "lower_teeth", "essential"),
    ("digastric", "digastric.posterior_belly", "mastoid", "essential"),
    ("zygomaticus_major", None, "forehead", "essential"),
    ("orbicularis_oculi", None, "eyebrow", "essential"),
    ("occipitofrontalis", "occipitofrontalis.frontalis", "forehead", "essential"),
    ("occipitofrontalis", "occipitofrontalis.occipitalis", "occiput", "essential"),
    ("splenius_capitis", None, "vertex", "essential"),
    ("splenius_cervicis", "splenius_cervicis.upper", "orbit", "essential"),
    ("semispinalis_capitis", "semispinalis_capitis.tp3", "temple", "essential"),
    ("semispinalis_capitis", "semispinalis_capitis.tp2", "occiput", "essential"),
    ("multifidi_cervical", None, "suboccipital", "essential"),
    ("rectus_capitis_posterior_major", None, "occiput", "essential"),
    ("obliquus_capitis_inferior", None, "orbit", "essential"),
    ("levator_scapulae", None, "neck_back", "essential"),
    ("levator_scapulae", None, "scapula_medial", "essential"),
    ("levator_scapulae", None, "shoulder_back", "spillover"),
    ("levator_scapulae", None, "scapula_angle", "spillover"),
    ("platysma", None, "jaw", "essential"),
    ("masseter", "masseter.deep", "tmj", "essential"),
    ("scalenus_anterior", None, "chest_mid", "essential"),
    ("scalenus_anterior", None, "thumb", "essential"),
    ("scalenus_anterior", None, "index_finger", "essential"),
    ("scalenus_medius", None, "scapula_medial", "essential"),
    ("longus_colli", None, "ear", "spillover"),
]

# Where the manual keeps parts apart, each part must have its own TrP.
PARTS = {
    "trapezius": {"upper", "middle", "lower"},
    "sternocleidomastoid": {"sternal", "clavicular"},
    "masseter": {"superficial", "deep"},
    "digastric": {"anterior", "posterior"},
    "occipitofrontalis": {"frontalis", "occipitalis"},
}


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


def _zones(tps: list[TriggerPoint], kind: str) -> set[str]:
    out: set[str] = set()
    for tp in tps:
        for ref in tp.essential if kind == "essential" else tp.spillover:
            out.add(parse_zone(ref)[1])
    return out


@pytest.mark.parametrize(("muscle_id", "trp_id", "region", "kind"), PATTERNS)
def test_known_referral_pattern(
    group: Atlas, muscle_id: str, trp_id: str | None, region: str, kind: str
) -> None:
    muscle = group.muscle(muscle_id)
    tps = [tp for tp in muscle.trigger_points if trp_id is None or tp.id == trp_id]
    assert tps, f"{trp_id} is not a trigger point of {muscle_id}"
    assert region in _zones(tps, kind), f"{trp_id or muscle_id} should refer to {region} ({kind})"


def test_group_file_passes_cross_file_checks(group: Atlas, bodymap: BodyMap) -> None:
    assert check_atlas(group, bodymap) == []


def test_group_has_exactly_its_muscles(group: Atlas) -> None:
    ids = [m.id for m in group.muscles]
    assert sorted(ids) == sorted(MUSCLES)
    assert all(m.group == "head_neck" for m in group.muscles)


@pytest.mark.parametrize("muscle_id", MUSCLES)
def test_muscle_is_complete(group: Atlas, muscle_id: str) -> None:
    m: Muscle = group.muscle(muscle_id)
    assert m.trigger_points
    assert m.sources
    assert m.release.pressure.position and m.release.pressure.direction
    assert 30 <= m.release.pressure.hold_seconds[0] <= m.release.pressure.hold_seconds[1] <= 90
    assert m.release.stretch.instructions and m.release.rom_exercise.instructions
    assert m.self_care.instructions if m.self_care.safe else m.self_care.reason_if_unsafe
    for tp in m.trigger_points:
        assert tp.id.startswith(f"{m.id}.")
        assert tp.restricted_movements, f"{tp.id} names no restricted movement"
        assert tp.activating_factors and tp.perpetuating_factors, f"{tp.id} lacks factors"


@pytest.mark.parametrize("muscle_id", [m for m in MUSCLES if m != "longus_colli"])
def test_muscle_cites_its_manual_chapter(group: Atlas, muscle_id: str) -> None:
    cited = {ref.source for ref in group.muscle(muscle_id).sources}
    assert cited & {"ts_vol1", "donnelly_2019"}


@pytest.mark.parametrize(("muscle_id", "parts"), sorted(PARTS.items()))
def test_manual_parts_are_separate_trigger_points(
    group: Atlas, muscle_id: str, parts: set[str]
) -> None:
    assert parts <= {tp.part for tp in group.muscle(muscle_id).trigger_points}


def test_prevalence_is_only_set_with_a_stated_basis(group: Atlas) -> None:
    for _, tp in group.trigger_points():
        assert tp.prevalence_note, f"{tp.id} gives no basis for its prevalence"
        if tp.prevalence != "common":
            assert "not reported" not in tp.prevalence_note


@pytest.mark.parametrize("muscle_id", ["longus_colli", "scalenus_anterior", "digastric"])
def test_anterior_neck_is_not_offered_for_self_pressure(group: Atlas, muscle_id: str) -> None:
    m = group.muscle(muscle_id)
    assert not m.self_care.safe
    assert any("carotid" in c.lower() or "plexus" in c.lower() for c in m.cautions)


def test_group_is_in_the_loaded_atlas(atlas: Atlas) -> None:
    loaded = {m.id for m in atlas.muscles if m.group == "head_neck"}
    assert loaded == set(MUSCLES)
