"""Pain drawings on the equal-area template: pixels, coverage, extent, overlap and frequency.

The template is a fixed grid over both chart views (``RESOLUTION`` chart units per pixel) in
which every pixel belongs to at most one region. Because every pixel covers the same chart area,
counting pixels compares areas directly, which is what published pain-extent and overlap
measures need. Regions listed in a drawing cover their region fully; strokes cover the pixels
within half the brush width of the polyline.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from myomap.domain.bodymap import View
from myomap.domain.drawing import PainArea, PainDrawing, Stroke
from myomap.domain.geometry import ChartGeometry, points_in_rings

RESOLUTION = 2.0  # chart units per template pixel
VIEWS: tuple[View, ...] = (View.FRONT, View.BACK)

Mask = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class RegionPain:
    """How much of a region a drawing covers, and the worst pain drawn there."""

    coverage: float  # fraction of the region's pixels, 0..1
    intensity: int  # highest intensity of the areas touching the region
    quality: str | None  # quality of that area


@dataclass(frozen=True)
class Template:
    """Region labels per view: ``labels[view][row, col]`` is a region index or -1 (off body)."""

    labels: Mapping[View, npt.NDArray[np.int16]]
    region_ids: tuple[str, ...]
    pixels: npt.NDArray[np.int64]  # pixel count per region index
    area_percent: Mapping[str, float]
    resolution: float

    @property
    def index(self) -> dict[str, int]:
        return {rid: i for i, rid in enumerate(self.region_ids)}

    def body(self, view: View) -> Mask:
        return self.labels[view] >= 0

    def region_mask(self, rid: str) -> tuple[View, Mask]:
        i = self.region_ids.index(rid)
        for view in VIEWS:
            mask = self.labels[view] == i
            if mask.any():
                return view, mask
        raise KeyError(rid)

    def empty(self) -> dict[View, Mask]:
        return {v: np.zeros(self.labels[v].shape, dtype=bool) for v in VIEWS}


def build_template(geometry: ChartGeometry, resolution: float = RESOLUTION) -> Template:
    cols = int(round(geometry.width / resolution))
    rows = int(round(geometry.height / resolution))
    ids = tuple(sorted(geometry.regions))
    labels = {v: np.full((rows, cols), -1, dtype=np.int16) for v in VIEWS}
    pixels = np.zeros(len(ids), dtype=np.int64)
    for i, rid in enumerate(ids):
        region = geometry.regions[rid]
        x0, y0, x1, y1 = region.shape.bbox
        c0, c1 = max(int(x0 / resolution), 0), min(int(x1 / resolution) + 1, cols)
        r0, r1 = max(int(y0 / resolution), 0), min(int(y1 / resolution) + 1, rows)
        xs = (np.arange(c0, c1) + 0.5) * resolution
        ys = (np.arange(r0, r1) + 0.5) * resolution
        gx, gy = np.meshgrid(xs, ys)
        inside = points_in_rings(region.shape.rings, gx, gy)
        block = labels[region.view][r0:r1, c0:c1]
        free = inside & (block < 0)
        block[free] = i
        pixels[i] = int(free.sum())
    return Template(labels, ids, pixels, geometry.area_percent(), resolution)


def stroke_mask(stroke: Stroke, shape: tuple[int, int], resolution: float) -> Mask:
    """Pixels whose centre lies within half the brush width of the stroke's polyline."""
    rows, cols = shape
    mask = np.zeros(shape, dtype=bool)
    r = stroke.width / 2.0
    pts = np.asarray(stroke.points, dtype=float)
    pts = pts[np.isfinite(pts).all(axis=1)]
    if len(pts) == 0:
        return mask
    if len(pts) == 1:
        pts = np.vstack([pts, pts])
    for (ax, ay), (bx, by) in zip(pts[:-1], pts[1:], strict=True):
        c0 = max(int((min(ax, bx) - r) / resolution), 0)
        c1 = min(int((max(ax, bx) + r) / resolution) + 1, cols)
        r0 = max(int((min(ay, by) - r) / resolution), 0)
        r1 = min(int((max(ay, by) + r) / resolution) + 1, rows)
        if c0 >= c1 or r0 >= r1:
            continue
        gx, gy = np.meshgrid(
            (np.arange(c0, c1) + 0.5) * resolution, (np.arange(r0, r1) + 0.5) * resolution
        )
        dx, dy = bx - ax, by - ay
        seg2 = dx * dx + dy * dy
        if seg2 == 0:
            t = np.zeros_like(gx)
        else:
            t = np.clip(((gx - ax) * dx + (gy - ay) * dy) / seg2, 0.0, 1.0)
        d2 = (gx - ax - t * dx) ** 2 + (gy - ay - t * dy) ** 2
        mask[r0:r1, c0:c1] |= d2 <= r * r
    return mask


