"""Access and safety: login, roles, clinic isolation, CSRF, locked notes, rate limits, audit."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from myomap.services.database import Store
from tests.web.conftest import LOCAL, PASSWORD, World, csrf, make_app

Login = Callable[[str], TestClient]


def test_without_login_the_api_answers_401_and_pages_redirect(
    anonymous: TestClient, world: World
) -> None:
    for path in (
        "/api/clients",
        f"/api/clients/{world.alpha_client}",
        f"/api/visits/{world.alpha_visit}",
        "/api/atlas/muscles",
    ):
        r = anonymous.get(path)
        assert r.status_code == 401, path
        assert "log in" in r.json()["detail"]
    r = anonymous.get(f"/clients/{world.alpha_client}", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"].startswith("/login?next=")
    assert anonymous.get("/api/session").json()["login_required"] is True
    r = anonymous.post("/api/locate", json={"regions": ["temple_r"]}, headers=csrf(anonymous))
    assert r.status_code == 401


def test_open_mode_needs_no_login_but_still_checks_csrf(open_client: TestClient) -> None:
    assert open_client.get("/api/clients").status_code == 200
    r = open_client.post("/api/clients", json={"display_name": "Someone"})
    assert r.status_code == 403
    assert "CSRF" in r.json()["detail"]
    r = open_client.post(
        "/api/clients", json={"display_name": "Someone"}, headers=csrf(open_client)
    )
    assert r.status_code == 201


def test_wrong_clinic_is_404_by_url_and_by_api(login: Login, world: World) -> None:
    bob = login("bob")
    assert bob.get(f"/api/clients/{world.beta_client}").status_code == 200
    for path in (
        f"/api/clients/{world.alpha_client}",
        f"/api/visits/{world.alpha_visit}",
        f"/api/clients/{world.alpha_client}/progress",
        f"/api/clients/{world.alpha_client}/fhir.json",
        f"/clients/{world.alpha_client}",
        f"/visits/{world.alpha_visit}",
    ):
        r = bob.get(path)
        assert r.status_code == 404, path
    r = bob.post(
        f"/api/visits/{world.alpha_visit}/findings",
        headers=csrf(bob),
        json={"trp": "trapezius.tp1", "side": "right", "result": "confirmed"},
    )
    assert r.status_code == 404
    r = bob.post(f"/api/clients/{world.alpha_client}/visits", headers=csrf(bob), json={})
    assert r.status_code == 404
    listed = {c["id"] for c in bob.get("/api/clients").json()}
    assert listed == {world.beta_client}
    # same answer as for a record that does not exist: ids cannot be probed
    assert bob.get("/api/clients/424242").status_code == 404


def test_missing_or_wrong_csrf_token_is_403_and_nothing_changes(login: Login, world: World) -> None:
    alice = login("alice")
    url = f"/api/visits/{world.alpha_visit}/note"
    for headers in ({}, {"X-CSRF-Token": "forged"}):
        r = alice.put(url, json={"subjective": "changed"}, headers=headers)
        assert r.status_code == 403
        assert "CSRF" in r.json()["detail"]
    assert (
        alice.get(f"/api/visits/{world.alpha_visit}").json()["soap"]["subjective"]["current"] == ""
    )
    r = alice.put(url, json={"subjective": "changed"}, headers=csrf(alice))
    assert r.status_code == 200


def test_a_signed_note_is_locked_409_and_amendments_keep_the_original(
    login: Login, world: World
) -> None:
    alice = login("alice")
    h = csrf(alice)
    v = world.alpha_visit
    assert (
        alice.put(
            f"/api/visits/{v}/note", json={"assessment": "First text."}, headers=h
        ).status_code
        == 200
    )
    r = alice.post(f"/api/visits/{v}/sign", json={}, headers=h)
    assert r.status_code == 200 and r.json()["status"] == "signed"
    assert r.json()["signed_by"] == "alice"
    for method, path, body in (
        ("PUT", f"/api/visits/{v}/note", {"assessment": "Other"}),
        (
            "POST",
            f"/api/visits/{v}/findings",
            {"trp": "trapezius.tp1", "side": "right", "result": "confirmed"},
        ),
        ("POST", f"/api/visits/{v}/treatments", {"technique": "pressure_release", "side": "right"}),
        ("POST", f"/api/visits/{v}/sign", {}),
    ):
        r = alice.request(method, path, json=body, headers=h)
        assert r.status_code == 409, path
        assert "signed" in r.json()["detail"]
    r = alice.post(
        f"/api/visits/{v}/amendments",
        headers=h,
        json={"field": "assessment", "text": "Second text.", "reason": "typo"},
    )
    assert r.status_code == 201
    soap = alice.get(f"/api/visits/{v}").json()["soap"]["assessment"]
    assert soap == {"original": "First text.", "current": "Second text.", "amended": True}


def test_roles_limit_what_each_account_may_do(login: Login, world: World) -> None:
    fred = login("fred")  # front desk
    assert fred.get("/api/clients").status_code == 200
    assert fred.get(f"/api/visits/{world.alpha_visit}").status_code == 403
    assert fred.get(f"/api/clients/{world.alpha_client}").status_code == 403
    r = fred.post(
        f"/api/clients/{world.alpha_client}/measurements",
        headers=csrf(fred),
        json={"instrument": "nrs", "answers": [4]},
    )
    assert r.status_code == 201
    rita = login("rita")  # researcher: reads, never writes
    assert rita.get(f"/api/visits/{world.alpha_visit}").status_code == 200
    r = rita.put(f"/api/visits/{world.alpha_visit}/note", json={"plan": "x"}, headers=csrf(rita))
    assert r.status_code == 403
    assert rita.get("/api/audit").status_code == 403
    assert login("adam").get("/api/audit").status_code == 200
    assert {u["username"] for u in login("adam").get("/api/users").json()} == {
        "alice",
        "fred",
        "rita",
        "adam",
    }  # not bob of the other clinic


def test_new_clients_belong_to_the_creators_clinic(login: Login, world: World) -> None:
    bob = login("bob")
    cid = bob.post("/api/clients", json={"display_name": "Beta New"}, headers=csrf(bob)).json()[
        "id"
    ]
    assert login("alice").get(f"/api/clients/{cid}").status_code == 404
    assert bob.get(f"/api/clients/{cid}").status_code == 200


def test_failed_logins_are_delayed_per_account_and_unknown_names_alike(
    anonymous: TestClient, login: Login, world: World
) -> None:
    from tests.web.test_security_login import age_attempts

    h = csrf(anonymous)
    for _ in range(3):
        r = anonymous.post(
            "/api/login", json={"username": "bob", "password": "wrong one!"}, headers=h
        )
        assert r.status_code == 401
        assert r.json()["detail"] == "wrong username or password"
    r = anonymous.post("/api/login", json={"username": "bob", "password": PASSWORD}, headers=h)
    assert r.status_code == 429
    assert "wait" in r.json()["detail"]
    # another account is not affected
    assert login("alice").get("/api/clients").status_code == 200
    age_attempts(world.store, 60)  # the delay passes: the right password works again
    r = anonymous.post("/api/login", json={"username": "bob", "password": PASSWORD}, headers=h)
    assert r.status_code == 200
    from myomap.store.orm import AuditEntry

    with world.store.transaction() as session:
        actors = {a.actor for a in session.query(AuditEntry)}
    assert "bob" in actors


def test_the_limit_is_shared_by_every_app_instance(
    store: Store, tmp_path: Path, world: World
) -> None:
    """Failures live in the database, so a second worker sees the first one's failures."""
    first, second = (TestClient(make_app(store, tmp_path), base_url=LOCAL) for _ in range(2))
    for _ in range(3):
        first.post(
            "/api/login", json={"username": "alice", "password": "nope nope"}, headers=csrf(first)
        )
    r = second.post(
        "/api/login", json={"username": "alice", "password": PASSWORD}, headers=csrf(second)
    )
    assert r.status_code == 429


