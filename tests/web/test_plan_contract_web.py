"""``POST /api/plan`` answers with the pinned document of ``myomap plan --json`` (see
tests/functional/test_plan_contract.py for how the expected files were produced)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from tests.web.conftest import csrf

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parents[2]
HERE = ROOT / "tests" / "functional" / "plan_contract"


def test_web_plan_gives_the_pinned_cli_json(open_client: TestClient) -> None:
    drawing = json.loads((HERE / "widespread-drawing.json").read_text(encoding="utf-8"))
    intake = json.loads((HERE / "widespread-intake.json").read_text(encoding="utf-8"))
    body = {
        "drawing": drawing,
        "intake": intake["answers"],
        "findings": [
            "gluteus_minimus.anterior:left=absent",
            "gastrocnemius.medial_head:left=confirmed",
        ],
        "minutes": 30,
    }
    expected = json.loads((HERE / "widespread-30.plan.json").read_text(encoding="utf-8"))
    got = open_client.post("/api/plan", json=body, headers=csrf(open_client))
    assert got.status_code == 200, got.text
    assert got.json() == expected
