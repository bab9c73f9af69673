"""``myomap client link`` and ``myomap client diary``: contracts, QR image, revocation, errors."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

Cli = Callable[..., Any]


@pytest.fixture(autouse=True)
def _default_store(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MYOMAP_DATABASE_URL", raising=False)
    monkeypatch.setenv("MYOMAP_PUBLIC_URL", "https://clinic.test")


def _client(cli: Cli) -> int:
    r = cli("client", "add", "--name", "Test Person", "--birth-year", "1979", "--json")
    assert r.exit_code == 0, r.stderr
    return int(r.json()["id"])


def test_link_json_contract_and_qr(call_cli: Cli, tmp_path: Path) -> None:
    cid = _client(call_cli)
    qr = tmp_path / "qr.png"
    r = call_cli("client", "link", str(cid), "--days", "3", "--json", "-o", str(qr))
    assert r.exit_code == 0, r.stderr
    data = r.json()
    assert set(data) == {"url", "expires"}
    assert data["url"].startswith("https://clinic.test/c/")
    assert len(data["url"].rsplit("/", 1)[1]) >= 40
    expires = datetime.fromisoformat(data["expires"])
    assert timedelta(days=2, hours=23) < expires - datetime.now(UTC) <= timedelta(days=3)
    assert qr.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    other = call_cli("client", "link", str(cid), "--json").json()
    assert other["url"] != data["url"]


def test_revoke_ends_every_link(call_cli: Cli) -> None:
    cid = _client(call_cli)
    call_cli("client", "link", str(cid))
    call_cli("client", "link", str(cid))
    r = call_cli("client", "link", str(cid), "--revoke", "--json")
    assert r.exit_code == 0
    assert r.json() == {"revoked": 2}
    again = call_cli("client", "link", str(cid), "--revoke")
    assert "Withdrew 0 link(s)" in again.stdout


def test_diary_lists_newest_first(call_cli: Cli, tmp_path: Path) -> None:
    from myomap.config import load_settings
    from myomap.services import portal
    from myomap.services.database import open_from_settings

    cid = _client(call_cli)
    assert "no diary entries" in call_cli("client", "diary", str(cid)).stdout
    store = open_from_settings(load_settings({"MYOMAP_DATA_DIR": str(tmp_path / "data")}))
    now = datetime.now(UTC)
    with store.transaction() as session:
        for hours, pain in ((5, 7), (1, 3)):
            portal.add_diary(
                session,
                cid,
                portal.DiaryIn(pain=pain, at=now - timedelta(hours=hours)),
                actor="client",
            )
    store.close()
    rows = call_cli("client", "diary", str(cid), "--json").json()
    assert [r["pain"] for r in rows] == [3, 7]
    assert "pain 3/10" in call_cli("client", "diary", str(cid)).stdout.splitlines()[0]


@pytest.mark.parametrize(
    "args, message",
    [
        (("client", "link", "999"), "no client"),
        (("client", "link", "CID", "--days", "0"), "1 to 365 days"),
        (("client", "link", "CID", "--days", "400"), "1 to 365 days"),
        (("client", "link", "CID", "-o", "qr.jpg"), ".png"),
        (("client", "link", "CID", "-o", "missing/qr.png"), "does not exist"),
        (("client", "diary", "999"), "no client"),
    ],
)
def test_bad_input_is_one_line(call_cli: Cli, args: tuple[str, ...], message: str) -> None:
    cid = _client(call_cli)
    r = call_cli(*[str(cid) if a == "CID" else a for a in args])
    assert r.exit_code != 0
    assert message in r.stderr.lower() or message in r.stderr
    assert "Traceback" not in r.stderr
