"""The clinic's today list and client page show what clients sent from their own pages:
who filled the intake themselves, who reported a red flag, whose consent is missing."""

from __future__ import annotations

import re
from typing import Any

from myomap.services import charting, clients, portal
from tests.web.conftest import World
from tests.web.test_client_portal import FLAG_FREE, client_session  # noqa: F401

EMERGENCY = {
    "format": "myomap.intake/1",
    "answers": {"age": 45, "saddle_numbness": True, "bladder_change": True},
}


def _row(html: str, client_id: int) -> str:
    own = html.split("data-own-pages", 1)[1].split("</ul>", 1)[0]
    found = re.search(rf'<li data-client="{client_id}"[^>]*>.*?</li>', own, re.S)
    assert found, own
    return found.group(0)


def test_today_list_shows_intake_and_missing_consent(
    client_session: Any,  # noqa: F811
    world: World,
) -> None:
    client, headers, alice = client_session
    assert client.post("/api/me/intake", json=FLAG_FREE, headers=headers).status_code == 201
    row = _row(alice.get("/clients").text, world.alpha_client)
    assert "data-intake-by-client" in row and "data-consent-missing" in row
    assert "data-red-flag" not in row
    version = client.get("/api/me").json()["consent"]["version"]
    signed = client.post(
        "/api/me/consent",
        json={"typed_name": "A", "signature": [[[1, 1], [9, 9]]], "version": version},
        headers=headers,
    )
    assert signed.status_code == 201
    row = _row(alice.get("/clients").text, world.alpha_client)
    assert "data-consent-signed" in row and "data-consent-missing" not in row


def test_red_flag_from_the_intake_and_the_diary(
    client_session: Any,  # noqa: F811
    world: World,
) -> None:
    client, headers, alice = client_session
    assert client.post("/api/me/intake", json=EMERGENCY, headers=headers).status_code == 201
    html = alice.get("/clients").text
    row = _row(html, world.alpha_client)
    assert "red flag: emergency" in row
    page = alice.get(f"/clients/{world.alpha_client}").text
    assert "data-client-red-flag" in page
    assert f'href="/clients/{world.alpha_client}/link"' in page
    # A calm intake then clears it; a warning sign ticked in the diary raises it again.
    assert client.post("/api/me/intake", json=FLAG_FREE, headers=headers).status_code == 201
    assert "data-red-flag" not in _row(alice.get("/clients").text, world.alpha_client)
    r = client.post(
        "/api/me/diary",
        json={"pain": 6, "answers": EMERGENCY["answers"]},
        headers=headers,
    )
    assert r.status_code == 201, r.text
    assert "data-red-flag" in _row(alice.get("/clients").text, world.alpha_client)


def test_clinic_entered_intake_is_not_self_reported(world: World) -> None:
    with world.store.transaction() as s:
        clients.record_intake(
            s, world.alpha_client, answers={}, decision="refer", recorded_by="alice"
        )
        work = charting.worklist(s, {world.alpha_client, world.beta_client})
        status = portal.load_texts()
    rows = {r["client_id"]: r for r in work["clients"]}
    # The seeded visit is not today and nothing came from the client's pages: not listed, or
    # listed without a self-reported flag.
    assert all(not r["red_flag"] and r["intake_by_client"] is None for r in rows.values())
    assert status.consent_version


def test_other_clinics_clients_never_appear(
    client_session: Any,  # noqa: F811
    world: World,
    login: Any,
) -> None:
    client, headers, _ = client_session
    assert client.post("/api/me/intake", json=EMERGENCY, headers=headers).status_code == 201
    bob = login("bob")
    assert f'data-client="{world.alpha_client}"' not in bob.get("/clients").text


def test_recent_own_page_activity_lists_a_client_without_a_visit(world: World) -> None:
    from datetime import timedelta

    from myomap.store.orm import utcnow
    from myomap.store.orm_portal import DiaryEntry

    with world.store.transaction() as s:
        quiet = clients.add_client(s, display_name="Quiet Person").id
        active = clients.add_client(s, display_name="Diary Person").id
        old = clients.add_client(s, display_name="Old Diary Person").id
        s.add(DiaryEntry(client_id=active, at=utcnow(), pain=3))
        s.add(
            DiaryEntry(
                client_id=old,
                at=utcnow() - timedelta(days=20),
                pain=3,
                created_at=utcnow() - timedelta(days=20),
            )
        )
        s.flush()
        work = charting.worklist(s, {quiet, active, old})
    listed = {r["client_id"]: r for r in work["clients"]}
    assert set(listed) == {active}
    row = listed[active]
    assert not row["visit_today"] and row["consent_missing"] and not row["red_flag"]
    assert row["intake_by_client"] is None
