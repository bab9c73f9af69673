"""Exercise pictures as SVG, in the colours of the body chart.

The near limbs are drawn dark, the far limbs lighter, the part being stretched in the chart's
warm accent, and the movement as a blue arrow, so a person can tell at a glance which side moves
and where. The same markup serves the client's phone page and the PDF handout.
"""

from __future__ import annotations

import math
from html import escape

from myomap.chart.scene import BODY_FILL, DECORATION_LINE, OUTLINE
from myomap.domain.pose import Figure, Point, Pose, build, step

SCALE = 22.0  # pixels per head height
NEAR = OUTLINE
FAR = DECORATION_LINE
ACCENT = "#b8442f"
# Line widths by segment: the trunk and the close-ups' forearm, shin and palm are drawn thicker.
WIDTHS = {"torso": 7, "forearm": 5, "hand": 5, "eye": 6, "nose": 4}
ARROW = "#1d5fa8"
PROP = "#9aa3ad"


def _xy(p: Point, ox: float, oy: float) -> tuple[float, float]:
    return round((p[0] - ox) * SCALE, 1), round((oy - p[1]) * SCALE, 1)


def _arrow(fig: Figure, pose: Pose, ox: float, oy: float) -> str:
    if pose.arrow is None:
        return ""
    a = pose.arrow
    base = fig.joints[a.at]
    # Start a little off the joint, so the arrow does not hide the limb.
    start = step(base, a.direction, 0.35)
    end = step(start, a.direction, a.length)
    x1, y1 = _xy(start, ox, oy)
    x2, y2 = _xy(end, ox, oy)
    if a.curve:
        mx, my = (x1 + x2) / 2, (y1 + y2) / 2
        nx, ny = -(y2 - y1), x2 - x1
        k = a.curve / 90
        path = f"M{x1},{y1} Q{mx + nx * k:.1f},{my + ny * k:.1f} {x2},{y2}"
        tail = (mx + nx * k, my + ny * k)
    else:
        path = f"M{x1},{y1} L{x2},{y2}"
        tail = (x1, y1)
    ang = math.atan2(y2 - tail[1], x2 - tail[0])
    head = [(x2, y2)] + [
        (x2 - 9 * math.cos(ang + d), y2 - 9 * math.sin(ang + d)) for d in (0.45, -0.45)
    ]
    tri = " ".join(f"{x:.1f},{y:.1f}" for x, y in head)
    return (
        f'<path d="{path}" fill="none" stroke="{ARROW}" stroke-width="3" '
        f'stroke-linecap="round"/><polygon points="{tri}" fill="{ARROW}"/>'
    )


def _props(
    fig: Figure, pose: Pose, bounds: tuple[float, float, float, float], ox: float, oy: float
) -> list[str]:
    x0, y0, x1, y1 = bounds
    out = []
    for p in pose.props:
        if p.kind == "floor":
            a, b = _xy((x0 - 0.3, y0), ox, oy), _xy((x1 + 0.3, y0), ox, oy)
            out.append(
                f'<line x1="{a[0]}" y1="{a[1]}" x2="{b[0]}" y2="{b[1]}" '
                f'stroke="{PROP}" stroke-width="3"/>'
            )
        elif p.kind in ("wall", "door"):
            x = x1 + 0.15 if p.side == "front" else x0 - 0.15
            a, b = _xy((x, y0), ox, oy), _xy((x, y1 + 0.2), ox, oy)
            dash = ' stroke-dasharray="6 4"' if p.kind == "door" else ""
            out.append(
                f'<line x1="{a[0]}" y1="{a[1]}" x2="{b[0]}" y2="{b[1]}" '
                f'stroke="{PROP}" stroke-width="4"{dash}/>'
            )
        elif p.kind == "chair":
            seat = fig.joints["pelvis"]
            a, b = (
                _xy((seat[0] - 0.6, seat[1] - 0.12), ox, oy),
                _xy((seat[0] + 0.9, seat[1] - 0.12), ox, oy),
            )
            leg = _xy((seat[0] - 0.6, y0), ox, oy)
            leg2 = _xy((seat[0] + 0.9, y0), ox, oy)
            back = _xy((seat[0] - 0.6, seat[1] + 1.6), ox, oy)
            out.append(
                f'<path d="M{back[0]},{back[1]} L{a[0]},{a[1]} L{b[0]},{b[1]} '
                f'M{a[0]},{a[1]} L{leg[0]},{leg[1]} M{b[0]},{b[1]} L{leg2[0]},{leg2[1]}" '
                f'fill="none" stroke="{PROP}" stroke-width="3"/>'
            )
        elif p.kind == "ball" and p.at:
            c = _xy(fig.joints[p.at], ox, oy)
            out.append(
                f'<circle cx="{c[0]}" cy="{c[1]}" r="6" fill="#e2c044" '
                f'stroke="{OUTLINE}" stroke-width="1"/>'
            )
        elif p.kind == "strap" and p.at:
            a, b = _xy(fig.joints[p.at], ox, oy), _xy(fig.joints["hand_a"], ox, oy)
            out.append(
                f'<line x1="{a[0]}" y1="{a[1]}" x2="{b[0]}" y2="{b[1]}" '
                f'stroke="#6b8e23" stroke-width="2.5"/>'
            )
    return out


