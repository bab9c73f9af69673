"""Command contracts: `myomap regions`, `myomap regions export` and `myomap resolve`."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from myomap.domain.bodymap import BodyMap

Cli = Callable[..., Any]


def _no_traceback(result: Any) -> None:
    assert "Traceback" not in result.stdout + result.stderr


def test_regions_json_lists_every_region_with_the_contract_fields(
    call_cli: Cli, bodymap: BodyMap
) -> None:
    result = call_cli("regions", "--json")
    assert result.exit_code == 0, result.stderr
    rows = result.json()
    assert [r["id"] for r in rows] == [r.id for r in bodymap]
    for row in rows:
        assert {
            "id",
            "label",
            "side",
            "view",
            "parent",
            "synonyms",
            "area",
            "choir",
            "michigan",
        } <= set(row)
        assert row["side"] in {"left", "right", "midline"}
        assert row["view"] in {"front", "back"}
        assert isinstance(row["area"], float) and row["area"] >= 0
        assert row["synonyms"] and all(isinstance(s, str) for s in row["synonyms"])
        assert row["choir"] and all(101 <= i <= 238 for i in row["choir"])
        assert row["michigan"] and all(0 <= i <= 34 for i in row["michigan"])
    temple_l = next(r for r in rows if r["id"] == "temple_l")
    assert temple_l["side"] == "left" and temple_l["label"] == "Left temple"
    assert temple_l["choir"] == [102] and temple_l["michigan"] == [25]


def test_regions_area_matches_the_vocabulary(call_cli: Cli, bodymap: BodyMap) -> None:
    rows = call_cli("regions", "--json").json()
    for row in rows:
        assert row["area"] == pytest.approx(bodymap.get(row["id"]).area, abs=1e-4)


def test_regions_filters(call_cli: Cli) -> None:
    knee = call_cli("regions", "--json", "--parent", "knee").json()
    assert knee and {r["parent"] for r in knee} == {"knee"}
    back_left = call_cli("regions", "--json", "--view", "back", "--side", "left").json()
    assert back_left and {(r["view"], r["side"]) for r in back_left} == {("back", "left")}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--view", "side"), "Unknown view 'side'"),
        (("--parent", "tail"), "Unknown parent 'tail'"),
        (("--side", "top"), "Unknown side 'top'"),
    ],
)
def test_regions_bad_filter_is_a_usage_error(
    call_cli: Cli, args: tuple[str, ...], message: str
) -> None:
    result = call_cli("regions", *args)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {message}")
    _no_traceback(result)


def test_regions_table_output(call_cli: Cli) -> None:
    result = call_cli("regions", "--parent", "elbow")
    assert result.exit_code == 0
    assert "elbow_lateral_l" in result.stdout
    assert "Left outer elbow (lateral epicondyle)" in result.stdout
    assert "temple_l" not in result.stdout


def test_resolve_json_contract(call_cli: Cli) -> None:
    result = call_cli("resolve", "left temple", "between my shoulder blades", "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json() == [
        {"phrase": "left temple", "regions": ["temple_l"]},
        {"phrase": "between my shoulder blades", "regions": ["interscapular_r", "interscapular_l"]},
    ]


def test_resolve_text_output(call_cli: Cli) -> None:
    result = call_cli("resolve", "right side of the jaw")
    assert result.exit_code == 0
    assert result.stdout.strip() == "right side of the jaw: jaw_r"


def test_resolve_unknown_phrase_exits_2_with_suggestions(call_cli: Cli) -> None:
    result = call_cli("resolve", "left temple", "elbw pit", "--json")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("Error: Unknown body region 'elbw pit'. Did you mean: ")
    assert "elbow" in result.stderr
    _no_traceback(result)


def test_resolve_without_phrases_is_a_usage_error(call_cli: Cli) -> None:
    result = call_cli("resolve")
    assert result.exit_code == 2
    _no_traceback(result)


def test_resolve_empty_phrase(call_cli: Cli) -> None:
    result = call_cli("resolve", "  ")
    assert result.exit_code == 2
    assert "Empty body region" in result.stderr


def test_export_to_choir(call_cli: Cli) -> None:
    result = call_cli("regions", "export", "--to", "choir", "--json", "left temple", "sternum")
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert data["to"] == "choir"
    assert data["regions"] == ["temple_l", "sternum"]
    assert data["ids"] == [102, 108, 109]
    assert data["areas"][0] == {"id": 102, "label": "Cranium (front-left)", "key": "f02"}


def test_export_to_michigan_as_csv_and_text(call_cli: Cli) -> None:
    csv = call_cli("regions", "export", "--to", "michigan", "--csv", "lower back", "jaw_r")
    assert csv.exit_code == 0
    assert csv.stdout.strip() == "1,30"
    text = call_cli("regions", "export", "--to", "MICHIGAN", "lower back")
    assert text.stdout.strip() == "30\tLower back"


def test_export_a_drawing_file(call_cli: Cli, tmp_path: Path) -> None:
    drawing = {
        "format": "myomap.drawing/1",
        "areas": [
            {"regions": ["popliteal_l"], "intensity": 5, "quality": "aching"},
            {"regions": ["temple_r"], "intensity": 0},
        ],
    }
    path = tmp_path / "drawing.json"
    path.write_text(json.dumps(drawing), encoding="utf-8")
    result = call_cli("regions", "export", "--to", "choir", "--drawing", str(path), "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["ids"] == [231]
    assert result.json()["regions"] == ["popliteal_l"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "is not valid JSON"),
        (
            json.dumps({"areas": [{"regions": ["temple_l"], "intensity": 11}]}),
            "is not a myomap drawing",
        ),
        (
            json.dumps({"areas": [{"regions": ["temple_x"], "intensity": 3}]}),
            "Unknown body region 'temple_x'",
        ),
    ],
)
def test_export_bad_drawing_file(call_cli: Cli, tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    result = call_cli("regions", "export", "--to", "michigan", "--drawing", str(path))
    assert result.exit_code == 2
    assert message in result.stderr
    _no_traceback(result)


def test_export_missing_drawing_file(call_cli: Cli, tmp_path: Path) -> None:
    result = call_cli(
        "regions", "export", "--to", "choir", "--drawing", str(tmp_path / "nope.json")
    )
    assert result.exit_code == 2
    assert "not found" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--to", "margolis", "temple_l"), "Unknown body map 'margolis'"),
        (("--to", "choir"), "Name at least one region"),
        (("--to", "choir", "elbw pit"), "Unknown body region 'elbw pit'"),
    ],
)
def test_export_usage_errors(call_cli: Cli, args: tuple[str, ...], message: str) -> None:
    result = call_cli("regions", "export", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    _no_traceback(result)
