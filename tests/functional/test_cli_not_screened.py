"""A plan for someone never screened holds pressure work until a reason is recorded (issue 11).

Before, ``myomap plan --drawing D`` without an intake said ``proceed`` and listed pressure steps.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
INTAKE = ROOT / "examples" / "intake" / "desk-worker.json"
DRAWING = ROOT / "examples" / "intake" / "desk-worker-drawing.json"
Cli = Callable[..., Any]


def _write(tmp_path: Path, name: str, doc: Any) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def _intake(tmp_path: Path, **answers: Any) -> Path:
    return _write(tmp_path, "intake.json", {"format": "myomap.intake/1", "answers": answers})


def test_plan_without_intake_is_not_screened_and_holds_pressure_work(call_cli: Cli) -> None:
    result = call_cli("plan", "--drawing", str(DRAWING), "--json")
    assert result.exit_code == 0, result.stderr
    doc = result.json()
    assert doc["screening"]["decision"] == "not_screened"
    assert doc["pressure_work"] is False
    assert doc["session"] is None and doc["technique"] is None
    assert doc["home_care"]["muscles"] == []
    assert doc["screening"]["override"] is None
    assert "safety questions" in doc["headline"]  # the plan says why


def test_override_gives_the_plan_and_records_the_reason(call_cli: Cli) -> None:
    reason = "Screened by phone this morning, all answers no"
    result = call_cli("plan", "--drawing", str(DRAWING), "--json", "--override-screening", reason)
    assert result.exit_code == 0, result.stderr
    doc = result.json()
    assert doc["screening"]["decision"] == "not_screened"
    assert doc["screening"]["override"] == {"reason": reason, "applied": True}
    assert doc["pressure_work"] is True
    assert any(s["kind"] == "trigger_point" for s in doc["session"]["steps"])
    assert reason in doc["headline"]


def test_history_answers_alone_are_not_a_screening(call_cli: Cli, tmp_path: Path) -> None:
    intake = _intake(tmp_path, age=40, pain_duration_weeks=3)
    doc = call_cli("plan", "--drawing", str(DRAWING), "--intake", str(intake), "--json").json()
    assert doc["screening"]["decision"] == "not_screened"
    assert doc["pressure_work"] is False
    assert "not_screened" in [r["rule"] for r in doc["screening"]["reasons"]]


def test_a_screened_intake_still_plans(call_cli: Cli) -> None:
    doc = call_cli("plan", "--drawing", str(DRAWING), "--intake", str(INTAKE), "--json").json()
    assert doc["screening"]["decision"] in ("proceed", "modify")
    assert doc["pressure_work"] is True


def test_override_never_lifts_refer(call_cli: Cli, tmp_path: Path) -> None:
    intake = _intake(tmp_path, fever=True)
    result = call_cli(
        "plan",
        "--drawing",
        str(DRAWING),
        "--intake",
        str(intake),
        "--json",
        "--override-screening",
        "client insists",
    )
    assert result.exit_code == 0
    doc = result.json()
    assert doc["screening"]["decision"] == "refer"
    assert doc["pressure_work"] is False
    assert doc["screening"]["override"] == {"reason": "client insists", "applied": False}
    assert "not applied" in result.stderr


def test_blank_override_is_a_usage_error(call_cli: Cli) -> None:
    result = call_cli("plan", "--drawing", str(DRAWING), "--override-screening", "  ")
    assert result.exit_code != 0
    assert "needs a reason" in result.stderr
    assert "Traceback" not in result.stderr


def test_text_plan_says_why_no_pressure_work(call_cli: Cli) -> None:
    result = call_cli("plan", "--drawing", str(DRAWING))
    assert result.exit_code == 0
    assert "Not screened" in result.stdout
    assert "No session plan and no pressure work" in result.stdout


def test_handout_without_screening_asks_for_the_questions(call_cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "h.html"
    result = call_cli("handout", "--drawing", str(DRAWING), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert "Safety questions first" in html
    assert "until a doctor has checked" not in html
