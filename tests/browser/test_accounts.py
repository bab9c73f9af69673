"""Accounts in the browser, on a second server with two workers: the login page, another
clinic's client answering 404, a wrong password, logging out; sessions and CSRF tokens issued
by one worker are honoured by the other."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.browser.conftest import Pages, Server, start_server

pytestmark = pytest.mark.browser

PASSWORD = "a long test password"


@pytest.fixture(scope="module")
def accounts_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from start_server(
        tmp_path_factory.mktemp("accounts"),
        demo=False,
        workers=2,
        users=[("alice", "practitioner", "Alpha"), ("bob", "practitioner", "Beta")],
        password=PASSWORD,
    )


def api_login(base: str, username: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=20)
    token = client.get("/api/session").json()["csrf_token"]
    r = client.post(
        "/api/login",
        json={"username": username, "password": PASSWORD},
        headers={"X-CSRF-Token": token},
    )
    assert r.status_code == 200, r.text
    client.headers["X-CSRF-Token"] = r.json()["csrf_token"]
    return client


def test_login_isolation_and_logout_in_the_browser(accounts_server: Server, chrome: Any) -> None:
    base = accounts_server.base
    bob = api_login(base, "bob")
    beta_id = bob.post("/api/clients", json={"display_name": "Beta Only Person"}).json()["id"]
    # the token and cookie work on whichever worker answers
    for _ in range(12):
        assert bob.get("/api/clients").status_code == 200
        assert bob.post("/api/locate", json={"regions": ["temple_r"]}).status_code == 200
    pages = Pages(chrome, base)
    page = pages.new()
    try:
        page.goto(base + "/clients")
        page.wait_for_url(re.compile(r"/login\?next="))
        page.fill("input[name=username]", "alice")
        page.fill("input[name=password]", "not the password")
        page.click("button:has-text('Log in')")
        assert "wrong username or password" in page.locator("[role=alert]").inner_text()
        page.fill("input[name=username]", "alice")
        page.fill("input[name=password]", PASSWORD)
        page.click("button:has-text('Log in')")
        page.wait_for_url(re.compile(r"/clients$"))
        assert "Beta Only Person" not in page.content()
        page.fill("input[name=display_name]", "Alpha Person")
        page.click("text=Add client")
        page.wait_for_url(re.compile(r"/clients/\d+$"))
        response = page.goto(f"{base}/clients/{beta_id}")
        assert response is not None and response.status == 404
        page.goto(base + "/clients")
        page.click("button:has-text('Log out')")
        page.wait_for_url(re.compile(r"/login$"))
        page.goto(base + "/clients")
        page.wait_for_url(re.compile(r"/login\?next="))
    finally:
        page.context.close()
    names = [c["display_name"] for c in bob.get("/api/clients").json()]
    bob.close()
    assert names == ["Beta Only Person"]
