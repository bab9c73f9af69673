"""The JSON shapes the issues promise, read back from the commands that print them.

Other tools and scripts parse these outputs, so the keys named in the issues' contracts are
checked here once more, next to the flags in ``test_cli_reference.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

Cli = Callable[..., Any]
ROOT = Path(__file__).resolve().parents[2]


def _json(cli: Cli, *args: str) -> Any:
    result = cli(*args)
    assert result.exit_code == 0, result.stderr
    return result.json()


def test_body_map_shapes(call_cli: Cli) -> None:
    regions = _json(call_cli, "regions", "--json")
    assert isinstance(regions, list) and len(regions) > 100
    for region in regions:
        assert {"id", "label", "side", "view", "parent", "synonyms", "area"} <= set(region)
        assert region["side"] in ("left", "right", "midline")
    resolved = _json(call_cli, "resolve", "left temple", "back of the knee", "--json")
    assert [r["phrase"] for r in resolved] == ["left temple", "back of the knee"]
    assert resolved[0]["regions"] == ["temple_l"]
    assert all(set(r) >= {"phrase", "regions"} for r in resolved)
    unknown = call_cli("resolve", "left tempel zzq", "--json")
    assert unknown.exit_code == 2 and "Did you mean" in unknown.stderr


def test_atlas_shapes(call_cli: Cli) -> None:
    stats = _json(call_cli, "atlas", "stats", "--json")
    assert {"atlas_version", "regions", "muscles", "trigger_points", "sources"} <= set(stats)
    assert stats["muscles"] >= 130  # issue 3: at least 130 muscles
    muscles = _json(call_cli, "muscles", "--region", "neck_back_r", "--json")
    matches = [m["match"] for m in muscles]
    assert "essential" in matches and "spillover" in matches
    assert matches == sorted(matches), "essential zone before spillover (issue 3)"
    temple = _json(call_cli, "muscles", "--region", "temple_r", "--json")
    assert "trapezius" in [m["id"] for m in temple]
    shown = _json(call_cli, "show", "trapezius", "--json")
    assert isinstance(shown, dict)


def test_locate_shape(call_cli: Cli) -> None:
    data = _json(call_cli, "locate", "temple_r", "neck_back_r", "--top", "4", "--json")
    assert {
        "atlas_version",
        "regions",
        "candidates",
        "explanations",
        "next_palpation",
        "warnings",
    } <= set(data)
    assert len(data["candidates"]) == 4
    for candidate in data["candidates"]:
        assert {
            "rank",
            "muscle",
            "trigger_point",
            "side",
            "probability",
            "essential",
            "spillover",
            "why",
        } <= set(candidate)
    for explanation in data["explanations"]:
        assert {"trigger_points", "probability", "unexplained"} <= set(explanation)
    for step in data["next_palpation"]:
        assert {"trigger_point", "side", "expected_gain"} <= set(step)


def test_screen_shape(call_cli: Cli) -> None:
    data = _json(call_cli, "screen", str(ROOT / "examples/intake/blood-thinner.json"), "--json")
    assert {"decision", "reasons", "avoid_regions", "modifications"} <= set(data)
    assert data["decision"] in ("emergency", "refer", "modify", "proceed")
    for reason in data["reasons"]:
        assert {"rule", "severity", "message", "source"} <= set(reason)
    template = call_cli("screen", "--template")
    assert template.exit_code == 0 and template.json()


@pytest.fixture
def _sqlite_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MYOMAP_DATABASE_URL", raising=False)


@pytest.mark.usefixtures("_sqlite_default")
def test_record_shapes(call_cli: Cli) -> None:
    assert _json(call_cli, "client", "list", "--json") == []
    added = _json(call_cli, "client", "add", "--name", "Shape Tester", "--json")
    listed = _json(call_cli, "client", "list", "--json")
    assert [c["id"] for c in listed] == [added["id"]]
    progress = _json(call_cli, "progress", str(added["id"]), "--json")
    assert isinstance(progress, dict)
