"""``myomap screen``, ``myomap plan`` and ``myomap handout`` end to end, in process."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from myomap.knowledge.screening import load_questionnaire

ROOT = Path(__file__).resolve().parents[2]
INTAKE = ROOT / "examples" / "intake" / "desk-worker.json"
DRAWING = ROOT / "examples" / "intake" / "desk-worker-drawing.json"
Cli = Callable[..., Any]


def _write(tmp_path: Path, name: str, doc: Any) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def _drawing(tmp_path: Path, *regions: str) -> Path:
    return _write(
        tmp_path,
        "drawing.json",
        {"format": "myomap.drawing/1", "areas": [{"regions": list(regions), "intensity": 6}]},
    )


def _intake(tmp_path: Path, **answers: Any) -> Path:
    return _write(tmp_path, "intake.json", {"format": "myomap.intake/1", "answers": answers})


# -- screen ------------------------------------------------------------------------------------


def test_template_prints_every_question_unanswered(call_cli: Cli) -> None:
    result = call_cli("screen", "--template")
    assert result.exit_code == 0
    doc = result.json()
    assert doc["format"] == "myomap.intake/1"
    assert list(doc["answers"]) == load_questionnaire().ids
    assert set(doc["answers"].values()) == {None}


def test_screen_json_has_the_contract_shape(call_cli: Cli) -> None:
    result = call_cli("screen", str(INTAKE), "--drawing", str(DRAWING), "--json")
    assert result.exit_code == 0, result.stderr
    doc = result.json()
    assert list(doc) == ["decision", "reasons", "avoid_regions", "modifications", "override"]
    assert doc["decision"] == "proceed"


def test_screen_refers_and_lists_reasons_with_sources(call_cli: Cli, tmp_path: Path) -> None:
    intake = _intake(tmp_path, pain_on_exertion=True, anticoagulants=True)
    drawing = _drawing(tmp_path, "chest_mid_l", "arm_inner_l", "jaw_l")
    doc = call_cli("screen", str(intake), "--drawing", str(drawing), "--json").json()
    assert doc["decision"] == "refer"
    for reason in doc["reasons"]:
        assert list(reason) == ["rule", "severity", "message", "source"]
        assert reason["source"]
    assert doc["reasons"][0]["rule"] == "cardiac_pattern_exertional"
    assert {"rule": "precaution_bleeding", "change": "pressure", "value": "light"} in doc[
        "modifications"
    ]


def test_screen_avoid_regions_from_answers(call_cli: Cli, tmp_path: Path) -> None:
    intake = _intake(tmp_path, varicose_regions=["calf_lower"])
    doc = call_cli(
        "screen", str(intake), "--drawing", str(_drawing(tmp_path, "calf_upper_r")), "--json"
    ).json()
    assert doc["decision"] == "modify"
    assert doc["avoid_regions"] == ["calf_lower_l", "calf_lower_r"]


def test_screen_text_output(call_cli: Cli, tmp_path: Path) -> None:
    result = call_cli("screen", str(_intake(tmp_path, diplopia=True)))
    assert result.exit_code == 0
    assert "EMERGENCY" in result.stdout and "cad_neurological_signs" in result.stdout


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"fever": "maybe"}, "intake field 'answers.fever': expected true/false, got \"maybe\"."),
        ({"age": -3}, "intake field 'answers.age': expected a whole number from 0 to 120, got -3."),
        ({"cough": True}, "intake field 'answers.cough': not a screening question."),
    ],
)
def test_malformed_intake_exits_2_naming_the_field(
    call_cli: Cli,
    tmp_path: Path,
    answers: dict[str, Any],
    message: str,
) -> None:
    result = call_cli("screen", str(_intake(tmp_path, **answers)), "--json")
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_screen_file_errors(call_cli: Cli, tmp_path: Path) -> None:
    missing = call_cli("screen", str(tmp_path / "none.json"))
    assert missing.exit_code == 2 and "--template" in missing.stderr
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    assert call_cli("screen", str(bad)).exit_code == 2
    none = call_cli("screen")
    assert none.exit_code == 2 and "INTAKE.json" in none.stderr


def test_clinic_rules_flag_and_environment(
    call_cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    intake = _intake(tmp_path, osteoporosis=True)
    rules = _write(
        tmp_path,
        "rules.json",
        {
            "disable": ["precaution_osteoporosis"],
            "rules": [
                {
                    "id": "broken",
                    "severity": "refer",
                    "when": {"answer": "x", "is": True},
                    "message": "m",
                    "sources": ["nice_ng59"],
                    "evidence": "e",
                }
            ],
        },
    )
    with_flag = call_cli("screen", str(intake), "--rules", str(rules), "--json")
    assert with_flag.exit_code == 0
    assert with_flag.json()["decision"] == "proceed"
    assert "Warning:" in with_flag.stderr and "broken" in with_flag.stderr
    assert call_cli("screen", str(intake), "--json").json()["decision"] == "modify"
    monkeypatch.setenv("MYOMAP_SCREENING_RULES", str(rules))
    assert call_cli("screen", str(intake), "--json").json()["decision"] == "proceed"


# -- plan ----------------------------------------------------------------------------------------


def test_plan_json(call_cli: Cli) -> None:
    result = call_cli(
        "plan",
        "--drawing",
        str(DRAWING),
        "--intake",
        str(INTAKE),
        "--finding",
        "trapezius.tp1:right=confirmed",
        "--json",
    )
    assert result.exit_code == 0, result.stderr
    doc = result.json()
    assert doc["pressure_work"] is True
    assert doc["technique"]["primary"] == "pressure_release"
    steps = doc["session"]["steps"]
    trps = [s for s in steps if s["kind"] == "trigger_point"]
    assert trps[0]["trigger_point"] == "trapezius.tp1" and trps[0]["confirmed"] is True
    assert "calming" in [s["kind"] for s in steps]  # stress 8 in the example intake
    assert doc["session"]["estimated_minutes"] <= 60
    assert doc["home_care"]["muscles"][0]["self_pressure"]["frequency"]


def test_plan_absent_finding_drops_the_trigger_point(call_cli: Cli) -> None:
    doc = call_cli(
        "plan",
        "--drawing",
        str(DRAWING),
        "--intake",
        str(INTAKE),
        "--finding",
        "trapezius.tp1=absent",
        "--json",
    ).json()
    planned = [s.get("trigger_point") for s in doc["session"]["steps"]]
    assert "trapezius.tp1" not in planned


def test_plan_takes_movement_findings_like_locate(call_cli: Cli) -> None:
    """A movement finding re-weights the plan's candidates without confirming any TrP."""

    def candidates(*findings: str) -> dict[str, float]:
        args = [a for f in findings for a in ("--finding", f)]
        r = call_cli("locate", "--drawing", str(DRAWING), "--top", "20", "--json", *args)
        assert r.exit_code == 0, r.stderr
        return {c["trigger_point"]: c["probability"] for c in r.json()["candidates"]}

    movement = "movement:neck_rotation:right=restricted"
    result = call_cli(
        "plan", "--drawing", str(DRAWING), "--intake", str(INTAKE), "--finding", movement, "--json"
    )
    assert result.exit_code == 0, result.stderr
    steps = [s for s in result.json()["session"]["steps"] if s["kind"] == "trigger_point"]
    assert steps and not any(s["confirmed"] for s in steps)
    assert candidates(movement) != candidates()
    bad = call_cli("plan", "--drawing", str(DRAWING), "--finding", "movement:neck_twirl=restricted")
    assert bad.exit_code == 2 and "Traceback" not in bad.stderr


