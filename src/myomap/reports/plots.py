"""Charts for the reports, drawn with Matplotlib's Agg backend (no display needed).

Every function returns PNG bytes so that templates can embed them as data URIs and the web app
can serve the same images.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from myomap.chart import chart_png

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from myomap.domain.raster import FrequencyMap

LINE = "#1f4e79"
BASELINE = "#9a9a9a"
BAND_FILL = "#eef3f8"
DPI = 150


def _figure(width_mm: float, height_mm: float) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=(width_mm / 25.4, height_mm / 25.4), dpi=DPI)


def _png(fig: Figure) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def _style(ax: Axes) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=6, length=2)
    ax.grid(axis="y", color="#e4e4e4", linewidth=0.5)


def _dates(points: Sequence[Mapping[str, Any]]) -> list[datetime]:
    return [datetime.fromisoformat(p["at"]) for p in points]


def measure_axes(ax: Axes, series: Mapping[str, Any], value_key: str = "total") -> None:
    """One measure over time on its full scale, baseline dashed, MCID band shaded."""
    import matplotlib.dates as mdates

    points = series["points"]
    xs = [float(x) for x in mdates.date2num(_dates(points))]  # type: ignore[no-untyped-call]
    ys = [p[value_key] for p in points]
    low, high = series.get("range") or (min(ys), max(ys))
    if low == high:
        low, high = low - 1, high + 1
    pad = (high - low) * 0.06
    ax.set_ylim(low - pad, high + pad)
    mcid = (series.get("mcid") or {}).get("points")
    if mcid and len(ys) > 1:
        ax.axhspan(ys[0] - mcid, ys[0] + mcid, color=BAND_FILL, zorder=0, linewidth=0)
    if len(ys) > 1:
        ax.axhline(ys[0], color=BASELINE, linewidth=0.7, linestyle="--", zorder=1)
    ax.plot(xs, ys, color=LINE, marker="o", markersize=2.5, linewidth=1.2, zorder=2)
    if len(set(xs)) == 1:  # one day only: give the axis a week around it instead of a point
        ax.set_xlim(xs[0] - 3.5, xs[0] + 3.5)
    ax.annotate(
        f"{ys[-1]:g}",
        (xs[-1], ys[-1]),
        textcoords="offset points",
        xytext=(3, 3),
        fontsize=6,
        color=LINE,
    )
    direction = series.get("direction")
    better = {
        "lower_is_better": "lower is better",
        "higher_is_better": "higher is better",
        "global_change": "1 = very much improved",
    }.get(direction or "", "")
    ax.set_title(
        f"{series.get('short', '')}" + (f"  ({better})" if better else ""),
        fontsize=6.5,
        loc="left",
        pad=3,
    )
    locator = mdates.AutoDateLocator(minticks=2, maxticks=4)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b"))  # type: ignore[no-untyped-call]
    _style(ax)


def measures_png(
    measures: Sequence[Mapping[str, Any]],
    *,
    columns: int = 3,
    width_mm: float = 180,
    row_mm: float = 38,
) -> bytes:
    """Small multiples: one panel per measure, each on its own full scale."""
    shown = [m for m in measures if m["points"]]
    rows = max(1, -(-len(shown) // columns))
    fig = _figure(width_mm, row_mm * rows)
    for i, series in enumerate(shown):
        measure_axes(fig.add_subplot(rows, columns, i + 1), series)
    if not shown:
        ax = fig.add_subplot(1, 1, 1)
        ax.axis("off")
        ax.text(0.5, 0.5, "No measurements recorded yet", ha="center", va="center", fontsize=8)
    fig.tight_layout(pad=0.6, h_pad=0.8, w_pad=1.0)
    return _png(fig)


def single_png(
    series: Mapping[str, Any],
    value_key: str = "total",
    *,
    width_mm: float = 85,
    height_mm: float = 45,
) -> bytes:
    fig = _figure(width_mm, height_mm)
    measure_axes(fig.add_subplot(1, 1, 1), series, value_key)
    fig.tight_layout(pad=0.6)
    return _png(fig)


def drawing_png(intensity: Mapping[str, float], scale: float = 0.5) -> bytes:
    """Front and back body chart coloured by the pain intensity drawn in each region."""
    return chart_png("both", highlights=dict(intensity), scale=scale)


def frequency_png(freq: FrequencyMap, scale: float = 0.6) -> bytes:
    """Share of drawings painting each place, as a heat overlay on the body chart."""
    if freq.drawings == 0:
        return chart_png("both", scale=scale)
    heat = {view: counts / freq.drawings for view, counts in freq.pixel_counts.items()}
    return chart_png("both", scale=scale, heat=heat)
