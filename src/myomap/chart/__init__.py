"""Body charts: front and back views with highlights, referral zones and trigger point marks.

The small public API::

    from myomap.chart import Mark, chart_svg, save_chart
    save_chart("pain.png", view="both", highlights={"temple_r": 7},
               zones={"infraspinous_r": "solid", "shoulder_front_r": "stippled"},
               marks=[Mark("scapula_upper_r", (0.5, 0.4), "TrP")])

Region ids are concrete ids (``temple_r``). Intensities are 0–10; zone styles are ``solid``
(essential zone) or ``stippled`` (spillover). SVG needs nothing beyond the standard library;
PNG uses Matplotlib.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from myomap.chart.png import render_png
from myomap.chart.scene import (
    VIEW_CHOICES,
    Mark,
    Scene,
    build_scene,
    intensity_colour,
    parse_decorations,
)
from myomap.chart.svg import render_svg
from myomap.domain.bodymap import View
from myomap.domain.errors import UsageError
from myomap.domain.geometry import Point
from myomap.knowledge.loader import data_root, load_bodymap, load_geometry, read_json

if TYPE_CHECKING:
    import numpy.typing as npt

__all__ = [
    "VIEW_CHOICES",
    "Mark",
    "Scene",
    "chart_png",
    "chart_svg",
    "intensity_colour",
    "save_chart",
    "scene",
    "trp_point",
]

FORMATS = (".svg", ".png")


def scene(
    view: str = "front",
    highlights: Mapping[str, float] | None = None,
    zones: Mapping[str, str] | None = None,
    marks: Iterable[Mark] = (),
    heat: Mapping[View, npt.NDArray[Any]] | None = None,
) -> Scene:
    """A validated scene on the bundled geometry, labelled with the region vocabulary."""
    labels = {r.id: r.label for r in load_bodymap()}
    return build_scene(
        load_geometry(), view, highlights, zones, marks, labels, heat, _decorations()
    )


@lru_cache(maxsize=1)
def _decorations() -> dict[View, tuple[tuple[Point, ...], ...]]:
    return parse_decorations(read_json(data_root() / "bodymap" / "geometry.json"))


def chart_svg(
    view: str = "front",
    highlights: Mapping[str, float] | None = None,
    zones: Mapping[str, str] | None = None,
    marks: Iterable[Mark] = (),
    heat: Mapping[View, npt.NDArray[Any]] | None = None,
) -> str:
    """SVG text; ``heat`` overlays per-pixel values 0..1 as an embedded image."""
    title = {"front": "Body chart, front view", "back": "Body chart, back view"}.get(
        view, "Body chart, front and back views"
    )
    return render_svg(scene(view, highlights, zones, marks, heat), title)


def chart_png(
    view: str = "front",
    highlights: Mapping[str, float] | None = None,
    zones: Mapping[str, str] | None = None,
    marks: Iterable[Mark] = (),
    scale: float = 1.5,
    heat: Mapping[View, npt.NDArray[Any]] | None = None,
) -> bytes:
    """PNG bytes; ``heat`` overlays per-pixel values 0..1 (a frequency map's pixel shares)."""
    return render_png(scene(view, highlights, zones, marks, heat), scale)


def save_chart(
    path: str | Path,
    view: str = "front",
    highlights: Mapping[str, float] | None = None,
    zones: Mapping[str, str] | None = None,
    marks: Iterable[Mark] = (),
    heat: Mapping[View, npt.NDArray[Any]] | None = None,
) -> Path:
    """Write the chart as SVG or PNG, chosen by the file suffix."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in FORMATS:
        raise UsageError(
            f"Cannot write a chart as {suffix or 'a file without suffix'!r}: "
            "name the output file .svg or .png."
        )
    marks = list(marks)
    if suffix == ".svg":
        data = chart_svg(view, highlights, zones, marks, heat).encode("utf-8")
    else:
        data = chart_png(view, highlights, zones, marks, heat=heat)
    try:
        target.write_bytes(data)
    except OSError as exc:
        raise UsageError(f"Cannot write {target}: {exc.strerror}.") from exc
    return target


def trp_point(region_id: str, at: tuple[float, float] = (0.5, 0.5)) -> tuple[View, float, float]:
    """Chart point of an atlas location in a concrete region of the bundled geometry."""
    return load_geometry().trp_point(region_id, at)
