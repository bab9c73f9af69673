"""``myomap locate`` and ``myomap batch`` end to end, on the fixture atlas."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from myomap.domain.bodymap import BodyMap
from myomap.knowledge import load as knowledge_load
from myomap.services import differential as service
from tests.lib.atlas_fixture import fixture_atlas

CONTRACT = {"atlas_version", "regions", "candidates", "explanations", "next_palpation", "warnings"}
CANDIDATE = {
    "rank",
    "muscle",
    "trigger_point",
    "side",
    "probability",
    "essential",
    "spillover",
    "why",
}


@pytest.fixture(autouse=True)
def fixture_differential(monkeypatch: pytest.MonkeyPatch, bodymap: BodyMap) -> None:
    diff = service.build_differential(fixture_atlas(), bodymap)
    monkeypatch.setattr(knowledge_load, "cached_differential", lambda *_, **__: diff)


def test_locate_json_follows_the_contract(call_cli: Callable[..., Any]) -> None:
    result = call_cli("locate", "temple_r", "neck_back_r", "mastoid_r", "--top", "3", "--json")
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert set(data) >= CONTRACT
    assert data["atlas_version"] == "fixture"
    assert data["regions"] == ["mastoid_r", "neck_back_r", "temple_r"]
    assert len(data["candidates"]) == 3
    assert set(data["candidates"][0]) >= CANDIDATE
    first = data["candidates"][0]
    assert (first["muscle"], first["trigger_point"], first["side"]) == (
        "trapezius",
        "trapezius.upper_1",
        "right",
    )
    assert first["essential"] == ["mastoid_r", "neck_back_r", "temple_r"]
    assert data["explanations"][0]["unexplained"] == []
    assert data["next_palpation"][0]["expected_gain"] > 0


def test_locate_accepts_plain_words_and_side(call_cli: Callable[..., Any]) -> None:
    words = call_cli("locate", "left", "temple", "--json")
    assert words.exit_code == 0, words.stderr
    assert words.json()["regions"] == ["temple_l"]
    sided = call_cli("locate", "temple", "--side", "right", "--json")
    assert sided.json()["regions"] == ["temple_r"]
    both = call_cli("locate", "temple", "--side", "both", "--json")
    assert both.json()["regions"] == ["temple_l", "temple_r"]


def test_unknown_words_exit_2_with_suggestions(call_cli: Callable[..., Any]) -> None:
    result = call_cli("locate", "left", "templ", "zonk", "--json")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error:") and "Traceback" not in result.stderr
    assert "Did you mean" in result.stderr and "emple" in result.stderr
    assert result.stdout == ""


def test_bad_side_and_missing_areas_are_usage_errors(call_cli: Callable[..., Any]) -> None:
    assert call_cli("locate", "temple", "--side", "up").exit_code == 2
    assert call_cli("locate").exit_code == 2
    bad = call_cli("locate", "temple_r", "--finding", "trapezius=yes")
    assert bad.exit_code == 2 and "confirmed" in bad.stderr


def test_findings_move_the_ranking(call_cli: Callable[..., Any]) -> None:
    args = ("locate", "neck_back_r", "scapula_medial_r", "temple_r", "--json", "--top", "20")
    base = {
        (c["trigger_point"], c["side"]): c["probability"]
        for c in call_cli(*args).json()["candidates"]
    }
    moved = call_cli(
        *args,
        "--finding",
        "trapezius.upper_1:right=absent",
        "--finding",
        "levator_scapulae.central_1=confirmed",
    ).json()["candidates"]
    after = {(c["trigger_point"], c["side"]): c for c in moved}
    trap = after[("trapezius.upper_1", "right")]
    assert 0 < trap["probability"] < base[("trapezius.upper_1", "right")]
    assert trap["probability_without_findings"] == pytest.approx(
        base[("trapezius.upper_1", "right")], abs=1e-6
    )
    lev = after[("levator_scapulae.central_1", "right")]
    assert lev["probability"] > base[("levator_scapulae.central_1", "right")]
    assert lev["findings"] == ["levator_scapulae.central_1=confirmed"]


def test_locate_drawing_file_and_warning_first(
    call_cli: Callable[..., Any], tmp_path: Path
) -> None:
    drawing = {
        "format": "myomap.drawing/1",
        "areas": [
            {"regions": ["chest_mid_l", "arm_inner_l"], "intensity": 7},
            {"regions": ["jaw_l"], "intensity": 4},
        ],
        "not_painful": ["chest_mid_r"],
    }
    path = tmp_path / "d.json"
    path.write_text(json.dumps(drawing))
    data = call_cli("locate", "--drawing", str(path), "--json").json()
    assert data["warnings"][0]["pattern"] == "cardiac_ischaemia"
    assert data["warnings"][0]["organ"] == "Heart"
    human = call_cli("locate", "--drawing", str(path))
    assert human.exit_code == 0
    assert human.stdout.index("Warning") < human.stdout.index("pectoralis_major")
    assert "not a diagnosis" in human.stdout


def test_bad_drawing_file_is_a_usage_error(call_cli: Callable[..., Any], tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text("{not json")
    assert call_cli("locate", "--drawing", str(path)).exit_code == 2
    path.write_text(json.dumps({"areas": [{"regions": ["temple_r"], "intensity": 99}]}))
    result = call_cli("locate", "--drawing", str(path))
    assert result.exit_code == 2 and "intensity" in result.stderr
    assert call_cli("locate", "--drawing", str(tmp_path / "missing.json")).exit_code == 2


def test_batch_jsonl_matches_locate(call_cli: Callable[..., Any], tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    lines = [
        {"id": "a", "regions": ["heel_l"]},
        {"id": "b", "areas": [{"regions": ["jaw_r"], "intensity": 6}]},
        {
            "id": "c",
            "drawing": {
                "areas": [{"regions": ["arm_inner_l", "jaw_l", "sternum"], "intensity": 5}]
            },
        },
    ]
    src.write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    out = tmp_path / "out.jsonl"
    result = call_cli("batch", str(src), "-o", str(out), "--top", "4")
    assert result.exit_code == 0, result.stderr
    rows = [json.loads(x) for x in out.read_text().splitlines()]
    assert [r["id"] for r in rows] == ["a", "b", "c"]
    single = call_cli("locate", "heel_l", "--top", "4", "--json").json()
    assert {k: v for k, v in rows[0].items() if k != "id"} == single
    assert rows[2]["warnings"][0]["pattern"] == "cardiac_ischaemia"
    assert "Ranked 3 drawings" in result.stderr


def test_batch_csv_in_and_out(call_cli: Callable[..., Any], tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text("id,regions,not_painful\np1,temple_r;neck_back_r,\np2,heel_l,achilles_l\n")
    out = tmp_path / "out.csv"
    assert call_cli("batch", str(src), "-o", str(out), "--top", "2").exit_code == 0
    with out.open() as fh:
        rows = list(csv.DictReader(fh))
    assert {r["id"] for r in rows} == {"p1", "p2"}
    assert [r["rank"] for r in rows if r["id"] == "p1"] == ["1", "2"]
    assert rows[0]["trigger_point"] == "trapezius.upper_1"


def test_batch_bad_input_keeps_existing_output(
    call_cli: Callable[..., Any], tmp_path: Path
) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(
        json.dumps({"regions": ["heel_l"]}) + "\n" + json.dumps({"regions": ["nowhere_x"]}) + "\n"
    )
    out = tmp_path / "out.jsonl"
    out.write_text("previous results\n")
    result = call_cli("batch", str(src), "-o", str(out))
    assert result.exit_code == 2 and "nowhere_x" in result.stderr
    assert out.read_text() == "previous results\n"
    assert not (tmp_path / "out.jsonl.part").exists()
    bad = tmp_path / "bad.jsonl"
    bad.write_text("[1, 2]\n")
    assert call_cli("batch", str(bad), "-o", str(out)).exit_code == 2


def test_installed_entry_point_answers(tmp_path: Path) -> None:
    """One real subprocess on the bundled atlas: help lists both commands."""
    out = subprocess.run(
        [sys.executable, "-m", "myomap", "locate", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert "--finding" in out.stdout and "--drawing" in out.stdout


def test_stroke_drawing_is_rasterised_into_regions(
    call_cli: Callable[..., Any], tmp_path: Path
) -> None:
    drawing = {
        "format": "myomap.drawing/1",
        "areas": [
            {
                "intensity": 7,
                "strokes": [
                    {
                        "view": "front",
                        "width": 14,
                        "points": [[104, 215], [102, 240], [100, 270], [98, 300], [96, 330]],
                    }
                ],
            }
        ],
    }
    path = tmp_path / "strokes.json"
    path.write_text(json.dumps(drawing))
    result = call_cli("locate", "--drawing", str(path), "--json")
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert data["regions"] and all(r.endswith("_r") for r in data["regions"])
    for c in data["candidates"]:
        assert set(c["essential"]) | set(c["spillover"]) <= set(data["regions"])
        assert c["essential"] or c["spillover"]
