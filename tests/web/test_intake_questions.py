"""The stepped intake asks the server which follow-up questions the answers so far and the
latest drawing call for, and offers the last intake for review."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from myomap.services.database import Store
from tests.web.conftest import LOCAL, World, csrf, make_app


@pytest.fixture
def open_world(world: World, store: Store, tmp_path: Path) -> tuple[TestClient, World]:
    """The seeded world as a single-practitioner install (no accounts, no clinics)."""
    from myomap.store.orm import Client
    from myomap.store.orm_accounts import User

    with store.transaction() as session:
        for u in session.query(User).all():
            session.delete(u)
        for c in session.query(Client).all():
            c.clinic_id = None
    return TestClient(make_app(store, tmp_path), base_url=LOCAL), world


def ask(client: TestClient, answers: dict[str, Any], painful: list[str]) -> set[str]:
    r = client.post(
        "/api/screen/questions",
        json={"answers": answers, "painful": painful},
        headers=csrf(client),
    )
    assert r.status_code == 200, r.text
    return set(r.json()["ask"])


def test_follow_ups_only_when_called_for(open_world: tuple[TestClient, World]) -> None:
    client, _ = open_world
    plain = ask(client, {}, [])
    assert "fever" in plain and "neck_stiff_bending" not in plain
    assert "neck_stiff_bending" in ask(client, {"fever": True}, [])
    assert "neck_stiff_bending" not in ask(client, {"fever": False}, [])
    assert "new_headache" not in ask(client, {"age": 70}, [])
    assert "new_headache" in ask(client, {"age": 70}, ["temple_r"])
    assert "new_headache" not in ask(client, {"age": 30}, ["temple_r"])


def test_unreadable_answer_names_the_field(open_world: tuple[TestClient, World]) -> None:
    client, _ = open_world
    r = client.post("/api/screen/questions", json={"answers": {"age": "old"}}, headers=csrf(client))
    assert r.status_code == 400 and "age'" in r.json()["detail"]


def test_intake_page_offers_the_last_intake(open_world: tuple[TestClient, World]) -> None:
    client, world = open_world
    page = client.get(f"/clients/{world.alpha_client}/intake").text
    assert "data-use-last" not in page or "Last intake" in page
    r = client.post(
        f"/api/clients/{world.alpha_client}/intakes",
        json={"answers": {"fever": True, "skin_regions": ["left calf"]}},
        headers=csrf(client),
    )
    assert r.status_code == 201, r.text
    day = r.json()["intake"]["recorded_at"][:10]
    page = client.get(f"/clients/{world.alpha_client}/intake").text
    assert f"Last intake: {day}" in page and "data-use-last" in page
    assert "&#34;fever&#34;: true" in page or "&quot;fever&quot;: true" in page
    assert 'list="region-list"' in page and "<select" in page
    assert page.count('data-answer="yes"') > 40


def test_dry_run_score_equals_the_stored_total(open_world: tuple[TestClient, World]) -> None:
    client, world = open_world
    h = csrf(client)
    answers = [4, 4, 0, 2]  # PSS-4 items 2 and 3 are reverse-scored
    dry = client.post("/api/instruments/pss4/score", json={"answers": answers}, headers=h)
    assert dry.status_code == 200, dry.text
    assert dry.json()["total"] == 10
    before = client.get(f"/api/clients/{world.alpha_client}").json()["measurements"]
    saved = client.post(
        f"/api/clients/{world.alpha_client}/measurements",
        json={"instrument": "pss4", "answers": answers},
        headers=h,
    ).json()
    assert saved["total"] == dry.json()["total"] and saved["visit_id"] is None
    after = client.get(f"/api/clients/{world.alpha_client}").json()["measurements"]
    assert len(after) == len(before) + 1  # the dry run stored nothing
    short = client.post("/api/instruments/gad7/score", json={"answers": [1, 2]}, headers=h)
    assert short.status_code == 400 and "7 item" in short.json()["detail"]
    unknown = client.post("/api/instruments/nope/score", json={"answers": [1]}, headers=h)
    assert unknown.status_code == 400


def test_measures_page_shows_wording_and_asks_for_the_visit(
    open_world: tuple[TestClient, World],
) -> None:
    client, world = open_world
    page = client.get(f"/clients/{world.alpha_client}/measures").text
    assert "Not being able to stop or control worrying" in page
    assert "Nearly every day" in page
    assert "Not linked to a visit" in page and "Choose a visit" in page
    assert 'name="visit_id"' not in page  # nothing attaches to a visit behind the scenes
    assert "licensed copy" in page  # PSS: numbered items, and why


def test_intake_page_carries_where_the_latest_drawing_hurts(
    open_world: tuple[TestClient, World],
) -> None:
    client, _ = open_world
    h = csrf(client)
    cid = client.post("/api/clients", json={"display_name": "Temple Pain"}, headers=h).json()["id"]
    page = client.get(f"/clients/{cid}/intake").text
    assert 'data-painful="[]"' in page  # no drawing yet: no region-led follow-up
    vid = client.post(f"/api/clients/{cid}/visits", json={}, headers=h).json()["id"]
    drawing = {"areas": [{"regions": ["temple_r"], "intensity": 5}]}
    r = client.post(f"/api/visits/{vid}/drawings", json={"drawing": drawing}, headers=h)
    assert r.status_code == 201, r.text
    page = client.get(f"/clients/{cid}/intake").text
    assert "temple_r" in page.split('data-painful="', 1)[1].split('"', 1)[0]
    assert "new_headache" in ask(client, {"age": 70}, ["temple_r"])
