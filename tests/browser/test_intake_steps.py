"""The stepped intake at tablet and phone size: one section at a time with progress, Yes/No
buttons of finger size, "None of these", follow-ups only when called for, regions from the body
map's list, errors at the question in plain words, and the last intake offered for review."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import ARTIFACTS, PHONE, TABLET, Pages

pytestmark = pytest.mark.browser


def new_client(page: Any, base: str, name: str) -> int:
    page.goto(base + "/clients")
    page.fill("input[name=display_name]", name)
    page.fill("input[name=birth_year]", "1950")
    page.click("text=Add client")
    page.wait_for_url(re.compile(r"/clients/\d+$"))
    return int(page.url.rsplit("/", 1)[1])


def next_section(page: Any) -> None:
    page.locator("#intake-form [data-next]").click()


def go_to(page: Any, question: str) -> Any:
    q = page.locator(f"#intake-form .q[data-id={question}]")
    for _ in range(12):
        if q.is_visible():
            return q
        next_section(page)
    raise AssertionError(f"question {question} never shown")


@pytest.mark.parametrize("size", ["tablet", "phone"])
def test_stepped_intake_with_follow_ups_regions_errors_and_review(pages: Pages, size: str) -> None:
    page = pages.new(TABLET if size == "tablet" else PHONE)
    cid = new_client(page, pages.base, f"Stepped intake {size}")
    page.goto(f"{pages.base}/clients/{cid}/intake")
    assert page.locator("#intake-form .step:visible").count() == 1
    assert page.locator("#intake-form select").count() <= 5  # no wall of yes/no dropdowns
    progress = page.locator("[data-progress-text]")
    assert progress.inner_text().startswith("Section 1 of ")
    total_sections = int(re.search(r"of (\d+)", progress.inner_text()).group(1))  # type: ignore[union-attr]
    # meningitis follow-ups are not asked until fever is answered yes
    assert page.locator(".q[data-id=neck_stiff_bending]").count() == 1
    assert page.locator(".q[data-id=neck_stiff_bending]").is_hidden()

    age = go_to(page, "age")
    age.locator("input").fill("200")  # out of range: the error is shown at the question
    fever = go_to(page, "fever")
    fever.locator("[data-answer=yes]").click()
    assert fever.locator("[data-answer=yes]").get_attribute("aria-pressed") == "true"
    box = fever.locator("[data-answer=no]").bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44
    # "None of these" answers the rest of the section No, leaving nothing unanswered
    page.locator(".step:visible [data-none]").click()
    assert fever.locator("[data-answer=no]").get_attribute("aria-pressed") == "true"
    fever.locator("[data-answer=yes]").click()
    after = int(re.search(r"of (\d+)", progress.inner_text()).group(1))  # type: ignore[union-attr]
    # the follow-up section appears only now that fever is yes
    page.wait_for_function("() => !document.querySelector('.q[data-id=neck_stiff_bending]').hidden")
    assert int(re.search(r"of (\d+)", progress.inner_text()).group(1)) >= after  # type: ignore[union-attr]
    assert total_sections >= 2

    skin = go_to(page, "skin_regions")
    page.locator(".step:visible [data-none]").click()  # no region anywhere: "None" chosen
    assert skin.locator("[data-chips]").inner_text() == "None"
    skin.locator("input").fill("left calf")  # two regions match: the person chooses
    skin.locator("[data-add]").click()
    assert "Left upper calf" in skin.locator(".q-error").inner_text()
    skin.locator("input").fill("left upper calf")
    skin.locator("[data-add]").click()
    assert skin.locator("[data-chips] li").all_inner_texts() == ["Left upper calf ✕"]
    skin.locator("input").fill("no such place")
    skin.locator("[data-add]").click()
    assert "not a body region" in skin.locator(".q-error").inner_text()

    neck = go_to(page, "neck_stiff_bending")
    neck.locator("[data-answer=no]").click()
    for _ in range(12):
        if page.locator("[data-save]").is_visible():
            break
        next_section(page)
    page.locator("[data-save]").click()
    err = age.locator(".q-error")
    err.wait_for(state="visible")
    assert age.is_visible()
    text = err.inner_text()
    assert "age" not in re.findall(r"'([a-z_]+)'", text)
    assert "_" not in text
    page.screenshot(path=str(ARTIFACTS / f"intake-error-{size}.png"), full_page=False)

    age.locator("input").fill("75")
    for _ in range(12):
        if page.locator("[data-save]").is_visible():
            break
        next_section(page)
    page.locator("[data-save]").click()
    page.wait_for_selector("#intake-result:not([hidden])")

    # the next intake offers this one for review, with its date, prefilled
    page.goto(f"{pages.base}/clients/{cid}/intake")
    review = page.locator("#intake-review")
    assert re.search(r"\d{4}-\d\d-\d\d", review.inner_text())
    page.screenshot(path=str(ARTIFACTS / f"intake-review-{size}.png"), full_page=True)
    review.locator("[data-use-last]").click()
    assert page.locator(".step:visible .still-true").is_visible()
    fever = go_to(page, "fever")
    assert fever.locator("[data-answer=yes]").get_attribute("aria-pressed") == "true"
    skin = go_to(page, "skin_regions")
    assert "calf" in skin.locator("[data-chips]").inner_text().lower()
    page.screenshot(path=str(ARTIFACTS / f"intake-step-{size}.png"), full_page=True)
    # the one refused save (age 200) is the only failed request
    assert pages.errors == [
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    ]
