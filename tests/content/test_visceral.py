"""The visceral referral patterns: valid, sourced, sided, and matching the drawings they should."""

from __future__ import annotations

import pytest

from myomap.domain.atlas import VisceralFile
from myomap.domain.bodymap import BodyMap, Side
from myomap.domain.visceral import visceral_warnings
from myomap.knowledge.differential import visceral_file_path
from myomap.knowledge.loader import data_root, load_atlas, read_json

VISCERAL = VisceralFile.model_validate(read_json(visceral_file_path()))
BY_ID = {p.id: p for p in VISCERAL.patterns}


def test_file_validates_and_every_reference_resolves(bodymap: BodyMap) -> None:
    sources = set(VISCERAL.sources) | set(
        read_json(data_root() / "atlas" / "sources.json")["sources"]
    )
    for p in VISCERAL.patterns:
        for ref in p.sources:
            assert ref.source in sources, (p.id, ref.source)
        grouped = [r for g in p.match_any for r in g]
        assert set(grouped) <= set(p.regions), p.id
        assert all(r in bodymap for r in p.regions), p.id
        assert len(grouped) == len(set(grouped)), f"{p.id}: a region sits in two groups"
        assert 2 <= p.min_groups <= len(p.match_any), p.id


def test_bundled_atlas_carries_the_patterns() -> None:
    assert {p.id for p in load_atlas().visceral} == set(BY_ID)


def test_the_organs_the_screening_literature_names_are_covered() -> None:
    organs = " ".join(p.organ.lower() for p in VISCERAL.patterns)
    for organ in (
        "heart",
        "gallbladder",
        "pancreas",
        "kidney",
        "aorta",
        "spleen",
        "appendix",
        "lung",
    ):
        assert organ in organs


@pytest.mark.parametrize(
    ("pattern", "side"),
    [
        ("cardiac_ischaemia", Side.LEFT),
        ("biliary", Side.RIGHT),
        ("kidney_ureter_right", Side.RIGHT),
        ("kidney_ureter_left", Side.LEFT),
        ("diaphragm_spleen", Side.LEFT),
        ("appendix", Side.RIGHT),
        ("lung_apex_right", Side.RIGHT),
        ("lung_apex_left", Side.LEFT),
    ],
)
def test_one_sided_patterns_use_only_their_side(bodymap: BodyMap, pattern: str, side: Side) -> None:
    for group in BY_ID[pattern].match_any:
        for rid in group:
            if (
                pattern == "cardiac_ischaemia"
                and bodymap.get(rid).parent != "upper_arm"
                and bodymap.get(rid).parent not in ("elbow", "forearm", "hand")
            ):
                continue  # chest, jaw and neck referral is central or either side
            assert bodymap.get(rid).side in (side, Side.MIDLINE), (pattern, rid)


# drawing (painful regions) -> patterns it must match (exactly)
TABLE = [
    (["arm_inner_l", "jaw_l", "chest_mid_l"], {"cardiac_ischaemia"}),
    (["sternum", "forearm_volar_ulnar_l"], {"cardiac_ischaemia"}),
    (["arm_inner_l"], set()),
    (["arm_inner_l", "little_finger_l"], set()),
    (["arm_inner_r", "jaw_r", "chest_mid_r"], set()),
    (["upper_quadrant_r", "scapula_angle_r"], {"biliary"}),
    (["shoulder_top_r", "interscapular_r"], set()),
    (["upper_quadrant_l", "scapula_angle_l"], set()),
    (["epigastric", "thoracic_spine"], {"pancreas"}),
    (["flank_l", "groin_l"], {"kidney_ureter_left"}),
    (["thoracolumbar_r", "lower_quadrant_r"], {"kidney_ureter_right"}),
    (["thoracolumbar_r"], set()),
    (["umbilical", "lumbar_spine"], {"abdominal_aorta"}),
    (["upper_quadrant_l", "shoulder_top_l"], {"diaphragm_spleen"}),
    (["umbilical", "lower_quadrant_r"], {"appendix"}),
    (["scapula_medial_r", "little_finger_r"], {"lung_apex_right"}),
    (["suprapubic", "sacrum"], {"pelvic_organs"}),
    (["neck_back_r", "temple_r", "shoulder_top_r"], set()),
]


@pytest.mark.parametrize(("regions", "expected"), TABLE)
def test_drawings_match_the_expected_patterns(regions: list[str], expected: set[str]) -> None:
    assert {w.pattern for w in visceral_warnings(VISCERAL.patterns, regions)} == expected


def test_no_single_region_raises_a_warning(bodymap: BodyMap) -> None:
    for rid in bodymap.regions:
        assert visceral_warnings(VISCERAL.patterns, [rid]) == [], rid


def test_warnings_carry_advice_and_list_best_matches_first() -> None:
    warnings = visceral_warnings(
        VISCERAL.patterns,
        ["arm_inner_l", "jaw_l", "chest_mid_l", "upper_quadrant_l", "shoulder_top_l"],
    )
    assert warnings[0].pattern == "cardiac_ischaemia"  # three groups beat two
    assert all(w.message and w.organ and w.matched for w in warnings)
    assert "diagnos" not in " ".join(w.message for w in warnings).lower()
