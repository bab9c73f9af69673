"""The client's own pain drawings: sent with the intake and with diary entries from the phone,
kept with them, and shown to the therapist on the client page (the newest one, in words and as
a picture); personal mode ranks self-care points from a drawing and keeps it in the diary."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from myomap.services.database import Store
from myomap.store.orm import Intake
from myomap.store.orm_portal import DiaryEntry
from tests.web.conftest import LOCAL, World
from tests.web.test_client_portal import make_link, open_as_client
from tests.web.test_personal_mode import CALM, personal_app
from tests.web.test_personal_mode import enter as enter_personal

TAPPED: dict[str, Any] = {
    "format": "myomap.drawing/1",
    "areas": [{"regions": ["temple_r"], "strokes": [], "intensity": 7, "quality": "aching"}],
}
# A finger stroke across the back of the left shoulder (chart coordinates of the back view).
STROKED: dict[str, Any] = {
    "format": "myomap.drawing/1",
    "areas": [
        {
            "regions": [],
            "strokes": [
                {"view": "back", "points": [[150, 200], [170, 230], [190, 260]], "width": 16}
            ],
            "intensity": 4,
        }
    ],
}


@pytest.fixture
def phone(
    login: Callable[[str], TestClient], anonymous: TestClient, world: World
) -> tuple[TestClient, dict[str, str], TestClient]:
    alice = login("alice")
    headers = open_as_client(anonymous, make_link(alice, world.alpha_client))
    return anonymous, headers, alice


def _intake_drawings(store: Store, client_id: int) -> list[Any]:
    with store.transaction() as s:
        return list(s.scalars(select(Intake.drawing).where(Intake.client_id == client_id)))


def test_intake_keeps_the_drawing_and_the_therapist_sees_it(phone: Any, world: World) -> None:
    client, headers, alice = phone
    page = alice.get(f"/clients/{world.alpha_client}")
    assert "data-own-drawing" not in page.text  # nothing drawn yet: no empty card
    body = {"format": "myomap.intake/1", "answers": {"age": 40}, "drawing": TAPPED}
    r = client.post("/api/me/intake", json=body, headers=headers)
    assert r.status_code == 201, r.text
    assert _intake_drawings(world.store, world.alpha_client) == [TAPPED]

    page = alice.get(f"/clients/{world.alpha_client}")
    assert page.status_code == 200
    card = page.text.split("data-own-drawing", 1)[1].split("</section>", 1)[0]
    assert "with their safety answers" in card
    assert '<li data-region="temple_r">' in card and "7/10" in card and "Right temple" in card
    assert "(aching)" in card
    # the picture: the chart with the drawing painted on it as a heat layer
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in card and 'class="heat"' in card


def test_an_untouched_or_bad_drawing_is_no_drawing(phone: Any, world: World) -> None:
    client, headers, _ = phone
    empty = {"format": "myomap.drawing/1", "areas": []}
    body = {"format": "myomap.intake/1", "answers": {"age": 40}, "drawing": empty}
    assert client.post("/api/me/intake", json=body, headers=headers).status_code == 201
    assert _intake_drawings(world.store, world.alpha_client) == [None]
    bad = {"format": "myomap.drawing/1", "areas": [{"regions": ["elbow_x"], "intensity": 5}]}
    r = client.post("/api/me/intake", json={**body, "drawing": bad}, headers=headers)
    assert r.status_code in (400, 422) and "detail" in r.json()
    assert _intake_drawings(world.store, world.alpha_client) == [None]  # nothing half-stored


def test_the_newest_own_drawing_wins_and_diary_entries_keep_theirs(
    phone: Any, world: World
) -> None:
    client, headers, alice = phone
    intake = {"format": "myomap.intake/1", "answers": {"age": 40}, "drawing": TAPPED}
    assert client.post("/api/me/intake", json=intake, headers=headers).status_code == 201
    entry = {"pain": 4, "drawing": STROKED, "entry_key": "drawn-entry-1"}
    r = client.post("/api/me/diary", json=entry, headers=headers)
    assert r.status_code == 201, r.text
    assert r.json()["drawing"] == STROKED
    # a later entry without a drawing does not hide the last drawing
    later = client.post("/api/me/diary", json={"pain": 3}, headers=headers)
    assert later.status_code == 201
    with world.store.transaction() as s:
        kept = [d for d in s.scalars(select(DiaryEntry.drawing)) if d]
    assert kept == [STROKED]

    page = alice.get(f"/clients/{world.alpha_client}").text
    card = page.split("data-own-drawing", 1)[1].split("</section>", 1)[0]
    assert "with a diary entry" in card
    places = card.split("data-own-places", 1)[1]
    assert "Right temple" not in places  # the intake's older drawing gave way
    assert "4/10" in places and "Left" in places and "shoulder" in places

    link_page = alice.get(f"/clients/{world.alpha_client}/link").text
    cells = [c.split("</td>", 1)[0] for c in link_page.split("<td data-where>")[1:]]
    assert len(cells) == 2 and cells[0] == "" and "shoulder" in cells[1]  # newest first

    me = client.get("/me").text
    where = me.split("data-diary-where>", 1)[1].split("</span>", 1)[0]
    assert where.startswith("Where: ") and "shoulder" in where


def test_another_clinics_therapist_never_sees_the_drawing(
    phone: Any, world: World, login: Callable[[str], TestClient]
) -> None:
    client, headers, _ = phone
    body = {"format": "myomap.intake/1", "answers": {"age": 40}, "drawing": TAPPED}
    assert client.post("/api/me/intake", json=body, headers=headers).status_code == 201
    bob = login("bob")
    r = bob.get(f"/clients/{world.alpha_client}")
    assert r.status_code in (403, 404) and "temple" not in r.text.lower()


def test_personal_mode_ranks_points_from_a_drawing_and_keeps_it(
    store: Store, tmp_path: Path
) -> None:
    client = TestClient(personal_app(store, tmp_path), base_url=LOCAL)
    headers = enter_personal(client)
    assert client.post("/api/me/intake", json=CALM, headers=headers).status_code == 201
    page = client.get("/me/points").text
    assert "data-me-bodymap" in page and 'id="bm-config"' in page and 'class="chart"' in page

    drawing = {
        "format": "myomap.drawing/1",
        "areas": [
            {"regions": ["temple_r"], "strokes": [], "intensity": 6},
            *STROKED["areas"],
        ],
    }
    r = client.post("/api/me/points", json={"drawing": drawing}, headers=headers)
    assert r.status_code == 200, r.text
    points = r.json()["points"]
    assert points
    from_regions = client.post("/api/me/points", json={"regions": ["temple_r"]}, headers=headers)
    # the stroke over the shoulder adds its own candidates to those of the temple alone
    assert {p["trigger_point"] for p in points} != {
        p["trigger_point"] for p in from_regions.json()["points"]
    }

    kept = client.post(
        "/api/me/diary",
        json={"pain": 6, "drawing": drawing, "entry_key": "personal-drawn-1"},
        headers=headers,
    )
    assert kept.status_code == 201, kept.text
    assert client.get("/api/me").json()["diary"][0]["drawing"] == drawing
