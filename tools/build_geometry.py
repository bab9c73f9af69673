"""Generate ``src/myomap/data/bodymap/geometry.json``: the body chart as polygons.

The chart is built procedurally so that it stays symmetric and tiles without overlaps:

* Limbs are *tubes*: a smooth centre line with a lateral and a medial half-width along it. A
  region on a limb is a patch ``(t0, t1, u0, u1)`` of the tube (``t`` runs from the root of the
  limb to its end, ``u`` from -1 on the lateral edge to +1 on the medial edge).
* Head, neck and trunk are smooth outlines cut into *cells* (curved bands, ellipses, strips).
* Regions are claimed in priority order: each one is its shape, clipped to its body part, minus
  everything claimed before, so no two regions overlap.
* Only the half of each view on the viewer's left is described. Bilateral regions are mirrored
  about the midline ``x = 200``; midline regions are described whole and are symmetric.

Coordinates: each view is 400 units wide and 1000 high, ``y`` grows downwards. On the front view
the patient's right is on the viewer's left; on the back view the patient's left is on the
viewer's left. Needs ``shapely`` (a development dependency); run from the repository root::

    .venv/bin/python tools/build_geometry.py
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from shapely import affinity
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, box
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient
from shapely.ops import unary_union

ROOT = Path(__file__).resolve().parent.parent
REGIONS = ROOT / "src/myomap/data/bodymap/regions.json"
OUT = ROOT / "src/myomap/data/bodymap/geometry.json"

WIDTH, HEIGHT = 400.0, 1000.0
MID = WIDTH / 2
LEFT_HALF = box(-10, -10, MID, HEIGHT + 10)
EMPTY: BaseGeometry = Polygon()

Pt = tuple[float, float]


# ---------------------------------------------------------------- curves


def catmull(points: Sequence[Pt], per_segment: int = 16, closed: bool = False) -> np.ndarray:
    """Uniform Catmull-Rom spline through the control points (smooth outlines from few points)."""
    p = np.asarray(points, dtype=float)
    if closed:
        p = np.vstack([p[-1], p, p[0], p[1]])
    else:
        p = np.vstack([2 * p[0] - p[1], p, 2 * p[-1] - p[-2]])
    out = []
    for i in range(1, len(p) - 2):
        p0, p1, p2, p3 = p[i - 1], p[i], p[i + 1], p[i + 2]
        for s in np.linspace(0.0, 1.0, per_segment, endpoint=False):
            out.append(
                0.5
                * (
                    2 * p1
                    + (-p0 + p2) * s
                    + (2 * p0 - 5 * p1 + 4 * p2 - p3) * s * s
                    + (-p0 + 3 * p1 - 3 * p2 + p3) * s**3
                )
            )
    if not closed:
        out.append(p[-2])
    return np.array(out)


def mirror_pts(points: Sequence[Pt]) -> list[Pt]:
    return [(2 * MID - x, y) for x, y in points]


def symmetric_outline(half: Sequence[Pt], per_segment: int = 12) -> Polygon:
    """A closed smooth outline from control points on the viewer's left, top to bottom."""
    pts = list(half) + mirror_pts(half)[::-1]
    return Polygon(catmull(pts, per_segment, closed=True)).buffer(0)


def smooth_polygon(points: Sequence[Pt], per_segment: int = 10) -> Polygon:
    return Polygon(catmull(points, per_segment, closed=True)).buffer(0)


def ellipse(cx: float, cy: float, rx: float, ry: float, angle: float = 0.0) -> BaseGeometry:
    shape = affinity.scale(Point(cx, cy).buffer(1.0, 32), rx, ry)
    return affinity.rotate(shape, angle) if angle else shape


def hband(
    x0: float, x1: float, top: Callable[[float], float], bottom: Callable[[float], float]
) -> Polygon:
    """Cell between two curves ``y = top(x)`` and ``y = bottom(x)`` for ``x0 <= x <= x1``."""
    xs = np.linspace(x0, x1, 40)
    upper = [(x, top(x)) for x in xs]
    lower = [(x, bottom(x)) for x in xs[::-1]]
    return Polygon(upper + lower).buffer(0)


def stroke(points: Sequence[Pt], radius: float) -> BaseGeometry:
    return LineString(catmull(points, 8)).buffer(radius, 16)


# ---------------------------------------------------------------- tubes