def area_masks(area: PainArea, template: Template) -> dict[View, Mask]:
    """Body pixels one pain area covers on each view."""
    masks = template.empty()
    index = template.index
    for rid in area.regions:
        i = index[rid]
        for view in VIEWS:
            masks[view] |= template.labels[view] == i
    for stroke in area.strokes:
        view = View(stroke.view)
        masks[view] |= stroke_mask(stroke, masks[view].shape, template.resolution)
    return {v: m & template.body(v) for v, m in masks.items()}


def drawing_masks(drawing: PainDrawing, template: Template) -> dict[View, Mask]:
    """All painted body pixels of a drawing (every area, whatever its intensity)."""
    total = template.empty()
    for area in drawing.areas:
        for view, mask in area_masks(area, template).items():
            total[view] |= mask
    return total


def _counts(masks: Mapping[View, Mask], template: Template) -> npt.NDArray[np.int64]:
    n = len(template.region_ids)
    counts = np.zeros(n, dtype=np.int64)
    for view in VIEWS:
        labels = template.labels[view][masks[view]]
        counts += np.bincount(labels[labels >= 0], minlength=n)
    return counts


def coverage_by_region(drawing: PainDrawing, template: Template) -> dict[str, RegionPain]:
    """Per region: share covered by any area, and the highest intensity drawn there."""
    n = len(template.region_ids)
    union = np.zeros(n, dtype=np.int64)
    best = np.full(n, -1, dtype=np.int64)
    quality: list[str | None] = [None] * n
    covered_any = template.empty()
    for area in drawing.areas:
        masks = area_masks(area, template)
        counts = _counts(masks, template)
        for i in np.flatnonzero((counts > 0) & (best < area.intensity)):
            best[i] = area.intensity
            quality[i] = area.quality
        for view in VIEWS:
            covered_any[view] |= masks[view]
    union = _counts(covered_any, template)
    out: dict[str, RegionPain] = {}
    for i in np.flatnonzero(union > 0):
        rid = template.region_ids[i]
        coverage = min(1.0, float(union[i]) / float(template.pixels[i]))
        out[rid] = RegionPain(coverage, int(best[i]), quality[i])
    return out


def extent_percent(coverage: Mapping[str, RegionPain], template: Template) -> float:
    """Pain extent: percent of body area drawn, each region weighted by its share of the chart."""
    return float(sum(p.coverage * template.area_percent[rid] for rid, p in coverage.items()))


def jaccard(a: PainDrawing, b: PainDrawing, template: Template) -> float:
    """Location overlap |A ∩ B| / |A ∪ B| on body pixels; two drawings without pain score 1."""
    ma, mb = drawing_masks(a, template), drawing_masks(b, template)
    inter = sum(int((ma[v] & mb[v]).sum()) for v in VIEWS)
    union = sum(int((ma[v] | mb[v]).sum()) for v in VIEWS)
    return 1.0 if union == 0 else inter / union


@dataclass(frozen=True)
class FrequencyMap:
    """How often each place is painted across many drawings."""

    drawings: int
    region_fraction: Mapping[str, float]  # share of drawings touching the region
    pixel_counts: Mapping[View, npt.NDArray[np.int32]]  # drawings painting each pixel

    @property
    def max_count(self) -> int:
        return max((int(c.max()) for c in self.pixel_counts.values()), default=0)


def frequency_map(
    drawings: Sequence[PainDrawing] | Iterable[PainDrawing], template: Template
) -> FrequencyMap:
    counts = {v: np.zeros(template.labels[v].shape, dtype=np.int32) for v in VIEWS}
    touched = np.zeros(len(template.region_ids), dtype=np.int64)
    n = 0
    for drawing in drawings:
        n += 1
        masks = drawing_masks(drawing, template)
        for view in VIEWS:
            counts[view] += masks[view]
        touched += _counts(masks, template) > 0
    fractions = (
        {template.region_ids[i]: float(touched[i]) / n for i in np.flatnonzero(touched)}
        if n
        else {}
    )
    return FrequencyMap(n, fractions, counts)


def intensity_grid(drawing: PainDrawing, template: Template) -> dict[View, npt.NDArray[np.float64]]:
    """Per view, the worst intensity drawn on each body pixel as 0..1 (0 where nothing is drawn):
    a picture of the drawing itself, strokes included, for a chart's heat layer."""
    grid = {v: np.zeros(template.labels[v].shape, dtype=np.float64) for v in VIEWS}
    for area in drawing.areas:
        value = area.intensity / 10.0
        for view, mask in area_masks(area, template).items():
            grid[view][mask] = np.maximum(grid[view][mask], value)
    return grid
