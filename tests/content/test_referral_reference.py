"""The referral reference of the validation names atlas muscles and map regions, with sources."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from myomap.domain.bodymap import BodyMap
from myomap.knowledge.loader import load_atlas

ROOT = Path(__file__).resolve().parents[2]


def _reference() -> dict[str, Any]:
    path = ROOT / "src/myomap/data/differential/referral_reference.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def test_every_entry_cites_a_source_and_a_page() -> None:
    ref = _reference()
    for muscle, entry in ref["muscles"].items():
        assert entry["source"] in ref["sources"], muscle
        assert ref["sources"][entry["source"]]["citation"].strip()
        assert entry["page"].strip() and entry["items"], muscle


def test_entries_name_atlas_muscles_and_map_regions(bodymap: BodyMap) -> None:
    muscles = {m.id for m in load_atlas().muscles}
    bases = set(bodymap.bases())
    for muscle, entry in _reference()["muscles"].items():
        members = entry.get("muscles", [muscle])
        assert members and set(members) <= muscles, muscle
        assert "muscles" not in entry or (len(members) > 1 and muscle not in muscles), muscle
        for item in entry["items"]:
            assert item["area"].strip() and item["regions"], muscle
            assert set(item["regions"]) <= bases, (muscle, item["area"])