def test_a_session_cookie_works_on_another_instance_and_ends_on_password_change(
    store: Store, tmp_path: Path, login: Login
) -> None:
    from myomap.web.security import set_password

    alice = login("alice")
    cookie = alice.cookies.get("myomap_session")
    other = TestClient(make_app(store, tmp_path), base_url=LOCAL)
    other.cookies.set("myomap_session", cookie)
    assert other.get("/api/clients").status_code == 200
    with store.transaction() as session:
        set_password(session, username="alice", password="a brand new password")
    assert other.get("/api/clients").status_code == 401


def test_login_cookie_is_httponly_and_strict(anonymous: TestClient) -> None:
    r = anonymous.post(
        "/api/login", json={"username": "alice", "password": PASSWORD}, headers=csrf(anonymous)
    )
    header = r.headers["set-cookie"].lower()
    assert "httponly" in header and "samesite=strict" in header


def test_audit_log_records_reads_and_changes_without_health_data(
    login: Login, world: World
) -> None:
    alice = login("alice")
    alice.get(f"/api/clients/{world.alpha_client}")
    alice.put(
        f"/api/visits/{world.alpha_visit}/note",
        json={"subjective": "Secret symptom text"},
        headers=csrf(alice),
    )
    rows = login("adam").get("/api/audit?actor=alice").json()
    acts = {(r["action"], r["record_type"], r["record_id"]) for r in rows}
    assert ("read", "client", world.alpha_client) in acts
    assert ("update", "visit", world.alpha_visit) in acts
    assert ("login", "user", rows[-1]["record_id"]) in acts
    text = str(rows)
    assert "Secret" not in text and "Test Alpha" not in text
    # an admin sees only the acts of accounts of their own clinic
    assert all(r["actor"] != "bob" for r in login("adam").get("/api/audit").json())


def test_login_page_flow_with_form_and_csrf(anonymous: TestClient) -> None:
    page = anonymous.get("/login")
    assert page.status_code == 200
    token = anonymous.get("/api/session").json()["csrf_token"]
    r = anonymous.post(
        "/login",
        data={"username": "alice", "password": PASSWORD, "next": "/clients"},
        follow_redirects=False,
    )
    assert r.status_code == 403
    r = anonymous.post(
        "/login",
        data={
            "username": "alice",
            "password": PASSWORD,
            "next": "//evil.example",
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == "/"
    assert anonymous.get("/clients").status_code == 200


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10"])
def test_off_loopback_login_is_always_required(store: Store, tmp_path: Path, host: str) -> None:
    client = TestClient(make_app(store, tmp_path, host=host), base_url=LOCAL)
    assert client.get("/api/clients").status_code == 401


def test_csv_export_holds_only_the_clinics_own_clients(login: Login, world: World) -> None:
    import csv as csvmod
    import io
    import zipfile

    def client_refs(user: str) -> set[str]:
        r = login(user).get("/api/export/csv.zip")
        assert r.status_code == 200, r.text
        with zipfile.ZipFile(io.BytesIO(r.content)) as zf:
            rows = list(csvmod.DictReader(io.StringIO(zf.read("clients.csv").decode())))
        return {row["client_ref"] for row in rows}

    alpha, beta = client_refs("alice"), client_refs("bob")
    assert alpha and beta
    assert not alpha & beta
