"""The region vocabulary and its wordings: complete, symmetric, unambiguous, and resolvable."""

from __future__ import annotations

import json
from collections import Counter
from importlib import resources
from typing import Any

import pytest

from myomap.domain.bodymap import BodyMap, Side, View
from myomap.domain.resolver import canonical_key, resolve, resolve_phrase


def _data(name: str) -> Any:
    path = resources.files("myomap") / "data" / "bodymap" / name
    return json.loads(path.read_text(encoding="utf-8"))


REGIONS = _data("regions.json")["regions"]
PHRASES = _data("phrases.json")["phrases"]
BASES = [r["id"] for r in REGIONS]
PARENTS = {
    "head",
    "neck",
    "shoulder",
    "upper_back",
    "chest",
    "upper_arm",
    "elbow",
    "forearm",
    "wrist",
    "hand",
    "abdomen",
    "pelvis",
    "lower_back",
    "hip",
    "thigh",
    "knee",
    "leg",
    "ankle",
    "foot",
}

# Every area the issue asks the vocabulary to tell apart, with the base region(s) that cover it.
REQUIRED = {
    "forehead": ["forehead"],
    "temple": ["temple"],
    "vertex": ["vertex"],
    "occiput": ["occiput"],
    "behind/around the eye": ["orbit"],
    "eyebrow": ["eyebrow"],
    "cheek/maxilla": ["cheek"],
    "jaw and TMJ": ["jaw", "tmj"],
    "upper and lower teeth": ["upper_teeth", "lower_teeth"],
    "ear": ["ear"],
    "chin": ["chin"],
    "throat": ["throat"],
    "front/side/back of neck": ["throat", "neck_side", "neck_back"],
    "suboccipital": ["suboccipital"],
    "top of shoulder": ["shoulder_top"],
    "front/side/back of shoulder": ["shoulder_front", "shoulder_side", "shoulder_back"],
    "scapula": [
        "scapula_upper",
        "scapula_spine",
        "infraspinous",
        "scapula_medial",
        "scapula_angle",
    ],
    "between the shoulder blades": ["interscapular"],
    "chest and sternum": ["chest_upper", "chest_mid", "chest_lower", "sternum"],
    "breast/nipple": ["breast"],
    "upper arm": ["arm_front", "arm_back", "arm_outer", "arm_inner"],
    "elbow": ["elbow_lateral", "elbow_medial", "olecranon", "antecubital"],
    "forearm": [
        "forearm_dorsal_radial",
        "forearm_dorsal_ulnar",
        "forearm_volar_radial",
        "forearm_volar_ulnar",
    ],
    "wrist": ["wrist_dorsal", "wrist_volar"],
    "hand": ["hand_back", "palm", "thumb"],
    "each finger": ["index_finger", "middle_finger", "ring_finger", "little_finger"],
    "abdomen": ["epigastric", "umbilical", "flank", "lower_quadrant", "suprapubic"],
    "groin and pubic": ["groin", "pubic"],
    "spine": ["thoracic_spine", "thoracolumbar", "lumbar", "sacrum", "sacroiliac", "coccyx"],
    "buttock": ["buttock_upper", "buttock_lower"],
    "lateral hip": ["hip_lateral"],
    "thigh": ["thigh_front", "thigh_outer", "thigh_back", "thigh_inner"],
    "knee": [
        "patella",
        "suprapatellar",
        "infrapatellar",
        "knee_medial",
        "knee_lateral",
        "popliteal",
    ],
    "lower leg": ["shin", "leg_lateral", "calf_upper", "calf_lower", "achilles"],
    "ankle": ["ankle_medial", "ankle_lateral", "ankle_front"],
    "foot": ["heel", "sole", "arch", "foot_dorsum", "big_toe", "lesser_toes"],
}


def test_counts_of_the_documented_vocabulary(bodymap: BodyMap) -> None:
    assert len(BASES) == 102
    assert len(bodymap) == 189


def test_base_and_concrete_ids_are_unique_and_well_formed(bodymap: BodyMap) -> None:
    assert [b for b, n in Counter(BASES).items() if n > 1] == []
    for rid in bodymap.regions:
        assert rid.replace("_", "").isalnum() and rid == rid.lower(), rid


