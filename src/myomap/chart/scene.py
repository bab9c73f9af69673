"""What a chart shows, independent of the output format.

SVG and PNG renderers both draw a :class:`Scene`, so the two formats always agree: which views
sit where, the fill of every region, stippled zones, trigger point marks and the side labels.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from myomap.domain.bodymap import View
from myomap.domain.errors import UnknownRegionError, UsageError
from myomap.domain.geometry import ChartGeometry, Point, Ring

if TYPE_CHECKING:
    import numpy.typing as npt

ViewChoice = Literal["front", "back", "both"]
ZoneStyle = Literal["solid", "stippled"]
VIEW_CHOICES: tuple[str, ...] = ("front", "back", "both")
ZONE_STYLES: tuple[str, ...] = ("solid", "stippled")

HEADER = 40.0  # room above the figure for the captions
SIDE_X = 92.0  # side letters sit beside the figure's own shoulders, this far from the edge
SIDE_Y = 183.0  # baseline of the side letter (chart units, below the header)
SIDE_NOTE_Y = 150.0  # baseline of the "Patient's right" note above it
SIDE_WORDS = {"R": "Patient's right", "L": "Patient's left"}
DECORATION_LINE = "#8a7f78"
SEPARATOR = "#d6cfc9"
HEAT_ALPHA = 0.85
BODY_FILL = "#f4ede7"
REGION_LINE = "#a0958d"
OUTLINE = "#4a4440"
ZONE_COLOUR = "#c62828"
ZONE_STIPPLE_BG = "#fbe3e1"
MARK_COLOUR = "#111111"
TEXT_COLOUR = "#333333"
# intensity ramp 0..10, pale yellow to dark red (colour-blind safe sequential, like YlOrRd)
RAMP: tuple[tuple[float, tuple[int, int, int]], ...] = (
    (0.0, (255, 245, 190)),
    (3.0, (254, 204, 92)),
    (5.0, (253, 141, 60)),
    (7.0, (240, 59, 32)),
    (10.0, (128, 0, 38)),
)


def intensity_colour(value: float) -> str:
    """Hex colour for a 0–10 intensity on the chart's sequential ramp."""
    v = min(max(value, 0.0), 10.0)
    for (a, ca), (b, cb) in zip(RAMP, RAMP[1:], strict=False):
        if v <= b:
            f = (v - a) / (b - a)
            rgb = tuple(round(x + (y - x) * f) for x, y in zip(ca, cb, strict=True))
            return "#{:02x}{:02x}{:02x}".format(*rgb)
    return "#{:02x}{:02x}{:02x}".format(*RAMP[-1][1])


