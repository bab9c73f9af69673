"""The prevalence table from patient studies and the muscle priors derived from it."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import math
from pathlib import Path
from typing import Any

import pytest

from myomap.domain.bodymap import BodyMap
from myomap.domain.differential import compile_model
from myomap.knowledge.differential import load_model_params
from myomap.knowledge.loader import load_atlas

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "src/myomap/data/differential"


def _table() -> dict[str, Any]:
    table: dict[str, Any] = json.loads((DATA / "prevalence.json").read_text(encoding="utf-8"))
    return table


def test_every_row_cites_a_study_with_its_size_and_setting() -> None:
    table = _table()
    for row in table["entries"]:
        source = table["sources"][row["source"]]
        assert source["citation"].strip() and source["setting"].strip()
        assert source["n"] is None or source["n"] > 0
        assert 0.0 <= row["prevalence"] <= 1.0
        assert row["condition"] in table["conditions"]
        assert isinstance(row["active"], bool)


def test_rows_name_atlas_muscles_and_conditions_name_map_regions(bodymap: BodyMap) -> None:
    table = _table()
    muscles = {m.id for m in load_atlas().muscles}
    for row in table["entries"]:
        assert set(row["muscles"]) <= muscles, row["muscle"]
    bases = set(bodymap.bases())
    for cid, cond in table["conditions"].items():
        assert set(cond["regions"]) <= bases, cid


def test_muscle_priors_are_generated_from_the_current_table() -> None:
    spec = importlib.util.spec_from_file_location("build_priors", ROOT / "tools/build_priors.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    expected = module.build(_table())
    current = json.loads((DATA / "muscle_priors.json").read_text(encoding="utf-8"))
    assert current == expected, "run python tools/build_priors.py"


def test_a_studied_muscle_starts_more_likely_and_others_keep_their_atlas_prior(
    bodymap: BodyMap,
) -> None:
    params = load_model_params()
    assert params.muscle_odds["supraspinatus"] > 1.0
    atlas = load_atlas()
    with_priors = compile_model(atlas, bodymap, params)
    without = compile_model(atlas, bodymap, dataclasses.replace(params, muscle_odds={}))
    for i, inst in enumerate(with_priors.instances):
        gain = with_priors.log_odds[i] - without.log_odds[i]
        expected = params.muscle_odds.get(inst.muscle, 1.0)
        assert gain == pytest.approx(math.log(expected), abs=1e-9), inst.muscle
