"""Undo for measures at tablet and phone size: a measure saved on a draft visit is taken back
from the measures page at once (no reload), and from the visit page's list with *Remove*; a
measure not linked to a visit offers no undo there."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import PHONE, TABLET, Pages
from tests.browser.test_measures_form import measurements
from tests.browser.test_room import new_client_visit, open_page, refreshed, wait_refreshed

pytestmark = pytest.mark.browser


def save_nrs(page: Any, value: int) -> Any:
    page.select_option("#instrument-choice", "nrs")
    form = page.locator("form[data-instrument=nrs]")
    form.locator(f"[data-item='0'] input[value='{value}']").check()
    page.wait_for_function(
        "() => document.querySelector('form[data-instrument=nrs] [data-total]')"
        f".textContent.includes('Total: {value}')"
    )
    form.locator("[data-review]").click()
    form.locator("[data-save]").click()
    form.locator("[data-saved]").wait_for(state="visible")
    page.wait_for_function(
        "() => document.querySelector('form[data-instrument=nrs] [data-saved]')"
        ".textContent.startsWith('Saved')"
    )
    return form


@pytest.mark.parametrize("size", ["tablet", "phone"])
def test_a_measure_saved_on_a_draft_visit_can_be_undone(pages: Pages, size: str) -> None:
    page = open_page(pages, size)
    cid, vid = new_client_visit(page, pages.base, f"Measure undo {size}")
    page.goto(f"{pages.base}/clients/{cid}/measures?visit={vid}")
    page.evaluate("() => { window.__sameDocument = true; }")
    form = save_nrs(page, 7)
    assert [m["total"] for m in measurements(pages.base, cid)] == [7]
    undo = form.locator("[data-undo-measure]")
    assert undo.is_visible()
    box = undo.bounding_box()
    assert box is not None and box["height"] >= 44 and box["width"] >= 44
    undo.tap()
    page.wait_for_function(
        "() => document.querySelector('form[data-instrument=nrs] [data-saved]')"
        ".textContent.startsWith('Removed')"
    )
    assert undo.is_hidden()
    assert measurements(pages.base, cid) == []
    assert page.evaluate("() => window.__sameDocument") is True  # no reload

    # not linked to a visit: saved, with nothing to undo here
    page.select_option("#visit-choice", "none")
    form = save_nrs(page, 3)
    assert form.locator("[data-undo-measure]").is_hidden()
    assert [m["visit_id"] for m in measurements(pages.base, cid)] == [None]

    # on the visit page the visit's measures are listed and removed in place
    page.select_option("#visit-choice", str(vid))
    save_nrs(page, 5)
    page.goto(f"{pages.base}/visits/{vid}")
    part = page.locator("[data-part=measurements]")
    assert "Pain NRS: total 5" in part.inner_text()
    page.evaluate("() => { window.__sameDocument = true; }")
    before = refreshed(page)
    remove = part.locator("button[data-delete]")
    remove.scroll_into_view_if_needed()
    remove.tap()
    wait_refreshed(page, before)
    assert "None recorded" in page.locator("[data-part=measurements]").inner_text()
    assert page.evaluate("() => window.__sameDocument") is True
    assert [m["visit_id"] for m in measurements(pages.base, cid)] == [None]
    assert pages.errors == []


def test_a_signed_visits_measures_have_no_remove(pages: Pages) -> None:
    page = pages.new(TABLET)
    page.goto(pages.base + "/visits/1")  # the demo's signed visit
    assert page.locator("[data-part=measurements] button[data-delete]").count() == 0
    phone = pages.new(PHONE)
    phone.goto(pages.base + "/visits/1")
    assert phone.locator("h3", has_text="Measures").count() == 1
