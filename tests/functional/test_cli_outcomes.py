"""Outcome commands end to end: score, measure add, progress, cohort, report, export, import."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

Cli = Callable[..., Any]


@pytest.fixture(autouse=True)
def _default_store(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MYOMAP_DATABASE_URL", raising=False)


def _ok(cli: Cli, *args: str) -> Any:
    result = cli(*args)
    assert result.exit_code == 0, result.stderr
    return result


def _answers(text: str) -> list[str]:
    return text.split(" ")


def _client(cli: Cli, name: str = "Test Person") -> int:
    return int(_ok(cli, "client", "add", "--name", name, "--json").json()["id"])


def test_score_json_is_the_contract(call_cli: Cli) -> None:
    data = _ok(
        call_cli, "score", "pss10", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "--json"
    ).json()
    assert data == {
        "instrument": "pss10",
        "total": 16,
        "band": "moderate",
        "items": [0, 0, 0, 4, 4, 0, 4, 4, 0, 0],
    }
    phq = _ok(call_cli, "score", "phq9", *_answers("3 3 3 2 2 2 1 1 1"), "--json").json()
    assert (phq["total"], phq["band"]) == (18, "moderately severe")
    assert "GAD-7: 10" in _ok(call_cli, "score", "gad7", *_answers("1 2 3 1 1 1 1")).stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("gad7", "1", "2", "0", "4", "1", "0", "2"), "gad7 item 4"),
        (("nrs", "-1"), "nrs item 1"),
        (("phq9", "1", "2"), "9 item"),
        (("phq2", "1", "x"), "numbers"),
        (("psqi", "1"), "unknown instrument"),
    ],
)
def test_score_refuses_bad_answers_without_traceback(
    call_cli: Cli, args: tuple[str, ...], message: str
) -> None:
    result = call_cli("score", *args)
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_clinic_instrument_file_is_used_by_score(call_cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "data" / "instruments"
    folder.mkdir(parents=True)
    (folder / "clinic.json").write_text(
        json.dumps(
            {
                "format": "myomap.instruments/1",
                "instruments": [
                    {
                        "id": "rmdq",
                        "name": "Roland-Morris Disability Questionnaire",
                        "short": "RMDQ",
                        "items": {"count": 24, "min": 0, "max": 1},
                        "mcid": {"points": 5},
                        "licence": "Used under the clinic's licence.",
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    listed = _ok(call_cli, "instruments", "--json").json()
    licensed = {r["id"]: r["licensed"] for r in listed if r["id"] in ("rmdq", "phq9")}
    assert licensed == {"rmdq": True, "phq9": False}
    assert _ok(call_cli, "score", "rmdq", *(["1"] * 6 + ["0"] * 18), "--json").json()["total"] == 6


def test_measure_add_stores_the_scored_total(call_cli: Cli) -> None:
    cid = _client(call_cli)
    vid = int(_ok(call_cli, "visit", "start", str(cid), "--json").json()["id"])
    out = _ok(
        call_cli,
        "measure",
        "add",
        str(cid),
        "pss4",
        "1",
        "1",
        "1",
        "1",
        "--visit",
        str(vid),
        "--at",
        "2026-03-01T09:00+00:00",
        "--json",
    ).json()
    assert out["total"] == 8 and out["items"] == [1, 3, 3, 1] and out["visit_id"] == vid
    refused = call_cli("measure", "add", str(cid), "phq9", *_answers("1 1 1 1 1 1 1 1 5"))
    assert refused.exit_code == 2 and "phq9 item 9" in refused.stderr
    shown = _ok(call_cli, "client", "show", str(cid), "--json").json()
    assert [m["total"] for m in shown["measurements"]] == [8]


def test_progress_says_not_enough_data_before_three_points(call_cli: Cli) -> None:
    cid = _client(call_cli)
    _ok(call_cli, "measure", "add", str(cid), "nrs", "6", "--at", "2026-03-01T09:00+00:00")
    data = _ok(call_cli, "progress", str(cid), "--json").json()
    (nrs,) = data["measures"]
    assert nrs["change"] is None and nrs["trend"]["status"] == "not enough data yet"
    _ok(call_cli, "measure", "add", str(cid), "nrs", "3", "--at", "2026-03-08T09:00+00:00")
    data = _ok(call_cli, "progress", str(cid), "--json").json()
    (nrs,) = data["measures"]
    assert nrs["change"]["category"] == "substantial improvement"
    assert nrs["trend"]["status"] == "not enough data yet"
    text = _ok(call_cli, "progress", str(cid)).stdout
    assert "Pain NRS" in text and "not enough data yet" in text
    assert call_cli("progress").exit_code == 2


def test_demo_progress_cohort_export_import_and_report(
    call_cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _ok(call_cli, "demo")
    clients = _ok(call_cli, "client", "list", "--json").json()
    cid = clients[0]["id"]
    progress = _ok(call_cli, "progress", str(cid), "--json").json()
    assert {m["instrument"] for m in progress["measures"]} >= {"nrs", "pgic", "gad7", "phq9"}
    assert progress["drawings"]["jaccard"] is not None
    cohort = _ok(call_cli, "progress", "--cohort", "--json").json()
    assert cohort["clients"] == len(clients) and cohort["by_technique"]
    png = tmp_path / "freq.png"
    _ok(call_cli, "cohort", "--png", str(png))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    bundle_path = tmp_path / "bundle.json"
    _ok(call_cli, "export", "fhir", str(cid), "-o", str(bundle_path))
    bundle = json.loads(bundle_path.read_text(encoding="utf-8"))
    from fhir.resources.R4B.bundle import Bundle

    assert Bundle.model_validate(bundle).type == "collection"
    assert call_cli("export", "fhir", str(cid), "-o", str(bundle_path)).exit_code == 2

    _ok(call_cli, "export", "csv", "-o", str(tmp_path / "csv"))
    monkeypatch.setenv("MYOMAP_DATA_DIR", str(tmp_path / "other"))
    imported = _ok(call_cli, "import", "csv", str(tmp_path / "csv"), "--json").json()
    assert len(imported["created_clients"]) == len(clients)
    _ok(call_cli, "export", "csv", "-o", str(tmp_path / "csv2"))
    for name in ("measurements.csv", "drawings.csv", "visits.csv"):
        assert (tmp_path / "csv" / name).read_text() == (tmp_path / "csv2" / name).read_text()


def test_report_is_one_page_and_renders(call_cli: Cli, tmp_path: Path) -> None:
    _ok(call_cli, "demo")
    cid = _ok(call_cli, "client", "list", "--json").json()[0]["id"]
    pdf = tmp_path / "report.pdf"
    _ok(call_cli, "report", str(cid), "-o", str(pdf))
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    assert "Pages:           1" in info.stdout
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(pdf), str(tmp_path / "page")], check=True)
    page = (tmp_path / "page-1.png").read_bytes()
    assert page[:8] == b"\x89PNG\r\n\x1a\n" and len(page) > 5000
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Pain NRS" in text and "not a diagnosis" in text
    long_pdf = tmp_path / "long.pdf"
    _ok(call_cli, "report", str(cid), "--kind", "progress", "-o", str(long_pdf))
    pages = subprocess.run(
        ["pdfinfo", str(long_pdf)], capture_output=True, text=True, check=True
    ).stdout
    assert int(pages.split("Pages:")[1].split()[0]) > 1
    assert (
        call_cli("report", str(cid), "--kind", "weekly", "-o", str(tmp_path / "x.pdf")).exit_code
        == 2
    )


def test_measure_ppt_converts_kg_per_cm2_to_kpa(call_cli: Cli) -> None:
    cid = _client(call_cli)
    vid = int(_ok(call_cli, "visit", "start", str(cid), "--json").json()["id"])
    out = _ok(
        call_cli,
        "measure",
        "ppt",
        str(vid),
        "2",
        "2.5",
        "3",
        "--site",
        "upper_trapezius",
        "--side",
        "left",
        "--unit",
        "kg/cm2",
        "--json",
    ).json()
    assert out["trials_kpa"] == [196.13, 245.17, 294.2] and out["mean_kpa"] == 245.2
    bad = call_cli(
        "measure",
        "ppt",
        str(vid),
        "2",
        "--site",
        "upper_trapezius",
        "--side",
        "left",
        "--unit",
        "psi",
    )
    assert bad.exit_code == 2 and "kPa or kg/cm2" in bad.stderr


def test_export_fhir_transaction_and_client_list_import(call_cli: Cli, tmp_path: Path) -> None:
    cid = _client(call_cli, "Ada Example")
    out = tmp_path / "t.json"
    result = _ok(call_cli, "export", "fhir", str(cid), "-o", str(out), "--transaction")
    assert "transaction Bundle" in result.stdout
    bundle = json.loads(out.read_text(encoding="utf-8"))
    assert bundle["type"] == "transaction"
    # Records that never change are conditional creates; the client (and visits and notes,
    # which a signature or an amendment changes) are conditional updates: both are keyed on an
    # identifier of this installation, so re-sending never duplicates.
    for e in bundle["entry"]:
        request = e["request"]
        key = (
            request.get("ifNoneExist")
            if request["method"] == "POST"
            else request["url"].split("?", 1)[1]
        )
        assert key.startswith("identifier=urn:myomap:installation:"), request
    listing = tmp_path / "cliniko.csv"
    listing.write_text(
        "ID,First Name,Last Name,Date of Birth,Email\n"
        "5,Ada,Example,,\n6,Bo,Newperson,1990-01-02,bo@example.org\n",
        encoding="utf-8",
    )
    dry = _ok(call_cli, "import", "clients", str(listing), "--from", "cliniko", "--dry-run")
    assert "Would create 1 client(s); 1 duplicate(s)" in dry.stdout
    assert "Bo Newperson, born 1990" in dry.stdout
    done = _ok(call_cli, "import", "clients", str(listing), "--from", "cliniko", "--json")
    assert len(done.json()["created_clients"]) == 1
    bad = call_cli("import", "clients", str(listing), "--from", "excel")
    assert bad.exit_code == 2 and "jane, cliniko, clinicsense" in bad.stderr
