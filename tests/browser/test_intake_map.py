"""Intake region questions answered on the body map, at tablet and phone size: the chart opens
under the question, a tap marks a region and a second tap takes it away, a tap beside a small
region still reaches it (or offers it by name), the keyboard works, the typed list stays as the
fallback and shows on the chart, errors stay at the question, and the saved answer holds the
region ids."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.browser.conftest import PHONE, TABLET, Pages
from tests.browser.test_accessibility import axe_source, violations  # noqa: F401  (fixture)
from tests.browser.test_intake_steps import go_to, new_client

pytestmark = pytest.mark.browser


def tap_middle(page: Any, region: str, dx: float = 0, dy: float = 0) -> None:
    loc = page.locator(f"#{region}")
    loc.scroll_into_view_if_needed()
    box = loc.bounding_box()
    assert box is not None and box["width"] > 0, region
    page.touchscreen.tap(box["x"] + box["width"] / 2 + dx, box["y"] + box["height"] / 2 + dy)


def chips(q: Any) -> list[str]:
    texts: list[str] = q.locator("[data-chips] li").all_inner_texts()
    return texts


@pytest.mark.parametrize("size", ["tablet", "phone"])
def test_region_questions_are_answered_on_the_body_map(pages: Pages, size: str) -> None:
    viewport = TABLET if size == "tablet" else PHONE
    context = pages.browser.new_context(
        viewport=viewport, has_touch=True, is_mobile=size == "phone"
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.on("pageerror", lambda e: pages.errors.append(str(e)))
    pages.opened.append(page)
    cid = new_client(page, pages.base, f"Map intake {size}")
    page.goto(f"{pages.base}/clients/{cid}/intake")
    assert page.locator("[data-intake-map]").is_hidden()

    skin = go_to(page, "skin_regions")
    opener = skin.locator("[data-map]")
    box = opener.bounding_box()
    assert box is not None and box["height"] >= 44
    opener.click()
    assert opener.get_attribute("aria-expanded") == "true"
    chart = skin.locator("[data-intake-map] svg.chart")
    chart.wait_for(state="visible")
    assert question_text(page) in skin.locator("[data-map-for]").inner_text()
    if size == "phone":  # one view at a time on a phone, the front first
        assert skin.locator("[data-show=front]").get_attribute("aria-pressed") == "true"
        assert (
            page.evaluate(
                "() => document.getElementById('scapula_medial_l').getBoundingClientRect().width"
            )
            == 0
        )

    tap_middle(page, "shin_l")
    page.wait_for_function("() => document.getElementById('shin_l').ariaPressed === 'true'")
    assert chips(skin) == ["Left shin ✕"]
    tap_middle(page, "shin_l")  # a second tap takes it away
    page.wait_for_function("() => document.getElementById('shin_l').ariaPressed === 'false'")
    assert chips(skin) == []

    # the smallest region of the face, tapped a few pixels beside it, is still reached
    small = page.evaluate(
        """() => [...document.querySelectorAll('[data-intake-map] path.region')]
             .map(p => [p.id, p.getBoundingClientRect()])
             .filter(([, r]) => r.width > 0 && r.top > 0 && r.bottom < innerHeight)
             .map(([id, r]) => [id, Math.max(r.width, r.height)])
             .filter(([, s]) => s < 14).sort((a, b) => a[1] - b[1])[0]"""
    )
    if small is None:  # scrolled away: bring the head into view
        skin.locator("[data-map-for]").scroll_into_view_if_needed()
        small = page.evaluate(
            """() => [...document.querySelectorAll('[data-intake-map] path.region')]
                 .map(p => [p.id, p.getBoundingClientRect()]).filter(([, r]) => r.width > 0)
                 .map(([id, r]) => [id, Math.max(r.width, r.height)])
                 .filter(([, s]) => s < 14).sort((a, b) => a[1] - b[1])[0]"""
        )
    assert small is not None, "the chart has regions under 14 px"
    rid = small[0]
    tap_middle(page, rid, dx=small[1] / 2 + 3)
    picker = skin.locator(".bm-picker")
    if picker.is_visible():
        picker.locator(f"button[data-pick={rid}]").tap()
    page.wait_for_function(f"() => document.getElementById({rid!r}).ariaPressed === 'true'")
    assert len(chips(skin)) == 1

    # the keyboard: Enter on a focused region marks it, with no error about typing
    page.locator("#shin_r").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.getElementById('shin_r').ariaPressed === 'true'")
    assert skin.locator(".q-error").is_hidden()

    # the typed list is still there and what it adds shows on the chart
    skin.locator("input").fill("left upper calf")
    skin.locator("[data-add]").click()
    assert "Left upper calf ✕" in chips(skin)
    skin.locator("input").fill("no such place")
    skin.locator("[data-add]").click()
    error = skin.locator(".q-error")
    assert error.is_visible() and "not a body region" in error.inner_text()
    assert "_" not in error.inner_text()
    skin.locator("[data-map-done]").click()
    assert page.locator("[data-intake-map]").is_hidden()
    assert opener.get_attribute("aria-expanded") == "false"

    # another question opens the same chart with its own answer
    inflamed = go_to(page, "inflamed_regions")
    inflamed.locator("[data-map]").click()
    inflamed.locator("[data-intake-map] svg.chart").wait_for(state="visible")
    assert page.evaluate("() => document.getElementById('shin_l').ariaPressed") == "false"
    assert page.evaluate("() => document.getElementById('shin_r').ariaPressed") == "false"
    tap_middle(page, "shin_r")
    page.wait_for_function("() => document.getElementById('shin_r').ariaPressed === 'true'")
    assert chips(inflamed) == ["Right shin ✕"]
    marked = {rid, "shin_r", "calf_upper_l"}

    for _ in range(12):
        if page.locator("[data-save]").is_visible():
            break
        page.locator("#intake-form [data-next]").click()
    page.locator("[data-save]").click()
    page.wait_for_selector("#intake-result:not([hidden])")
    page.goto(f"{pages.base}/clients/{cid}/intake")
    saved = json.loads(page.locator("#intake-review").get_attribute("data-answers") or "{}")
    assert set(saved["skin_regions"]) == marked
    assert saved["inflamed_regions"] == ["shin_r"]
    assert pages.errors == []


def question_text(page: Any) -> str:
    text: str = page.locator(".q[data-id=skin_regions] .q-text").first.inner_text()
    return text


@pytest.mark.parametrize("size", ["tablet", "phone"])
def test_the_open_body_map_of_a_question_has_no_axe_violation(
    pages: Pages,
    axe_source: str,  # noqa: F811
    size: str,
) -> None:
    context = pages.browser.new_context(
        viewport=TABLET if size == "tablet" else PHONE, has_touch=True, bypass_csp=True
    )
    page = context.new_page()
    pages.opened.append(page)
    cid = new_client(page, pages.base, f"Map axe {size}")
    page.goto(f"{pages.base}/clients/{cid}/intake")
    skin = go_to(page, "skin_regions")
    skin.locator("[data-map]").click()
    skin.locator("[data-intake-map] svg.chart").wait_for(state="visible")
    tap_middle(page, "shin_l")
    page.wait_for_function("() => document.getElementById('shin_l').ariaPressed === 'true'")
    assert violations(page, axe_source) == []