@dataclass
class Tube:
    """A limb: smooth centre line plus lateral/medial half-widths, both as functions of ``t``."""

    centre: Sequence[Pt]
    widths: Sequence[tuple[float, float, float]]  # (t, lateral, medial)

    def __post_init__(self) -> None:
        c = catmull(self.centre, 40)
        seg = np.hypot(*np.diff(c, axis=0).T)
        s = np.concatenate([[0.0], np.cumsum(seg)])
        self._s = s / s[-1]
        self._c = c
        tan = np.gradient(c, axis=0)
        tan /= np.hypot(tan[:, 0], tan[:, 1])[:, None]
        self._n = np.stack([-tan[:, 1], tan[:, 0]], axis=1)  # lateral on the viewer's left
        w = np.asarray(self.widths, dtype=float)
        fine_t = np.linspace(0.0, 1.0, 401)
        self._wt = fine_t
        lat = catmull([(t, v) for t, v, _ in w], 20)
        med = catmull([(t, v) for t, _, v in w], 20)
        self._lat = np.interp(fine_t, lat[:, 0], lat[:, 1])
        self._med = np.interp(fine_t, med[:, 0], med[:, 1])

    def point(self, t: float, u: float) -> Pt:
        cx = float(np.interp(t, self._s, self._c[:, 0]))
        cy = float(np.interp(t, self._s, self._c[:, 1]))
        nx = float(np.interp(t, self._s, self._n[:, 0]))
        ny = float(np.interp(t, self._s, self._n[:, 1]))
        norm = math.hypot(nx, ny)
        nx, ny = nx / norm, ny / norm
        w = float(np.interp(t, self._wt, self._lat if u < 0 else self._med))
        off = -u * w
        return (cx + nx * off, cy + ny * off)

    def frame(self, t: float) -> tuple[Pt, Pt]:
        """Centre point and unit axis direction at ``t``."""
        cx = float(np.interp(t, self._s, self._c[:, 0]))
        cy = float(np.interp(t, self._s, self._c[:, 1]))
        nx = float(np.interp(t, self._s, self._n[:, 0]))
        ny = float(np.interp(t, self._s, self._n[:, 1]))
        norm = math.hypot(nx, ny)
        return (cx, cy), (ny / norm, -nx / norm)

    def patch(self, t0: float, t1: float, u0: float = -1.0, u1: float = 1.0) -> BaseGeometry:
        nt = max(6, int((t1 - t0) * 160))
        nu = 12
        ts = np.linspace(t0, t1, nt)
        us = np.linspace(u0, u1, nu)
        pts = [self.point(t, u0) for t in ts]
        pts += [self.point(t1, u) for u in us[1:]]
        pts += [self.point(t, u1) for t in ts[::-1][1:]]
        pts += [self.point(t0, u) for u in us[::-1][1:-1]]
        return Polygon(pts).buffer(0)

    def shape(self) -> BaseGeometry:
        return self.patch(0.0, 1.0)


def local_frame(origin: Pt, axis: Pt) -> Callable[[float, float], Pt]:
    """Map local (a along the axis, b towards the lateral side) to chart coordinates."""
    dx, dy = axis
    lx, ly = -dy, dx  # lateral: for an axis pointing down this is -x (viewer's left)

    def to_chart(a: float, b: float) -> Pt:
        return (origin[0] + a * dx + b * lx, origin[1] + a * dy + b * ly)

    return to_chart


# ---------------------------------------------------------------- the figure

ARM = Tube(
    centre=[(126, 201), (119, 262), (110, 320), (102, 375), (94, 445), (87, 515)],
    widths=[
        (0.00, 7, 13),
        (0.05, 18, 15),
        (0.11, 22.5, 17),
        (0.22, 22, 18),
        (0.40, 19, 16),
        (0.55, 17, 15),
        (0.66, 18, 16),
        (0.82, 14, 13),
        (1.00, 12, 11),
    ],
)
# the rounded cap of the shoulder, joining the slope of the trapezius to the outer arm
SHOULDER_CAP = Point(121, 222).buffer(22.5, 48).intersection(box(0, 0, 133, 234))


def right_of(p: Pt, q: Pt) -> Polygon:
    """Everything on the +x side of the line through ``p`` and ``q`` (within the canvas)."""

    def x_at(y: float) -> float:
        return p[0] + (y - p[1]) * (q[0] - p[0]) / (q[1] - p[1])

    return Polygon(
        [
            (x_at(-10), -10),
            (WIDTH + 10, -10),
            (WIDTH + 10, HEIGHT + 10),
            (x_at(HEIGHT + 10), HEIGHT + 10),
        ]
    )


def arm_shape() -> BaseGeometry:
    return unary_union([ARM.shape(), SHOULDER_CAP])


