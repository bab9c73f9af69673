"""The client draws their pain on a phone: in the intake and in diary entries (online and
offline), on the staff body map mounted for fingers in a full-screen sheet; the drawings arrive
with what they belong to and the therapist's client page shows the newest one.

Screenshots at phone and tablet size go to ``artifacts/client-drawing``; axe-core checks the
client's page with the sheet open and the therapist's page with the drawing.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import ARTIFACTS, PHONE, TABLET, Pages, Server
from tests.browser.test_accessibility import axe_source, violations  # noqa: F401
from tests.browser.test_client_path import _answer_all_no, _link

pytestmark = pytest.mark.browser

CLIENT = 3  # a demo client no other browser test writes to
SHOTS = ARTIFACTS / "client-drawing"


def tap_region(page: Any, rid: str) -> None:
    """A tap (mouse click) on a point inside the region, as a finger would land on it."""
    path = page.locator(f'[data-me-bodymap] path.region[data-region="{rid}"]')
    path.scroll_into_view_if_needed()
    x, y = path.evaluate(
        """p => { const b = p.getBBox(); const m = p.getScreenCTM();
          for (let i = 0; i <= 10; i++) for (let j = 0; j <= 10; j++) {
            const q = new DOMPoint(b.x + b.width * (0.5 + (i % 2 ? 1 : -1) * i / 22),
                                   b.y + b.height * (0.5 + (j % 2 ? 1 : -1) * j / 22));
            if (p.isPointInFill(q)) { const s = q.matrixTransform(m); return [s.x, s.y]; } }
          return null; }"""
    )
    page.mouse.click(x, y)


def draw_stroke(page: Any, scope: str, rid: str) -> None:
    """Switch to drawing and paint a short stroke down the middle of a region with the finger."""
    page.locator(f"{scope} [data-mode=draw]").click()
    region = page.locator(f'{scope} path.region[data-region="{rid}"]')
    region.scroll_into_view_if_needed()
    box = region.bounding_box()
    x = box["x"] + box["width"] / 2
    page.mouse.move(x, box["y"] + box["height"] * 0.25)
    page.mouse.down()
    page.mouse.move(x, box["y"] + box["height"] * 0.75, steps=6)
    page.mouse.up()
    page.locator(f"{scope} [data-mode=tap]").click()


def axe_in(pages: Pages, page: Any, source: str, open_sheet: bool = False) -> list[str]:
    """axe-core on the same page and session, in a context that lets the checker's script in."""
    context = pages.browser.new_context(
        viewport=page.viewport_size, has_touch=True, bypass_csp=True
    )
    context.add_cookies(page.context.cookies())
    twin = context.new_page()
    pages.opened.append(twin)
    twin.goto(page.url)
    twin.wait_for_load_state("networkidle")
    if open_sheet:
        twin.locator('[data-draw-field="diary"] [data-draw-open]').click()
    return violations(twin, source)


def marked(page: Any, field: str) -> str:
    text: str = page.locator(f'[data-draw-field="{field}"] [data-draw-summary]').inner_text()
    return text


