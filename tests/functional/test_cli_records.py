"""The record commands end to end: exact JSON shapes, exit codes, messages without tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

Cli = Callable[..., Any]


@pytest.fixture(autouse=True)
def _default_store(monkeypatch: pytest.MonkeyPatch) -> None:
    """Use the SQLite file in the test's data folder, whatever the developer's environment says."""
    monkeypatch.delenv("MYOMAP_DATABASE_URL", raising=False)


def _ok(cli: Cli, *args: str, input: str | None = None) -> Any:
    result = cli(*args, input=input)
    assert result.exit_code == 0, result.stderr
    return result


def _client(cli: Cli, name: str = "Test Person") -> int:
    data = _ok(cli, "client", "add", "--name", name, "--birth-year", "1979", "--json").json()
    return int(data["id"])


def _visit(cli: Cli, client_id: int) -> int:
    return int(_ok(cli, "visit", "start", str(client_id), "--json").json()["id"])


def test_client_add_list_show_json_shapes(call_cli: Cli) -> None:
    assert _ok(call_cli, "client", "list", "--json").json() == []
    cid = _client(call_cli)
    listed = _ok(call_cli, "client", "list", "--json").json()
    assert listed == [
        {
            "id": cid,
            "display_name": "Test Person",
            "birth_year": 1979,
            "sex": None,
            "visit_count": 0,
            "last_visit_at": None,
            "deleted": False,
        }
    ]
    shown = _ok(call_cli, "client", "show", str(cid), "--json").json()
    assert set(shown) >= {
        "id",
        "display_name",
        "visits",
        "intakes",
        "measurements",
        "deletions",
        "contact",
    }
    assert "Test Person" in _ok(call_cli, "client", "list").stdout


def test_full_visit_flow_with_signing_and_amendment(call_cli: Cli, tmp_path: Path) -> None:
    cid = _client(call_cli)
    vid = _visit(call_cli, cid)
    _ok(
        call_cli,
        "visit",
        "note",
        str(vid),
        "--subjective",
        "neck ache",
        "--assessment",
        "upper trapezius",
    )
    _ok(
        call_cli,
        "visit",
        "finding",
        str(vid),
        "--trp",
        "trapezius.tp1",
        "--side",
        "left",
        "--taut-band",
        "--spot",
        "--recognised",
    )
    _ok(
        call_cli,
        "visit",
        "rom",
        str(vid),
        "--movement",
        "cervical_rotation",
        "--side",
        "right",
        "--degrees",
        "62",
    )
    _ok(
        call_cli,
        "visit",
        "ppt",
        str(vid),
        "--site",
        "upper_trapezius",
        "--side",
        "left",
        "--kpa",
        "180",
        "--kpa",
        "200",
        "--kpa",
        "190",
    )
    _ok(
        call_cli,
        "visit",
        "treat",
        str(vid),
        "--technique",
        "ischemic_compression",
        "--trp",
        "trapezius.tp1",
        "--side",
        "left",
        "--pressure",
        "6",
        "--hold",
        "60",
        "--reps",
        "3",
        "--response",
        "eased",
    )
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps({"stretch": "3 x 30 s"}))
    _ok(call_cli, "visit", "homecare", str(vid), str(plan))
    _ok(call_cli, "visit", "sign", str(vid), "--by", "Pat Therapist")

    refused = call_cli("visit", "note", str(vid), "--plan", "sneaky edit")
    assert refused.exit_code == 5
    assert "signed and locked" in refused.stderr and "visit amend" in refused.stderr
    assert "Traceback" not in refused.stderr + refused.stdout

    _ok(
        call_cli,
        "visit",
        "amend",
        str(vid),
        "--field",
        "assessment",
        "--text",
        "upper trapezius, left",
        "--reason",
        "side missing",
        "--author",
        "Pat Therapist",
    )
    shown = _ok(call_cli, "visit", "show", str(vid), "--json").json()
    assert shown["status"] == "signed" and shown["signed_by"] == "Pat Therapist"
    assert shown["soap"]["assessment"] == {
        "original": "upper trapezius",
        "current": "upper trapezius, left",
        "amended": True,
    }
    assert shown["soap"]["plan"]["current"] == ""
    assert shown["amendments"][0]["reason"] == "side missing"
    assert shown["findings"][0]["confirmed"] is True
    assert shown["ppt"][0]["mean_kpa"] == 190.0
    assert shown["treatments"][0]["hold_seconds"] == 60
    assert shown["home_care"][0]["plan"] == {"stretch": "3 x 30 s"}
    text = _ok(call_cli, "visit", "show", str(vid)).stdout
    assert "original as signed: upper trapezius" in text

    second = _visit(call_cli, cid)
    repeated = _ok(call_cli, "visit", "repeat", str(second), "--json").json()
    assert [(t["technique"], t["pressure"], t["response"]) for t in repeated] == [
        ("ischemic_compression", 6.0, None)
    ]


@pytest.mark.parametrize(
    ("args", "code", "needle"),
    [
        (("client", "show", "42"), 4, "myomap client list"),
        (("visit", "show", "42"), 4, "no visit with id 42"),
        (("visit", "start", "42"), 4, "no client with id 42"),
        (("client", "add", "--name", " "), 2, "display name"),
        (("client", "add", "--name", "X", "--birth-year", "1800"), 2, "birth year"),
        (("client", "add", "--name", "X", "--sex", "robot"), 2, "sex must be one of"),
    ],
)
def test_errors_are_messages_with_exit_codes(
    call_cli: Cli, args: tuple[str, ...], code: int, needle: str
) -> None:
    result = call_cli(*args)
    assert result.exit_code == code
    assert needle in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_values_name_the_field_and_save_nothing(call_cli: Cli) -> None:
    cid = _client(call_cli)
    vid = _visit(call_cli, cid)
    bad = call_cli(
        "visit",
        "treat",
        str(vid),
        "--technique",
        "ischemic_compression",
        "--side",
        "left",
        "--pressure",
        "15",
    )
    assert bad.exit_code == 2 and "pressure must be a number from 0 to 10" in bad.stderr
    bad = call_cli("visit", "finding", str(vid), "--trp", "not a trp", "--side", "left")
    assert bad.exit_code == 2 and "trp must be" in bad.stderr
    bad = call_cli("visit", "drawing", str(vid), "-", input="{not json")
    assert bad.exit_code == 2 and "not readable JSON" in bad.stderr
    shown = _ok(call_cli, "visit", "show", str(vid), "--json").json()
    assert shown["treatments"] == [] and shown["findings"] == [] and shown["drawings"] == []


def test_error_messages_never_echo_health_data(call_cli: Cli) -> None:
    secret = "Sentinel-Hyacinth"
    result = call_cli("client", "add", "--name", secret, "--sex", secret)
    assert result.exit_code == 2
    assert secret not in result.stderr + result.stdout


def test_delete_and_restore_are_recorded(call_cli: Cli) -> None:
    cid = _client(call_cli)
    _ok(call_cli, "client", "delete", str(cid), "--reason", "duplicate", "--by", "Pat")
    assert _ok(call_cli, "client", "list", "--json").json() == []
    assert _ok(call_cli, "client", "list", "--all", "--json").json()[0]["deleted"] is True
    _ok(call_cli, "client", "restore", str(cid), "--by", "Sam")
    shown = _ok(call_cli, "client", "show", str(cid), "--json").json()
    assert shown["deleted"] is False
    assert shown["deletions"][0]["reason"] == "duplicate"
    assert shown["deletions"][0]["restored_by"] == "Sam"


def test_backup_restore_and_demo(call_cli: Cli, tmp_path: Path) -> None:
    seeded = _ok(call_cli, "demo", "--json").json()
    assert 3 <= len(seeded["created"]) <= 5
    assert _ok(call_cli, "demo", "--json").json() == {"created": [], "existing": seeded["created"]}
    target = tmp_path / "backup.sqlite3"
    info = _ok(call_cli, "backup", str(target), "--json").json()
    assert info["clients"] == len(seeded["created"]) and target.is_file()
    _client(call_cli, "Added After Backup")
    again = call_cli("backup", str(target))
    assert again.exit_code == 2 and "--overwrite" in again.stderr
    restored = _ok(call_cli, "restore", str(target), "--json").json()
    assert restored["clients"] == len(seeded["created"])
    assert Path(restored["previous_copy"]).is_file()
    names = [c["display_name"] for c in _ok(call_cli, "client", "list", "--json").json()]
    assert "Added After Backup" not in names
    not_db = tmp_path / "notes.txt"
    not_db.write_text("hello")
    refused = call_cli("restore", str(not_db))
    assert refused.exit_code == 2 and "not a myomap database" in refused.stderr


def test_db_upgrade_reports_head(call_cli: Cli) -> None:
    from myomap.store.migrate import head_revision

    assert head_revision() in _ok(call_cli, "db", "upgrade").stdout
    data = _ok(call_cli, "db", "upgrade", "--json").json()
    assert (data["backend"], data["revision"]) == ("sqlite", head_revision())


def test_installed_entry_point_runs_in_a_subprocess(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "MYOMAP_DATABASE_URL"}
    env["MYOMAP_DATA_DIR"] = str(tmp_path)
    out = subprocess.run(
        [sys.executable, "-m", "myomap", "client", "list", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == []
    assert (tmp_path / "myomap.sqlite3").is_file()


def test_a_full_session_never_logs_or_prints_the_client_name(
    call_cli: Cli, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    import logging

    sentinel = "Quillon Sentinelworth"
    caplog.set_level(logging.DEBUG)
    cid = int(
        _ok(call_cli, "client", "add", "--name", sentinel, "--contact", sentinel, "--json").json()[
            "id"
        ]
    )
    vid = _visit(call_cli, cid)
    outputs = [
        call_cli("visit", "note", str(vid), "--subjective", sentinel),
        call_cli(
            "visit",
            "treat",
            str(vid),
            "--technique",
            "stretch",
            "--side",
            "left",
            "--response",
            sentinel,
        ),
        call_cli("visit", "sign", str(vid), "--by", "Pat"),
        call_cli("visit", "note", str(vid), "--plan", sentinel),
        call_cli(
            "visit",
            "amend",
            str(vid),
            "--field",
            "plan",
            "--text",
            sentinel,
            "--reason",
            "r",
            "--author",
            "Pat",
        ),
        call_cli("client", "add", "--name", sentinel, "--sex", sentinel),
        call_cli("backup", str(tmp_path / "b.sqlite3")),
    ]
    assert [o.exit_code for o in outputs] == [0, 0, 0, 5, 0, 2, 0]
    for o in outputs:
        assert sentinel not in o.stdout + o.stderr
    assert sentinel not in caplog.text


def test_unusable_locations_are_messages_not_tracebacks(
    call_cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    bad_backup = call_cli("backup", str(tmp_path / "missing" / "b.sqlite3"))
    assert bad_backup.exit_code == 2 and "does not exist" in bad_backup.stderr
    monkeypatch.setenv("MYOMAP_DATA_DIR", str(blocker / "data"))
    result = call_cli("client", "list")
    assert result.exit_code == 2 and "MYOMAP_DATA_DIR" in result.stderr
    assert "Traceback" not in result.stderr