LEG_FRONT = Tube(
    centre=[(162, 510), (164, 600), (167, 705), (170, 810), (172, 925)],
    widths=[
        (0.00, 38, 38),
        (0.05, 38, 31),
        (0.14, 37, 27),
        (0.38, 28, 22),
        (0.47, 24, 22),
        (0.56, 21, 21),
        (0.64, 22, 24),
        (0.80, 16, 16),
        (0.92, 12, 12),
        (1.00, 12, 12),
    ],
)
LEG_BACK = Tube(
    centre=LEG_FRONT.centre,
    widths=[
        (0.00, 38, 38),
        (0.05, 38, 31),
        (0.14, 37, 27),
        (0.38, 28, 22),
        (0.47, 24, 22),
        (0.56, 23, 22),
        (0.64, 25, 25),
        (0.78, 17, 17),
        (0.92, 12, 12),
        (1.00, 12, 12),
    ],
)


# (region, offset across the hand towards the thumb, length) of each finger, index first
FINGERS = [
    ("index_finger", 10.6, 28.0),
    ("middle_finger", 3.4, 32.0),
    ("ring_finger", -3.9, 29.0),
    ("little_finger", -11.2, 23.0),
]


def hand_parts() -> dict[str, BaseGeometry]:
    """Palm forward: thumb on the lateral side, fingers hanging down (viewer's-left hand)."""
    origin, axis = ARM.frame(1.0)
    h = local_frame(origin, axis)
    palm = smooth_polygon(
        [
            h(-2, 11.5),
            h(12, 13.5),
            h(26, 15),
            h(33, 14.5),
            h(35, 0),
            h(33, -15),
            h(20, -15.5),
            h(8, -13),
            h(-2, -11),
        ],
        8,
    )
    fingers: dict[str, BaseGeometry] = {}
    for name, b, length in FINGERS:
        base = 30.0
        line = [h(base, b), h(base + length * 0.5, b - 0.4), h(base + length - 3.3, b - 0.8)]
        fingers[name] = LineString(line).buffer(3.3, 16)
    ang = math.radians(24)
    tip = (14 + 27 * math.cos(ang), 12 + 27 * math.sin(ang))
    mid = (14 + 13 * math.cos(ang), 12 + 13 * math.sin(ang))
    thumb = LineString([h(5, 9), h(*mid), h(*tip)]).buffer(4.4, 16)
    thumb = unary_union([thumb, smooth_polygon([h(2, 5), h(6, 13), h(22, 16), h(22, 7)], 6)])
    return {"thumb": thumb, **fingers, "palm": palm}


HAND = hand_parts()
HAND_SHAPE = unary_union(list(HAND.values())).buffer(0.4).buffer(-0.4)

HEAD = symmetric_outline(
    [
        (200, 29),
        (182, 32),
        (166, 43),
        (157, 62),
        (155, 88),
        (157, 112),
        (163, 132),
        (175, 147),
        (189, 154),
        (200, 156),
    ]
)
EAR = ellipse(149.5, 104, 7.5, 16.5, -8)
NECK = symmetric_outline([(175, 130), (176, 160), (177, 180), (180, 194), (200, 196)], 10)
TORSO_FRONT = symmetric_outline(
    [
        (176, 176),
        (158, 185),
        (139, 190.5),
        (126, 194.8),
        (114, 200.4),
        (104.5, 208),
        (110, 226),
        (119, 244),
        (124, 264),
        (124, 300),
        (129, 340),
        (134, 380),
        (131, 420),
        (126, 460),
        (124, 495),
        (125, 518),
        (160, 524),
        (200, 524),
    ],
    10,
)
TORSO_BACK = symmetric_outline(
    [
        (176, 176),
        (158, 185),
        (139, 190.5),
        (126, 194.8),
        (114, 200.4),
        (104.5, 208),
        (110, 226),
        (119, 244),
        (124, 264),
        (124, 300),
        (129, 340),
        (134, 380),
        (131, 420),
        (125, 460),
        (122, 500),
        (123, 540),
        (160, 556),
        (200, 556),
    ],
    10,
)


