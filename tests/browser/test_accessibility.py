"""axe-core (WCAG 2.2 A and AA rules) finds no violation on any page at tablet and phone size.

axe-core comes from npm into the git-ignored ``tests/browser/axe/node_modules`` (installed by
``scripts/lib.sh``, or here on first use); it is evaluated in the page under test only.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import PHONE, TABLET, Pages
from tests.browser.test_screens import page_paths  # noqa: F401  (the same pages as the screens)

pytestmark = pytest.mark.browser

AXE_DIR = Path(__file__).parent / "axe"
AXE = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        npm = shutil.which("npm")
        assert npm, "axe-core is missing and npm is not installed: run scripts/test.sh once"
        subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--silent"],
            cwd=AXE_DIR,
            check=True,
            timeout=300,
        )
    return AXE.read_text(encoding="utf-8")


def violations(page: Any, source: str) -> list[str]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(source)
    found: list[dict[str, Any]] = page.evaluate(
        """async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))
             .violations.map(v => ({id: v.id, nodes: v.nodes.slice(0, 3).map(n =>
               n.target.join(' ') + ' ' +
               (n.failureSummary || '').split('\\n').slice(1, 2).join(''))}))""",
        TAGS,
    )
    return [f"{v['id']}: {v['nodes']}" for v in found]


@pytest.mark.parametrize("size", ["tablet", "phone"])
def test_no_axe_violation_on_any_page(
    pages: Pages,
    page_paths: dict[str, str],  # noqa: F811
    axe_source: str,
    size: str,
) -> None:
    context = pages.browser.new_context(
        viewport=TABLET if size == "tablet" else PHONE, has_touch=True, bypass_csp=True
    )
    page = context.new_page()
    pages.opened.append(page)
    found: dict[str, list[str]] = {}
    for name, path in page_paths.items():
        page.goto(pages.base + path)
        if name == "bodymap" or name.startswith("visit"):
            if name == "bodymap":
                for rid in ("temple_r", "jaw_r"):
                    page.locator(f"#{rid}").focus()
                    page.keyboard.press("Enter")
            page.wait_for_selector(".cand", state="attached")
        page.wait_for_load_state("networkidle")
        bad = violations(page, axe_source)
        if bad:
            found[name] = bad
    assert not found, found