def test_plan_stops_when_screening_refers(call_cli: Cli, tmp_path: Path) -> None:
    intake = _intake(tmp_path, cancer_history=True)
    drawing = _drawing(tmp_path, "lumbar_spine", "lumbar_l")
    doc = call_cli("plan", "--drawing", str(drawing), "--intake", str(intake), "--json").json()
    assert doc["headline"].startswith("See a doctor before any treatment")
    assert doc["pressure_work"] is False
    assert doc["session"] is None and doc["technique"] is None
    text = call_cli("plan", "--drawing", str(drawing), "--intake", str(intake)).stdout
    assert text.startswith("See a doctor") and "No pressure work" in text


@pytest.mark.parametrize("minutes", ["30", "90"])
def test_plan_minutes(call_cli: Cli, minutes: str) -> None:
    doc = call_cli(
        "plan", "--drawing", str(DRAWING), "--intake", str(INTAKE), "--minutes", minutes, "--json"
    ).json()
    assert doc["session"]["minutes"] == int(minutes)
    assert doc["session"]["estimated_minutes"] <= int(minutes)


def test_plan_bad_input(call_cli: Cli) -> None:
    short = call_cli("plan", "--drawing", str(DRAWING), "--minutes", "5")
    assert short.exit_code == 2 and "--minutes must be between" in short.stderr
    finding = call_cli("plan", "--drawing", str(DRAWING), "--finding", "trapezius")
    assert finding.exit_code == 2 and "Cannot read the finding" in finding.stderr


