"""The client's own loop over HTTP: links, the client session's scope, diary, intake, consent.

A client session must reach nothing but its own records: these tests try other clients' records
and every kind of staff endpoint with it, and check that revoked and expired links are dead and
that tokens never reach a log line.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from myomap.store.orm import utcnow
from myomap.store.orm_portal import ClientLink, DiaryEntry
from tests.web.conftest import World

FLAG_FREE = {"format": "myomap.intake/1", "answers": {"age": 40, "fever": False}}


def make_link(alice: TestClient, client_id: int, **body: Any) -> str:
    token = alice.get("/api/session").json()["csrf_token"]
    r = alice.post(f"/api/clients/{client_id}/link", json=body, headers={"X-CSRF-Token": token})
    assert r.status_code == 201, r.text
    data = r.json()
    assert set(data) >= {"url", "expires"}
    assert data["qr"].startswith("data:image/svg+xml")
    return str(data["url"])


def open_as_client(app_client: TestClient, url: str) -> dict[str, str]:
    path = url.split("://", 1)[1].split("/", 1)[1]
    r = app_client.get("/" + path, follow_redirects=False)
    assert r.status_code == 303, r.text
    assert r.headers["location"] == "/me"
    me = app_client.get("/me")
    assert me.status_code == 200
    token = me.text.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
    assert token
    return {"X-CSRF-Token": token}


@pytest.fixture
def client_session(
    login: Callable[[str], TestClient], anonymous: TestClient, world: World
) -> tuple[TestClient, dict[str, str], TestClient]:
    alice = login("alice")
    url = make_link(alice, world.alpha_client)
    headers = open_as_client(anonymous, url)
    return anonymous, headers, alice


def test_link_opens_only_that_clients_page(client_session: Any) -> None:
    client, headers, _ = client_session
    me = client.get("/api/me")
    assert me.status_code == 200
    assert me.json()["client"]["display_name"] == "Test Alpha Person"
    assert "visits" not in me.json()  # no notes or visits reach the client


def test_client_session_reaches_nothing_else(client_session: Any, world: World) -> None:
    client, headers, _ = client_session
    a, b, va, vb = world.alpha_client, world.beta_client, world.alpha_visit, world.beta_visit
    attempts: list[tuple[str, str, Any]] = [
        ("GET", "/api/clients", None),
        ("GET", f"/api/clients/{a}", None),
        ("GET", f"/api/clients/{b}", None),
        ("GET", f"/api/visits/{va}", None),
        ("GET", f"/api/visits/{vb}", None),
        ("GET", "/api/audit", None),
        ("GET", f"/api/clients/{a}/diary", None),
        ("GET", f"/api/clients/{b}/diary", None),
        ("GET", f"/api/clients/{a}/export/fhir", None),
        ("GET", "/api/export/csv", None),
        ("GET", "/api/users", None),
        ("GET", "/clients", None),
        ("GET", f"/clients/{a}", None),
        ("GET", f"/visits/{va}", None),
        ("GET", "/admin/audit", None),
        ("GET", f"/clients/{a}/link", None),
        ("POST", "/api/clients", {"display_name": "x"}),
        ("POST", f"/api/clients/{a}/intakes", {"answers": {}}),
        ("POST", f"/api/clients/{b}/intakes", {"answers": {}}),
        ("POST", f"/api/clients/{a}/link", {"days": 3}),
        ("DELETE", f"/api/clients/{a}/link", None),
        ("POST", f"/api/clients/{a}/visits", {}),
        ("PUT", f"/api/visits/{va}/note", {"subjective": "x"}),
        ("POST", f"/api/visits/{va}/sign", {}),
        ("POST", f"/api/visits/{va}/findings", {"trigger_point": "trapezius.tp1"}),
        ("POST", f"/api/clients/{a}/measurements", {"instrument": "nrs", "answers": [3]}),
        ("POST", f"/api/clients/{b}/measurements", {"instrument": "nrs", "answers": [3]}),
        ("GET", f"/api/clients/{a}/report.pdf", None),
        ("GET", f"/api/clients/{a}/progress", None),
        ("POST", "/api/screen", {"answers": {}}),
        ("POST", "/api/users", {"username": "x"}),
    ]
    assert len(attempts) >= 30
    for method, path, body in attempts:
        r = client.request(method, path, json=body, headers=headers, follow_redirects=False)
        assert r.status_code in (401, 403, 404, 405, 303, 307), (method, path, r.status_code)
        assert "Test Alpha Person" not in r.text and "Test Beta Person" not in r.text, path


def test_diary_entry_is_stored_once_and_read_by_staff(client_session: Any, world: World) -> None:
    client, headers, alice = client_session
    entry = {
        "pain": 6,
        "sleep": 4,
        "stress": 7,
        "analgesic_doses": 2,
        "note": "stiff",
        "entry_key": "k" * 20,
    }
    first = client.post("/api/me/diary", json=entry, headers=headers)
    assert first.status_code == 201, first.text
    again = client.post("/api/me/diary", json=entry, headers=headers)
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    staff = alice.get(f"/api/clients/{world.alpha_client}/diary").json()
    assert [e["pain"] for e in staff] == [6]
    assert client.get("/api/me").json()["diary"][0]["stress"] == 7


@pytest.mark.parametrize(
    "bad",
    [
        {"pain": 11},
        {"pain": -1},
        {"pain": 3, "sleep": 12},
        {"pain": 3, "home_care_done": ["not.an.exercise"]},
        {"pain": 3, "extra": 1},
        {},
    ],
)
def test_bad_diary_entries_are_refused(client_session: Any, bad: dict[str, Any]) -> None:
    client, headers, _ = client_session
    r = client.post("/api/me/diary", json=bad, headers=headers)
    assert r.status_code in (400, 422)
    assert "detail" in r.json()


def test_writes_need_the_client_csrf_token(client_session: Any) -> None:
    client, _, _ = client_session
    r = client.post("/api/me/diary", json={"pain": 3})
    assert r.status_code == 403


def test_intake_red_flag_gets_plain_advice(client_session: Any, world: World) -> None:
    client, headers, alice = client_session
    calm = client.post("/api/me/intake", json=FLAG_FREE, headers=headers)
    assert calm.status_code == 201, calm.text
    assert calm.json()["decision"] in ("proceed", "modify", "not_screened")
    flagged = client.post(
        "/api/me/intake",
        json={
            "format": "myomap.intake/1",
            "answers": {"age": 45, "saddle_numbness": True, "bladder_change": True},
        },
        headers=headers,
    )
    assert flagged.status_code == 201, flagged.text
    body = flagged.json()
    assert body["decision"] == "emergency"
    assert "emergency number" in body["advice"]
    assert "may not read" in body["notice"]
    detail = alice.get(f"/api/clients/{world.alpha_client}").json()
    assert detail["intakes"][-1]["decision"] == "emergency"


def test_consent_is_signed_once_per_version_and_never_changed(client_session: Any) -> None:
    client, headers, _ = client_session
    version = client.get("/api/me").json()["consent"]["version"]
    r = client.post(
        "/api/me/consent",
        json={
            "typed_name": "Test Alpha Person",
            "signature": [[[1, 1], [30, 20], [60, 5]]],
            "version": version,
        },
        headers=headers,
    )
    assert r.status_code == 201, r.text
    assert len(r.json()["text_sha256"]) == 64
    stale = client.post(
        "/api/me/consent",
        json={"typed_name": "x", "signature": [[[1, 1], [2, 2]]], "version": "1999-01-01"},
        headers=headers,
    )
    assert stale.status_code == 400


def test_calendar_has_no_health_data(client_session: Any, world: World) -> None:
    from myomap.services import examination

    client, _, _ = client_session
    with world.store.transaction() as session:
        examination.add_home_care(
            session, world.alpha_visit, {"stretch": "upper trapezius stretch, 3 x 30 s"}, actor="t"
        )
    r = client.get("/api/me/home-care.ics")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/calendar")
    text = r.text
    assert "BEGIN:VEVENT" in text and "RRULE:FREQ=DAILY" in text
    assert "trapezius" not in text.lower() and "Alpha" not in text


def test_revoked_link_ends_open_sessions(client_session: Any, world: World) -> None:
    client, headers, alice = client_session
    token = alice.get("/api/session").json()["csrf_token"]
    r = alice.delete(f"/api/clients/{world.alpha_client}/link", headers={"X-CSRF-Token": token})
    assert r.json()["revoked"] == 1
    assert client.get("/api/me").status_code == 403
    assert client.post("/api/me/diary", json={"pain": 2}, headers=headers).status_code == 403


def test_expired_link_is_dead(
    login: Callable[[str], TestClient], anonymous: TestClient, world: World
) -> None:
    url = make_link(login("alice"), world.alpha_client, days=1)
    with world.store.transaction() as session:
        for row in session.query(ClientLink):
            row.expires_at = utcnow() - timedelta(minutes=1)
    path = "/" + url.split("://", 1)[1].split("/", 1)[1]
    r = anonymous.get(path, follow_redirects=False)
    assert r.status_code == 404
    assert "expired or was withdrawn" in r.text


def test_wrong_and_unknown_tokens_get_one_answer(anonymous: TestClient) -> None:
    a = anonymous.get("/c/" + "x" * 43)
    b = anonymous.get("/c/short")
    assert a.status_code == b.status_code == 404
    assert "expired or was withdrawn" in a.text and "expired or was withdrawn" in b.text


def test_birth_year_check(
    login: Callable[[str], TestClient], anonymous: TestClient, world: World
) -> None:
    url = make_link(login("alice"), world.alpha_client, check_birth_year=True)
    path = "/" + url.split("://", 1)[1].split("/", 1)[1]
    form = anonymous.get(path, follow_redirects=False)
    assert form.status_code == 200 and "year of birth" in form.text
    wrong = anonymous.post(path, data={"birth_year": "1999"}, follow_redirects=False)
    assert wrong.status_code == 400
    right = anonymous.post(path, data={"birth_year": "1980"}, follow_redirects=False)
    assert right.status_code == 303


def test_tokens_are_stored_hashed_and_never_logged(
    login: Callable[[str], TestClient],
    anonymous: TestClient,
    world: World,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    url = make_link(login("alice"), world.alpha_client)
    token = url.rsplit("/", 1)[1]
    open_as_client(anonymous, url)
    anonymous.get("/api/me")
    # httpx is the test's own HTTP client, which logs the URLs it requests; the server's
    # loggers (myomap, uvicorn, starlette, sqlalchemy) must never carry the token.
    server_lines = [r.getMessage() for r in caplog.records if not r.name.startswith("httpx")]
    assert not any(token in line for line in server_lines)
    with world.store.transaction() as session:
        stored = [r.token_hash for r in session.query(ClientLink)]
    assert token not in stored and len(stored[0]) == 64


def test_link_failures_are_rate_limited_per_address(anonymous: TestClient) -> None:
    codes = [anonymous.get(f"/c/guess{i:04d}").status_code for i in range(22)]
    assert codes[:20] == [404] * 20
    assert codes[-1] == 429


def test_diary_rows_are_never_changed(client_session: Any, world: World) -> None:
    from myomap.domain.errors import ConflictError

    client, headers, _ = client_session
    client.post("/api/me/diary", json={"pain": 4}, headers=headers)
    with pytest.raises(ConflictError), world.store.transaction() as session:
        row = session.query(DiaryEntry).one()
        row.pain = 0
        session.flush()


def test_diary_red_flag_gets_advice_and_feeds_progress(client_session: Any, world: World) -> None:
    client, headers, alice = client_session
    r = client.post(
        "/api/me/diary",
        json={"pain": 8, "sleep": 3, "answers": {"saddle_numbness": True, "bladder_change": True}},
        headers=headers,
    )
    assert r.status_code == 201, r.text
    assert r.json()["screening"]["decision"] == "emergency"
    assert "emergency number" in r.json()["screening"]["advice"]
    client.post("/api/me/diary", json={"pain": 3}, headers=headers)
    progress = alice.get(f"/api/clients/{world.alpha_client}/progress").json()
    pain = next(m for m in progress["measures"] if m["instrument"] == "nrs")
    assert [p["total"] for p in pain["points"]] == [8.0, 3.0]
    assert pain["change"]["responder"] is True
    page = alice.get(f"/clients/{world.alpha_client}/link").text
    assert "pain 8 → 3" in page
