"""Pages and their JSON twins show the same records; the atlas searches names and regions."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from myomap.services.database import Store
from tests.web.conftest import LOCAL, World, csrf, make_app


@pytest.fixture
def open_world(world: World, store: Store, tmp_path: Path) -> tuple[TestClient, World]:
    """The two-clinic world turned into a single-practitioner install: no accounts, no clinics."""
    from myomap.store.orm import Client
    from myomap.store.orm_accounts import User

    with store.transaction() as session:
        for u in session.query(User).all():
            session.delete(u)
        for c in session.query(Client).all():
            c.clinic_id = None
    return TestClient(make_app(store, tmp_path), base_url=LOCAL), world


def test_pages_and_api_twins_agree(open_world: tuple[TestClient, World]) -> None:
    open_client, world = open_world
    h = csrf(open_client)
    v = world.alpha_visit
    open_client.put(f"/api/visits/{v}/note", json={"assessment": "Twin check text"}, headers=h)
    open_client.post(
        f"/api/clients/{world.alpha_client}/measurements",
        json={"instrument": "nrs", "answers": [6]},
        headers=h,
    )
    names = [c["display_name"] for c in open_client.get("/api/clients").json()]
    page = open_client.get("/clients").text
    assert names and all(n in page for n in names)
    detail = open_client.get(f"/api/visits/{v}").json()
    assert detail["soap"]["assessment"]["current"] == "Twin check text"
    assert "Twin check text" in open_client.get(f"/visits/{v}").text
    progress = open_client.get(f"/api/clients/{world.alpha_client}/progress").json()
    assert [m["instrument"] for m in progress["measures"]] == ["nrs"]
    assert (
        'data-instrument="nrs"' in open_client.get(f"/clients/{world.alpha_client}/progress").text
    )
    muscle = open_client.get("/api/atlas/muscles/trapezius").json()
    assert f"<h1>{muscle['name']}</h1>" in open_client.get("/atlas/trapezius").text
    for path in (
        "/bodymap",
        f"/clients/{world.alpha_client}",
        f"/clients/{world.alpha_client}/intake",
        f"/clients/{world.alpha_client}/measures",
        "/admin/audit",
        "/login",
        "/api/docs",
    ):
        assert open_client.get(path).status_code == 200, path


def test_atlas_search_by_name_and_by_body_region(open_client: TestClient) -> None:
    by_name = open_client.get("/api/atlas/muscles", params={"q": "trapez"}).json()
    assert [m["id"] for m in by_name] == ["trapezius"]
    page = open_client.get("/atlas", params={"q": "jaw"}).text
    assert "Referring pain to" in page and "/atlas/masseter" in page
    assert "Referring pain to" not in open_client.get("/atlas", params={"q": "zzz"}).text


def test_visit_plan_offers_one_tap_treatment_with_dose(
    open_world: tuple[TestClient, World],
) -> None:
    open_client, world = open_world
    r = open_client.post(
        f"/api/clients/{world.alpha_client}/intakes",
        headers=csrf(open_client),
        json={"answers": {"fever": False, "pain_on_exertion": False}},
    )
    assert r.status_code == 201, r.text
    plan = open_client.get(f"/api/visits/{world.alpha_visit}/plan").json()
    step = next(s for s in plan["session"]["steps"] if s["kind"] == "trigger_point")
    page = open_client.get(f"/visits/{world.alpha_visit}").text
    assert f"Treated ({step['dose']['hold_seconds'][1]} s × {step['dose']['repetitions']})" in page
    h = csrf(open_client)
    r = open_client.post(
        f"/api/visits/{world.alpha_visit}/treatments",
        headers=h,
        json={
            "technique": step["technique"],
            "trp": step["trigger_point"],
            "side": step["side"],
            "hold_seconds": step["dose"]["hold_seconds"][1],
            "repetitions": step["dose"]["repetitions"],
        },
    )
    assert r.status_code == 201
    treated = open_client.get(f"/api/visits/{world.alpha_visit}").json()["treatments"]
    assert treated[-1]["trp_id"] == step["trigger_point"]


def test_names_are_escaped_in_pages(open_world: tuple[TestClient, World]) -> None:
    client, _ = open_world
    evil = "<script>alert(1)</script>"
    cid = client.post("/api/clients", json={"display_name": evil}, headers=csrf(client)).json()[
        "id"
    ]
    for path in ("/clients", f"/clients/{cid}"):
        text = client.get(path).text
        assert evil not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_intake_region_answers_may_be_plain_words(open_world: tuple[TestClient, World]) -> None:
    client, world = open_world
    h = csrf(client)
    url = f"/api/clients/{world.alpha_client}/intakes"
    r = client.post(url, json={"answers": {"skin_regions": ["left calf"]}}, headers=h)
    assert r.status_code == 201, r.text
    stored = r.json()["intake"]["answers"]["skin_regions"]
    assert stored and all(rid.startswith("calf_") and rid.endswith("_l") for rid in stored)
    assert r.json()["screening"]["avoid_regions"]
    r = client.post(url, json={"answers": {"skin_regions": ["qwxz"]}}, headers=h)
    assert r.status_code == 400 and "skin_regions" in r.json()["detail"]