def foot_front() -> dict[str, BaseGeometry]:
    """The foot seen from the front: a widening dorsum and a row of toes, big toe medial."""
    dorsum = smooth_polygon(
        [
            (165, 896),
            (160.2, 914),
            (160, 926),
            (156, 944),
            (151, 960),
            (147, 972),
            (151, 978),
            (170, 981),
            (186, 980),
            (191, 974),
            (190, 958),
            (187, 940),
            (184, 926),
            (183.8, 914),
            (179, 896),
        ],
        8,
    )
    big = ellipse(184.5, 979, 6.6, 9)
    lesser = unary_union(
        [
            Point(x, y).buffer(r, 24)
            for x, y, r in (
                (174.6, 983, 4.3),
                (166.6, 982.6, 4.0),
                (159.4, 980.8, 3.7),
                (153.2, 977.8, 3.3),
            )
        ]
    )
    return {"big_toe": big, "lesser_toes": lesser, "foot_dorsum": dorsum}


def foot_front_shape() -> BaseGeometry:
    return unary_union(list(foot_front().values())).buffer(0.5).buffer(-0.5)


def foot_sole() -> dict[str, BaseGeometry]:
    """The sole seen from below, heel next to the ankle, arch on the medial (midline) side."""
    sole = smooth_polygon(
        [
            (165, 896),
            (160.2, 914),
            (160, 928),
            (157, 946),
            (155.5, 962),
            (154, 976),
            (156, 990),
            (166, 998),
            (180, 997),
            (190, 988),
            (190, 972),
            (186, 958),
            (185, 942),
            (184, 928),
            (183.8, 914),
            (179, 896),
        ],
        8,
    )
    heel = sole.intersection(box(100, 900, 200, 944))
    ball = sole.intersection(hband(100, 200, lambda x: 968.0 + 0.03 * (x - 150), lambda x: 1010))
    arch = sole.intersection(box(176, 900, 200, 1010))
    return {"heel": heel, "ball_of_foot": ball, "arch": arch, "sole": sole}


@dataclass
class Entry:
    base: str
    shape: BaseGeometry
    clip: BaseGeometry
    midline: bool = False


