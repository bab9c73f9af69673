"""The body chart as a PNG, drawn with Matplotlib's Agg backend (no Cairo, no display).

The image is ``scale`` pixels per chart unit, so a front view at the default scale is
600 × 1560 pixels and a two-view chart 1200 × 1560. Stippled zones use a dot hatch.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from myomap.chart.scene import (
    BODY_FILL,
    DECORATION_LINE,
    HEADER,
    LABEL_SIZE,
    MARK_COLOUR,
    OUTLINE,
    REGION_LINE,
    SEPARATOR,
    SIDE_NOTE_Y,
    SIDE_X,
    SIDE_Y,
    TEXT_COLOUR,
    ZONE_COLOUR,
    Scene,
    heat_rgba,
)
from myomap.domain.geometry import Ring

if TYPE_CHECKING:
    from matplotlib.path import Path

DEFAULT_SCALE = 1.5


def _path(rings: Sequence[Ring], dx: float, dy: float) -> Path:
    from matplotlib.path import Path

    verts: list[tuple[float, float]] = []
    codes: list[Any] = []
    for ring in rings:
        verts += [(x + dx, y + dy) for x, y in ring] + [(ring[0][0] + dx, ring[0][1] + dy)]
        codes += [Path.MOVETO] + [Path.LINETO] * (len(ring) - 1) + [Path.CLOSEPOLY]
    return Path(verts, codes)


def render_png(scene: Scene, scale: float = DEFAULT_SCALE) -> bytes:
    """PNG bytes of the chart, ``round(width * scale)`` × ``round(height * scale)`` pixels."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import PathPatch

    w, h = scene.width, scene.height
    px_w, px_h = round(w * scale), round(h * scale)
    dpi = 100.0
    fig = Figure(figsize=(px_w / dpi, px_h / dpi), dpi=dpi, facecolor="white")
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    ax.set_xlim(0, w)
    ax.set_ylim(h, 0)
    ax.set_axis_off()
    lw = 0.5 * scale
    for panel in scene.panels:
        dx, dy = panel.offset_x, HEADER
        sil = scene.geometry.silhouettes.get(panel.view, ())
        if sil:
            ax.add_patch(PathPatch(_path(sil, dx, dy), facecolor=BODY_FILL, edgecolor="none"))
        for rid, rings in scene.regions(panel.view):
            style = scene.styles.get(rid)
            if style is None:
                face, alpha, hatch = BODY_FILL, 1.0, None
            elif style.zone == "stippled":
                face, alpha, hatch = style.fill, 1.0, "...."
            else:
                face, alpha, hatch = style.fill, style.opacity, None
            patch = PathPatch(
                _path(rings, dx, dy),
                facecolor=face,
                alpha=None,
                edgecolor=REGION_LINE,
                linewidth=lw * 0.8,
                hatch=hatch,
            )
            if hatch:
                patch.set_edgecolor(ZONE_COLOUR)
                patch.set_linewidth(0)
            elif style is not None:
                patch.set_facecolor(_with_alpha(face, alpha))
            ax.add_patch(patch)
            if hatch:  # the hatch took the edge colour; draw the outline on top
                ax.add_patch(
                    PathPatch(
                        _path(rings, dx, dy),
                        facecolor="none",
                        edgecolor=REGION_LINE,
                        linewidth=lw * 0.8,
                    )
                )
        grid = scene.heat.get(panel.view) if scene.heat else None
        if grid is not None:
            ax.imshow(
                heat_rgba(grid),
                extent=(dx, dx + scene.geometry.width, dy + scene.geometry.height, dy),
                interpolation="nearest",
                origin="upper",
                zorder=2.5,
            )
        for line in scene.decorations.get(panel.view, ()):
            ax.plot(
                [x + dx for x, _ in line],
                [y + dy for _, y in line],
                color=DECORATION_LINE,
                linewidth=0.9 * scale * 0.75,
                solid_capstyle="round",
                solid_joinstyle="round",
                zorder=2.7,
            )
        if sil:
            ax.add_patch(
                PathPatch(
                    _path(sil, dx, dy),
                    facecolor="none",
                    edgecolor=OUTLINE,
                    linewidth=1.6 * scale * 0.75,
                    joinstyle="round",
                    zorder=3,
                )
            )
        for m in scene.marks.get(panel.view, ()):
            x, y = m.x + dx, m.y + dy
            ax.plot(
                [x],
                [y],
                marker="x",
                markersize=9 * scale,
                markeredgewidth=4.5 * scale,
                color="white",
            )
            ax.plot(
                [x],
                [y],
                marker="x",
                markersize=8 * scale,
                markeredgewidth=2.0 * scale,
                color=MARK_COLOUR,
            )
            if m.label:
                import matplotlib.patheffects as effects

                ax.text(
                    m.label_x + dx,
                    m.label_y + dy,
                    m.label,
                    fontsize=LABEL_SIZE * scale * 0.72,
                    ha="left" if m.anchor == "start" else "right",
                    va="baseline",
                    color=MARK_COLOUR,
                    zorder=4,
                    path_effects=[effects.withStroke(linewidth=2.2 * scale, foreground="white")],
                )
        cx = dx + scene.geometry.width / 2
        ax.text(
            cx,
            26,
            panel.caption,
            ha="center",
            va="center",
            fontsize=15 * scale,
            fontweight="bold",
            color=TEXT_COLOUR,
        )
        for x, letter, words in (
            (dx + SIDE_X, panel.left_label, panel.left_words),
            (dx + scene.geometry.width - SIDE_X, panel.right_label, panel.right_words),
        ):
            ax.text(
                x,
                HEADER + SIDE_NOTE_Y,
                words,
                ha="center",
                va="baseline",
                fontsize=11 * scale * 0.75,
                color=TEXT_COLOUR,
            )
            ax.text(
                x,
                HEADER + SIDE_Y,
                letter,
                ha="center",
                va="baseline",
                fontsize=26 * scale * 0.75,
                fontweight="bold",
                color=TEXT_COLOUR,
            )
    for panel in scene.panels[1:]:  # a rule between the views keeps each one's sides apart
        ax.plot(
            [panel.offset_x, panel.offset_x],
            [HEADER * 0.5, h - 10],
            color=SEPARATOR,
            linewidth=1.2 * scale * 0.75,
            zorder=1,
        )
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, facecolor="white")
    return buf.getvalue()


def _with_alpha(colour: str, alpha: float) -> tuple[float, float, float, float]:
    c = colour.lstrip("#")
    r, g, b = (int(c[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return (r, g, b, alpha)
