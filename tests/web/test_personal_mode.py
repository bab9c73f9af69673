"""Personal mode: one person on their own computer. ``/`` opens their own page, the likely
trigger points shown are only the self-care-safe ones, the safety answers gate them, and the
mode is off off loopback or once an account exists."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from myomap.config import load_settings
from myomap.services.database import Store
from tests.web.conftest import LOCAL

CALM = {"format": "myomap.intake/1", "answers": {"age": 40, "fever": False}}
EMERGENCY = {
    "format": "myomap.intake/1",
    "answers": {"age": 45, "saddle_numbness": True, "bladder_change": True},
}


def personal_app(
    store: Store, tmp_path: Path, *, personal: bool = True, host: str = "127.0.0.1"
) -> Any:
    from myomap.web.app import create_app

    settings = load_settings(
        {
            "MYOMAP_DATA_DIR": str(tmp_path / "data"),
            "MYOMAP_HOST": host,
            "MYOMAP_DATABASE_URL": store.url,
            "MYOMAP_PERSONAL": "true" if personal else "false",
        }
    )
    return create_app(settings, store=store)


def enter(client: TestClient) -> dict[str, str]:
    r = client.get("/", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/me", r.text[:200]
    me = client.get("/me")
    assert me.status_code == 200
    assert "Hello, Me" in me.text and 'href="/me/points"' in me.text
    token = me.text.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
    return {"X-CSRF-Token": token}


@pytest.fixture
def person(store: Store, tmp_path: Path) -> tuple[TestClient, dict[str, str]]:
    client = TestClient(personal_app(store, tmp_path), base_url=LOCAL)
    return client, enter(client)


def test_root_opens_the_one_persons_page_created_once(store: Store, person: Any) -> None:
    from sqlalchemy import func, select

    from myomap.store.orm import Client
    from myomap.store.orm_portal import ClientLink

    client, _ = person
    assert client.get("/", follow_redirects=False).headers["location"] == "/me"
    fresh = TestClient(client.app, base_url=LOCAL)  # another browser on the same computer
    enter(fresh)
    with store.transaction() as s:
        assert s.scalar(select(func.count(Client.id))) == 1
        # the first browser's session was reused, the second got its own
        assert s.scalar(select(func.count(ClientLink.id))) == 2
    assert client.get("/api/me").json()["client"]["display_name"] == "Me"


def test_points_need_the_safety_questions_first(person: Any) -> None:
    client, headers = person
    r = client.post("/api/me/points", json={"regions": ["temple_r"]}, headers=headers)
    assert r.status_code == 200, r.text
    assert r.json()["decision"] == "not_screened" and r.json()["points"] == []


def test_points_are_only_self_care_safe_with_how_to_press(person: Any) -> None:
    from myomap.knowledge.load import load

    client, headers = person
    assert client.post("/api/me/intake", json=CALM, headers=headers).status_code == 201
    r = client.post(
        "/api/me/points", json={"regions": ["temple_r", "neck_back_r"]}, headers=headers
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["decision"] in ("proceed", "modify")
    assert body["points"]
    atlas = load(load_settings({})).atlas
    for p in body["points"]:
        muscle, _ = atlas.trigger_point(p["trigger_point"])
        assert muscle.self_care.safe
        assert p["find_position"] and p["hold_seconds"] > 0
    assert any(
        p["stretch"]["picture"] and "<svg" in p["stretch"]["picture"] for p in body["points"]
    )
    # a drawing over muscles not to press oneself: those are left out, never shown
    groin = client.post(
        "/api/me/points", json={"regions": ["groin_r", "lower_quadrant_r"]}, headers=headers
    )
    assert groin.status_code == 200, groin.text
    out = groin.json()
    assert out["left_out"] > 0
    assert all(atlas.trigger_point(p["trigger_point"])[0].self_care.safe for p in out["points"])
    page = client.get("/me/points")
    assert page.status_code == 200 and "data-me-bodymap" in page.text


def test_a_light_pressure_limit_travels_with_the_points(person: Any) -> None:
    client, headers = person
    light = {"format": "myomap.intake/1", "answers": {"age": 40, "aneurysm_known": True}}
    assert client.post("/api/me/intake", json=light, headers=headers).status_code == 201
    r = client.post("/api/me/points", json={"regions": ["temple_r"]}, headers=headers)
    body = r.json()
    assert body["decision"] == "modify" and body["pressure_limit"] == "light"


def test_a_red_flag_gives_advice_and_no_pressure(person: Any) -> None:
    client, headers = person
    assert client.post("/api/me/intake", json=EMERGENCY, headers=headers).status_code == 201
    r = client.post("/api/me/points", json={"regions": ["temple_r"]}, headers=headers)
    body = r.json()
    assert body["decision"] == "emergency" and body["points"] == []
    assert "emergency number" in body["advice"]


def test_bad_points_requests_are_refused(person: Any) -> None:
    client, headers = person
    assert client.post("/api/me/points", json={}, headers=headers).status_code == 400
    assert (
        client.post("/api/me/points", json={"regions": ["nowhere_x"]}, headers=headers).status_code
        == 400
    )
    assert client.post("/api/me/points", json={"regions": ["temple_r"]}).status_code == 403


def test_points_page_without_a_session_goes_through_root(store: Store, tmp_path: Path) -> None:
    client = TestClient(personal_app(store, tmp_path), base_url=LOCAL)
    r = client.get("/me/points", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"
    assert client.get("/me/points").status_code == 200  # / made the session, then back to /me


def test_personal_mode_off_without_the_setting(store: Store, tmp_path: Path) -> None:
    client = TestClient(personal_app(store, tmp_path, personal=False), base_url=LOCAL)
    root = client.get("/", follow_redirects=False)
    assert root.status_code == 200 and "data-bodymap" in root.text
    assert client.get("/me/points").status_code == 404


def test_personal_mode_off_once_an_account_exists(store: Store, tmp_path: Path) -> None:
    from myomap.web.security import add_user

    with store.transaction() as s:
        add_user(s, username="admin1", role="admin", password="correct horse battery")
    client = TestClient(personal_app(store, tmp_path), base_url=LOCAL)
    r = client.get("/", follow_redirects=False)
    assert r.status_code in (303, 401) and r.headers.get("location") != "/me"
    assert client.get("/me/points").status_code == 404


def test_other_hosts_never_reach_personal_mode(store: Store, tmp_path: Path) -> None:
    client = TestClient(personal_app(store, tmp_path), base_url="http://evil.example")
    assert client.get("/").status_code == 400
    assert client.get("/me/points").status_code == 400
