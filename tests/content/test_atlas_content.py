"""Rules every atlas entry must satisfy, whoever authored it.

Pattern tables for well-known referrals live beside this file, one per muscle group.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from myomap.domain.atlas import Atlas, parse_zone
from myomap.domain.bodymap import BodyMap
from myomap.knowledge.checks import check_atlas
from myomap.knowledge.loader import manifest_problems
from myomap.services.atlas import atlas_stats

ROOT = Path(__file__).resolve().parents[2]


def test_atlas_has_no_cross_file_problems(atlas: Atlas, bodymap: BodyMap) -> None:
    assert check_atlas(atlas, bodymap) == []


def test_manifest_matches_data_files() -> None:
    assert manifest_problems() == []


def test_coverage_meets_the_issue(atlas: Atlas, bodymap: BodyMap) -> None:
    stats = atlas_stats(atlas, bodymap)
    assert stats["muscles"] >= 130
    assert stats["trigger_points"] >= stats["muscles"]
    assert set(stats["groups"]) == {
        "head_neck",
        "shoulder_arm",
        "forearm_hand",
        "trunk",
        "pelvis_hip",
        "thigh_leg_foot",
    }


def test_every_entry_names_a_source(atlas: Atlas) -> None:
    for m in atlas.muscles:
        assert m.sources, m.id
        for ref in m.sources:
            assert atlas.sources[ref.source].citation


def test_every_trigger_point_has_an_essential_zone_and_a_drawable_location(
    atlas: Atlas, bodymap: BodyMap
) -> None:
    for _, tp in atlas.trigger_points():
        assert tp.essential, tp.id
        assert tp.location.region in bodymap.bases(), tp.id


def test_zones_expand_symmetrically(atlas: Atlas, bodymap: BodyMap) -> None:
    """Mirroring the right-side instance of a TrP gives exactly the left-side instance."""
    from myomap.domain.bodymap import Side

    def expand(zones: tuple[str, ...], side: Side) -> set[str]:
        out: set[str] = set()
        for zone in zones:
            mode, base = parse_zone(zone)
            if not bodymap.is_bilateral_base(base):
                out.add(bodymap.on_side(base, Side.MIDLINE))
            elif mode == "both":
                out |= {bodymap.on_side(base, Side.LEFT), bodymap.on_side(base, Side.RIGHT)}
            else:
                out.add(bodymap.on_side(base, side if mode == "same" else side.opposite))
        return out

    for _, tp in atlas.trigger_points():
        right = expand(tp.essential + tp.spillover, Side.RIGHT)
        left = expand(tp.essential + tp.spillover, Side.LEFT)
        assert {bodymap.mirror(r) for r in right} == left, tp.id


def test_essential_and_spillover_do_not_overlap(atlas: Atlas) -> None:
    for _, tp in atlas.trigger_points():
        assert not set(tp.essential) & set(tp.spillover), tp.id


def test_self_care_explains_when_unsafe(atlas: Atlas) -> None:
    for m in atlas.muscles:
        if not m.self_care.safe:
            assert m.self_care.reason_if_unsafe, m.id
        else:
            assert m.self_care.instructions, m.id


def test_exported_json_schema_is_current() -> None:
    spec = importlib.util.spec_from_file_location("export_schema", ROOT / "tools/export_schema.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name, text in module.rendered().items():
        path = ROOT / "docs" / "schema" / name
        assert path.read_text(encoding="utf-8") == text, f"run tools/export_schema.py ({name})"


@pytest.mark.parametrize(
    ("muscle_id", "trp_part", "region"),
    [
        ("trapezius", "upper", "temple"),
        ("infraspinatus", None, "shoulder_front"),
        ("gluteus_minimus", None, "thigh_outer"),
        ("soleus", None, "heel"),
    ],
)
def test_issue_named_patterns(
    atlas: Atlas, muscle_id: str, trp_part: str | None, region: str
) -> None:
    """The four patterns the issue names, against any TrP (or the named part) of the muscle."""
    muscle = atlas.muscle(muscle_id)
    tps = [tp for tp in muscle.trigger_points if trp_part is None or tp.part == trp_part]
    assert tps, f"{muscle_id} has no TrP with part {trp_part}"
    assert any(region in {parse_zone(z)[1] for z in tp.essential} for tp in tps)


def test_sources_file_is_plain_json() -> None:
    raw = json.loads((ROOT / "src/myomap/data/atlas/sources.json").read_text(encoding="utf-8"))
    assert raw["sources"]
