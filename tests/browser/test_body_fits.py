"""The whole body fits a landscape tablet (1024x768) on load, on every page with the body chart:
the body map (and home page), a draft visit with its plan, a new visit offered the last
drawing and a signed visit under a screening warning. An upright tablet
(768x1024) and a phone keep the chart under the page and the ranking in view after a tap."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import PHONE, TABLET, Pages
from tests.browser.test_room import call, new_client_visit, open_page

pytestmark = pytest.mark.browser

UPRIGHT = {"width": 768, "height": 1024}

# Where the lowest regions of the chart end and how big the chart is, as laid out on load.
FEET = """() => {
  const svg = document.querySelector('svg.chart');
  const rect = svg.getBoundingClientRect();
  const parts = [...svg.querySelectorAll('path.region')]
    .map(p => p.getBoundingClientRect()).filter(r => r.width > 0);
  return {top: rect.top, height: rect.height, width: rect.width,
          feet: Math.max(...parts.map(r => r.bottom)), head: Math.min(...parts.map(r => r.top)),
          scrolled: window.scrollY, views: parts.length};
}"""


def on_load(page: Any, url: str) -> dict[str, float]:
    page.goto(url)
    page.wait_for_function("() => document.querySelector('[data-bodymap]')?.bodymap")
    found: dict[str, float] = page.evaluate(FEET)
    return found


def test_the_whole_body_fits_a_landscape_tablet_on_every_chart_page(pages: Pages) -> None:
    page = open_page(pages, "tablet")
    cid, draft = new_client_visit(page, pages.base, "Fits Tablet")
    drawing = {"format": "myomap.drawing/1", "areas": [{"regions": ["temple_r"], "intensity": 6}]}
    assert (
        call(page, "POST", f"/api/visits/{draft}/drawings", {"drawing": drawing})["status"] == 201
    )
    offered = call(page, "POST", f"/api/clients/{cid}/visits", {"another": True})["data"]["id"]
    urls = {
        "body map": "/bodymap",
        "home page (the body map)": "/",
        "draft visit with a plan": f"/visits/{draft}",
        "new visit offered the last drawing": f"/visits/{offered}",
        "signed demo visit with a screening warning": "/visits/1",
    }
    for name, path in urls.items():
        got = on_load(page, pages.base + path)
        assert got["scrolled"] == 0, name
        assert got["views"] >= 180, (name, got)  # front and back, every region laid out
        assert got["head"] >= 0, (name, got)
        assert got["feet"] <= TABLET["height"], (name, got)
        # fitting is not shrinking to a stamp: the body stays at least half the screen tall
        assert got["feet"] - got["head"] >= TABLET["height"] / 2, (name, got)
    body_map = on_load(page, pages.base + "/bodymap")
    assert body_map["height"] >= 0.7 * TABLET["height"], body_map


@pytest.mark.parametrize("viewport", [UPRIGHT, PHONE], ids=["upright tablet", "phone"])
def test_upright_tablet_and_phone_keep_the_ranking_in_view_after_a_tap(
    pages: Pages, viewport: dict[str, int]
) -> None:
    context = pages.browser.new_context(
        viewport=viewport, has_touch=True, is_mobile=viewport is PHONE
    )
    page = context.new_page()
    pages.opened.append(page)
    got = on_load(page, pages.base + "/bodymap")
    assert got["height"] >= 0.5 * viewport["height"], got  # the chart keeps its phone size
    page.locator("#temple_r").scroll_into_view_if_needed()
    page.locator("#temple_r").tap()
    page.wait_for_selector(".cand", state="attached")
    summary = page.locator("[data-summary]")
    summary.wait_for(state="visible")
    box = summary.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"] + 1
    top = page.locator(".cand .cand-name").first.inner_text().split("\n")[0]
    assert top in summary.inner_text()