@pytest.mark.parametrize("area", sorted(REQUIRED))
def test_issue_areas_are_present(area: str) -> None:
    missing = [b for b in REQUIRED[area] if b not in BASES]
    assert missing == []


def test_every_bilateral_region_has_both_sides_and_mirrors(bodymap: BodyMap) -> None:
    for entry in REGIONS:
        base = entry["id"]
        if entry["laterality"] == "bilateral":
            assert f"{base}_l" in bodymap and f"{base}_r" in bodymap
            assert base not in bodymap
            assert bodymap.mirror(f"{base}_l") == f"{base}_r"
            assert bodymap.get(f"{base}_l").view is bodymap.get(f"{base}_r").view
        else:
            assert entry["laterality"] == "midline"
            assert bodymap.get(base).side is Side.MIDLINE
            assert bodymap.mirror(base) == base


def test_labels_say_the_side(bodymap: BodyMap) -> None:
    for region in bodymap:
        first = region.label.split(" ", 1)[0]
        if region.side is Side.MIDLINE:
            assert first not in {"Left", "Right"}, region.id
        else:
            assert first == region.side.value.capitalize(), region.id
    labels = [r.label for r in bodymap]
    assert [lab for lab, n in Counter(labels).items() if n > 1] == []


def test_views_and_parents_are_valid(bodymap: BodyMap) -> None:
    assert {r.view for r in bodymap} == {View.FRONT, View.BACK}
    assert {r.parent for r in bodymap} == PARENTS


def test_every_region_has_plain_synonyms() -> None:
    for entry in REGIONS:
        synonyms = entry["synonyms"]
        assert len(synonyms) >= 2, entry["id"]
        assert all(s.strip() == s and s for s in synonyms), entry["id"]
        assert len({s.lower() for s in synonyms}) == len(synonyms), entry["id"]


def test_no_wording_means_two_different_regions() -> None:
    owner: dict[tuple[str, ...], str] = {}
    clashes = []
    for entry in REGIONS:
        for wording in (*entry["synonyms"], entry["id"].replace("_", " ")):
            key = canonical_key(wording)
            assert key, f"{entry['id']}: {wording!r} is all filler"
            if owner.setdefault(key, entry["id"]) != entry["id"]:
                clashes.append((wording, entry["id"], owner[key]))
    assert clashes == []


def test_group_phrases_are_valid_and_do_not_shadow_synonyms() -> None:
    synonym_keys = {
        canonical_key(w) for e in REGIONS for w in (*e["synonyms"], e["id"].replace("_", " "))
    }
    seen: dict[tuple[str, ...], str] = {}
    for entry in PHRASES:
        assert len(entry["regions"]) >= 2, entry["phrase"]
        assert set(entry["regions"]) <= set(BASES), entry["phrase"]
        for wording in (entry["phrase"], *entry.get("also", ())):
            key = canonical_key(wording)
            assert key and key not in synonym_keys, wording
            assert wording not in BASES, wording
            assert seen.setdefault(key, entry["phrase"]) == entry["phrase"], wording


@pytest.mark.parametrize("base", BASES)
def test_every_synonym_and_the_label_resolve_to_their_own_region(
    base: str, bodymap: BodyMap
) -> None:
    ids = [r.id for r in bodymap if r.base == base]
    for wording in bodymap.get(ids[0]).synonyms:
        assert sorted(resolve_phrase(wording, bodymap)) == sorted(ids), wording
    for rid in ids:
        region = bodymap.get(rid)
        assert resolve_phrase(rid, bodymap) == [rid]
        assert resolve_phrase(region.label, bodymap) == [rid], region.label


@pytest.mark.parametrize("entry", PHRASES, ids=[p["phrase"] for p in PHRASES])
def test_every_group_phrase_resolves_to_its_regions(
    entry: dict[str, Any], bodymap: BodyMap
) -> None:
    expected = {r.id for r in bodymap if r.base in entry["regions"]}
    for wording in (entry["phrase"], *entry.get("also", ())):
        got = resolve(wording, bodymap)
        assert set(got.regions) == expected, wording
        left = resolve(f"left {wording}", bodymap)
        assert all(bodymap.get(rid).side is not Side.RIGHT for rid in left.regions), wording
