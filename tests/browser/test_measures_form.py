"""Measures as the instruments are, at tablet and phone size: the chosen questionnaire's own
items and answer options, a live total from the server's scoring rules, a confirmation, and an
explicit visit choice (the stored total equals the shown one)."""

from __future__ import annotations

import json
import re
import urllib.request
from typing import Any

import pytest

from tests.browser.conftest import ARTIFACTS, PHONE, TABLET, Pages

pytestmark = pytest.mark.browser


def new_client(page: Any, base: str, name: str) -> int:
    page.goto(base + "/clients")
    page.fill("input[name=display_name]", name)
    page.fill("input[name=birth_year]", "1980")
    page.click("text=Add client")
    page.wait_for_url(re.compile(r"/clients/\d+$"))
    return int(page.url.rsplit("/", 1)[1])


def measurements(base: str, cid: int) -> list[dict[str, Any]]:
    with urllib.request.urlopen(f"{base}/api/clients/{cid}", timeout=10) as r:
        return list(json.loads(r.read())["measurements"])


@pytest.mark.parametrize("size", ["tablet", "phone"])
def test_gad7_with_wording_live_total_confirmation_and_visit(pages: Pages, size: str) -> None:
    page = pages.new(TABLET if size == "tablet" else PHONE)
    cid = new_client(page, pages.base, f"Measures {size}")
    page.click("text=Start a visit")
    page.wait_for_url(re.compile(r"/visits/\d+$"))
    visit_id = int(page.url.rsplit("/", 1)[1])
    page.goto(f"{pages.base}/clients/{cid}/measures")
    page.select_option("#instrument-choice", "gad7")
    form = page.locator("form[data-instrument=gad7]")
    assert form.is_visible() and page.locator("form.measure:visible").count() == 1
    assert "Trouble relaxing" in form.inner_text()
    assert "More than half the days" in form.inner_text()
    box = form.locator(".option").first.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44

    # answers given one by one: the total appears when complete and follows each change
    for n, value in enumerate([1, 2, 0, 3, 1, 2]):
        form.locator(f"[data-item='{n}'] input[value='{value}']").check()
    total = form.locator("[data-total]")
    page.wait_for_function(
        "() => document.querySelector('form[data-instrument=gad7] [data-total]')"
        ".textContent.includes('6 of 7')"
    )
    form.locator("[data-item='6'] input[value='3']").check()
    page.wait_for_function(
        "() => document.querySelector('form[data-instrument=gad7] [data-total]')"
        ".textContent.includes('12')"
    )
    shown = total.inner_text()
    assert shown == "Total: 12 (moderate)"

    # no visit chosen: nothing is saved and the choice is asked for
    form.locator("[data-review]").click()
    assert "Choose the visit" in page.locator("[data-visit-error]").inner_text()
    assert form.locator("[data-confirm]").is_hidden()
    page.select_option("#visit-choice", str(visit_id))
    form.locator("[data-review]").click()
    summary = form.locator("[data-summary]")
    summary.wait_for(state="visible")
    assert "total 12 (moderate)" in summary.inner_text() and "visit of" in summary.inner_text()
    page.screenshot(path=str(ARTIFACTS / f"measures-confirm-{size}.png"), full_page=True)
    assert measurements(pages.base, cid) == []
    form.locator("[data-save]").click()
    form.locator("[data-saved]:has-text('Saved GAD-7')").wait_for()
    stored = measurements(pages.base, cid)
    assert [(m["instrument"], m["total"], m["visit_id"]) for m in stored] == [
        ("gad7", 12, visit_id)
    ]

    # a licence-restricted instrument says so and falls back to numbered items with the range
    page.select_option("#instrument-choice", "pss4")
    pss = page.locator("form[data-instrument=pss4]")
    assert "licensed copy" in pss.locator("[data-no-wording]").inner_text()
    assert "Item 1 (0–4)" in pss.inner_text()
    page.select_option("#visit-choice", "none")
    for n, value in enumerate([4, 4, 0, 2]):  # items 2 and 3 reverse-scored: 4 + 0 + 4 + 2
        pss.locator(f"[data-item='{n}'] input[value='{value}']").check()
    page.wait_for_function(
        "() => document.querySelector('form[data-instrument=pss4] [data-total]')"
        ".textContent.startsWith('Total: 10')"
    )
    pss.locator("[data-review]").click()
    pss.locator("[data-summary]").wait_for(state="visible")
    assert "not linked to a visit" in pss.locator("[data-summary]").inner_text()
    pss.locator("[data-save]").click()
    pss.locator("[data-saved]:has-text('Saved PSS-4')").wait_for()
    last = measurements(pages.base, cid)[-1]
    assert (last["instrument"], last["total"], last["visit_id"]) == ("pss4", 10, None)
    page.screenshot(path=str(ARTIFACTS / f"measures-pss4-{size}.png"), full_page=True)
    assert not pages.errors
