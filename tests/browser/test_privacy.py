"""No health data in the server log: a session with a marker name and note leaves no trace."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest

from tests.browser.conftest import Pages, Server

pytestmark = pytest.mark.browser

MARKER = "Zqxmarker Privatename"


def test_marker_name_and_note_never_reach_the_server_log(server: Server, pages: Pages) -> None:
    page = pages.new()
    page.goto(server.base + "/clients")
    page.fill("input[name=display_name]", MARKER)
    page.click("text=Add client")
    page.wait_for_url("**/clients/*")
    page.click("text=Start a visit")
    page.wait_for_url("**/visits/*")
    page.fill("textarea[name=subjective]", f"{MARKER} reports pain")
    page.click("text=Save note")
    page.wait_for_selector("[data-note-state]:has-text('Saved at')")
    page.goto(server.base + "/clients")
    page.fill("input[data-filter]", MARKER.split()[0].lower())
    assert page.locator("#client-rows tr:visible").count() == 1
    page.fill("input[data-filter]", "nobody-like-this")
    assert page.locator("#client-rows tr:visible").count() == 0
    # bad input carrying the marker is refused without echoing it
    token = page.evaluate("document.querySelector('meta[name=csrf-token]').content")
    status = page.evaluate(
        """async ([t, m]) => (await fetch('/api/clients', {method: 'POST',
            headers: {'Content-Type': 'application/json', 'X-CSRF-Token': t},
            body: JSON.stringify({display_name: m.repeat(20), sex: m})})).status""",
        [token, MARKER],
    )
    assert status == 422
    with urllib.request.urlopen(server.base + "/api/session", timeout=5) as r:
        assert json.loads(r.read())["csrf_token"]
    log = Path(server.log).read_text(encoding="utf-8", errors="replace")
    assert MARKER.split()[0] not in log
    assert "GET /" not in log and "POST /" not in log  # no access log lines at all