def front_entries() -> list[Entry]:
    head = HEAD
    ear = EAR.difference(HEAD)
    neck = NECK.difference(HEAD)
    arm = arm_shape()
    leg = LEG_FRONT.shape()
    limbs = unary_union([arm, leg, HAND_SHAPE, arm.buffer(0)])
    torso = TORSO_FRONT.difference(unary_union([HEAD, NECK])).difference(limbs)
    torso = torso.difference(unary_union([affinity.scale(limbs, -1, 1, origin=(MID, 0))]))
    feet = foot_front()
    shoulder = unary_union(
        [SHOULDER_CAP, ARM.patch(0.0, 0.17), box(80, 150, 133, 215).intersection(TORSO_FRONT)]
    ).difference(unary_union([HEAD, NECK]))
    split = right_of((131, 190), ARM.point(0.17, 0.1))
    e: list[Entry] = []
    # head
    e += [
        Entry("ear", ear, ear),
        Entry("orbit", ellipse(181, 96, 12.5, 7.2), head),
        Entry("eyebrow", stroke([(167, 88), (173, 83.5), (183, 81.5), (193, 84)], 2.8), head),
        Entry("tmj", ellipse(159.5, 109, 5.2, 7.0), head),
        Entry("upper_teeth", ellipse(200, 131, 15, 8.5).intersection(box(0, 0, 400, 131)), head),
        Entry("lower_teeth", ellipse(200, 131, 15, 8.5).intersection(box(0, 131, 400, 200)), head),
        Entry("chin", ellipse(200, 151, 19, 11), head, midline=True),
        Entry(
            "temple",
            smooth_polygon(
                [
                    (172, 52),
                    (163, 49),
                    (153, 58),
                    (151, 80),
                    (154, 99),
                    (163, 104),
                    (170, 97),
                    (172, 76),
                ],
                8,
            ),
            head,
        ),
        Entry("forehead", box(100, 0, 300, 84), head, midline=True),
        Entry("cheek", hband(155, 200, lambda x: 80, lambda x: 121 + 0.1 * (200 - x)), head),
        Entry("jaw", box(130, 100, 200, 170), head),
    ]
    # neck
    e += [
        Entry("throat", box(187, 100, 213, 220), neck, midline=True),
        Entry("neck_side", box(100, 100, 200, 220), neck),
    ]
    # arm (tube patches) and hand
    e += [
        Entry("shoulder_front", shoulder.intersection(split), shoulder),
        Entry("shoulder_side", shoulder, shoulder),
        Entry("arm_outer", ARM.patch(0.17, 0.52, -1, -0.45), arm),
        Entry("arm_front", ARM.patch(0.17, 0.52, -0.45, 0.45), arm),
        Entry("arm_inner", ARM.patch(0.17, 0.52, 0.45, 1), arm),
        Entry("elbow_lateral", ARM.patch(0.52, 0.64, -1, -0.4), arm),
        Entry("antecubital", ARM.patch(0.52, 0.64, -0.4, 0.4), arm),
        Entry("elbow_medial", ARM.patch(0.52, 0.64, 0.4, 1), arm),
        Entry("forearm_volar_radial", ARM.patch(0.64, 0.93, -1, 0), arm),
        Entry("forearm_volar_ulnar", ARM.patch(0.64, 0.93, 0, 1), arm),
        Entry("wrist_volar", ARM.patch(0.93, 1.0), arm),
    ]
    e += [Entry(name, shape, HAND_SHAPE.difference(arm)) for name, shape in HAND.items()]
    # trunk
    costal = lambda x: 322 + 0.5 * abs(x - 200)  # noqa: E731
    e += [
        Entry(
            "sternum",
            hband(189, 211, lambda x: 150, lambda x: 318 + 10 - abs(x - 200)),
            torso,
            midline=True,
        ),
        Entry("breast", ellipse(159, 281, 22, 20), torso),
        Entry("epigastric", hband(166, 234, costal, lambda x: 378), torso, midline=True),
        Entry("umbilical", box(166, 378, 234, 422), torso, midline=True),
        Entry("groin", Polygon([(90, 436), (126, 444), (180, 494), (180, 560), (90, 560)]), torso),
        Entry("genitals", ellipse(200, 498, 12, 13), torso, midline=True),
        Entry("pubic", box(179, 466, 221, 560), torso, midline=True),
        Entry("suprapubic", box(166, 422, 234, 480), torso, midline=True),
        Entry("chest_upper", hband(90, 200, lambda x: 150, lambda x: 232 - 0.1 * (200 - x)), torso),
        Entry("chest_side", box(90, 200, 139, 340), torso),
        Entry("chest_mid", hband(90, 200, lambda x: 150, lambda x: 292 - 0.08 * (200 - x)), torso),
        Entry("chest_lower", hband(90, 200, lambda x: 150, costal), torso),
        Entry("upper_quadrant", box(90, 300, 200, 378), torso),
        Entry("lower_quadrant", box(90, 370, 200, 520), torso),
    ]
    # leg and foot
    lf = LEG_FRONT
    e += [
        Entry("patella", ellipse(*lf.point(0.475, -0.05), 12.5, 15.5), leg),
        Entry("suprapatellar", lf.patch(0.37, 0.46, -0.55, 0.5), leg),
        Entry("infrapatellar", lf.patch(0.48, 0.57, -0.55, 0.5), leg),
        Entry("knee_lateral", lf.patch(0.37, 0.57, -1, -0.55), leg),
        Entry("knee_medial", lf.patch(0.37, 0.57, 0.5, 1), leg),
        Entry("thigh_outer", lf.patch(0.0, 0.37, -1, -0.5), leg),
        Entry("thigh_inner", lf.patch(0.0, 0.37, 0.45, 1), leg),
        Entry("thigh_front", lf.patch(0.0, 0.37, -0.5, 0.45), leg),
        Entry("ankle_lateral", lf.patch(0.93, 1.0, -1, -0.4), leg),
        Entry("ankle_medial", lf.patch(0.93, 1.0, 0.4, 1), leg),
        Entry("ankle_front", lf.patch(0.93, 1.0, -0.4, 0.4), leg),
        Entry("leg_lateral", lf.patch(0.57, 0.93, -1, -0.2), leg),
        Entry("shin", lf.patch(0.57, 0.93, -0.2, 1), leg),
    ]
    foot_clip = foot_front_shape().difference(leg)
    e += [Entry(name, shape, foot_clip) for name, shape in feet.items()]
    return e


