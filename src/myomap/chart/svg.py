"""The body chart as a standalone SVG string (no drawing library needed).

Every region is one ``<path>`` whose ``id`` and ``data-region`` are the region id and whose
``<title>`` is its label, so the web app can make regions clickable and screen readers can name
them. Decoration lines and a heat map sit on top with ``pointer-events="none"`` so clicks still
reach the regions. Coordinates are the chart's own units, shifted down by the caption header.
"""

from __future__ import annotations

import base64
import struct
import zlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape, quoteattr

from myomap.chart.scene import (
    BODY_FILL,
    DECORATION_LINE,
    HEADER,
    LABEL_SIZE,
    MARK_COLOUR,
    MARK_SIZE,
    OUTLINE,
    REGION_LINE,
    SEPARATOR,
    SIDE_NOTE_Y,
    SIDE_X,
    SIDE_Y,
    TEXT_COLOUR,
    ZONE_COLOUR,
    Panel,
    Scene,
    heat_rgba,
)
from myomap.domain.geometry import Point, Ring

if TYPE_CHECKING:
    import numpy.typing as npt


def path_data(rings: Sequence[Ring]) -> str:
    parts = []
    for ring in rings:
        head, *rest = ring
        pts = " ".join(f"{_n(x)} {_n(y)}" for x, y in rest)
        parts.append(f"M{_n(head[0])} {_n(head[1])}L{pts}Z")
    return "".join(parts)


def _n(v: float) -> str:
    text = f"{v:.1f}"
    return text[:-2] if text.endswith(".0") else text


def line_data(lines: Sequence[Sequence[Point]]) -> str:
    return "".join(
        f"M{_n(a[0])} {_n(a[1])}L" + " ".join(f"{_n(x)} {_n(y)}" for x, y in rest)
        for a, *rest in lines
    )


def png_bytes(rgba: npt.NDArray[Any]) -> bytes:
    """A minimal RGBA PNG (standard library only) of a rows × columns × 4 uint8 array."""
    rows, cols = int(rgba.shape[0]), int(rgba.shape[1])
    raw = b"".join(b"\x00" + rgba[r].tobytes() for r in range(rows))

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", cols, rows, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def _heat_image(grid: npt.NDArray[Any], width: float, height: float) -> str:
    data = base64.b64encode(png_bytes(heat_rgba(grid))).decode("ascii")
    return (
        f'<image class="heat" x="0" y="0" width="{_n(width)}" height="{_n(height)}" '
        'preserveAspectRatio="none" pointer-events="none" '
        'style="image-rendering:pixelated" '
        f'href="data:image/png;base64,{data}"/>'
    )


def _defs() -> str:
    return (
        "<defs>"
        '<pattern id="stipple" width="5" height="5" patternUnits="userSpaceOnUse">'
        f'<rect width="5" height="5" fill="#fbe3e1"/>'
        f'<circle cx="1.5" cy="1.5" r="0.9" fill="{ZONE_COLOUR}"/>'
        f'<circle cx="4" cy="4" r="0.9" fill="{ZONE_COLOUR}"/>'
        "</pattern></defs>"
    )


