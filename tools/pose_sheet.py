"""Write docs/images/exercise-poses.png: every exercise picture on one sheet, to look at.

Run after changing data/planning/poses.json: ``python tools/pose_sheet.py``. Needs WeasyPrint
and poppler's pdftoppm (both used by the reports and their tests).
"""

from __future__ import annotations

import subprocess
import tempfile
from html import escape
from pathlib import Path

from weasyprint import HTML

from myomap.chart.pose_svg import pose_svg
from myomap.knowledge.poses import load_poses

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "images" / "exercise-poses.png"


def main() -> None:
    library = load_poses()
    used: dict[str, list[str]] = {}
    for name, pid in library.exercises.items():
        used.setdefault(pid, []).append(name)
    cells = []
    for pid, pose in library.poses.items():
        names = used.get(pid, [])
        cells.append(
            f"<div class='cell'>{pose_svg(pose, width=150)}<b>{escape(pose.title)}</b>"
            f"<span>{len(names)} exercise(s)</span></div>"
        )
    html = (
        "<html><head><style>@page{size:420mm 440mm;margin:6mm}"
        "body{font:8pt sans-serif}.cell{display:inline-block;width:150px;height:205px;"
        "margin:3px;vertical-align:top;text-align:center;border:1px solid #ccc}"
        ".cell b{display:block}.cell span{color:#666}</style></head><body>"
        + "".join(cells)
        + "</body></html>"
    )
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "sheet.pdf"
        HTML(string=html).write_pdf(pdf)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-singlefile", str(pdf), str(OUT.with_suffix(""))],
            check=True,
        )
    print(f"wrote {OUT.relative_to(ROOT)} ({len(cells)} poses)")


if __name__ == "__main__":
    main()
