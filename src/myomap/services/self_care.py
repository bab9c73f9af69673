"""Likely trigger points a person may press on themselves, for one pain drawing.

Personal mode shows the differential's candidates only after the safety questions, and only
those the atlas marks as safe to self-treat (``self_care.safe``) and that lie outside any area
the screening says to keep away from. An ``emergency`` or ``refer`` decision, or a rule that
forbids self-pressure, gives no pressure instructions at all: the advice comes instead. Every
word shown comes from the atlas and the pose data; nothing clinical is written here.
"""

from __future__ import annotations

from typing import Any

from myomap.chart.pose_svg import pose_svg
from myomap.domain.bodymap import Side
from myomap.domain.drawing import PainDrawing
from myomap.domain.planner import location_region
from myomap.domain.screening import Screening
from myomap.knowledge.load import Knowledge
from myomap.knowledge.poses import PoseLibrary
from myomap.services.differential import locate, ranking_to_dict

SHOWN = 6  # at most this many points, most likely first
POOL = 30  # candidates looked at to find them


def points_allowed(screening: Screening) -> bool:
    """Whether pressure instructions may be shown at all after these answers."""
    return screening.decision in ("proceed", "modify") and screening.self_pressure_allowed


def likely_points(
    known: Knowledge, drawing: PainDrawing, screening: Screening, poses: PoseLibrary
) -> dict[str, Any]:
    """The self-care-safe candidates for the drawing, with how to find and press them."""
    if not points_allowed(screening):
        return {"points": [], "left_out": 0, "pressure_limit": None}
    ranking = ranking_to_dict(locate(drawing, top=POOL, differential=known.differential))
    atlas, bodymap = known.atlas, known.bodymap
    avoid = set(screening.avoid_regions)
    defaults = known.planning.doses.home_defaults
    points: list[dict[str, Any]] = []
    left_out = 0
    for cand in ranking["candidates"]:
        muscle, tp = atlas.trigger_point(str(cand["trigger_point"]))
        side = Side(str(cand["side"]))
        sc = muscle.self_care
        if not sc.safe or location_region(tp, side, bodymap) in avoid:
            left_out += 1
            continue
        if len(points) >= SHOWN:
            continue
        stretch = muscle.release.stretch
        pose = poses.for_exercise(stretch.name)
        points.append(
            {
                "trigger_point": tp.id,
                "muscle": muscle.name,
                "name": tp.name,
                "side": side.value,
                "where": tp.location.description,
                "find_position": tp.palpation.position,
                "tool": sc.tool or "your fingers",
                "position": sc.position,
                "instructions": sc.instructions,
                "hold_seconds": sc.hold_seconds or defaults.hold_seconds,
                "repetitions": sc.repetitions or defaults.repetitions,
                "frequency": sc.frequency or defaults.frequency,
                "cautions": list(muscle.cautions),
                "stretch": {
                    "name": stretch.name,
                    "instructions": stretch.instructions,
                    "picture": pose_svg(pose, width=160) if pose else None,
                },
            }
        )
    return {"points": points, "left_out": left_out, "pressure_limit": screening.pressure_limit}
