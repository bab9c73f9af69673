"""``myomap visit remove``: one entry of a draft visit removed by its id, whatever its kind
(finding, treatment, ROM, PPT or a measure recorded on the visit); a signed visit refuses."""

from __future__ import annotations

from collections.abc import Callable
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


def _show(cli: Cli, vid: int) -> dict[str, Any]:
    data: dict[str, Any] = _ok(cli, "visit", "show", str(vid), "--json").json()
    return data


def test_each_kind_of_draft_entry_is_removed_by_id(call_cli: Cli) -> None:
    cid = int(_ok(call_cli, "client", "add", "--name", "Remove Person", "--json").json()["id"])
    vid = int(_ok(call_cli, "visit", "start", str(cid), "--json").json()["id"])
    _ok(
        call_cli,
        "visit",
        "finding",
        str(vid),
        "--trp",
        "trapezius.tp1",
        "--side",
        "right",
        "--result",
        "confirmed",
    )
    _ok(
        call_cli,
        "visit",
        "rom",
        str(vid),
        "--movement",
        "cervical_rotation",
        "--side",
        "left",
        "--degrees",
        "60",
    )
    _ok(
        call_cli, "visit", "ppt", str(vid), "--site", "trapezius", "--side", "right", "--kpa", "300"
    )
    _ok(call_cli, "visit", "treat", str(vid), "--technique", "pressure_release", "--side", "right")
    _ok(call_cli, "measure", "add", str(cid), "nrs", "6", "--visit", str(vid))
    shown = _show(call_cli, vid)
    entries = {
        "--finding": shown["findings"][0]["id"],
        "--rom": shown["rom"][0]["id"],
        "--ppt": shown["ppt"][0]["id"],
        "--treatment": shown["treatments"][0]["id"],
        "--measurement": shown["measurements"][0]["id"],
    }
    for flag, entry in entries.items():
        r = _ok(call_cli, "visit", "remove", str(vid), flag, str(entry))
        assert f"{entry} from visit {vid}" in r.stdout
    after = _show(call_cli, vid)
    for key in ("findings", "rom", "ppt", "treatments", "measurements"):
        assert after[key] == [], key
    again = call_cli("visit", "remove", str(vid), "--measurement", str(entries["--measurement"]))
    assert again.exit_code != 0 and "no such entry" in again.stderr


def test_remove_needs_exactly_one_entry_and_a_signed_visit_refuses(call_cli: Cli) -> None:
    cid = int(_ok(call_cli, "client", "add", "--name", "Signed Person", "--json").json()["id"])
    vid = int(_ok(call_cli, "visit", "start", str(cid), "--json").json()["id"])
    none = call_cli("visit", "remove", str(vid))
    assert none.exit_code != 0 and "exactly one" in none.stderr
    two = call_cli("visit", "remove", str(vid), "--rom", "1", "--ppt", "2")
    assert two.exit_code != 0 and "exactly one" in two.stderr
    _ok(call_cli, "measure", "add", str(cid), "nrs", "4", "--visit", str(vid))
    mid = _show(call_cli, vid)["measurements"][0]["id"]
    _ok(call_cli, "visit", "note", str(vid), "-s", "Neck pain")
    _ok(call_cli, "visit", "sign", str(vid), "--by", "Test Practitioner")
    refused = call_cli("visit", "remove", str(vid), "--measurement", str(mid))
    assert refused.exit_code != 0
    assert "signed" in refused.stderr and "amend" in refused.stderr
    assert [m["id"] for m in _show(call_cli, vid)["measurements"]] == [mid]
