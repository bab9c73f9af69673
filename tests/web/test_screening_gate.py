"""The screening gate on visits (issue 11): no intake holds pressure work until a reason is
recorded with the visit, and pressure charted on a visit that screened refer needs a reason."""

from __future__ import annotations

from pathlib import Path

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


def _audit_actions(store: Store) -> list[str]:
    from myomap.store.orm import AuditEntry

    with store.transaction() as session:
        return [a.action for a in session.query(AuditEntry).order_by(AuditEntry.id)]


def test_visit_without_intake_holds_pressure_until_a_reason_is_recorded(
    open_world: tuple[TestClient, World],
) -> None:
    client, world = open_world
    v = world.alpha_visit
    plan = client.get(f"/api/visits/{v}/plan").json()
    assert plan["screening"]["decision"] == "not_screened"
    assert plan["pressure_work"] is False and plan["session"] is None
    page = client.get(f"/visits/{v}").text
    assert "Treated (" not in page  # no one-tap pressure steps
    assert f'data-api="POST /api/visits/{v}/screening-override"' in page
    assert 'name="reason"' in page

    reason = "Screened by phone this morning, all answers no"
    r = client.post(
        f"/api/visits/{v}/screening-override", headers=csrf(client), json={"reason": reason}
    )
    assert r.status_code == 201, r.text
    assert r.json()["decision"] == "not_screened" and r.json()["reason"] == reason
    assert "override_screening" in _audit_actions(world.store)

    plan = client.get(f"/api/visits/{v}/plan").json()
    assert plan["pressure_work"] is True
    assert plan["screening"]["override"] == {"reason": reason, "applied": True}
    assert "Treated (" in client.get(f"/visits/{v}").text


def test_blank_override_reason_is_refused(open_world: tuple[TestClient, World]) -> None:
    client, world = open_world
    r = client.post(
        f"/api/visits/{world.alpha_visit}/screening-override",
        headers=csrf(client),
        json={"reason": "   "},
    )
    assert r.status_code in (400, 422)


def test_override_is_refused_once_screened(open_world: tuple[TestClient, World]) -> None:
    client, world = open_world
    h = csrf(client)
    client.post(
        f"/api/clients/{world.alpha_client}/intakes", headers=h, json={"answers": {"fever": False}}
    )
    r = client.post(
        f"/api/visits/{world.alpha_visit}/screening-override",
        headers=h,
        json={"reason": "not needed"},
    )
    assert r.status_code == 400
    assert "not screened" in r.json()["detail"]


def test_pressure_on_a_refer_visit_needs_a_reason(open_world: tuple[TestClient, World]) -> None:
    client, world = open_world
    h = csrf(client)
    v = world.alpha_visit
    r = client.post(
        f"/api/clients/{world.alpha_client}/intakes", headers=h, json={"answers": {"fever": True}}
    )
    assert r.json()["screening"]["decision"] == "refer"
    treat = {
        "technique": "pressure_release",
        "trp": "trapezius.tp1",
        "side": "right",
        "pressure": 8,
    }
    refused = client.post(f"/api/visits/{v}/treatments", headers=h, json=treat)
    assert refused.status_code == 409
    assert "override_reason" in refused.json()["detail"]
    assert client.get(f"/api/visits/{v}").json()["treatments"] == []
    assert client.post(f"/api/visits/{v}/treatments/repeat", headers=h).status_code == 409
    assert 'name="override_reason"' in client.get(f"/visits/{v}").text

    ok = client.post(
        f"/api/visits/{v}/treatments",
        headers=h,
        json={**treat, "override_reason": "GP saw the client today: viral, afebrile now"},
    )
    assert ok.status_code == 201, ok.text
    assert client.get(f"/api/visits/{v}").json()["treatments"][-1]["pressure"] == 8
    assert _audit_actions(world.store).count("override_screening") == 1
    # no pressure (a stretch only) needs no reason
    stretch = client.post(
        f"/api/visits/{v}/treatments", headers=h, json={"technique": "stretch", "side": "right"}
    )
    assert stretch.status_code == 201


def test_api_plan_takes_an_override(open_world: tuple[TestClient, World]) -> None:
    client, _ = open_world
    drawing = {
        "format": "myomap.drawing/1",
        "areas": [{"regions": ["temple_r", "neck_back_r"], "intensity": 6}],
    }
    h = csrf(client)
    held = client.post("/api/plan", headers=h, json={"drawing": drawing}).json()
    assert held["screening"]["decision"] == "not_screened" and held["pressure_work"] is False
    done = client.post(
        "/api/plan", headers=h, json={"drawing": drawing, "override_screening": "asked verbally"}
    ).json()
    assert done["pressure_work"] is True
    assert done["screening"]["override"]["reason"] == "asked verbally"
