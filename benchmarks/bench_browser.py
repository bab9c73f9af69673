"""Body map speed in Chromium at tablet size (1024x768, touch): from a tap on a region, and
from the end of a freehand stroke, to the redrawn ranking. Reports medians; never asserts.

Needs Debian's chromium and Playwright (the browser tests' setup). The server is the real one
(``python -m myomap serve``) over a temporary SQLite database.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM, LAUNCH_ARGS, TABLET, start_server  # noqa: E402

REGIONS = [
    "temple_r",
    "neck_back_r",
    "shoulder_top_r",
    "thigh_front_r",
    "chest_upper_l",
    "arm_outer_r",
    "mid_back_r",
    "thigh_front_l",
]

WAIT = """(since) => new Promise((resolve) => {
  const root = document.querySelector('[data-bodymap]');
  const done = () => Number(root.dataset.updates || 0) > since;
  if (done()) return resolve(performance.now());
  setTimeout(() => resolve(NaN), 5000);
  const obs = new MutationObserver(() => {
    if (done()) { obs.disconnect(); resolve(performance.now()); }
  });
  obs.observe(root, { attributes: true, attributeFilter: ['data-updates'] });
})"""


def main() -> int:
    from playwright.sync_api import sync_playwright

    gen = start_server(Path(tempfile.mkdtemp()), demo=False)
    server = next(gen)
    taps: list[float] = []
    strokes: list[float] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
            page = browser.new_context(viewport=TABLET, has_touch=True).new_page()
            page.goto(server.base + "/bodymap")
            page.locator("#temple_r").tap()  # warm up: the first ranking compiles the model
            page.wait_for_selector(".cand")
            page.locator("[data-action=clear]").click()
            for _ in range(3):
                for rid in REGIONS:
                    since = int(
                        page.evaluate(
                            "() => Number(document.querySelector('[data-bodymap]').dataset.updates)"
                        )
                    )
                    page.locator(f"#{rid}").scroll_into_view_if_needed()
                    box = page.locator(f"#{rid}").bounding_box()
                    assert box is not None
                    start = page.evaluate("() => performance.now()")
                    page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
                    end = page.evaluate(WAIT, since)
                    taps.append(end - start)
            page.locator("[data-mode=draw]").click()
            page.locator("#calf_upper_l").scroll_into_view_if_needed()
            box = page.locator("#calf_upper_l").bounding_box()
            assert box is not None
            for _ in range(10):
                since = int(
                    page.evaluate(
                        "() => Number(document.querySelector('[data-bodymap]').dataset.updates)"
                    )
                )
                x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.3
                page.mouse.move(x, y)
                page.mouse.down()
                for step in range(1, 6):
                    page.mouse.move(x, y + step * box["height"] * 0.08)
                start = page.evaluate("() => performance.now()")
                page.mouse.up()
                end = page.evaluate(WAIT, since)
                strokes.append(end - start)
            browser.close()
    finally:
        for _ in gen:
            pass
    taps = [t for t in taps if t == t]  # a tap that never updated is left out (NaN)
    strokes = [t for t in strokes if t == t]
    print(
        f"tap to ranking: median {statistics.median(taps):.0f} ms, "
        f"p90 {sorted(taps)[int(len(taps) * 0.9)]:.0f} ms over {len(taps)} taps (target < 100)"
    )
    if strokes:
        print(
            f"stroke end to ranking: median {statistics.median(strokes):.0f} ms over "
            f"{len(strokes)} strokes (target < 200)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
