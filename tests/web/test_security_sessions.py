"""Server-side sessions: logout, a password change, disabling and an idle timeout end them, and a
copied cookie stops working with them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from myomap.config import load_settings
from myomap.services.database import Store
from tests.integration.conftest import db_url, fresh_postgres_url  # noqa: F401 - fixtures
from tests.web.conftest import LOCAL, PASSWORD, World, csrf

Login = Callable[[str], TestClient]


def _copy(store: Store, tmp_path: Path, source: TestClient, **env: str) -> TestClient:
    """Another browser (and another app instance) holding a copy of ``source``'s cookie."""
    thief = TestClient(_app(store, tmp_path, **env), base_url=LOCAL)
    thief.cookies.set("myomap_session", source.cookies["myomap_session"])
    return thief


def _app(store: Store, tmp_path: Path, **env: str) -> Any:
    from myomap.web.app import create_app

    values = {
        "MYOMAP_DATA_DIR": str(tmp_path / "data"),
        "MYOMAP_DATABASE_URL": store.url,
        **{f"MYOMAP_{k.upper()}": v for k, v in env.items()},
    }
    return create_app(load_settings(values), store=store)


def _age_sessions(store: Store, minutes: float) -> None:
    from myomap.store.orm_accounts import WebSession

    with store.transaction() as session:
        for row in session.query(WebSession):
            row.last_seen_at = row.last_seen_at - timedelta(minutes=minutes)


@pytest.mark.parametrize("form", [False, True])
def test_a_copied_cookie_stops_working_after_logout(
    store: Store, tmp_path: Path, login: Login, form: bool
) -> None:
    alice = login("alice")
    thief = _copy(store, tmp_path, alice)
    assert thief.get("/api/clients").status_code == 200
    if form:
        token = alice.get("/api/session").json()["csrf_token"]
        r = alice.post("/logout", data={"csrf_token": token}, follow_redirects=False)
        assert r.status_code == 303
    else:
        assert alice.post("/api/logout", headers=csrf(alice)).status_code == 200
    assert thief.get("/api/clients").status_code == 401
    assert thief.get("/api/session").json()["user"] is None
    assert alice.get("/api/clients").status_code == 401


def test_the_cookie_holds_no_account_id(login: Login) -> None:
    """The cookie names a session, not an account: forging one needs the token too."""
    import base64
    import json

    cookie = login("alice").cookies["myomap_session"]
    payload = cookie.split(".")[0]
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert set(data) == {"csrf", "sid"}


def test_an_idle_session_ends(store: Store, tmp_path: Path, login: Login) -> None:
    alice = login("alice")
    thief = _copy(store, tmp_path, alice, session_idle_minutes="30")
    assert thief.get("/api/clients").status_code == 200
    _age_sessions(store, 29)
    assert thief.get("/api/clients").status_code == 200  # activity moves the clock on
    _age_sessions(store, 29)
    assert thief.get("/api/clients").status_code == 200
    _age_sessions(store, 31)
    assert thief.get("/api/clients").status_code == 401


def test_the_idle_timeout_is_a_setting(store: Store, tmp_path: Path, login: Login) -> None:
    alice = login("alice")
    short = _copy(store, tmp_path, alice, session_idle_minutes="5")
    _age_sessions(store, 6)
    assert short.get("/api/clients").status_code == 401
    assert load_settings({}).session_idle_minutes == 30


def test_a_password_change_or_disabling_ends_every_session(
    store: Store, tmp_path: Path, login: Login
) -> None:
    from myomap.store.orm_accounts import User
    from myomap.web.security import find_user, set_password

    alice, alice2, bob = login("alice"), login("alice"), login("bob")
    with store.transaction() as session:
        set_password(session, username="alice", password="a brand new password")
    assert alice.get("/api/clients").status_code == 401
    assert alice2.get("/api/clients").status_code == 401
    assert bob.get("/api/clients").status_code == 200
    with store.transaction() as session:
        row = find_user(session, "bob")
        assert isinstance(row, User)
        from myomap.store.orm import utcnow

        row.disabled_at = utcnow()
    assert bob.get("/api/clients").status_code == 401


def test_login_replaces_the_session_it_came_from(
    store: Store, tmp_path: Path, login: Login, world: World
) -> None:
    """Logging in again as someone else ends the older session (no fixation, no leftovers)."""
    alice = login("alice")
    before = _copy(store, tmp_path, alice)
    r = alice.post(
        "/api/login", json={"username": "adam", "password": PASSWORD}, headers=csrf(alice)
    )
    assert r.status_code == 200
    assert before.get("/api/clients").status_code == 401
    assert alice.get("/api/session").json()["user"]["username"] == "adam"


@pytest.mark.postgres
def test_sessions_and_login_limits_on_each_back_end(
    db_url: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    """Logout, idleness and the per-name delay behave alike on SQLite and PostgreSQL."""
    from myomap.services.database import open_store
    from myomap.web.security import add_user
    from tests.web.test_security_login import age_attempts

    store = open_store(db_url)
    try:
        with store.transaction() as session:
            add_user(session, username="pat", role="practitioner", password=PASSWORD)
        pat = TestClient(_app(store, tmp_path), base_url=LOCAL)
        for _ in range(3):
            r = pat.post(
                "/api/login", json={"username": "pat", "password": "wrong one!"}, headers=csrf(pat)
            )
            assert r.status_code == 401
        unknown = pat.post(
            "/api/login", json={"username": "nobody", "password": "x"}, headers=csrf(pat)
        )
        r = pat.post(
            "/api/login", json={"username": "pat", "password": PASSWORD}, headers=csrf(pat)
        )
        assert r.status_code == 429 and unknown.status_code == 401
        age_attempts(store, 3)
        r = pat.post(
            "/api/login", json={"username": "pat", "password": PASSWORD}, headers=csrf(pat)
        )
        assert r.status_code == 200
        thief = _copy(store, tmp_path, pat)
        assert thief.get("/api/clients").status_code == 200
        _age_sessions(store, 31)
        assert thief.get("/api/clients").status_code == 401
        r = pat.post(
            "/api/login", json={"username": "pat", "password": PASSWORD}, headers=csrf(pat)
        )
        assert r.status_code == 200
        thief = _copy(store, tmp_path, pat)
        assert pat.post("/api/logout", headers=csrf(pat)).status_code == 200
        assert thief.get("/api/clients").status_code == 401
    finally:
        store.close()


def test_old_sessions_and_attempts_are_forgotten(
    store: Store, tmp_path: Path, login: Login, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows that can no longer count are pruned now and then (here: every time)."""
    from myomap.store.orm_accounts import LoginAttempt, WebSession
    from tests.web.test_security_login import age_attempts

    alice = login("alice")
    assert alice.post("/api/logout", headers=csrf(alice)).status_code == 200
    anon = TestClient(_app(store, tmp_path), base_url=LOCAL)
    anon.post("/api/login", json={"username": "x", "password": "y"}, headers=csrf(anon))
    with store.transaction() as session:
        for row in session.query(WebSession):
            row.created_at -= timedelta(days=2)
            if row.ended_at is not None:
                row.ended_at -= timedelta(days=2)
        kept = session.query(WebSession).count()
    age_attempts(store, 3 * 3600)
    monkeypatch.setattr("myomap.web.sessions.secrets.randbelow", lambda n: 0)
    login("bob")
    with store.transaction() as session:
        assert session.query(WebSession).count() == 1 < kept + 1
        assert [a.ok for a in session.query(LoginAttempt)] == [True]
