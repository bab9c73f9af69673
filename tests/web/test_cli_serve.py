"""``myomap user add|list|passwd`` and the refusal to serve off loopback without accounts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Cli = Callable[..., Any]


def test_serve_refuses_a_network_address_without_accounts(call_cli: Cli) -> None:
    r = call_cli("serve", "--host", "0.0.0.0", "--port", "8123")
    assert r.exit_code == 2
    assert "refusing to listen on 0.0.0.0" in r.stderr
    assert "myomap user add" in r.stderr
    assert "Traceback" not in r.stderr


def test_user_add_list_and_passwd(call_cli: Cli) -> None:
    r = call_cli("user", "list")
    assert r.exit_code == 0 and "No accounts yet" in r.stdout
    r = call_cli(
        "user",
        "add",
        "Alice",
        "--role",
        "admin",
        "--clinic",
        "North Clinic",
        "--password-stdin",
        "--json",
        input="a long enough secret\n",
    )
    assert r.exit_code == 0, r.stderr
    assert r.json() == {
        "id": 1,
        "username": "alice",
        "role": "admin",
        "clinic": "North Clinic",
        "disabled": False,
    }
    listed = call_cli("user", "list", "--json").json()
    assert [u["username"] for u in listed] == ["alice"]
    assert "hash" not in str(listed) and "secret" not in str(listed)
    r = call_cli("user", "add", "alice", "--password-stdin", input="another long secret\n")
    assert r.exit_code == 5 and "already exists" in r.stderr
    r = call_cli(
        "user", "add", "bob", "--role", "boss", "--password-stdin", input="a long enough secret\n"
    )
    assert r.exit_code == 2 and "front_desk" in r.stderr
    r = call_cli("user", "add", "bob", "--password-stdin", input="short\n")
    assert r.exit_code == 2 and "at least 10" in r.stderr
    r = call_cli("user", "passwd", "nobody", "--password-stdin", input="a long enough one\n")
    assert r.exit_code == 4
    r = call_cli("user", "passwd", "alice", "--password-stdin", input="the new password!\n")
    assert r.exit_code == 0 and "old sessions" in r.stdout


def test_stored_password_is_an_argon2_hash(call_cli: Cli, tmp_path: Any) -> None:
    from myomap.config import load_settings
    from myomap.services.database import open_from_settings
    from myomap.web.security import find_user, verify_password

    call_cli("user", "add", "carol", "--password-stdin", input="carols long password\n")
    store = open_from_settings(load_settings({"MYOMAP_DATA_DIR": str(tmp_path / "data")}))
    try:
        with store.transaction() as session:
            row = find_user(session, "carol")
            assert row is not None
            assert row.password_hash.startswith("$argon2id$")
            assert verify_password(row.password_hash, "carols long password")
            assert not verify_password(row.password_hash, "carols long passworD")
    finally:
        store.close()


def test_serve_personal_refuses_a_database_with_accounts(call_cli: Cli) -> None:
    r = call_cli("user", "add", "carol", "--password-stdin", input="a long enough secret\n")
    assert r.exit_code == 0, r.stderr
    r = call_cli("serve", "--personal", "--port", "8124")
    assert r.exit_code == 2
    assert "personal mode is for one person" in r.stderr
    assert "Traceback" not in r.stderr
