"""Write the chapter-by-chapter table of ``docs/atlas-coverage.md`` from the atlas data.

The table lists, per chapter of the Trigger Point Manual that an atlas muscle cites, each muscle
with its trigger points and whether the third edition is cited too; then the muscles left out
(``data/atlas/omissions.json``) with their reason. Only the block between the two markers is
rewritten, so the hand-written sections of the page stay as they are. A content test checks
that the block is current: run ``python tools/gen_atlas_coverage.py`` after an atlas change.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ATLAS = ROOT / "src/myomap/data/atlas"
DOC = ROOT / "docs/atlas-coverage.md"
START = "<!-- chapters:start (tools/gen_atlas_coverage.py) -->"
END = "<!-- chapters:end -->"
VOLUMES = {
    "ts_vol1": "Volume 1, upper half of body (2nd ed., 1999)",
    "ts_vol2": "Volume 2, lower extremities (1992)",
}


def _muscles() -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for path in sorted((ATLAS / "muscles").glob("*.json")):
        out += json.loads(path.read_text(encoding="utf-8"))["muscles"]
    return out


def chapter_of(muscle: dict[str, Any]) -> tuple[str, str] | None:
    """(volume source id, chapter as cited) of a muscle, or None if it cites neither volume."""
    for ref in muscle.get("sources", []):
        if ref["source"] in VOLUMES:
            return ref["source"], (ref.get("detail") or "chapter not given").strip()
    return None


def _chapter_key(chapter: str) -> tuple[int, str]:
    m = re.match(r"ch\. (\d+)", chapter)
    return (int(m.group(1)) if m else 999, chapter.lower())


def block(muscles: list[dict[str, Any]], omissions: dict[str, Any]) -> str:
    lines = [START, ""]
    by_volume: dict[str, dict[str, list[dict[str, Any]]]] = {v: {} for v in VOLUMES}
    outside = []
    for m in muscles:
        where = chapter_of(m)
        if where is None:
            outside.append(m)
        else:
            by_volume[where[0]].setdefault(where[1], []).append(m)
    tps = sum(len(m["trigger_points"]) for m in muscles)
    third = sum(any(r["source"] == "donnelly_2019" for r in m.get("sources", [])) for m in muscles)
    lines += [
        f"The atlas holds {len(muscles)} muscles and {tps} trigger points. Each row is one atlas "
        "muscle under the chapter it cites; *3rd ed.* says whether the entry also cites "
        f"Donnelly et al. 2019 ({third} of {len(muscles)} muscles do).",
        "",
    ]
    for vol, title in VOLUMES.items():
        chapters = by_volume[vol]
        count = sum(len(v) for v in chapters.values())
        lines += [f"### {title}: {count} muscles", ""]
        lines += ["| chapter | muscle | trigger points | 3rd ed. |", "|---|---|---|---|"]
        for chapter in sorted(chapters, key=_chapter_key):
            for m in chapters[chapter]:
                ids = ", ".join(f"`{tp['id'].split('.', 1)[1]}`" for tp in m["trigger_points"])
                third = any(r["source"] == "donnelly_2019" for r in m.get("sources", []))
                lines.append(
                    f"| {chapter} | {m['name']} (`{m['id']}`) | "
                    f"{len(m['trigger_points'])}: {ids} | {'yes' if third else 'no'} |"
                )
        lines.append("")
    lines += ["### Outside the manual", ""]
    for m in outside:
        reason = omissions["outside_manual"].get(m["id"], "NOT EXPLAINED")
        ids = ", ".join(f"`{tp['id'].split('.', 1)[1]}`" for tp in m["trigger_points"])
        lines.append(f"- {m['name']} (`{m['id']}`), trigger points {ids}: {reason}")
    lines += ["", "### Discussed in the manual, not in the atlas", ""]
    for row in omissions["left_out"]:
        vol = "vol. 1" if row["source"] == "ts_vol1" else "vol. 2"
        lines.append(f"- {row['muscle']} ({vol}, {row['chapter']}): {row['reason']}")
    lines += ["", f"Third edition: {omissions['third_edition']}", "", END]
    return "\n".join(lines)


def render(doc: str) -> str:
    muscles = _muscles()
    omissions = json.loads((ATLAS / "omissions.json").read_text(encoding="utf-8"))
    head, rest = doc.split(START, 1)
    tail = rest.split(END, 1)[1]
    return head + block(muscles, omissions) + tail


def main() -> None:
    DOC.write_text(render(DOC.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"wrote {DOC}")  # noqa: T201


if __name__ == "__main__":
    main()