def _panel(scene: Scene, panel: Panel) -> list[str]:
    g = scene.geometry
    out = [
        f'<g class="view" data-view="{panel.view.value}" '
        f'transform="translate({_n(panel.offset_x)} {_n(HEADER)})">'
    ]
    sil = g.silhouettes.get(panel.view, ())
    if sil:
        out.append(
            f'<path class="silhouette" d="{path_data(sil)}" fill="{BODY_FILL}" stroke="none"/>'
        )
    out.append(
        f'<g class="regions" stroke="{REGION_LINE}" stroke-width="0.6" '
        'stroke-linejoin="round" fill-rule="evenodd">'
    )
    for rid, rings in scene.regions(panel.view):
        style = scene.styles.get(rid)
        attrs = f'id="{rid}" class="region" data-region="{rid}" d="{path_data(rings)}"'
        if style is None:
            attrs += f' fill="{BODY_FILL}"'
        else:
            fill = "url(#stipple)" if style.zone == "stippled" else style.fill
            attrs += f' fill="{fill}" fill-opacity="{style.opacity:.2f}"'
            attrs += f' data-style="{style.zone or "highlight"}"'
        label = scene.labels.get(rid, rid)
        out.append(f"<path {attrs}><title>{escape(label)}</title></path>")
    out.append("</g>")
    grid = scene.heat.get(panel.view) if scene.heat else None
    if grid is not None:
        out.append(_heat_image(grid, g.width, g.height))
    lines = scene.decorations.get(panel.view, ())
    if lines:
        out.append(
            f'<path class="decoration" d="{line_data(lines)}" fill="none" '
            f'stroke="{DECORATION_LINE}" stroke-width="0.9" stroke-linecap="round" '
            'stroke-linejoin="round" pointer-events="none"/>'
        )
    if sil:
        out.append(
            f'<path class="outline" d="{path_data(sil)}" fill="none" stroke="{OUTLINE}" '
            'stroke-width="1.6" stroke-linejoin="round"/>'
        )
    for m in scene.marks.get(panel.view, ()):
        s = MARK_SIZE
        cross = (
            f"M{_n(m.x - s)} {_n(m.y - s)}L{_n(m.x + s)} {_n(m.y + s)}"
            f"M{_n(m.x - s)} {_n(m.y + s)}L{_n(m.x + s)} {_n(m.y - s)}"
        )
        out.append(
            f'<g class="mark"><path d="{cross}" stroke="#ffffff" stroke-width="4.5" '
            f'stroke-linecap="round"/><path d="{cross}" stroke="{MARK_COLOUR}" '
            'stroke-width="2.2" stroke-linecap="round"/>'
        )
        if m.label:
            out.append(
                f'<text class="mark-label" x="{_n(m.label_x)}" y="{_n(m.label_y)}" '
                f'text-anchor="{m.anchor}" font-size="{_n(LABEL_SIZE)}" '
                f'fill="{MARK_COLOUR}" stroke="#ffffff" stroke-width="3" '
                f'paint-order="stroke">{escape(m.label)}</text>'
            )
        out.append("</g>")
    w = g.width
    font = 'font-family="DejaVu Sans, Arial, sans-serif"'
    out.append(
        f'<text class="caption" x="{_n(w / 2)}" y="-14" text-anchor="middle" '
        f'font-size="22" font-weight="bold" fill="{TEXT_COLOUR}" {font}>'
        f"{panel.caption}</text>"
    )
    for x, letter, words in (
        (SIDE_X, panel.left_label, panel.left_words),
        (w - SIDE_X, panel.right_label, panel.right_words),
    ):
        out.append(
            f'<text class="side-note" x="{_n(x)}" y="{_n(SIDE_NOTE_Y)}" '
            f'text-anchor="middle" font-size="11" fill="{TEXT_COLOUR}" {font}>'
            f"{escape(words)}</text>"
        )
        out.append(
            f'<text class="side" x="{_n(x)}" y="{_n(SIDE_Y)}" text-anchor="middle" '
            f'font-size="26" font-weight="bold" fill="{TEXT_COLOUR}" {font}>'
            f"{letter}<title>{escape(words)}</title></text>"
        )
    out.append("</g>")
    return out


def render_svg(scene: Scene, title: str = "Body chart") -> str:
    """The whole chart; ``title`` names the document for assistive technology."""
    w, h = scene.width, scene.height
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(w)} {_n(h)}" '
        f'width="{_n(w)}" height="{_n(h)}" role="img" aria-label={quoteattr(title)}>',
        f"<title>{escape(title)}</title>",
        _defs(),
        f'<rect width="{_n(w)}" height="{_n(h)}" fill="#ffffff"/>',
    ]
    for panel in scene.panels:
        out += _panel(scene, panel)
    for panel in scene.panels[1:]:  # a rule between the views keeps each one's sides apart
        x = _n(panel.offset_x)
        out.append(
            f'<line class="separator" x1="{x}" y1="{_n(HEADER * 0.5)}" x2="{x}" '
            f'y2="{_n(h - 10)}" stroke="{SEPARATOR}" stroke-width="1.2"/>'
        )
    out.append("</svg>")
    return "\n".join(out) + "\n"
