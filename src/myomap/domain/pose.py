"""Exercise pictures as data: a stick figure placed by segment angles, with props and an arrow.

A home-care exercise is easier to follow with a picture of the position and the movement. Each
pose in ``data/planning/poses.json`` names a posture and overrides segment angles; this module
turns it into line segments by forward kinematics, so the same pose draws the same way in the
web page and in the PDF handout. Angles are absolute, in degrees, in the picture plane: 0 points
down, 90 points forward (to the right of the picture), 180 points up and -90 backward.

Pure: no drawing library, no file access; :mod:`myomap.chart.pose_svg` renders the result.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict

Point = tuple[float, float]

# Segment lengths in head heights (the body chart's figure is 7.5 heads tall).
LENGTHS: dict[str, float] = {
    "torso": 2.7,
    "neck": 0.35,
    "head_r": 0.45,
    "upper_arm": 1.35,
    "forearm": 1.15,
    "hand": 0.55,
    "thigh": 1.9,
    "shin": 1.85,
    "foot": 0.75,
}
# Half the shoulder and hip widths, used when the figure is seen from the front.
HALF_SHOULDERS = 0.85
HALF_HIPS = 0.5

POSTURES: dict[str, dict[str, float]] = {
    "standing": {
        "torso": 180,
        "head": 180,
        "arm_a": 0,
        "forearm_a": 0,
        "thigh_a": 0,
        "shin_a": 0,
        "foot_a": 90,
    },
    "sitting": {
        "torso": 180,
        "head": 180,
        "arm_a": 10,
        "forearm_a": 60,
        "thigh_a": 90,
        "shin_a": 0,
        "foot_a": 90,
    },
    "supine": {
        "torso": -90,
        "head": -90,
        "arm_a": 90,
        "forearm_a": 90,
        "thigh_a": 90,
        "shin_a": 90,
        "foot_a": 180,
    },
    "prone": {
        "torso": -90,
        "head": -90,
        "arm_a": 90,
        "forearm_a": 90,
        "thigh_a": 90,
        "shin_a": 90,
        "foot_a": 0,
        "face": 0,
    },
    "side_lying": {
        "torso": -90,
        "head": -90,
        "arm_a": 120,
        "forearm_a": 90,
        "thigh_a": 90,
        "shin_a": 90,
        "foot_a": 90,
        "face": 90,
    },
    "kneeling": {
        "torso": 180,
        "head": 180,
        "arm_a": 0,
        "forearm_a": 0,
        "thigh_a": 0,
        "shin_a": -90,
        "foot_a": -90,
    },
    "quadruped": {
        "torso": 90,
        "head": 100,
        "arm_a": 0,
        "forearm_a": 0,
        "thigh_a": 0,
        "shin_a": -90,
        "foot_a": -90,
        "face": 10,
    },
}
CHAINS = {"arm": ("upper_arm", "forearm", "hand"), "leg": ("thigh", "shin", "foot")}
ANGLE_OF = {
    "upper_arm": "arm",
    "forearm": "forearm",
    "hand": "hand",
    "thigh": "thigh",
    "shin": "shin",
    "foot": "foot",
}


@dataclass(frozen=True)
class Arrow:
    """The movement to make: from a point near a joint, in a direction, optionally curved."""

    at: str
    direction: float
    length: float = 0.9
    curve: float = 0.0


@dataclass(frozen=True)
class Prop:
    kind: str  # floor, wall, chair, door, strap, ball, towel
    at: str = ""  # a joint the prop touches (ball, strap end)
    side: str = "front"  # for walls and doors: in front of or behind the figure


@dataclass(frozen=True)
class Pose:
    id: str
    title: str
    view: str  # "side" or "front" (whole body); "hand", "foot" or "face" (a close-up)
    posture: str
    angles: Mapping[str, float]
    props: tuple[Prop, ...] = ()
    arrow: Arrow | None = None
    highlight: tuple[str, ...] = ()  # segments to draw in the accent colour


@dataclass
class Figure:
    """Where every joint and segment lands, in head heights, y pointing up."""

    joints: dict[str, Point] = field(default_factory=dict)
    segments: list[tuple[str, Point, Point, str]] = field(default_factory=list)  # name, a, b, layer
    head: tuple[Point, float] = ((0.0, 0.0), 0.45)
    face: float = 90.0

    def bounds(self) -> tuple[float, float, float, float]:
        xs = [p[0] for s in self.segments for p in (s[1], s[2])] + [self.head[0][0]]
        ys = [p[1] for s in self.segments for p in (s[1], s[2])] + [self.head[0][1]]
        r = self.head[1]
        return min(xs) - r, min(ys) - r, max(xs) + r, max(ys) + r


def step(p: Point, angle: float, length: float) -> Point:
    a = math.radians(angle)
    return p[0] + length * math.sin(a), p[1] - length * math.cos(a)


def resolve_angles(pose: Pose) -> dict[str, float]:
    """Posture defaults, then the pose's overrides; side b copies side a unless given."""
    base = dict(POSTURES[pose.posture])
    base.update(pose.angles)
    for part in ("arm", "forearm", "hand", "thigh", "shin", "foot"):
        a = base.get(f"{part}_a")
        if a is None:
            continue
        base.setdefault(f"{part}_b", a)
    base.setdefault("hand_a", base.get("forearm_a", 0.0))
    base.setdefault("hand_b", base.get("forearm_b", base["hand_a"]))
    return base


