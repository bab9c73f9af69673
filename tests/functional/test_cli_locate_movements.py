"""``myomap locate --finding movement:...`` end to end, on the bundled atlas."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from myomap.knowledge import load as knowledge_load
from myomap.knowledge.differential import default_differential

NECK = ("neck_side_r", "neck_back_r", "suboccipital_r", "mastoid_r", "temple_r")


@pytest.fixture(autouse=True)
def no_user_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        knowledge_load, "cached_differential", lambda *_, **__: default_differential()
    )


def test_restricted_movement_is_reported_per_candidate(call_cli: Callable[..., Any]) -> None:
    base = call_cli("locate", *NECK, "--top", "20", "--json")
    found = call_cli(
        "locate",
        *NECK,
        "--top",
        "20",
        "--json",
        "--finding",
        "movement:turning the head:right=restricted",
    )
    assert base.exit_code == 0 and found.exit_code == 0, found.stderr
    before = {(c["trigger_point"], c["side"]): c["probability"] for c in base.json()["candidates"]}
    moved = [c for c in found.json()["candidates"] if c["findings"]]
    assert any(c["probability_without_findings"] > 1e-3 for c in moved)
    for c in moved:
        assert c["findings"] == ["movement:neck_rotation:right=restricted"]
        if c["probability_without_findings"] > 1e-3:  # JSON rounds to 6 decimals
            assert c["probability"] > c["probability_without_findings"]
        assert c["probability_without_findings"] == pytest.approx(
            before[(c["trigger_point"], c["side"])], abs=1e-6
        )
        assert "neck rotation to the right restricted" in c["why"]
    assert set(found.json()) == set(base.json())


def test_unknown_movement_exits_2_with_suggestions(call_cli: Callable[..., Any]) -> None:
    result = call_cli("locate", *NECK, "--finding", "movement:neck_rotaton:left=restricted")
    assert result.exit_code == 2
    assert "Unknown movement 'neck_rotaton'" in result.stderr
    assert "Did you mean: neck_rotation" in result.stderr
    assert "Traceback" not in result.stderr


def test_malformed_movement_finding_exits_2(call_cli: Callable[..., Any]) -> None:
    result = call_cli("locate", *NECK, "--finding", "movement:neck_rotation=sore")
    assert result.exit_code == 2
    assert "restricted, painful or normal" in result.stderr