def back_entries() -> list[Entry]:
    head = HEAD
    neck = NECK.difference(HEAD)
    arm = arm_shape()
    leg = LEG_BACK.shape()
    limbs = unary_union([arm, HAND_SHAPE])
    torso = TORSO_BACK.difference(unary_union([HEAD, NECK])).difference(limbs)
    torso = torso.difference(affinity.scale(limbs, -1, 1, origin=(MID, 0)))
    lower = unary_union([torso, leg, affinity.scale(leg, -1, 1, origin=(MID, 0))])
    feet = foot_sole()
    sc = smooth_polygon(
        [
            (170, 212),
            (150, 209),
            (134, 212),
            (130, 228),
            (135, 252),
            (146, 284),
            (156, 312),
            (162, 324),
            (167, 313),
            (170, 282),
            (172, 242),
            (172, 222),
        ],
        10,
    ).intersection(torso)

    def spine_y(x: float) -> float:  # upper edge of the spine of the scapula
        return 234 - (173 - x) * 0.42

    e: list[Entry] = [
        Entry("mastoid", ellipse(161, 127, 6.5, 11, 12), head),
        Entry(
            "suboccipital",
            hband(
                160,
                240,
                lambda x: 126 + 0.004 * (x - 200) ** 2,
                lambda x: 150 + 0.002 * (x - 200) ** 2,
            ),
            unary_union([head, neck]),
        ),
        Entry(
            "vertex",
            hband(100, 300, lambda x: 0, lambda x: 58 + 0.004 * (x - 200) ** 2),
            head,
            midline=True,
        ),
        Entry("occiput", box(100, 0, 200, 200), head),
        Entry("neck_back", box(100, 100, 200, 220), neck),
    ]
    e += [
        Entry("shoulder_back", unary_union([ARM.patch(0.0, 0.17), SHOULDER_CAP]), arm),
        Entry("arm_back", ARM.patch(0.17, 0.53), arm),
        Entry("olecranon", ARM.patch(0.53, 0.64), arm),
        Entry("forearm_dorsal_radial", ARM.patch(0.64, 0.93, -1, 0), arm),
        Entry("forearm_dorsal_ulnar", ARM.patch(0.64, 0.93, 0, 1), arm),
        Entry("wrist_dorsal", ARM.patch(0.93, 1.0), arm),
        Entry("hand_back", HAND_SHAPE, HAND_SHAPE.difference(arm)),
    ]
    e += [
        Entry("thoracic_spine", box(191.5, 186, 208.5, 370), torso, midline=True),
        Entry("lumbar_spine", box(191.5, 370, 208.5, 462), torso, midline=True),
        Entry(
            "sacrum",
            smooth_polygon(
                [
                    (178, 462),
                    (200, 460),
                    (222, 462),
                    (214, 494),
                    (206, 516),
                    (194, 516),
                    (186, 494),
                ],
                6,
            ),
            torso,
            midline=True,
        ),
        Entry("coccyx", ellipse(200, 523, 6.5, 9), torso, midline=True),
        Entry("perineum", box(194, 531, 206, 570), lower, midline=True),
        Entry("scapula_spine", stroke([(173, 238), (156, 231), (140, 224), (126, 218)], 3.6), sc),
        Entry("scapula_angle", box(100, 303, 200, 400), sc),
        Entry("scapula_medial", sc.difference(affinity.translate(sc, -9, 0)), sc),
        Entry("scapula_upper", hband(100, 200, lambda x: 150, spine_y), sc),
        Entry("infraspinous", box(100, 150, 200, 400), sc),
        Entry(
            "shoulder_top", hband(90, 200, lambda x: 150, lambda x: 218 - 0.06 * (200 - x)), torso
        ),
        Entry("interscapular", box(160, 200, 200, 322), torso),
        Entry(
            "iliac_crest",
            stroke([(124, 459), (134, 450), (151, 447), (168, 452), (183, 462)], 6.5),
            torso,
        ),
        Entry("sacroiliac", ellipse(181.5, 480, 6.5, 14, -14), torso),
        Entry("mid_back", box(90, 200, 200, 362), torso),
        Entry("thoracolumbar", box(152, 362, 200, 400), torso),
        Entry("flank", box(90, 362, 152, 452), torso),
        Entry("lumbar", box(150, 362, 200, 460), torso),
        Entry(
            "hip_lateral",
            smooth_polygon([(118, 468), (136, 470), (142, 500), (138, 538), (118, 542)], 6),
            lower,
        ),
        Entry(
            "buttock_upper", hband(100, 200, lambda x: 440, lambda x: 501 - 0.05 * (200 - x)), torso
        ),
        Entry(
            "buttock_lower",
            hband(
                100, 200, lambda x: 470, lambda x: 553 - 0.18 * (200 - x) - 0.001 * (200 - x) ** 2
            ),
            lower,
        ),
    ]
    lb = LEG_BACK
    e += [
        Entry("thigh_back", lb.patch(0.0, 0.41), leg),
        Entry("popliteal", lb.patch(0.41, 0.54), leg),
        Entry("calf_upper", lb.patch(0.54, 0.74), leg),
        Entry("calf_lower", lb.patch(0.74, 0.88), leg),
        Entry("achilles", lb.patch(0.88, 1.0), leg),
    ]
    sole_clip = feet["sole"].difference(leg)
    e += [Entry(name, shape, sole_clip) for name, shape in feet.items()]
    return e


