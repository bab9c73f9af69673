"""The same question through the CLI and the web API gets the same answer.

Both adapters build one application object from the same settings (a data folder with the
clinic's instrument folder, and optionally a clinic screening rule file) and run the same use
cases. Each row of the table below is asked both ways and the decisions, rankings, plans and
totals are compared as JSON. The rows with a clinic file are the regressions for the web app
ignoring ``MYOMAP_SCREENING_RULES`` and for a measurement scored twice with different catalogues.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from myomap.config import load_settings
from tests.conftest import CliResult
from tests.web.conftest import LOCAL, csrf

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

Cli = Callable[..., CliResult]

DRAWING = {
    "format": "myomap.drawing/1",
    "areas": [{"regions": ["temple_r", "neck_back_r"], "intensity": 6}],
}
CLINIC_RULES = {
    "sources": {"clinic_policy": {"label": "Clinic policy", "citation": "Clinic policy 2026"}},
    "rules": [
        {
            "id": "clinic_age_80_refer",
            "severity": "refer",
            "when": {"answer": "age", "gte": 80},
            "message": "Age 80 or over: refer before any pressure work.",
            "sources": ["clinic_policy"],
            "evidence": "Clinic policy.",
        }
    ],
}
# A clinic-licensed instrument whose total differs from a plain sum (mean imputation, scaled).
CLINIC_INSTRUMENT = {
    "id": "ndi_clinic",
    "name": "Neck Disability Index (clinic)",
    "short": "NDI",
    "items": {"count": 10, "min": 0, "max": 5},
    "scoring": "percent",
    "missing": {"rule": "answered_only", "max_missing": 2},
    "licence": "Used under the clinic's licence.",
}


@dataclass
class Case:
    """One question: CLI arguments and the web request that ask the same thing."""

    title: str
    cli: list[str]
    method: str
    path: str
    body: dict[str, Any] | None
    clinic_rules: bool = False
    expect: dict[str, Any] = field(default_factory=dict)  # values both answers must have


def _intake(**answers: Any) -> dict[str, Any]:
    return {"format": "myomap.intake/1", "answers": answers}


OLD = {"age": 84, "fever": False}
CASES = [
    Case(
        "screen, bundled rules",
        ["screen", "{intake}", "--drawing", "{drawing}", "--json"],
        "POST",
        "/api/screen",
        {"answers": OLD, "drawing": DRAWING},
        expect={"decision": "proceed"},
    ),
    Case(
        "screen, clinic rule file",
        ["screen", "{intake}", "--drawing", "{drawing}", "--json"],
        "POST",
        "/api/screen",
        {"answers": OLD, "drawing": DRAWING},
        clinic_rules=True,
        expect={"decision": "refer"},
    ),
    Case(
        "locate with findings",
        [
            "locate",
            "--drawing",
            "{drawing}",
            "--finding",
            "trapezius.tp1:right=absent",
            "--top",
            "5",
            "--json",
        ],
        "POST",
        "/api/locate",
        {"drawing": DRAWING, "findings": ["trapezius.tp1:right=absent"], "top": 5},
    ),
    Case(
        "plan, bundled rules",
        [
            "plan",
            "--drawing",
            "{drawing}",
            "--intake",
            "{intake}",
            "--finding",
            "trapezius.tp1:right=confirmed",
            "--minutes",
            "30",
            "--json",
        ],
        "POST",
        "/api/plan",
        {
            "drawing": DRAWING,
            "intake": OLD,
            "minutes": 30,
            "findings": ["trapezius.tp1:right=confirmed"],
        },
    ),
    Case(
        "plan, clinic rule file",
        ["plan", "--drawing", "{drawing}", "--intake", "{intake}", "--json"],
        "POST",
        "/api/plan",
        {"drawing": DRAWING, "intake": OLD},
        clinic_rules=True,
    ),
]


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    out = {}
    for name, doc in (("drawing", DRAWING), ("intake", _intake(**OLD)), ("rules", CLINIC_RULES)):
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(doc), encoding="utf-8")
        out[name] = path
    folder = tmp_path / "data" / "instruments"
    folder.mkdir(parents=True)
    (folder / "ndi.json").write_text(
        json.dumps({"format": "myomap.instruments/1", "instruments": [CLINIC_INSTRUMENT]}),
        encoding="utf-8",
    )
    return out


@pytest.fixture
def web(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[bool], TestClient]]:
    """A web app built from the same settings the CLI reads (same data folder and store)."""
    from myomap.web.app import create_app

    apps: list[Any] = []

    def build(clinic_rules: bool) -> TestClient:
        env = {"MYOMAP_DATA_DIR": str(tmp_path / "data")}
        if clinic_rules:
            env["MYOMAP_SCREENING_RULES"] = str(tmp_path / "rules.json")
        app = create_app(load_settings(env))
        apps.append(app)
        return TestClient(app, base_url=LOCAL)

    yield build
    for app in apps:
        app.state.myomap.close()


def _json(result: CliResult) -> Any:
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def _as_cli_sees(web: Any, cli: Any) -> Any:
    """The web answer cut to the CLI's fields: the web adds chart overlays (whole zones, the
    chart mark, muscle names) that a terminal has no use for, and nothing else may differ."""
    if isinstance(web, dict) and isinstance(cli, dict):
        return {k: _as_cli_sees(web.get(k), v) for k, v in cli.items()}
    if isinstance(web, list) and isinstance(cli, list) and len(web) == len(cli):
        return [_as_cli_sees(w, c) for w, c in zip(web, cli, strict=True)]
    return web


@pytest.mark.parametrize("case", CASES, ids=[c.title for c in CASES])
def test_cli_and_web_give_the_same_answer(
    case: Case,
    call_cli: Cli,
    files: dict[str, Path],
    web: Callable[[bool], TestClient],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if case.clinic_rules:
        monkeypatch.setenv("MYOMAP_SCREENING_RULES", str(files["rules"]))
    else:
        monkeypatch.delenv("MYOMAP_SCREENING_RULES", raising=False)
    args = [a.format(**{k: str(v) for k, v in files.items()}) for a in case.cli]
    from_cli = _json(call_cli(*args))
    client = web(case.clinic_rules)
    response = client.request(case.method, case.path, json=case.body, headers=csrf(client))
    assert response.status_code == 200, response.text
    from_web = response.json()
    for key, value in case.expect.items():
        assert from_cli[key] == value and from_web[key] == value
    assert _as_cli_sees(from_web, from_cli) == from_cli


def test_clinic_rules_reach_every_web_screening_path(
    files: dict[str, Path], web: Callable[[bool], TestClient]
) -> None:
    """Screen, intake on a client, stateless plan and a visit's plan all apply the clinic file."""
    client = web(True)
    headers = csrf(client)
    assert (
        client.post("/api/screen", json={"answers": OLD}, headers=headers).json()["decision"]
        == "refer"
    )
    cid = client.post("/api/clients", json={"display_name": "Test Person"}, headers=headers).json()[
        "id"
    ]
    stored = client.post(
        f"/api/clients/{cid}/intakes", json={"answers": OLD}, headers=headers
    ).json()
    assert stored["screening"]["decision"] == "refer"
    assert stored["intake"]["decision"] == "refer"
    plan = client.post(
        "/api/plan", json={"drawing": DRAWING, "intake": OLD}, headers=headers
    ).json()
    assert plan["screening"]["decision"] == "refer"
    vid = client.post(f"/api/clients/{cid}/visits", headers=headers).json()["id"]
    client.post(f"/api/visits/{vid}/drawings", json={"drawing": DRAWING}, headers=headers)
    visit_plan = client.get(f"/api/visits/{vid}/plan").json()
    assert visit_plan["screening"]["decision"] == "refer"
    assert "clinic_age_80_refer" in [r["rule"] for r in visit_plan["screening"]["reasons"]]
    without = web(False)
    assert without.get(f"/api/visits/{vid}/plan").json()["screening"]["decision"] == "proceed"


