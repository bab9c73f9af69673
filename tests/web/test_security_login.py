"""Login limits: per name and per client address, the same answer for real and unknown names, a
growing delay instead of a lock-out, and the right password working again after the delay."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient

from myomap.services.database import Store
from tests.web.conftest import LOCAL, PASSWORD, World, csrf, make_app


def age_attempts(store: Store, seconds: float) -> None:
    """Move every recorded login attempt ``seconds`` into the past (time passing)."""
    from myomap.store.orm_accounts import LoginAttempt

    with store.transaction() as session:
        for row in session.query(LoginAttempt):
            row.at = row.at - timedelta(seconds=seconds)


def _client(store: Store, tmp_path: Path, address: str) -> TestClient:
    return TestClient(make_app(store, tmp_path), base_url=LOCAL, client=(address, 40000))


def _try(client: TestClient, name: str, password: str) -> tuple[int, str]:
    r = client.post(
        "/api/login", json={"username": name, "password": password}, headers=csrf(client)
    )
    return r.status_code, r.json()["detail"] if r.status_code != 200 else "ok"


def test_a_real_name_and_an_unknown_name_get_the_same_answers(
    store: Store, tmp_path: Path, world: World
) -> None:
    """The answers for "bob" and "nobody-here" are identical at every step."""
    real = [_try(_client(store, tmp_path, "10.0.0.1"), "bob", "wrong password!") for _ in range(5)]
    unknown = [
        _try(_client(store, tmp_path, "10.0.0.2"), "nobody-here", "wrong password!")
        for _ in range(5)
    ]
    assert [s for s, _ in real] == [401, 401, 401, 429, 429]
    assert real == unknown


def test_the_delay_grows_and_the_right_password_works_after_it(
    store: Store, tmp_path: Path, world: World
) -> None:
    client = _client(store, tmp_path, "10.0.0.3")
    for _ in range(3):
        assert _try(client, "alice", "wrong password!")[0] == 401
    status, detail = _try(client, "alice", PASSWORD)
    assert status == 429 and "wait 2 seconds" in detail  # not even checked while waiting
    r = client.post(
        "/api/login", json={"username": "alice", "password": PASSWORD}, headers=csrf(client)
    )
    assert r.headers["retry-after"] == "2"
    age_attempts(store, 3)
    assert _try(client, "alice", "wrong password!")[0] == 401  # 4th failure: now 4 s
    age_attempts(store, 3)
    status, detail = _try(client, "alice", PASSWORD)
    assert status == 429 and "wait 1 seconds" in detail
    age_attempts(store, 2)
    assert _try(client, "alice", PASSWORD) == (200, "ok")
    # a success starts the account's count afresh
    assert _try(client, "alice", "wrong password!")[0] == 401


def test_waiting_attempts_do_not_add_to_the_delay(
    store: Store, tmp_path: Path, world: World
) -> None:
    """Someone hammering during the wait cannot keep the owner out for longer."""
    attacker = _client(store, tmp_path, "10.0.0.4")
    for _ in range(3):
        _try(attacker, "alice", "wrong password!")
    for _ in range(20):
        assert _try(attacker, "alice", "guess guess")[0] == 429
    age_attempts(store, 2.5)
    assert _try(_client(store, tmp_path, "10.0.0.5"), "alice", PASSWORD) == (200, "ok")


def test_one_address_trying_many_names_is_limited(
    store: Store, tmp_path: Path, world: World
) -> None:
    spray = _client(store, tmp_path, "10.0.0.6")
    for i in range(10):
        assert _try(spray, f"user{i}", "Winter2026!")[0] == 401
    # the 11th name from that address waits, even a real one with its right password
    assert _try(spray, "new-name", "Winter2026!")[0] == 429
    assert _try(spray, "bob", PASSWORD)[0] == 429
    # another address is not affected
    assert _try(_client(store, tmp_path, "10.0.0.7"), "bob", PASSWORD) == (200, "ok")
    # and a success from the spraying address does not reset its count
    age_attempts(store, 3)
    assert _try(spray, "bob", PASSWORD) == (200, "ok")
    assert _try(spray, "user99", "Winter2026!")[0] == 401
    assert _try(spray, "user98", "Winter2026!")[0] == 429


def test_attempts_store_neither_the_name_typed_nor_the_address(
    store: Store, tmp_path: Path, world: World
) -> None:
    from myomap.store.orm_accounts import LoginAttempt

    _try(_client(store, tmp_path, "10.9.8.7"), "my secret pw", "x")
    with store.transaction() as session:
        rows = [(r.name_key, r.address_key) for r in session.query(LoginAttempt)]
    assert rows and not any("secret" in n or "10.9.8.7" in a for n, a in rows)


def test_login_form_shows_the_wait(anonymous: TestClient, world: World) -> None:
    token = anonymous.get("/api/session").json()["csrf_token"]
    for _ in range(3):
        anonymous.post(
            "/login", data={"username": "rita", "password": "nope nope", "csrf_token": token}
        )
    r = anonymous.post(
        "/login",
        data={"username": "rita", "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 429
    assert "wait 2 seconds" in r.text