def pose_svg(pose: Pose, *, width: int = 180) -> str:
    """A self-contained SVG of the pose, ``width`` pixels wide, with a title for screen readers."""
    fig = build(pose)
    x0, y0, x1, y1 = fig.bounds()
    # A square frame around the figure, so every picture in a list has the same size.
    side = max(x1 - x0, y1 - y0) + 1.0
    ox = (x0 + x1) / 2 - side / 2
    oy = y0 + side - 0.5 if pose.props else (y0 + y1) / 2 + side / 2
    w = h = side * SCALE
    parts = [f'<rect width="{w:.0f}" height="{h:.0f}" fill="#ffffff"/>']
    parts += _props(fig, pose, (x0, y0, x1, y1), ox, oy)
    for layer in ("far", "near"):
        for name, a, b, lay in fig.segments:
            if lay != layer:
                continue
            colour = ACCENT if name in pose.highlight else (NEAR if lay == "near" else FAR)
            (xa, ya), (xb, yb) = _xy(a, ox, oy), _xy(b, ox, oy)
            width_px = WIDTHS.get(name.removesuffix("_a").removesuffix("_b"), 5)
            if pose.view in ("hand", "foot"):
                width_px = 14 if name in ("forearm_a", "shin_a", "hand_a", "foot_a") else 8
            if name == "fingers_a":  # four fingers, fanned a little
                for turn in (-0.18, -0.06, 0.06, 0.18):
                    dx, dy = xb - xa, yb - ya
                    c, s_ = math.cos(turn), math.sin(turn)
                    fx, fy = xa + dx * c - dy * s_, ya + dx * s_ + dy * c
                    parts.append(
                        f'<line x1="{xa}" y1="{ya}" x2="{fx:.1f}" y2="{fy:.1f}" '
                        f'stroke="{colour}" stroke-width="7" stroke-linecap="round"/>'
                    )
                continue
            parts.append(
                f'<line x1="{xa}" y1="{ya}" x2="{xb}" y2="{yb}" stroke="{colour}" '
                f'stroke-width="{width_px}" stroke-linecap="round"/>'
            )
    (hx, hy), r = _xy(fig.head[0], ox, oy), fig.head[1] * SCALE
    head_colour = ACCENT if "head" in pose.highlight else NEAR
    if r > 0:
        circle = (
            f'<circle cx="{hx}" cy="{hy}" r="{r:.1f}" fill="{BODY_FILL}" '
            f'stroke="{head_colour}" stroke-width="3"/>'
        )
        # A face close-up draws the jaw over the head; a whole figure draws the head last.
        if pose.view == "face":
            parts.insert(1, circle)
        else:
            parts.append(circle)
    if pose.view in ("side", "face"):
        nose = (
            fig.head[0][0] + fig.head[1] * math.sin(math.radians(fig.face)),
            fig.head[0][1] - fig.head[1] * math.cos(math.radians(fig.face)),
        )
        nx, ny = _xy(nose, ox, oy)
        parts.append(f'<circle cx="{nx}" cy="{ny}" r="3" fill="{NEAR}"/>')
    parts.append(_arrow(fig, pose, ox, oy))
    height = width
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w:.0f} {h:.0f}" '
        f'width="{width}" height="{height}" role="img" class="pose">'
        f"<title>{escape(pose.title)}</title>{''.join(parts)}</svg>"
    )
