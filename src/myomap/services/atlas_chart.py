"""Chart of one muscle: its TrPs as X marks, essential zone solid, spillover zone stippled.

Zones are expanded with the differential's own side rules, so the picture shows exactly what the
ranking uses.
"""

from __future__ import annotations

from pathlib import Path

from myomap.chart import Mark, save_chart
from myomap.domain.atlas import Muscle
from myomap.domain.bodymap import Side
from myomap.domain.differential import expand_instances
from myomap.knowledge.loader import load_atlas, load_bodymap


def muscle_chart_inputs(
    muscle: Muscle, side: str = "right"
) -> tuple[str, dict[str, str], list[tuple[str, tuple[float, float], str]]]:
    """(view, zones, marks) for drawing ``muscle`` on one side of the body.

    The view is ``both`` when the marks and zones fall on both views, else the single view they
    share, so small charts are not half empty.
    """
    bodymap = load_bodymap()
    wanted = Side(side)
    zones: dict[str, str] = {}
    marks: list[tuple[str, tuple[float, float], str]] = []
    tp_ids = {tp.id for tp in muscle.trigger_points}
    instances = [
        i
        for i in expand_instances(load_atlas(), bodymap)
        if i.trigger_point in tp_ids and i.side in (wanted, Side.MIDLINE)
    ]
    for inst in instances:
        for rid in inst.spillover:
            zones.setdefault(rid, "stippled")
        for rid in inst.essential:
            zones[rid] = "solid"
    for tp in muscle.trigger_points:
        rid = bodymap.on_side(tp.location.region, wanted)
        marks.append((rid, tp.location.at, tp.part or tp.id.split(".", 1)[1]))
    views = {bodymap.get(r).view for r in (*zones, *(m[0] for m in marks))}
    view = views.pop().value if len(views) == 1 else "both"
    return view, zones, marks


def save_muscle_chart(muscle: Muscle, path: Path, side: str = "right") -> Path:
    view, zones, marks = muscle_chart_inputs(muscle, side)
    return save_chart(
        path, view=view, zones=zones, marks=[Mark(rid, at, label) for rid, at, label in marks]
    )


__all__ = ["muscle_chart_inputs", "save_muscle_chart"]
