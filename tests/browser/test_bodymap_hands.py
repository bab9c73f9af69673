"""The body map for hands and keyboards: Tab goes over the chart head to foot (the right temple
within a few steps, not 110), a skip link jumps to the ranking, the "Patient's right / left"
captions are readable, on a phone the ranking's top stays in view after a tap, and the
candidate's pattern is a violet hatch over the patient's own colours that can be switched off."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import PHONE, TABLET, Pages

pytestmark = pytest.mark.browser


def open_map(pages: Pages, viewport: dict[str, int]) -> Any:
    context = pages.browser.new_context(viewport=viewport, has_touch=True)
    page = context.new_page()
    pages.opened.append(page)
    page.goto(pages.base + "/bodymap")
    return page


def test_keyboard_goes_over_the_chart_head_to_foot(pages: Pages) -> None:
    page = open_map(pages, TABLET)
    order: list[str] = page.eval_on_selector_all(
        "g.view[data-view=front] path.region", "els => els.map(e => e.id)"
    )
    tops: list[float] = page.eval_on_selector_all(
        "g.view[data-view=front] path.region",
        "els => els.map(e => { const b = e.getBBox(); return b.y + b.height / 2; })",
    )
    assert order.index("temple_r") < 12
    assert order.index("temple_r") < order.index("chest_upper_r") < order.index("knee_medial_r")
    # head to foot, within the 24-unit rows the order is built from
    assert all(b >= a - 24 for a, b in zip(tops, tops[1:], strict=False))
    page.locator(".skip-chart").focus()
    assert page.locator(".skip-chart").is_visible()
    page.keyboard.press("Tab")
    steps = 1
    while page.evaluate("() => document.activeElement.id") != "temple_r" and steps < 20:
        page.keyboard.press("Tab")
        steps += 1
    assert steps < 15, steps
    page.locator(".skip-chart").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "ranking"


@pytest.mark.parametrize("viewport", [TABLET, PHONE], ids=["tablet", "phone"])
def test_side_captions_are_readable(pages: Pages, viewport: dict[str, int]) -> None:
    page = open_map(pages, viewport)
    heights: list[float] = page.eval_on_selector_all(
        "text.side-note tspan",
        "els => els.filter(e => e.getBoundingClientRect().width > 0)"
        ".map(e => e.getBoundingClientRect().height)",
    )
    assert heights and min(heights) >= 11, heights


def test_on_a_phone_the_ranking_stays_in_view_after_a_tap(pages: Pages) -> None:
    page = open_map(pages, PHONE)
    page.locator("#temple_r").tap()
    page.wait_for_selector(".cand", state="attached")
    summary = page.locator("[data-summary]")
    summary.wait_for(state="visible")
    box = summary.bounding_box()
    assert box is not None and box["y"] + box["height"] <= PHONE["height"] + 1
    top = page.locator(".cand .cand-name").first.inner_text().split("\n")[0]
    assert top in summary.inner_text()


def test_candidate_pattern_is_a_hatch_that_can_be_switched_off(pages: Pages) -> None:
    page = open_map(pages, TABLET)
    page.locator("#temple_r").click()
    page.wait_for_selector(".cand")
    page.locator(".cand").first.click()
    hatch = page.locator("g.overlay path.hatch.ov-ess")
    assert hatch.count() >= 1
    # the patient's own colour stays on the region under the hatch
    fill = page.locator("#temple_r").evaluate("e => getComputedStyle(e).fill")
    assert fill != "none" and "url" not in fill
    page.locator("[data-show-pattern]").uncheck()
    assert page.locator("g.overlay path.hatch").count() == 0
    page.locator("[data-show-pattern]").check()
    assert page.locator("g.overlay path.hatch").count() >= 1