# Close-ups: the part that moves, drawn large; segment lengths in the same units.
DETAIL_CHAINS: dict[str, tuple[tuple[str, str, float, float], ...]] = {
    # name, angle key, length, default angle
    "hand": (
        ("forearm_a", "forearm", 2.4, 90),
        ("hand_a", "wrist", 1.0, 90),
        ("fingers_a", "fingers", 0.9, 90),
    ),
    "foot": (
        ("shin_a", "shin", 2.4, 0),
        ("foot_a", "ankle", 1.2, 90),
        ("toes_a", "toes", 0.45, 90),
    ),
}


def _detail(pose: Pose) -> Figure:
    """A hand, a foot or a face, large enough to show a finger, a toe or the jaw moving."""
    ang = dict(pose.angles)
    fig = Figure()
    if pose.view == "face":
        centre: Point = (0.0, 0.0)
        fig.head = (centre, 1.2)
        fig.face = 90.0
        ear = (-0.15, -0.2)
        jaw = ang.get("jaw", 105.0)  # the lower jaw swings from the ear; larger opens the mouth
        chin = step(ear, jaw, 1.5)
        upper = (1.1, -0.55)
        neck = step((-0.45, -1.0), 0.0, 0.9)
        fig.joints.update(head=centre, chin=chin, ear=ear, neck=neck, upper_jaw=upper)
        fig.segments.append(("upper_jaw", ear, upper, "far"))
        fig.segments.append(("jaw", ear, chin, "near"))
        fig.segments.append(("nose", (1.15, 0.15), (1.42, -0.15), "near"))
        fig.segments.append(("eye", (0.55, 0.35), (0.62, 0.35), "near"))
        fig.segments.append(("neck", (-0.45, -1.0), neck, "near"))
        return fig
    point: Point = (0.0, 0.0)
    fig.joints["base"] = point
    chain = DETAIL_CHAINS[pose.view]
    for name, key, length, default in chain:
        end = step(point, ang.get(key, default), length)
        fig.segments.append((name, point, end, "near"))
        fig.joints[name] = end
        point = end
    if pose.view == "hand":
        palm_start, palm_end = fig.joints["forearm_a"], fig.joints["hand_a"]
        root = (palm_start[0] * 0.6 + palm_end[0] * 0.4, palm_start[1] * 0.6 + palm_end[1] * 0.4)
        thumb = step(root, ang.get("thumb", ang.get("wrist", 90) + 40), 0.75)
        fig.segments.append(("thumb_a", root, thumb, "far"))
        fig.joints["thumb_a"] = thumb
    fig.head = ((0.0, 0.0), 0.0)
    return fig


