"""Each role sees its own controls: the front desk adds and edits clients and lands on the
client list, the researcher reads visits without any edit control, error pages keep the menu,
and the client list shows today's visits and unsigned drafts with a duplicate-name warning."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.browser.conftest import PHONE, TABLET, Pages, Server, start_server

pytestmark = pytest.mark.browser

PASSWORD = "a long test password"


@pytest.fixture(scope="module")
def roles_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from start_server(
        tmp_path_factory.mktemp("roles"),
        demo=False,
        users=[
            ("pat", "practitioner", "Alpha"),
            ("desk", "front_desk", "Alpha"),
            ("res", "researcher", "Alpha"),
        ],
        password=PASSWORD,
    )


def login(page: Any, base: str, user: str) -> None:
    page.goto(base + "/login")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('Log in')")
    page.wait_for_url(re.compile(r"/(clients|bodymap)?$"))


@pytest.fixture(scope="module")
def draft_visit(roles_server: Server) -> tuple[int, int]:
    with httpx.Client(base_url=roles_server.base, timeout=20) as c:
        token = c.get("/api/session").json()["csrf_token"]
        r = c.post(
            "/api/login",
            json={"username": "pat", "password": PASSWORD},
            headers={"X-CSRF-Token": token},
        )
        c.headers["X-CSRF-Token"] = r.json()["csrf_token"]
        cid = c.post(
            "/api/clients", json={"display_name": "Role Person", "birth_year": 1980}
        ).json()["id"]
        vid = c.post(f"/api/clients/{cid}/visits", json={}).json()["id"]
        drawing = {
            "format": "myomap.drawing/1",
            "areas": [{"regions": ["temple_r"], "intensity": 5}],
        }
        assert c.post(f"/api/visits/{vid}/drawings", json={"drawing": drawing}).status_code == 201
    return cid, vid


def new_page(pages: Pages, size: str) -> Any:
    context = pages.browser.new_context(
        viewport=TABLET if size == "tablet" else PHONE, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    pages.opened.append(page)
    return page


@pytest.mark.parametrize("size", ["tablet", "phone"])
def test_front_desk_adds_and_edits_a_client_and_lands_on_the_list(
    roles_server: Server, chrome: Any, draft_visit: tuple[int, int], size: str
) -> None:
    pages = Pages(chrome, roles_server.base)
    page = new_page(pages, size)
    base = roles_server.base
    try:
        login(page, base, "desk")
        page.goto(base + "/clients")
        page.fill("input[name=display_name]", "role person")
        assert page.locator("[data-duplicate-warning]").is_visible()
        page.fill("input[name=display_name]", f"Desk Added {size}")
        assert page.locator("[data-duplicate-warning]").is_hidden()
        page.click("text=Add client")
        page.wait_for_url(re.compile(r"/clients\?added=\d+$"))
        assert f"Saved: Desk Added {size}" in page.locator("main").inner_text()
        assert "Error" not in page.title()
        # the front desk sees no clinical lists
        assert page.locator("[data-drafts]").count() == 0
        page.click(f"a[aria-label='Edit Desk Added {size}']")
        page.fill("input[name=display_name]", f"Desk Edited {size}")
        page.click("text=Save changes")
        page.wait_for_url(re.compile(r"/clients\?added=\d+$"))
        assert f"Desk Edited {size}" in page.locator("#client-rows").inner_text()
    finally:
        page.context.close()


@pytest.mark.parametrize("size", ["tablet", "phone"])
def test_researcher_reads_without_edit_controls(
    roles_server: Server, chrome: Any, draft_visit: tuple[int, int], size: str
) -> None:
    pages = Pages(chrome, roles_server.base)
    page = new_page(pages, size)
    base = roles_server.base
    cid, vid = draft_visit
    try:
        login(page, base, "res")
        page.goto(f"{base}/visits/{vid}")
        page.wait_for_selector(".cand", state="attached")
        for control in (
            "#save-drawing",
            "#sign",
            "button[data-delete]",
            "button[data-post]",
            "form[data-api]",
            "form[data-note]",
            "button[data-finding]",
        ):
            assert page.locator(control).count() == 0, control
        assert page.locator(".bm-tools").is_hidden()
        page.goto(f"{base}/clients/{cid}")
        assert page.locator("text=Start a visit").count() == 0
        assert page.locator("a:has-text('Continue the open visit')").count() == 0
        page.goto(base + "/clients")
        assert page.locator("input[name=display_name]").count() == 0
        # an error page keeps the menu
        response = page.goto(base + "/clients/999999")
        assert response is not None and response.status == 404
        nav = page.locator("nav[aria-label=Main]")
        assert nav.locator("a[href='/clients']").count() == 1
    finally:
        page.context.close()


def test_practitioner_sees_today_and_unsigned_drafts(
    roles_server: Server, chrome: Any, draft_visit: tuple[int, int]
) -> None:
    pages = Pages(chrome, roles_server.base)
    page = new_page(pages, "tablet")
    base = roles_server.base
    _, vid = draft_visit
    try:
        login(page, base, "pat")
        page.goto(base + "/clients")
        assert page.locator(f"[data-today] a[href='/visits/{vid}']").count() == 1
        assert page.locator(f"[data-drafts] a[href='/visits/{vid}']").count() == 1
        page.goto(f"{base}/visits/{vid}")
        assert page.locator("#sign").count() == 1
    finally:
        page.context.close()