def test_a_clinic_instrument_scores_once_and_the_same_both_ways(
    call_cli: Cli,
    files: dict[str, Path],
    web: Callable[[bool], TestClient],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    answers = [2, 2, 1, 1, None, 2, 2, 1, 1, 2]
    cli_answers = ["-" if a is None else str(a) for a in answers]
    expected = pytest.approx(14 / 45 * 100, abs=0.01)  # percent of the answered items' maximum
    scored = _json(call_cli("score", "ndi_clinic", *cli_answers, "--json"))
    cid = _json(call_cli("client", "add", "--name", "Test Person", "--json"))["id"]
    by_cli = _json(call_cli("measure", "add", str(cid), "ndi_clinic", *cli_answers, "--json"))
    shown = _json(call_cli("client", "show", str(cid), "--json"))["measurements"]
    client = web(False)
    # The server scores with the catalogue it was built with, whatever the process environment
    # says (the measurement service used to re-score from the environment).
    monkeypatch.setenv("MYOMAP_DATA_DIR", str(tmp_path / "elsewhere"))
    by_web = client.post(
        f"/api/clients/{cid}/measurements",
        json={"instrument": "ndi_clinic", "answers": answers},
        headers=csrf(client),
    )
    assert by_web.status_code == 201, by_web.text
    assert scored["total"] == expected  # printed to two decimals
    assert by_cli["total"] == by_web.json()["total"] == expected
    assert by_cli["band"] == by_web.json()["band"]
    stored = client.get(f"/api/clients/{cid}").json()["measurements"]
    assert [m["total"] for m in stored] == [expected, expected]
    assert [m["total"] for m in shown] == [m["total"] for m in stored[:1]]


def test_the_server_refuses_to_start_without_its_clinic_rule_file(
    call_cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rule file the server cannot read stops `myomap serve` with one line, before it
    listens, instead of every screening failing later."""
    monkeypatch.setenv("MYOMAP_SCREENING_RULES", str(tmp_path / "missing.json"))
    result = call_cli("serve", "--port", "48999")
    assert result.exit_code == 2
    assert "Rules file" in result.stderr and "not found" in result.stderr