def test_plan_text_output(call_cli: Cli) -> None:
    result = call_cli("plan", "--drawing", str(DRAWING), "--intake", str(INTAKE))
    assert result.exit_code == 0
    for words in ("Technique:", "Session plan", "Home care", "not a diagnosis"):
        assert words in result.stdout


def test_plan_text_shows_visceral_checks(call_cli: Cli, tmp_path: Path) -> None:
    drawing = _drawing(tmp_path, "chest_mid_l", "arm_inner_l")
    result = call_cli(
        "plan",
        "--drawing",
        str(drawing),
        "--intake",
        str(_intake(tmp_path, pain_changes_with_movement=True)),
    )
    assert result.exit_code == 0
    assert "Check: This pain pattern can also come from the heart" in result.stdout


def test_text_output_shows_brackets_from_clinic_rules_literally(
    call_cli: Cli, tmp_path: Path
) -> None:
    rules = _write(
        tmp_path,
        "rules.json",
        {
            "rules": [
                {
                    "id": "clinic_note",
                    "severity": "modify",
                    "when": {"answer": "smoker", "is": True},
                    "message": "Smokers: see [bold] leaflet [/] B.",
                    "sources": ["nice_ng59"],
                    "evidence": "Clinic policy.",
                }
            ]
        },
    )
    intake = _intake(tmp_path, smoker=True)
    screen = call_cli("screen", str(intake), "--rules", str(rules))
    assert screen.exit_code == 0 and "see [bold] leaflet [/] B." in screen.stdout
    plan = call_cli(
        "plan", "--drawing", str(DRAWING), "--intake", str(intake), "--rules", str(rules)
    )
    assert plan.exit_code == 0 and "[bold] leaflet [/]" in plan.stdout


# -- handout -------------------------------------------------------------------------------------


def test_handout_html(call_cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "handout.html"
    result = call_cli("handout", "--drawing", str(DRAWING), "--intake", str(INTAKE), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert "Your home-care plan" in html and "Trapezius" in html
    assert html.count("data:image/png;base64,") >= 2  # the pain chart and a muscle chart
    assert "Stop and get help if" in html and "Better circulation" in html
    assert not list(tmp_path.glob("*.part"))


def test_handout_pdf(call_cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "handout.pdf"
    result = call_cli("handout", "--drawing", str(DRAWING), "--intake", str(INTAKE), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "Press the spot" in text and "What the evidence says" in text


def test_handout_when_referred_says_see_a_doctor(call_cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "h.html"
    intake = _intake(tmp_path, fever=True)
    assert (
        call_cli(
            "handout", "--drawing", str(DRAWING), "--intake", str(intake), "-o", str(out)
        ).exit_code
        == 0
    )
    html = out.read_text(encoding="utf-8")
    assert "Please see a doctor first" in html and "Press the spot" not in html


def test_handout_needs_pdf_or_html(call_cli: Cli, tmp_path: Path) -> None:
    result = call_cli("handout", "--drawing", str(DRAWING), "-o", str(tmp_path / "h.txt"))
    assert result.exit_code == 2 and ".pdf or .html" in result.stderr


def test_desk_worker_temple_headache_gets_trigger_point_pressure_release(call_cli: Cli) -> None:
    """Issue 11: 16 weeks of pain used to tip the plan to deep tissue + myofascial release."""
    doc = call_cli("plan", "--drawing", str(DRAWING), "--intake", str(INTAKE), "--json").json()
    assert doc["technique"]["primary"] == "pressure_release"
    assert doc["technique"]["combination"] == ["pressure_release"]
    assert any("well explained" in r for r in doc["technique"]["reasons"])