def test_the_client_draws_in_the_intake_and_the_diary(
    pages: Pages,
    server: Server,
    axe_source: str,  # noqa: F811
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = pages.new(PHONE)
    page.goto(_link(server, CLIENT))
    assert page.url.endswith("/me")
    assert marked(page, "intake") == "Nothing marked yet."

    # The intake's drawing: a tap on the right thigh and a stroke over the left thigh.
    page.locator('[data-draw-field="intake"] [data-draw-open]').click()
    sheet = page.locator("#me-draw")
    assert sheet.is_visible()
    assert "safety answers" in sheet.locator("[data-draw-for]").inner_text()
    chart = sheet.locator("svg.chart").bounding_box()
    assert chart["width"] >= 300  # the chart takes the phone's width
    buttons = sheet.locator("button:visible")
    small = [
        b.inner_text()
        for b in buttons.all()
        if (box := b.bounding_box()) is not None and box["height"] < 44
    ]
    assert not small, small  # every control is a fingertip target
    tap_region(page, "thigh_front_r")
    assert (
        sheet.locator('path[data-region="thigh_front_r"]').get_attribute("aria-pressed") == "true"
    )
    draw_stroke(page, "#me-draw", "thigh_front_l")
    assert sheet.locator("polyline.stroke").count() == 1
    page.screenshot(path=str(SHOTS / "sheet-phone.png"))
    sheet.locator("[data-draw-done]").click()
    assert not sheet.is_visible()
    assert marked(page, "intake") == "Marked: Right front of the thigh; 1 painted stroke."

    page.fill("#me-intake [data-id=age] input", "52")
    _answer_all_no(page)
    with page.expect_response("**/api/me/intake") as sent:
        page.locator("#me-intake button[type=submit]").click()
    assert sent.value.status == 201
    body = sent.value.request.post_data_json
    assert body["drawing"]["areas"][0]["regions"] == ["thigh_front_r"]
    assert body["drawing"]["areas"][0]["strokes"][0]["view"] == "front"
    page.wait_for_selector("#advice:not([hidden])")

    # A diary entry online, with the place drawn.
    page.locator("#pain").fill("5")
    page.locator('[data-draw-field="diary"] [data-draw-open]').click()
    assert "Nothing marked" in sheet.locator("[data-me-marked]").inner_text()  # a fresh map
    tap_region(page, "shin_l")
    # A fingertip landing between the small regions of the face: they are offered by name.
    jaw = sheet.locator('path.region[data-region="jaw_r"]')
    jaw.scroll_into_view_if_needed()
    box = jaw.bounding_box()
    page.mouse.click(box["x"] + box["width"] - 2, box["y"] - 10)
    picker = sheet.locator(".bm-picker")
    assert picker.is_visible()
    choices = picker.locator("button[data-pick]")
    assert choices.count() >= 2
    assert all((b.bounding_box() or {"height": 0})["height"] >= 44 for b in choices.all())
    chosen = choices.first.inner_text()
    choices.first.click()
    sheet.locator("[data-draw-done]").click()
    assert marked(page, "diary") == f"Marked: Left shin, {chosen}."
    page.locator("#me-diary button[type=submit]").click()
    page.wait_for_function(
        "() => document.querySelector('[data-diary-status]').textContent === 'Saved.'"
    )
    assert marked(page, "diary") == "Nothing marked yet."  # the next entry starts blank

    # A diary entry offline: kept on the phone with its drawing, sent when back online.
    page.context.set_offline(True)
    page.locator("#pain").fill("2")
    page.locator('[data-draw-field="diary"] [data-draw-open]').click()
    draw_stroke(page, "#me-draw", "thigh_front_r")
    sheet.locator("[data-draw-done]").click()
    page.locator("#me-diary button[type=submit]").click()
    page.wait_for_function(
        "() => document.querySelector('[data-diary-status]').textContent.includes('this phone')"
    )
    waiting = page.evaluate("() => JSON.parse(localStorage.getItem('myomap.diary.queue'))")
    assert [e["pain"] for e in waiting] == [2] and waiting[0]["drawing"]["areas"][0]["strokes"]
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_function(
        "() => document.querySelector('[data-diary-status]').textContent === 'All entries sent.'"
    )
    diary = page.evaluate("() => fetch('/api/me').then(r => r.json()).then(d => d.diary)")
    by_pain = {e["pain"]: e for e in diary}
    assert by_pain[5]["drawing"]["areas"][0]["regions"][0] == "shin_l"
    assert len(by_pain[5]["drawing"]["areas"][0]["regions"]) == 2
    assert by_pain[2]["drawing"]["areas"][0]["strokes"][0]["points"]

    page.reload()
    assert "Where:" in page.locator("[data-diary-list]").inner_text()
    page.screenshot(path=str(SHOTS / "me-phone.png"), full_page=True)
    bad = axe_in(pages, page, axe_source) + axe_in(pages, page, axe_source, open_sheet=True)
    assert not bad, bad
    tablet = pages.new(TABLET)
    tablet.context.add_cookies(page.context.cookies())
    tablet.goto(page.url)
    tablet.screenshot(path=str(SHOTS / "me-tablet.png"), full_page=True)
    tablet.locator('[data-draw-field="diary"] [data-draw-open]').click()
    assert tablet.locator("#me-draw g.view[data-view=back]").is_visible()  # both views at once
    tablet.screenshot(path=str(SHOTS / "sheet-tablet.png"))

    # The therapist's client page shows the newest drawing: the offline entry's stroke.
    for size, name in ((TABLET, "tablet"), (PHONE, "phone")):
        staff = pages.new(size)
        staff.goto(f"{server.base}/clients/{CLIENT}")
        card = staff.locator("[data-own-drawing]")
        assert "with a diary entry" in card.inner_text()
        assert "Right front of the thigh" in card.locator("[data-own-places]").inner_text()
        assert card.locator("svg image.heat").count() == 2  # front and back heat layers
        staff.screenshot(path=str(SHOTS / f"therapist-{name}.png"), full_page=True)
        bad = axe_in(pages, staff, axe_source)
        assert not bad, bad
        # The client-link page's diary says where each entry marked the pain.
        staff.goto(f"{server.base}/clients/{CLIENT}/link")
        where = staff.locator("td[data-where]").all_inner_texts()
        assert "Right front of the thigh" in where[0] and "Left shin" in where[1]
        staff.screenshot(path=str(SHOTS / f"link-{name}.png"), full_page=True)
        bad = axe_in(pages, staff, axe_source)
        assert not bad, bad
    offline = "ERR_INTERNET_DISCONNECTED"
    assert not [e for e in pages.errors if offline not in e], pages.errors
