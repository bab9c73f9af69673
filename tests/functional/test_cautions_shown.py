"""Safety text stored in the atlas reaches the therapist and the client (issue 11): release notes
and cautions in ``myomap show``, in plan steps and in the handout."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from myomap.knowledge.loader import load_atlas

ROOT = Path(__file__).resolve().parents[2]
INTAKE = ROOT / "examples" / "intake" / "desk-worker.json"
DRAWING = ROOT / "examples" / "intake" / "desk-worker-drawing.json"
Cli = Callable[..., Any]


def test_show_prints_pressure_notes_and_cautions(call_cli: Cli) -> None:
    result = call_cli("show", "iliocostalis_lumborum")
    assert result.exit_code == 0, result.stderr
    text = " ".join(result.stdout.split())
    assert "Pressure notes" in text
    assert "no pressure over the kidney" in text


def test_plan_steps_carry_pressure_notes_and_cautions(call_cli: Cli) -> None:
    doc = call_cli("plan", "--drawing", str(DRAWING), "--intake", str(INTAKE), "--json").json()
    atlas = load_atlas()
    steps = [s for s in doc["session"]["steps"] if s["kind"] == "trigger_point"]
    assert steps
    for s in steps:
        muscle = atlas.muscle(s["muscle"])
        assert s["pressure_notes"] == muscle.release.pressure.notes
        assert s["cautions"] == list(muscle.cautions)
    text = call_cli("plan", "--drawing", str(DRAWING), "--intake", str(INTAKE)).stdout
    assert "Caution" in text  # the readable plan prints them in the step's row


def test_handout_shows_notes_where_self_pressure_is_advised(call_cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "h.html"
    assert (
        call_cli(
            "handout", "--drawing", str(DRAWING), "--intake", str(INTAKE), "-o", str(out)
        ).exit_code
        == 0
    )
    html = out.read_text(encoding="utf-8")
    doc = call_cli("plan", "--drawing", str(DRAWING), "--intake", str(INTAKE), "--json").json()
    pressed = [m for m in doc["home_care"]["muscles"] if m["self_pressure"]]
    assert pressed
    for m in pressed:
        assert m["pressure_notes"] == load_atlas().muscle(m["muscle"]).release.pressure.notes
        if m["pressure_notes"]:
            assert "When pressing this muscle:" in html
            assert json.dumps(m["pressure_notes"])[1:20] in html