def build(pose: Pose) -> Figure:
    """Forward kinematics from the pelvis: torso, head, two arms and two legs."""
    if pose.view in ("hand", "foot", "face"):
        return _detail(pose)
    ang = resolve_angles(pose)
    fig = Figure()
    pelvis: Point = (0.0, 0.0)
    neck = step(pelvis, ang["torso"], LENGTHS["torso"])
    head = step(neck, ang["head"], LENGTHS["neck"] + LENGTHS["head_r"])
    fig.joints.update(pelvis=pelvis, neck=neck, head=head)
    fig.head = (head, LENGTHS["head_r"])
    fig.face = ang.get("face", ang["head"] - 90)
    fig.segments.append(("torso", pelvis, neck, "near"))
    fig.segments.append(("neck", neck, step(neck, ang["head"], LENGTHS["neck"]), "near"))
    shoulder = step(pelvis, ang["torso"], LENGTHS["torso"] * 0.92)
    across = ang["torso"] + 90  # the figure's left, seen from the front
    for side, layer in (("b", "far"), ("a", "near")):
        sign = 1 if side == "a" else -1
        for limb, root, half in (("arm", shoulder, HALF_SHOULDERS), ("leg", pelvis, HALF_HIPS)):
            start = step(root, across, sign * half) if pose.view == "front" else root
            point = start
            for seg in CHAINS[limb]:
                key = f"{ANGLE_OF[seg]}_{side}"
                end = step(point, ang.get(key, 0.0), LENGTHS[seg])
                fig.segments.append((f"{seg}_{side}", point, end, layer))
                fig.joints[f"{seg}_{side}"] = end
                point = end
            if pose.view == "front":
                fig.segments.append((f"{limb}_root_{side}", root, start, layer))
    return fig


class _Entry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class ArrowEntry(_Entry):
    at: str
    direction: float
    length: float = 0.9
    curve: float = 0.0


class PropEntry(_Entry):
    kind: str
    at: str = ""
    side: str = "front"


class PoseEntry(_Entry):
    """One pose as ``data/planning/poses.json`` writes it."""

    title: str
    view: str = "side"
    posture: str = "standing"
    angles: Mapping[str, float] = {}
    arrow: ArrowEntry | None = None
    props: tuple[PropEntry, ...] = ()
    highlight: tuple[str, ...] = ()


class PosesFile(_Entry):
    format: str
    version: str
    about: str
    sources: tuple[str, ...]
    poses: Mapping[str, PoseEntry]
    exercises: Mapping[str, str]  # exercise name (as in the atlas) -> pose id


def parse_pose(pid: str, raw: PoseEntry | Mapping[str, Any]) -> Pose:
    """A pose from its data entry; unknown postures, views and joints are refused
    (``ValueError`` naming the pose)."""
    entry = raw if isinstance(raw, PoseEntry) else PoseEntry.model_validate(raw)
    view, posture = entry.view, entry.posture
    if view not in ("side", "front", "hand", "foot", "face"):
        raise ValueError(f"pose {pid}: view must be side, front, hand, foot or face")
    if posture not in POSTURES:
        raise ValueError(f"pose {pid}: unknown posture {posture!r}")
    a = entry.arrow
    arrow = Arrow(a.at, a.direction, a.length, a.curve) if a else None
    props = tuple(Prop(p.kind, p.at, p.side) for p in entry.props)
    pose = Pose(pid, entry.title, view, posture, dict(entry.angles), props, arrow, entry.highlight)
    joints = build(pose).joints
    for name in [*(p.at for p in props if p.at), *([arrow.at] if arrow else [])]:
        if name not in joints:
            raise ValueError(f"pose {pid}: no joint {name!r} (known: {', '.join(joints)})")
    return pose
