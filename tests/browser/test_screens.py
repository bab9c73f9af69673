"""Every page at tablet (1024x768) and phone (390x844) width: it renders without script
errors, without sideways scrolling and without requests to any other host. Screenshots go to
``artifacts/screens/`` for a person to look at."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import pytest

from tests.browser.conftest import ARTIFACTS, PHONE, TABLET, Pages, Server

pytestmark = pytest.mark.browser


def get_json(server: Server, path: str) -> Any:
    with urllib.request.urlopen(server.base + path, timeout=10) as r:
        return json.loads(r.read())


@pytest.fixture(scope="module")
def page_paths(server: Server) -> dict[str, str]:
    clients = get_json(server, "/api/clients")
    cid = clients[0]["id"]
    visits = get_json(server, f"/api/clients/{cid}")["visits"]
    signed = next(v["id"] for v in visits if v["status"] == "signed")
    draft = next(v["id"] for v in reversed(visits) if v["status"] == "draft")
    return {
        "bodymap": "/bodymap",
        "clients": "/clients",
        "client": f"/clients/{cid}",
        "client-edit": f"/clients/{cid}/edit",
        "intake": f"/clients/{cid}/intake",
        "visit-draft": f"/visits/{draft}",
        "visit-signed": f"/visits/{signed}",
        "measures": f"/clients/{cid}/measures",
        "progress": f"/clients/{cid}/progress",
        "atlas": "/atlas",
        "muscle": "/atlas/trapezius",
        "audit": "/admin/audit",
        "login": "/login",
        "api-docs": "/api/docs",
        "not-found": "/no/such/page",
    }


@pytest.mark.parametrize("size", ["tablet", "phone"])
def test_every_page_is_clean_at_tablet_and_phone_width(
    pages: Pages, page_paths: dict[str, str], size: str
) -> None:
    viewport = TABLET if size == "tablet" else PHONE
    page = pages.new(viewport)
    out = ARTIFACTS / "screens"
    out.mkdir(parents=True, exist_ok=True)
    for name, path in page_paths.items():
        seen = len(pages.errors)
        page.goto(pages.base + path)
        if name == "bodymap":
            for rid in ("temple_r", "neck_back_r", "shoulder_top_r"):
                page.locator(f"#{rid}").focus()
                page.keyboard.press("Enter")
            page.wait_for_selector(".cand")
            page.locator(".cand").first.hover()
        if name.startswith("visit"):
            page.wait_for_selector(".cand")
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(out / f"{name}-{size}.png"), full_page=True)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{name} scrolls sideways by {overflow}px at {size} width"
        if name == "not-found":  # the browser logs the page's own 404 status
            del pages.errors[seen:]
    assert not pages.errors, pages.errors[:3]
    others = {
        u
        for u in pages.requests
        if not u.startswith(pages.base) and not u.startswith(("data:", "blob:"))
    }
    assert not others, sorted(others)[:5]