def heat_rgba(grid: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """RGBA bytes (rows × columns × 4) of a 0..1 heat grid on the intensity ramp.

    Both renderers draw this one image, so a heat map looks the same in SVG and PNG; cells at
    zero stay transparent so the body shows through.
    """
    import numpy as np

    values = np.clip(np.nan_to_num(np.asarray(grid, dtype=float)), 0.0, 1.0) * 10.0
    stops = np.array([s for s, _ in RAMP])
    colours = np.array([c for _, c in RAMP], dtype=float)
    out = np.zeros((*values.shape, 4), dtype=np.uint8)
    for channel in range(3):
        out[..., channel] = np.rint(np.interp(values, stops, colours[:, channel]))
    out[..., 3] = np.where(values > 0.0, round(255 * HEAT_ALPHA), 0)
    return out


@dataclass(frozen=True)
class Mark:
    """A point to mark with an X: a region and a position in it (see ``trp_point``)."""

    region: str
    at: tuple[float, float] = (0.5, 0.5)
    label: str | None = None


@dataclass(frozen=True)
class RegionStyle:
    fill: str
    opacity: float = 1.0
    zone: ZoneStyle | None = None


@dataclass(frozen=True)
class PlacedMark:
    x: float
    y: float
    label: str | None
    # where the label's baseline starts or ends (``anchor``), chosen so labels do not collide
    label_x: float = 0.0
    label_y: float = 0.0
    anchor: Literal["start", "end"] = "start"


MARK_SIZE = 6.0  # half the width of the X
LABEL_SIZE = 12.0  # label font size in chart units
LABEL_CHAR = 0.62 * LABEL_SIZE  # generous average glyph width, so estimates err on the wide side
Box = tuple[float, float, float, float]


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def side_text_boxes(width: float) -> list[Box]:
    """Rough extents of the side letters and notes of a view (kept clear of mark labels)."""
    boxes: list[Box] = []
    for x in (SIDE_X, width - SIDE_X):
        boxes.append((x - 14, SIDE_Y - 21, x + 14, SIDE_Y + 3))
        boxes.append((x - 48, SIDE_NOTE_Y - 10, x + 48, SIDE_NOTE_Y + 3))
    return boxes


def place_labels(
    points: list[tuple[float, float, str | None]], width: float, height: float
) -> list[PlacedMark]:
    """Put each mark's label beside it where it hits no other label, mark or side text.

    Candidates go right, left, then a line above or below on either side; a label that fits
    nowhere takes the first candidate inside the view. Greedy, in the given order, so the result
    is the same every time.
    """
    s = MARK_SIZE
    taken: list[Box] = side_text_boxes(width)
    taken += [(x - s - 1, y - s - 1, x + s + 1, y + s + 1) for x, y, _ in points]
    out: list[PlacedMark] = []
    for x, y, label in points:
        if not label:
            out.append(PlacedMark(x, y, label, x, y))
            continue
        w = LABEL_CHAR * len(label)
        options: list[tuple[float, float, Literal["start", "end"]]] = [
            (x + s + 3, y + 4, "start"),
            (x - s - 3, y + 4, "end"),
            (x + s + 1, y - s - 4, "start"),
            (x - s - 1, y - s - 4, "end"),
            (x + s + 1, y + s + 13, "start"),
            (x - s - 1, y + s + 13, "end"),
            (x + s + 3, y - 2 * s - 10, "start"),
            (x - s - 3, y - 2 * s - 10, "end"),
            (x + s + 3, y + 2 * s + 20, "start"),
            (x - s - 3, y + 2 * s + 20, "end"),
        ]

        def box(lx: float, ly: float, anchor: str, w: float = w) -> Box:
            x0 = lx if anchor == "start" else lx - w
            return (x0, ly - LABEL_SIZE * 0.8, x0 + w, ly + LABEL_SIZE * 0.25)

        def inside(b: Box) -> bool:
            return b[0] >= 2 and b[2] <= width - 2 and b[1] >= -HEADER + 2 and b[3] <= height - 2

        fits = [o for o in options if inside(box(*o))]
        free = [o for o in fits if not any(_overlaps(box(*o), t) for t in taken)]
        lx, ly, anchor = (free or fits or options)[0]
        taken.append(box(lx, ly, anchor))
        out.append(PlacedMark(x, y, label, lx, ly, anchor))
    return out


@dataclass(frozen=True)
class Panel:
    view: View
    offset_x: float
    caption: str
    left_label: str  # side letter on the viewer's left ("R" or "L", the patient's side)
    right_label: str

    @property
    def left_words(self) -> str:
        return SIDE_WORDS[self.left_label]

    @property
    def right_words(self) -> str:
        return SIDE_WORDS[self.right_label]


@dataclass(frozen=True)
class Scene:
    geometry: ChartGeometry
    panels: tuple[Panel, ...]
    styles: Mapping[str, RegionStyle]
    marks: Mapping[View, tuple[PlacedMark, ...]]
    labels: Mapping[str, str] = field(default_factory=dict)
    # per-pixel values 0..1 on a grid over each view (a frequency heat map)
    heat: Mapping[View, npt.NDArray[Any]] | None = None
    # open polylines drawn over the regions (face features, finger separations): not regions
    decorations: Mapping[View, tuple[tuple[Point, ...], ...]] = field(default_factory=dict)

    @property
    def width(self) -> float:
        return self.geometry.width * len(self.panels)

    @property
    def height(self) -> float:
        return self.geometry.height + HEADER

    def regions(self, view: View) -> list[tuple[str, tuple[Ring, ...]]]:
        return [
            (r.id, r.shape.rings) for r in sorted(self.geometry.in_view(view), key=lambda r: r.id)
        ]


def panels_for(view: str) -> tuple[Panel, ...]:
    if view not in VIEW_CHOICES:
        raise UsageError(f"Unknown view {view!r}: use one of {', '.join(VIEW_CHOICES)}.")
    front = Panel(View.FRONT, 0.0, "Front", "R", "L")
    back = Panel(View.BACK, 0.0, "Back", "L", "R")
    if view == "front":
        return (front,)
    if view == "back":
        return (back,)
    return (front, Panel(View.BACK, 400.0, "Back", "L", "R"))


def _check_region(geometry: ChartGeometry, rid: str) -> None:
    if rid not in geometry.regions:
        import difflib

        raise UnknownRegionError(rid, difflib.get_close_matches(rid, list(geometry.regions), 3))


def build_scene(
    geometry: ChartGeometry,
    view: str = "front",
    highlights: Mapping[str, float] | None = None,
    zones: Mapping[str, str] | None = None,
    marks: Iterable[Mark] = (),
    labels: Mapping[str, str] | None = None,
    heat: Mapping[View, npt.NDArray[Any]] | None = None,
    decorations: Mapping[View, tuple[tuple[Point, ...], ...]] | None = None,
) -> Scene:
    """Validate the inputs and decide the look of every region and mark."""
    panels = panels_for(view)
    styles: dict[str, RegionStyle] = {}
    for rid, value in (highlights or {}).items():
        _check_region(geometry, rid)
        if not 0 <= value <= 10:
            raise UsageError(f"Highlight intensity for {rid} must be between 0 and 10.")
        styles[rid] = RegionStyle(intensity_colour(value), 0.6 + 0.04 * value)
    for rid, style in (zones or {}).items():
        _check_region(geometry, rid)
        if style not in ZONE_STYLES:
            raise UsageError(f"Zone style for {rid} must be 'solid' or 'stippled'.")
        if style == "solid":
            styles[rid] = RegionStyle(ZONE_COLOUR, 0.85, "solid")
        else:
            styles[rid] = RegionStyle(ZONE_STIPPLE_BG, 1.0, "stippled")
    points: dict[View, list[tuple[float, float, str | None]]] = {View.FRONT: [], View.BACK: []}
    for mark in marks:
        _check_region(geometry, mark.region)
        v, x, y = geometry.trp_point(mark.region, mark.at)
        points[v].append((x, y, mark.label))
    placed = {v: place_labels(p, geometry.width, geometry.height) for v, p in points.items()}
    for v, grid in (heat or {}).items():
        if len(getattr(grid, "shape", ())) != 2:
            raise UsageError(f"The heat map of the {v.value} view must be a 2-D grid of values.")
    return Scene(
        geometry,
        panels,
        styles,
        {v: tuple(p) for v, p in placed.items()},
        dict(labels or {}),
        heat,
        dict(decorations or {}),
    )


def parse_decorations(doc: Mapping[str, Any]) -> dict[View, tuple[tuple[Point, ...], ...]]:
    """The decoration lines of each view in a geometry document (none when absent)."""
    out: dict[View, tuple[tuple[Point, ...], ...]] = {}
    for name, raw in doc.get("views", {}).items():
        lines = raw.get("decoration", [])
        out[View(name)] = tuple(
            tuple((float(x), float(y)) for x, y in line) for line in lines if len(line) >= 2
        )
    return out
