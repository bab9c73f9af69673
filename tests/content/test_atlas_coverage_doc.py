"""docs/atlas-coverage.md lists every atlas muscle under its chapter, and what is left out."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

from myomap.knowledge.loader import load_atlas

ROOT = Path(__file__).resolve().parents[2]


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "gen_atlas_coverage", ROOT / "tools/gen_atlas_coverage.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _omissions() -> dict[str, Any]:
    path = ROOT / "src/myomap/data/atlas/omissions.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def test_chapter_table_is_current() -> None:
    doc = (ROOT / "docs/atlas-coverage.md").read_text(encoding="utf-8")
    assert _tool().render(doc) == doc, "run: python tools/gen_atlas_coverage.py"


def test_every_atlas_muscle_is_listed_with_each_of_its_trigger_points() -> None:
    doc = (ROOT / "docs/atlas-coverage.md").read_text(encoding="utf-8")
    table = doc.split("## Chapter by chapter", 1)[1]
    for muscle in load_atlas().muscles:
        rows = [line for line in table.splitlines() if f"(`{muscle.id}`)" in line]
        assert len(rows) == 1, muscle.id
        for tp in muscle.trigger_points:
            assert f"`{tp.id.split('.', 1)[1]}`" in rows[0], tp.id


def test_a_muscle_citing_neither_volume_says_why() -> None:
    tool, outside = _tool(), _omissions()["outside_manual"]
    raw = [
        m
        for p in sorted((ROOT / "src/myomap/data/atlas/muscles").glob("*.json"))
        for m in json.loads(p.read_text(encoding="utf-8"))["muscles"]
    ]
    uncited = {m["id"] for m in raw if tool.chapter_of(m) is None}
    assert uncited == set(outside)


def test_a_muscle_left_out_is_not_in_the_atlas() -> None:
    atlas = load_atlas()
    names = {m.name.lower() for m in atlas.muscles} | {
        s.lower() for m in atlas.muscles for s in m.synonyms
    }
    for row in _omissions()["left_out"]:
        assert row["source"] in ("ts_vol1", "ts_vol2") and row["reason"].strip()
        first = row["muscle"].split(" (", 1)[0].lower()
        assert first not in names, f"{row['muscle']} is in the atlas now: drop it from omissions"
