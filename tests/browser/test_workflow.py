"""The treatment-room loop in Chromium against the real server: draw pain, watch the ranking
change, confirm a trigger point, chart and sign a visit, add measures, see the progress chart,
download the handout, report and FHIR bundle."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import Pages

pytestmark = pytest.mark.browser


def ranking(page: Any) -> list[str]:
    found: list[str] = page.eval_on_selector_all(
        ".cand", "els => els.map(e => e.dataset.trp + ':' + e.dataset.side)"
    )
    return found


def updates(page: Any) -> int:
    return int(page.eval_on_selector("[data-bodymap]", "e => Number(e.dataset.updates || 0)"))


def wait_update(page: Any, since: int) -> None:
    """Wait until the differential has been redrawn after the count ``since``."""
    page.wait_for_function(
        f"() => Number(document.querySelector('[data-bodymap]').dataset.updates || 0) > {since}"
    )


def wait_ranked(page: Any, n: int) -> None:
    word = "region" if n == 1 else "regions"
    page.wait_for_selector(f"[data-status]:has-text('Ranked for {n} marked {word}')")


def press(page: Any, region: str, key: str = "Enter") -> None:
    page.locator(f"#{region}").focus()
    page.keyboard.press(key)


def test_body_map_drawing_updates_the_differential_live(pages: Pages) -> None:
    page = pages.new()
    page.goto(pages.base + "/bodymap")
    page.locator("#temple_r").click()
    wait_ranked(page, 1)
    first = ranking(page)
    assert first, "a ranking appears after one tap"
    assert page.locator("#temple_r").get_attribute("aria-pressed") == "true"

    press(page, "neck_back_r")
    press(page, "shoulder_top_r", " ")
    wait_ranked(page, 3)
    second = ranking(page)
    assert second != first
    assert second[0].startswith("trapezius.")

    # one view at a time (the phone default), then both again; marks are kept
    page.click("button[data-show=back]")
    assert page.locator("g.view[data-view=front]").is_hidden()
    assert page.locator("#neck_back_r").get_attribute("aria-pressed") == "true"
    page.click("button[data-show=both]")
    assert page.locator("g.view[data-view=front]").is_visible()

    # hovering a candidate overlays its zones and its TrP cross
    page.locator(".cand").first.hover()
    assert page.locator("path.region.ov-ess").count() >= 1
    assert page.locator("g.overlay path.mark-x").count() == 1

    # intensity and quality belong to the current area
    page.locator("[data-intensity]").fill("9")
    page.locator("[data-quality]").select_option("burning")
    assert "9/10 burning" in page.locator(".chip.on").inner_text()

    # mirror to the other side, then undo it
    page.locator("[data-action=mirror]").click()
    assert page.locator("#temple_l").get_attribute("aria-pressed") == "true"
    wait_ranked(page, 6)
    page.locator("[data-action=undo]").click()
    assert page.locator("#temple_l").get_attribute("aria-pressed") == "false"
    wait_ranked(page, 3)

    # freehand: a second area painted with the mouse on the back of the left calf
    page.locator("[data-action=new-area]").click()
    page.locator("[data-mode=draw]").click()
    page.locator("#calf_upper_l").scroll_into_view_if_needed()
    box = page.locator("#calf_upper_l").bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.3
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 9):
        page.mouse.move(x + step % 2, y + step * box["height"] * 0.06)
    page.mouse.up()
    drawing = page.evaluate("document.querySelector('[data-bodymap]').bodymap.drawing()")
    strokes = [s for a in drawing["areas"] for s in a["strokes"]]
    assert len(strokes) == 1 and strokes[0]["view"] == "back"
    assert len(strokes[0]["points"]) >= 5
    page.wait_for_function(
        "() => /Ranked for ([4-9]|\\d\\d) marked/.test("
        "document.querySelector('[data-status]').textContent)"
    )
    # the stroke alone, as a drawing, is ranked towards the calf muscles
    page.locator("[data-action=undo]").click()
    page.locator("[data-action=clear]").click()
    page.wait_for_selector(".cand", state="detached")
    since = updates(page)
    page.locator("#calf_upper_l").scroll_into_view_if_needed()
    box = page.locator("#calf_upper_l").bounding_box()  # the page got shorter: measure again
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.3
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 9):
        page.mouse.move(x + step % 2, y + step * box["height"] * 0.06)
    page.mouse.up()
    wait_update(page, since)
    assert any(
        c.startswith(("gastrocnemius", "soleus", "plantaris", "popliteus"))
        for c in ranking(page)[:5]
    ), ranking(page)
    assert not pages.errors


def test_safety_warnings_sit_above_the_muscle_list(pages: Pages) -> None:
    page = pages.new()
    page.goto(pages.base + "/bodymap")
    for rid in ("chest_upper_l", "arm_inner_l", "jaw_l"):
        press(page, rid)
    page.wait_for_selector(".warning[role=alert]")
    warn = page.locator(".warning").first.bounding_box()
    cand = page.locator(".cand").first.bounding_box()
    assert warn is not None and cand is not None
    assert warn["y"] + warn["height"] <= cand["y"]
    assert "heart" in page.locator(".warning").first.inner_text().lower()


def test_client_visit_measures_progress_and_downloads(pages: Pages) -> None:
    page = pages.new()
    base = pages.base
    page.goto(base + "/clients")
    page.fill("input[name=display_name]", "Browser Test Client")
    page.fill("input[name=birth_year]", "1975")
    page.click("text=Add client")
    page.wait_for_url(re.compile(r"/clients/\d+$"))
    client_url = page.url
    client_id = int(client_url.rsplit("/", 1)[1])

    # intake and screening decision
    page.click("text=Intake & screening")
    page.fill(".q[data-id=age] input", "45")
    while not page.locator(".q[data-id=fever]").is_visible():
        page.click("#intake-form [data-next]")
    page.click(".q[data-id=fever] [data-answer=no]")
    while not page.locator("#intake-form [data-save]").is_visible():
        page.click("#intake-form [data-next]")
    page.click("text=Screen and save")
    page.wait_for_selector("#intake-result:not([hidden])")
    assert page.locator("[data-decision]").inner_text() in ("proceed", "modify")

    # a visit: draw, save, confirm a suggested trigger point
    page.goto(client_url)
    page.click("text=Start a visit")
    page.wait_for_url(re.compile(r"/visits/\d+$"))
    visit_url = page.url
    page.locator("#temple_r").click()
    press(page, "neck_back_r")
    wait_ranked(page, 2)
    page.click("#save-drawing")
    page.wait_for_selector("text=1 drawing saved")
    page.wait_for_selector("button:has-text('Treated (')")
    wait_ranked(page, 2)
    top = page.locator(".cand").first
    trp = top.get_attribute("data-trp")
    trp_label = top.locator(".cand-name small").inner_text().split(" · ")[0].strip()
    before = top.locator(".pct").inner_text()
    top.locator("button[data-finding=confirmed]").click()
    page.wait_for_selector(
        f".cand.is-confirmed[data-trp='{trp}'], "
        f".cand[data-trp='{trp}'] .pct:not(:has-text('{before}'))"
    )
    page.reload()
    assert trp_label in page.locator("table").first.inner_text()

    # one-tap treatment from the plan, ROM, PPT
    treated = page.locator("button:has-text('Treated (')").first
    treated.click()
    page.wait_for_selector("text=pressure release")
    page.select_option("select[name=movement]", "neck_rotation")
    page.fill("input[name=degrees]", "70")
    page.click("text=Add ROM")
    page.wait_for_selector("text=Neck rotation (right): 70°")
    page.select_option("select[name=site]", "trapezius")
    page.fill("input[name=trials_kpa]", "300 310 290")
    page.click("text=Add PPT")
    page.wait_for_selector("text=mean 300.0")

    # SOAP, sign, then the note is locked and can only be amended
    page.fill("textarea[name=subjective]", "Headache on the right, worse at the desk.")
    page.fill("textarea[name=assessment]", "Findings fit referred pain from the neck.")
    page.click("text=Save note")
    page.wait_for_selector("[data-note-state]:has-text('Saved at')")
    page.click("#sign")
    page.click("[data-sign-confirm]")
    page.wait_for_selector(".badge.signed")
    assert page.locator(".bm-tools").is_hidden()
    page.click("text=Amend the note")
    page.select_option("select[name=field]", "assessment")
    page.fill("textarea[name=text]", "Findings fit referred pain from the upper trapezius.")
    page.fill("input[name=reason]", "more precise")
    page.click("button:has-text('Amend')")
    page.wait_for_selector("text=As signed: Findings fit referred pain from the neck.")
    assert page.url == visit_url

    # measures over three visits' worth of entries, then the progress chart
    page.goto(f"{base}/clients/{client_id}/measures")
    page.select_option("#instrument-choice", "nrs")
    page.select_option("#visit-choice", "none")
    form = page.locator("form[data-instrument=nrs]")
    for value in ("7", "5", "3"):
        form.locator(f"input[value='{value}']").check()
        form.locator("[data-total]:has-text('Total: " + value + "')").wait_for()
        form.locator("[data-review]").click()
        form.locator("[data-save]").click()
        form.locator(f"[data-saved]:has-text('total {value}')").wait_for()
    page.goto(f"{base}/clients/{client_id}/progress")
    chart = page.locator("figure[data-instrument=nrs]")
    assert chart.locator("circle").count() == 3
    assert chart.locator("polyline").count() == 1

    # downloads: handout PDF, FHIR bundle, and the report when the installation has it
    links = {a.inner_text(): a.get_attribute("href") for a in page.locator("a[download]").all()}
    with page.expect_download() as dl:
        page.click("text=Home-care handout (PDF)")
    path = dl.value.path()
    assert path is not None and Path(path).read_bytes()[:5] == b"%PDF-"
    with page.expect_download() as dl:
        page.click("text=FHIR R4 bundle (JSON)")
    bundle = json.loads(Path(dl.value.path()).read_text(encoding="utf-8"))
    assert bundle["resourceType"] == "Bundle"
    report = next((label for label in links if "report" in label.lower()), None)
    if report is not None:
        with page.expect_download() as dl:
            page.click(f"text={report}")
        assert Path(dl.value.path()).read_bytes()[:5] == b"%PDF-"
    assert not pages.errors