# ---------------------------------------------------------------- assembly


def largest(geom: BaseGeometry) -> Polygon:
    if geom.is_empty:
        return Polygon()
    if isinstance(geom, Polygon):
        return geom
    polys = [g for g in getattr(geom, "geoms", []) if isinstance(g, Polygon)]
    for g in getattr(geom, "geoms", []):
        if isinstance(g, MultiPolygon):
            polys += list(g.geoms)
    return max(polys, key=lambda p: p.area) if polys else Polygon()


def mirror(geom: BaseGeometry) -> BaseGeometry:
    return affinity.scale(geom, -1, 1, origin=(MID, 0))


def assemble(
    entries: list[Entry],
    left_suffix: str,
    right_suffix: str,
    midline_bases: set[str],
    problems: list[str],
) -> dict[str, Polygon]:
    """Claim regions in priority order; bilateral ones on the viewer's left, then mirror."""
    taken: BaseGeometry = EMPTY
    out: dict[str, Polygon] = {}
    for entry in entries:
        if entry.midline != (entry.base in midline_bases):
            problems.append(f"{entry.base}: midline flag disagrees with regions.json")
        if entry.midline:
            g = entry.shape.intersection(entry.clip).difference(taken)
            g = largest(g.buffer(-0.15).buffer(0.15))
            half = g.intersection(LEFT_HALF)
            g = unary_union([half, mirror(half)]).buffer(0.01).buffer(-0.01)
            g = largest(g)
            out[entry.base] = g
            taken = unary_union([taken, g])
        else:
            g = entry.shape.intersection(entry.clip).intersection(LEFT_HALF).difference(taken)
            g = largest(g.buffer(-0.15).buffer(0.15))
            out[entry.base + left_suffix] = g
            out[entry.base + right_suffix] = mirror(g)
            taken = unary_union([taken, g, mirror(g)])
        if g.is_empty or g.area < 4:
            problems.append(f"{entry.base}: empty or tiny ({g.area:.1f})")
    return out


def rings(poly: Polygon, tolerance: float = 0.1) -> list[list[list[float]]]:
    poly = orient(poly.simplify(tolerance, preserve_topology=True), 1.0)
    out = []
    for ring in [poly.exterior, *poly.interiors]:
        coords = list(ring.coords)[:-1]
        out.append([[round(x, 1), round(y, 1)] for x, y in coords])
    return out


def silhouette(view: str) -> BaseGeometry:
    arm = arm_shape()
    if view == "front":
        parts = [
            HEAD,
            EAR,
            NECK,
            TORSO_FRONT,
            arm,
            HAND_SHAPE,
            LEG_FRONT.shape(),
            foot_front_shape(),
        ]
    else:
        parts = [
            HEAD,
            EAR,
            NECK,
            TORSO_BACK,
            arm,
            HAND_SHAPE,
            LEG_BACK.shape(),
            foot_sole()["sole"],
        ]
    half = unary_union(parts).intersection(LEFT_HALF)
    whole = unary_union([half, mirror(half)]).buffer(0.3).buffer(-0.3)
    return whole


def mirrored_line(half: Sequence[Pt]) -> list[Pt]:
    """A line symmetric about the midline from its half on the viewer's left (ending at x=200)."""
    return list(half) + mirror_pts(half)[::-1][1:]


def face_lines() -> list[BaseGeometry]:
    """Nose and lips: decoration that makes the front of the head read as a face."""
    nose = catmull(
        mirrored_line([(194.2, 109.5), (192.2, 115.5), (193.6, 119.2), (197, 120.1), (200, 121)]), 6
    )
    bridge = catmull([(196.4, 99), (195.6, 104.5), (195.2, 109)], 6)
    upper_lip = catmull(mirrored_line([(188, 131), (192.5, 128.4), (197, 127.4), (200, 128.3)]), 6)
    lip_line = catmull(mirrored_line([(188, 131), (194, 131.6), (200, 131.9)]), 6)
    lower_lip = catmull(mirrored_line([(188, 131), (193, 134.6), (200, 135.7)]), 6)
    lines = [nose, bridge, upper_lip, lip_line, lower_lip]
    out: list[BaseGeometry] = [LineString(pts) for pts in lines]
    out.append(mirror(LineString(bridge)))
    return out


