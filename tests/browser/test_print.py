"""A visit note prints clean: the note, the chart, findings and treatments, without the menu,
buttons, forms or the ranking, on as few pages as the content needs."""

from __future__ import annotations

import subprocess
from typing import Any

import pytest

from tests.browser.conftest import ARTIFACTS, Pages
from tests.browser.test_room import call, chart_one, new_client_visit, open_page

pytestmark = pytest.mark.browser


def visible(page: Any, selector: str) -> int:
    return int(
        page.evaluate(
            """(sel) => [...document.querySelectorAll(sel)].filter(e => {
             const r = e.getBoundingClientRect();
             return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden';
           }).length""",
            selector,
        )
    )


@pytest.mark.parametrize("signed", [False, True])
def test_printed_visit_note_has_no_screen_chrome(pages: Pages, signed: bool) -> None:
    page = open_page(pages, "tablet")
    _, vid = new_client_visit(page, pages.base, f"Print {signed}")
    chart_one(page, pages.base, vid)
    page.locator("button:has-text('Treated (')").first.click()
    page.wait_for_selector("[data-part=treatments] li:not(.muted)")
    page.fill("textarea[name=subjective]", "Printed subjective text.")
    page.wait_for_selector("[data-note-state]:has-text('Saved at')")
    if signed:
        assert call(page, "POST", f"/api/visits/{vid}/sign", {"confirm": True})["status"] == 200
        page.reload()
    page.emulate_media(media="print")
    for chrome in (
        "header.top",
        "footer",
        "button",
        "form",
        "select",
        "textarea",
        ".bm-results",
        ".crumbs",
        "details",
    ):
        assert visible(page, chrome) == 0, chrome
    text = page.locator("main").inner_text()
    assert "Printed subjective text." in text
    assert "Print " + str(signed) in text  # the client's name heads the page
    assert visible(page, "svg.chart") == 1
    assert visible(page, "[data-part=treatments] li") == 1
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = ARTIFACTS / f"visit-print-{'signed' if signed else 'draft'}.pdf"
    page.pdf(path=str(pdf), format="A4")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pages_line = next(line for line in info.stdout.splitlines() if line.startswith("Pages:"))
    assert int(pages_line.split()[1]) <= 2, pages_line
