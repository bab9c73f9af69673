"""The client's own path on a phone: link, stepped intake with and without a red flag, diary
online and offline, home care offline, consent with a drawn signature, the calendar file, and
the therapist's view of what the client sent."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import PHONE, TABLET, Pages, Server

pytestmark = pytest.mark.browser


def _link(server: Server, client_id: int = 1) -> str:
    import json

    out = server.cli("client", "link", str(client_id), "--json").stdout
    token = json.loads(out)["url"].rsplit("/", 1)[1]
    return f"{server.base}/c/{token}"


def _answer_all_no(page: Any) -> None:
    steps = page.locator("#me-intake .step")
    for i in range(steps.count()):
        step = steps.nth(i)
        step.locator("[data-none]").click()
        if step.locator("[data-next]").count():
            step.locator("[data-next]").click()


def test_client_path_on_a_phone(pages: Pages, server: Server) -> None:
    page = pages.new(PHONE)
    page.goto(_link(server))
    assert page.url.endswith("/me")
    assert page.locator("h1").inner_text().startswith("Hello")
    assert "may not read" in page.locator(".notice").inner_text()

    # Safety questions without a red flag: one group at a time, "none of these" per group.
    assert page.locator("#me-intake .step:visible").count() == 1
    page.fill("#me-intake [data-id=age] input", "41")
    _answer_all_no(page)
    page.locator("#me-intake button[type=submit]").click()
    page.wait_for_selector("#advice:not([hidden])")
    assert page.locator("#advice").get_attribute("data-decision") in ("proceed", "modify")

    # Again with a red flag: the advice says what to do now, in plain words.
    page.reload()
    _answer_all_no(page)
    flag = page.locator("#me-intake [data-id=saddle_numbness] [data-answer=yes]")
    flag.evaluate("b => b.closest('.step').hidden = false")
    flag.click()
    page.locator("#me-intake [data-id=bladder_change] [data-answer=yes]").click()
    page.locator("#me-intake button[type=submit]").click()
    page.wait_for_function(
        "() => document.querySelector('#advice').dataset.decision === 'emergency'"
    )
    assert "emergency number" in page.locator("#advice").inner_text()

    # Diary online.
    page.locator("#pain").fill("6")
    page.fill("#note", "stiff after work")
    page.locator("#me-diary button[type=submit]").click()
    page.wait_for_function(
        "() => document.querySelector('[data-diary-status]').textContent === 'Saved.'"
    )

    # Diary offline: kept on the phone, sent when the connection returns.
    page.context.set_offline(True)
    page.locator("#pain").fill("3")
    page.locator("#me-diary button[type=submit]").click()
    page.wait_for_function(
        "() => document.querySelector('[data-diary-status]').textContent.includes('this phone')"
    )
    # The home-care plan reads offline too (the service worker serves the cached page).
    page.reload()
    assert page.locator("#homecare h2").inner_text() == "Home care"
    assert page.locator("#homecare svg.pose").count() >= 1  # exercise pictures, offline too
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_function(
        "() => document.querySelector('[data-diary-status]').textContent === 'All entries sent.'"
    )
    diary = page.evaluate("() => fetch('/api/me').then(r => r.json()).then(d => d.diary)")
    assert sorted(e["pain"] for e in diary) == [3, 6]

    # Consent: typed name and a drawn signature.
    page.fill("#typed_name", "Test Client")
    page.locator("canvas.signature").scroll_into_view_if_needed()
    box = page.locator("canvas.signature").bounding_box()
    page.mouse.move(box["x"] + 10, box["y"] + 20)
    page.mouse.down()
    page.mouse.move(box["x"] + 120, box["y"] + 50, steps=8)
    page.mouse.up()
    page.locator("#me-consent button[type=submit]").click()
    page.wait_for_selector("#consent .ok")
    assert "Signed by Test Client" in page.locator("#consent .ok").inner_text()

    # The calendar file for the person's own calendar.
    with page.expect_download() as download:
        page.locator("a[href='/api/me/home-care.ics']").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert "BEGIN:VCALENDAR" in text and "RRULE:FREQ=DAILY" in text
    page.screenshot(path="/tmp/client-phone.png", full_page=True)

    # The therapist sees what came in.
    staff = pages.new(TABLET)
    staff.goto(f"{server.base}/clients/1/link")
    rows = staff.locator("table tbody tr")
    assert rows.count() >= 2
    assert "Test Client" in staff.locator("main").inner_text()
    offline = "ERR_INTERNET_DISCONNECTED"  # the requests made on purpose while offline
    assert not [e for e in pages.errors if offline not in e], pages.errors
