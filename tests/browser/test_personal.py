"""Personal mode on a phone-sized screen: / opens the person's own page, they answer the
safety questions, tap the pain on the body chart and see only self-care-safe trigger points
with how to press them and a picture; a red flag shows the advice and no pressure."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import PHONE, Pages, Server, start_server
from tests.browser.test_client_path import _answer_all_no

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def personal_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from start_server(
        tmp_path_factory.mktemp("personal"), demo=False, extra_env={"MYOMAP_PERSONAL": "true"}
    )


def _tap(page: Any, region: str) -> None:
    page.locator(f'[data-points-chart] path[data-region="{region}"]').click(force=True)


def test_personal_mode_on_a_phone(chrome: Any, personal_server: Server) -> None:
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
    _tap(page, "neck_back_r")
    assert "Marked:" in page.locator("[data-marked]").inner_text()
    page.locator("[data-find]").click()
    page.wait_for_selector("[data-points] li.point")
    first = page.locator("[data-points] li.point").first
    assert "Press with" in first.inner_text() and "Hold" in first.inner_text()
    assert page.locator("[data-points] .pose-pic svg").count() >= 1
    assert page.locator("#advice").is_hidden()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1  # nothing runs off a phone screen

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
