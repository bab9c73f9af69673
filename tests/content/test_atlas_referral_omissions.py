"""Referral zones the Trigger Point Manual gives that the atlas once left out, and the checks
that keep a sourced zone from pointing off the body map."""

from __future__ import annotations

import pytest

from myomap.domain.atlas import Atlas, Muscle, parse_zone
from myomap.domain.bodymap import BodyMap
from myomap.knowledge.checks import check_atlas
from myomap.knowledge.loader import load_atlas
from tests.lib.atlas_fixture import PATTERNS, _muscle, fixture_atlas

# trigger point -> zones it must reach (essential or spillover), as the manual describes them
OMISSIONS = [
    ("iliocostalis_thoracis.lower", {"upper_quadrant", "lower_quadrant"}),  # around to the abdomen
    ("infraspinatus.upper", {"thumb", "index_finger"}),  # radial side of the hand
    ("quadratus_lumborum.superficial_upper", {"groin", "lower_quadrant", "genitals"}),
    ("temporalis.tp2", {"tmj", "cheek"}),  # TMJ and maxilla
    ("teres_major.tp1", {"forearm_dorsal_radial", "forearm_dorsal_ulnar"}),  # dorsal forearm
    ("sternocleidomastoid.clavicular_mid", {"cheek", "upper_teeth", "lower_teeth"}),
    ("abductor_hallucis.tp1", {"ankle_medial"}),
    # gaps the referral reference found, confirmed by a second reading of the manual
    ("palmaris_longus.tp1", {"forearm_volar_radial", "forearm_volar_ulnar"}),  # distal forearm
    ("temporalis.tp1", {"orbit"}),  # behind the eye
    ("scalenus_anterior.tp1", {"arm_outer"}),  # lateral arm
    ("scalenus_medius.tp1", {"arm_outer"}),
    ("scalenus_posterior.tp1", {"arm_outer"}),
]


@pytest.mark.parametrize(("trp", "zones"), OMISSIONS, ids=[t for t, _ in OMISSIONS])
def test_manual_zone_is_in_the_atlas_with_a_source(trp: str, zones: set[str]) -> None:
    atlas = load_atlas()
    found = {tp.id: tp for _, tp in atlas.trigger_points()}
    tp = found[trp]
    reached = {parse_zone(z)[1] for z in (*tp.essential, *tp.spillover)}
    assert zones <= reached
    assert tp.sources, "the added zones cite the chapter they come from"


def test_genital_referral_has_a_region_of_its_own(bodymap: BodyMap) -> None:
    region = bodymap.get("genitals")
    assert region.parent == "pelvis" and region.is_midline and region.area > 0


def test_a_sourced_zone_that_is_not_on_the_map_fails_the_atlas_check(
    bodymap: BodyMap,
) -> None:
    base = fixture_atlas(with_visceral=False)
    group, location, tps = PATTERNS["quadratus_lumborum"]
    raw = _muscle("quadratus_lumborum", group, location, tps)
    raw["trigger_points"][0]["spillover"] = ["groin", "testicle"]
    broken = Muscle.model_validate(raw)
    muscles = tuple(broken if m.id == "quadratus_lumborum" else m for m in base.muscles)
    atlas = Atlas(version="broken", sources=base.sources, muscles=muscles, visceral=())
    before = set(check_atlas(base, bodymap))
    added = set(check_atlas(atlas, bodymap)) - before
    assert added == {
        "trigger point quadratus_lumborum.superficial_1: zone names unknown region 'testicle'"
    }
