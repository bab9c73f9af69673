"""Ids cannot be probed across clinics (one 404 wording), the audit log is scoped to the admin's
clinic, and labels cannot break out of the JSON embedded in pages."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient

from myomap.services.database import Store
from tests.web.conftest import LOCAL, PASSWORD, World, csrf, make_app

Login = Callable[[str], TestClient]
MISSING = 987654


def _same_404(client: TestClient, theirs: str, missing: str, their_id: int) -> None:
    a, b = client.get(theirs), client.get(missing)
    assert a.status_code == b.status_code == 404, (theirs, a.text)
    assert a.json()["detail"].replace(str(their_id), "N") == b.json()["detail"].replace(
        str(MISSING), "N"
    )


def test_another_clinics_record_and_a_missing_one_read_alike(login: Login, world: World) -> None:
    bob = login("bob")
    c, v = world.alpha_client, world.alpha_visit
    _same_404(bob, f"/api/clients/{c}", f"/api/clients/{MISSING}", c)
    _same_404(bob, f"/api/clients/{c}/progress", f"/api/clients/{MISSING}/progress", c)
    _same_404(bob, f"/api/visits/{v}", f"/api/visits/{MISSING}", v)
    _same_404(bob, f"/api/visits/{v}/plan", f"/api/visits/{MISSING}/plan", v)


def test_another_clinics_deleted_client_reads_like_a_missing_one(
    login: Login, world: World
) -> None:
    from myomap.services import deletions
    from myomap.store.orm import Client

    with world.store.transaction() as session:
        row = session.get(Client, world.alpha_client)
        assert row is not None
        deletions.mark_deleted(session, row, "client", by="alice", reason="test")
    _same_404(
        login("bob"),
        f"/api/clients/{world.alpha_client}",
        f"/api/clients/{MISSING}",
        world.alpha_client,
    )
    # its own clinic still reads it (marked deleted)
    assert login("alice").get(f"/api/clients/{world.alpha_client}").status_code == 200


def test_a_measurement_naming_another_clinics_visit_is_the_missing_visit_404(
    login: Login, world: World
) -> None:
    bob = login("bob")
    h = csrf(bob)
    url = f"/api/clients/{world.beta_client}/measurements"
    theirs = bob.post(
        url, headers=h, json={"instrument": "nrs", "answers": [5], "visit_id": world.alpha_visit}
    )
    missing = bob.post(
        url, headers=h, json={"instrument": "nrs", "answers": [5], "visit_id": MISSING}
    )
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json()["detail"].replace(str(world.alpha_visit), "N") == missing.json()[
        "detail"
    ].replace(str(MISSING), "N")
    own = bob.post(
        url, headers=h, json={"instrument": "nrs", "answers": [5], "visit_id": world.beta_visit}
    )
    assert own.status_code == 201


def _add_admin(store: Store, name: str, clinic: str | None) -> None:
    from myomap.web.security import add_user

    with store.transaction() as session:
        add_user(session, username=name, role="admin", password=PASSWORD, clinic=clinic)


def _login(store: Store, tmp_path: Path, name: str) -> TestClient:
    client = TestClient(make_app(store, tmp_path), base_url=LOCAL)
    r = client.post(
        "/api/login", json={"username": name, "password": PASSWORD}, headers=csrf(client)
    )
    assert r.status_code == 200, r.text
    return client


def test_an_admin_without_a_clinic_does_not_read_the_clinics_audit_rows(
    store: Store, tmp_path: Path, login: Login, world: World
) -> None:
    login("alice").get(f"/api/clients/{world.alpha_client}")
    login("bob").get(f"/api/clients/{world.beta_client}")
    anon = TestClient(make_app(store, tmp_path), base_url=LOCAL)
    anon.post("/api/login", json={"username": "ghost", "password": "x"}, headers=csrf(anon))
    _add_admin(store, "root", None)
    rows = _login(store, tmp_path, "root").get("/api/audit").json()
    actors = {r["actor"] for r in rows}
    assert actors == {"root"}  # its own login; not alice, bob, "?" or the seeding "cli"
    adam = {r["actor"] for r in login("adam").get("/api/audit").json()}
    assert "alice" in adam and not adam & {"bob", "root", "?"}


def test_on_a_single_clinic_install_the_admin_reads_every_row(store: Store, tmp_path: Path) -> None:
    from myomap.services import clients

    with store.transaction() as session:
        clients.add_client(session, display_name="Solo Client", actor="cli")
    _add_admin(store, "owner", None)
    actors = {r["actor"] for r in _login(store, tmp_path, "owner").get("/api/audit").json()}
    assert {"cli", "owner"} <= actors


def test_a_drawing_label_cannot_break_the_visit_page(open_client: TestClient) -> None:
    h = csrf(open_client)
    cid = open_client.post("/api/clients", json={"display_name": "Label Test"}, headers=h).json()[
        "id"
    ]
    vid = open_client.post(f"/api/clients/{cid}/visits", json={}, headers=h).json()["id"]
    label = "<!--<script> </script><b>&amp; \u2028\u2029"
    r = open_client.post(
        f"/api/visits/{vid}/drawings",
        headers=h,
        json={"drawing": {"areas": [{"regions": ["temple_r"], "intensity": 6, "label": label}]}},
    )
    assert r.status_code == 201, r.text
    page = open_client.get(f"/visits/{vid}")
    assert page.status_code == 200
    html = page.text
    assert "<!--<script>" not in html and "</script><b>" not in html
    assert "\u2028" not in html and "\u2029" not in html
    blocks = dict(
        re.findall(r'<script type="application/json" id="([\w-]+)">(.*?)</script>', html, re.S)
    )
    assert {"bm-config", "bm-drawing", "bm-findings"} <= set(blocks)
    drawing = json.loads(blocks["bm-drawing"])
    assert drawing["areas"][0]["label"] == label  # the same text once parsed
    for text in blocks.values():
        assert not set(text) & set("<>&\u2028\u2029")
    # everything after the drawing still renders: the page was not swallowed
    assert html.rstrip().endswith("</html>")
    assert 'src="/static/visit.js' in html or "visit.js" in html


def test_script_json_escapes_every_breaking_character() -> None:
    from myomap.web.security import script_json

    value = {"a": "</script><!--&\u2028\u2029"}
    text = script_json(value)
    assert not set(text) & set("<>&\u2028\u2029")
    assert json.loads(text) == value
