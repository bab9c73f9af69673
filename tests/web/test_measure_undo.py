"""Undo for measures (issue 13): a measure recorded on a draft visit is removed through the same
path as the visit's other entries, audited; another visit's or another clinic's measure is not
found, and a signed visit refuses with the amendment hint."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from tests.web.conftest import World, csrf


def _measure(client: TestClient, cid: int, vid: int | None) -> int:
    body: dict[str, object] = {"instrument": "nrs", "answers": [6]}
    if vid is not None:
        body["visit_id"] = vid
    r = client.post(f"/api/clients/{cid}/measurements", headers=csrf(client), json=body)
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


def _actions(world: World) -> list[str]:
    from myomap.store.orm import AuditEntry

    with world.store.transaction() as session:
        return [a.action for a in session.query(AuditEntry).order_by(AuditEntry.id)]


def test_a_measure_on_a_draft_visit_is_removed_and_audited(
    login: Callable[[str], TestClient], world: World
) -> None:
    alice = login("alice")
    cid, vid = world.alpha_client, world.alpha_visit
    mid = _measure(alice, cid, vid)
    page = alice.get(f"/visits/{vid}").text
    assert f'data-delete="/api/visits/{vid}/measurements/{mid}"' in page
    assert "Remove Pain NRS measure" in page

    r = alice.delete(f"/api/visits/{vid}/measurements/{mid}", headers=csrf(alice))
    assert r.status_code == 200, r.text
    assert r.json() == {"removed": "measurements", "id": mid, "visit_id": vid}
    assert "remove_measurements" in _actions(world)
    assert alice.get(f"/api/visits/{vid}").json()["measurements"] == []
    gone = alice.delete(f"/api/visits/{vid}/measurements/{mid}", headers=csrf(alice))
    assert gone.status_code == 404


def test_only_the_visits_own_measure_can_be_removed(
    login: Callable[[str], TestClient], world: World
) -> None:
    alice, bob = login("alice"), login("bob")
    loose = _measure(alice, world.alpha_client, None)  # not linked to any visit
    r = alice.delete(f"/api/visits/{world.alpha_visit}/measurements/{loose}", headers=csrf(alice))
    assert r.status_code == 404
    theirs = _measure(alice, world.alpha_client, world.alpha_visit)
    r = bob.delete(f"/api/visits/{world.alpha_visit}/measurements/{theirs}", headers=csrf(bob))
    assert r.status_code == 404  # another clinic's visit does not exist for bob
    r = bob.delete(f"/api/visits/{world.beta_visit}/measurements/{theirs}", headers=csrf(bob))
    assert r.status_code == 404
    rita = login("rita")
    r = rita.delete(f"/api/visits/{world.alpha_visit}/measurements/{theirs}", headers=csrf(rita))
    assert r.status_code == 403
    assert alice.get(f"/api/visits/{world.alpha_visit}").json()["measurements"][0]["id"] == theirs


def test_a_signed_visit_keeps_its_measure_and_says_how_to_change_it(
    login: Callable[[str], TestClient], world: World
) -> None:
    alice = login("alice")
    vid = world.alpha_visit
    mid = _measure(alice, world.alpha_client, vid)
    h = csrf(alice)
    assert (
        alice.put(f"/api/visits/{vid}/note", headers=h, json={"subjective": "ok"}).status_code < 300
    )
    signed = alice.post(f"/api/visits/{vid}/sign", headers=h, json={})
    assert signed.status_code < 300, signed.text
    r = alice.delete(f"/api/visits/{vid}/measurements/{mid}", headers=h)
    assert r.status_code == 409
    assert "amend" in r.json()["detail"].lower()
    assert [m["id"] for m in alice.get(f"/api/visits/{vid}").json()["measurements"]] == [mid]
    assert "remove_measurements" not in _actions(world)