def finger_lines() -> list[BaseGeometry]:
    """Strokes between neighbouring fingers of the viewer's-left hand, knuckles to the cleft."""
    origin, axis = ARM.frame(1.0)
    h = local_frame(origin, axis)
    inside = HAND_SHAPE.buffer(-0.6)
    out: list[BaseGeometry] = []
    for (_, b0, n0), (_, b1, n1) in zip(FINGERS, FINGERS[1:], strict=False):
        b = (b0 + b1) / 2
        length = min(n0, n1)
        line = LineString([h(31.5, b), h(30 + length * 0.5, b - 0.3), h(30 + length, b - 0.6)])
        seg = largest_line(line.intersection(inside))
        if seg is not None:
            out.append(seg)
    return out


def largest_line(geom: BaseGeometry) -> LineString | None:
    parts = [g for g in getattr(geom, "geoms", [geom]) if isinstance(g, LineString)]
    return max(parts, key=lambda g: g.length) if parts else None


def toe_lines() -> list[BaseGeometry]:
    """Short clefts between the toes on the sole of the viewer's-left foot (big toe on the
    medial side), so the sole reads as a foot seen from below."""
    sole = foot_sole()["sole"]
    inner = sole.buffer(-0.9)

    def bottom(x: float) -> float:
        return float(LineString([(x, 900), (x, 1010)]).intersection(sole).bounds[3])

    out: list[BaseGeometry] = []
    for x in (177.5, 171.0, 165.5, 160.5):
        seg = largest_line(
            LineString([(x, bottom(x) - 7.0), (x - 0.4, bottom(x) + 1)]).intersection(inner)
        )
        if seg is not None:
            out.append(seg)
    return out


def decoration(view: str) -> list[list[list[float]]]:
    """Drawn lines that are not regions (no hit targets): face features, finger separations."""
    lines: list[BaseGeometry] = []
    if view == "front":
        lines += face_lines()
    else:
        half = finger_lines() + toe_lines()
        lines += half + [mirror(g) for g in half]
    out = []
    for line in lines:
        coords = list(line.coords)
        out.append([[round(x, 1), round(y, 1)] for x, y in coords])
    return out


def main(argv: Sequence[str] | None = None) -> None:
    import argparse

    parser = argparse.ArgumentParser(description="Generate the body-chart geometry.")
    parser.add_argument("--output", type=Path, default=OUT, help="where to write the JSON")
    out_path: Path = parser.parse_args(argv).output
    vocab = json.loads(REGIONS.read_text(encoding="utf-8"))["regions"]
    midline = {r["id"] for r in vocab if r["laterality"] == "midline"}
    views = {r["id"]: r["view"] for r in vocab}
    problems: list[str] = []
    front = assemble(front_entries(), "_r", "_l", midline, problems)
    back = assemble(back_entries(), "_l", "_r", midline, problems)
    regions: dict[str, dict[str, object]] = {}
    for view, built in (("front", front), ("back", back)):
        for rid, poly in built.items():
            base = rid[:-2] if rid[-2:] in ("_l", "_r") and rid not in midline else rid
            if views.get(base) != view:
                problems.append(
                    f"{rid}: built on the {view} view, regions.json says {views.get(base)}"
                )
            regions[rid] = {"view": view, "rings": rings(poly)}
    expected = {
        r["id"] if r["laterality"] == "midline" else r["id"] + s
        for r in vocab
        for s in (("",) if r["laterality"] == "midline" else ("_l", "_r"))
    }
    for missing in sorted(expected - set(regions)):
        problems.append(f"{missing}: no polygon")
    for extra in sorted(set(regions) - expected):
        problems.append(f"{extra}: not in regions.json")
    for built in (front, back):
        items = list(built.items())
        for i, (a, pa) in enumerate(items):
            for b, pb in items[i + 1 :]:
                if pa.intersects(pb) and pa.intersection(pb).area > 0.5:
                    problems.append(f"{a} overlaps {b} ({pa.intersection(pb).area:.1f})")
    if problems:
        raise SystemExit("geometry problems:\n  " + "\n  ".join(problems))
    doc = {
        "format": "myomap.geometry/1",
        "generated_by": "tools/build_geometry.py",
        "coordinate_system": {
            "width": WIDTH,
            "height": HEIGHT,
            "y_axis": "down",
            "units": "chart units; each view is 400 wide and 1000 high",
            "front": "patient's right on the viewer's left",
            "back": "patient's left on the viewer's left",
            "both": "back view drawn to the right of the front view",
        },
        "views": {
            v: {"silhouette": rings(largest(silhouette(v)), 0.05), "decoration": decoration(v)}
            for v in ("front", "back")
        },
        "regions": dict(sorted(regions.items())),
    }
    out_path.write_text(json.dumps(doc, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {out_path}: {len(regions)} regions, {out_path.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()
