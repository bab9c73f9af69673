"""The body chart as a standalone SVG string (no drawing library needed).

Every region is one ``<path>`` whose ``id`` and ``data-region`` are the region id and whose
``<title>`` is its label, so the web app can make regions clickable and screen readers can name
them. Coordinates are the chart's own units, shifted down by the caption header.
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from myomap.chart.scene import (
    BODY_FILL,
    HEADER,
    MARK_COLOUR,
    OUTLINE,
    REGION_LINE,
    TEXT_COLOUR,
    ZONE_COLOUR,
    Panel,
    Scene,
)
from myomap.domain.geometry import Ring

MARK_SIZE = 6.0


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
    out = [f'<g class="view" data-view="{panel.view.value}" '
           f'transform="translate({_n(panel.offset_x)} {_n(HEADER)})">']
    sil = g.silhouettes.get(panel.view, ())
    if sil:
        out.append(f'<path class="silhouette" d="{path_data(sil)}" fill="{BODY_FILL}" '
                   'stroke="none"/>')
    out.append(f'<g class="regions" stroke="{REGION_LINE}" stroke-width="0.6" '
               'stroke-linejoin="round" fill-rule="evenodd">')
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
    if sil:
        out.append(f'<path class="outline" d="{path_data(sil)}" fill="none" stroke="{OUTLINE}" '
                   'stroke-width="1.6" stroke-linejoin="round"/>')
    for m in scene.marks.get(panel.view, ()):
        s = MARK_SIZE
        cross = (f"M{_n(m.x - s)} {_n(m.y - s)}L{_n(m.x + s)} {_n(m.y + s)}"
                 f"M{_n(m.x - s)} {_n(m.y + s)}L{_n(m.x + s)} {_n(m.y - s)}")
        out.append(f'<g class="mark"><path d="{cross}" stroke="#ffffff" stroke-width="4.5" '
                   f'stroke-linecap="round"/><path d="{cross}" stroke="{MARK_COLOUR}" '
                   'stroke-width="2.2" stroke-linecap="round"/>')
        if m.label:
            out.append(f'<text x="{_n(m.x + s + 3)}" y="{_n(m.y + 4)}" font-size="12" '
                       f'fill="{MARK_COLOUR}" stroke="#ffffff" stroke-width="3" '
                       f'paint-order="stroke">{escape(m.label)}</text>')
        out.append("</g>")
    w = g.width
    font = 'font-family="DejaVu Sans, Arial, sans-serif"'
    out.append(f'<text class="caption" x="{_n(w / 2)}" y="-14" text-anchor="middle" '
               f'font-size="22" font-weight="bold" fill="{TEXT_COLOUR}" {font}>'
               f"{panel.caption}</text>")
    for x, text in ((26.0, panel.left_label), (w - 26.0, panel.right_label)):
        out.append(f'<text class="side" x="{_n(x)}" y="200" text-anchor="middle" '
                   f'font-size="26" font-weight="bold" fill="{TEXT_COLOUR}" {font}>'
                   f"{text}</text>")
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
    out.append("</svg>")
    return "\n".join(out) + "\n"
