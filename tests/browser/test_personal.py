"""Personal mode on a phone-sized screen: / opens the person's own page, they answer the
safety questions, tap and draw the pain on the body map and see only self-care-safe trigger
points, ranked, with how to press them and a picture, and keep the drawing in their diary; a
red flag shows the advice and no pressure."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import ARTIFACTS, PHONE, TABLET, Pages, Server, start_server
from tests.browser.test_accessibility import axe_source, violations  # noqa: F401
from tests.browser.test_client_drawing import axe_in, draw_stroke
from tests.browser.test_client_path import _answer_all_no

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def personal_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from start_server(
        tmp_path_factory.mktemp("personal"), demo=False, extra_env={"MYOMAP_PERSONAL": "true"}
    )


def _tap(page: Any, region: str) -> None:
    """Mark a region from the keyboard (Tab to it, Enter), as the map allows without a finger."""
    page.locator(f'[data-me-bodymap] path.region[data-region="{region}"]').focus()
    page.keyboard.press("Enter")


def test_personal_mode_on_a_phone(
    chrome: Any,
    personal_server: Server,
    axe_source: str,  # noqa: F811
) -> None:
    pages = Pages(chrome, personal_server.base)
    page = pages.new(PHONE)
    page.goto(personal_server.base + "/")
    assert page.url.endswith("/me")
    assert page.locator("h1").inner_text() == "Hello, Me"

    page.fill("#me-intake [data-id=age] input", "41")
    _answer_all_no(page)
    page.locator("#me-intake button[type=submit]").click()
    page.wait_for_selector("#advice:not([hidden])")
    assert page.locator("#advice").get_attribute("data-decision") in ("proceed", "modify")

    page.locator("[data-personal-points]").click()
    page.wait_for_url("**/me/points")
    _tap(page, "temple_r")
    page.locator("[data-me-bodymap] [data-show=back]").click()
    draw_stroke(page, "[data-me-bodymap]", "neck_back_r")  # a finger stroke down the neck
    marked = page.locator("[data-me-marked]").inner_text()
    assert marked == "Marked: Right temple; 1 painted stroke.", marked
    with page.expect_response("**/api/me/points") as asked:
        page.locator("[data-find]").click()
    drawing = asked.value.request.post_data_json["drawing"]
    assert drawing["areas"][0]["regions"] == ["temple_r"]
    assert drawing["areas"][0]["strokes"][0]["view"] == "back"
    ranked = [p["trigger_point"] for p in asked.value.json()["points"]]
    page.wait_for_selector("[data-points] li.point")
    shown = page.locator("[data-points] li.point").evaluate_all(
        "els => els.map(e => e.dataset.trp)"
    )
    assert shown == ranked and len(shown) >= 2  # in the ranking's order
    first = page.locator("[data-points] li.point").first
    assert "Press with" in first.inner_text() and "Hold" in first.inner_text()
    assert page.locator("[data-points] .pose-pic svg").count() >= 1
    assert page.locator("#advice").is_hidden()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1  # nothing runs off a phone screen

    # The diary keeps where it hurt.
    assert page.locator("#keep-pain").input_value() == "6"  # the worst pain drawn
    page.fill("#keep-note", "after a long drive")
    page.locator("[data-keep-form] button[type=submit]").click()
    page.wait_for_function(
        "() => document.querySelector('[data-keep-status]').textContent.includes('drawing')"
    )
    diary = page.evaluate("() => fetch('/api/me').then(r => r.json()).then(d => d.diary)")
    assert len(diary) == 1 and diary[0]["pain"] == 6
    assert diary[0]["drawing"] == drawing
    shots = ARTIFACTS / "client-drawing"
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / "personal-phone.png"), full_page=True)
    bad = axe_in(pages, page, axe_source)
    assert not bad, bad
    wide = pages.new(TABLET)
    wide.context.add_cookies(page.context.cookies())
    wide.goto(personal_server.base + "/me/points")
    wide.screenshot(path=str(shots / "personal-tablet.png"), full_page=True)
    bad = axe_in(pages, wide, axe_source)
    assert not bad, bad
    page.goto(personal_server.base + "/me")
    assert "Right temple" in page.locator("[data-diary-where]").inner_text()

    # A red flag in the safety answers: the advice, and no pressure instructions.
    page.goto(personal_server.base + "/me")
    _answer_all_no(page)
    flag = page.locator("#me-intake [data-id=saddle_numbness] [data-answer=yes]")
    flag.evaluate("b => b.closest('.step').hidden = false")
    flag.click()
    page.locator("#me-intake [data-id=bladder_change] [data-answer=yes]").click()
    page.locator("#me-intake button[type=submit]").click()
    page.wait_for_function(
        "() => document.querySelector('#advice').dataset.decision === 'emergency'"
    )
    page.goto(personal_server.base + "/me/points")
    _tap(page, "temple_r")
    page.locator("[data-find]").click()
    page.wait_for_selector("#advice:not([hidden])")
    assert "emergency number" in page.locator("#advice").inner_text()
    assert page.locator("[data-points] li.point").count() == 0
    # The staff view of the same records (open local mode): the today list flags it.
    page.goto(personal_server.base + "/clients")
    row = page.locator("[data-own-pages] li[data-client]").first
    assert "red flag: emergency" in row.inner_text()
    assert "consent missing" in row.inner_text()
    page.goto(personal_server.base + "/clients/1")
    assert page.locator("[data-client-red-flag]").count() == 1
    assert not [e for e in pages.errors if "favicon" not in e]
    for p in pages.opened:
        p.context.close()
