"""Pain drawing files: reading them with clear errors, and the metrics the CLI and web share.

Messages name the file and the place of a problem (``areas[0].intensity``) but never repeat
the drawing's content, because a drawing is health data.
"""

from __future__ import annotations

import difflib
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from myomap.domain.bodymap import BodyMap, View
from myomap.domain.drawing import PainDrawing
from myomap.domain.errors import UnknownRegionError, UsageError
from myomap.domain.raster import (
    FrequencyMap,
    RegionPain,
    Template,
    coverage_by_region,
    extent_percent,
    frequency_map,
    intensity_grid,
    jaccard,
)
from myomap.knowledge.loader import load_bodymap
from myomap.knowledge.template import load_template
from myomap.knowledge.userfiles import read_limited

HELP = "See docs/drawing-format.md for the format."
MAX_POINTS = 100_000  # all strokes of one drawing together; keeps measuring under a few seconds


def template() -> Template:
    """The equal-area template over the bundled chart geometry (built once per process)."""
    return load_template()


def _location(loc: Sequence[int | str]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "document"


_FRIENDLY = {
    "intensity": "intensity must be a whole number from 0 to 10",
    "quality": "quality must be one of aching, burning, tingling, numb, sharp, throbbing",
    "format": 'format must be "myomap.drawing/1"',
    "view": 'view must be "front" or "back"',
    "width": "brush width must be a number above 0 and at most 200",
}


def _validation_message(exc: ValidationError) -> str:
    errors = exc.errors()
    first = errors[0]
    loc = [p for p in first["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
    field = next((str(p) for p in reversed(loc) if isinstance(p, str)), "")
    if first["type"] == "extra_forbidden":
        what = f"unknown field {field!r}"
    else:
        what = _FRIENDLY.get(field, str(first["msg"]).rstrip("."))
    more = (
        f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
        if len(errors) > 1
        else ""
    )
    return f"{_location(loc)}: {what}{more}"


def parse_drawing(text: str | bytes, source: str = "drawing") -> PainDrawing:
    """A drawing from JSON text; any problem is a :class:`UsageError` naming where it is."""
    try:
        raw: Any = json.loads(text)
    except RecursionError:
        raise UsageError(f"{source} is not usable JSON: it is nested too deeply. {HELP}") from None
    except json.JSONDecodeError as exc:
        raise UsageError(
            f"{source} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}). {HELP}"
        ) from None
    except UnicodeDecodeError:
        raise UsageError(f"{source} is not UTF-8 text. {HELP}") from None
    if not isinstance(raw, dict):
        raise UsageError(f'{source} must hold a JSON object with an "areas" list. {HELP}')
    try:
        drawing = PainDrawing.model_validate(raw)
    except ValidationError as exc:
        raise UsageError(f"{source}: {_validation_message(exc)}. {HELP}") from None
    total = 0
    for i, area in enumerate(drawing.areas):
        for j, stroke in enumerate(area.strokes):
            total += len(stroke.points)
            if not all(math.isfinite(c) for point in stroke.points for c in point):
                raise UsageError(
                    f"{source}: areas[{i}].strokes[{j}].points: every coordinate "
                    f"must be a finite number. {HELP}"
                )
    if total > MAX_POINTS:
        raise UsageError(
            f"{source}: the strokes have more than {MAX_POINTS} points in all; "
            f"simplify the drawing. {HELP}"
        )
    return drawing


def check_regions(drawing: PainDrawing, bodymap: BodyMap) -> None:
    """Every region id in the drawing must exist; unknown ids come with close suggestions."""
    ids = list(bodymap.regions)
    for rid in [*drawing.region_ids(), *drawing.not_painful]:
        if rid not in bodymap:
            raise UnknownRegionError(rid, difflib.get_close_matches(rid, ids, n=3, cutoff=0.6))


def load_drawing(path: str | Path, bodymap: BodyMap | None = None) -> PainDrawing:
    """Read and fully validate a drawing file (schema and region ids)."""
    p = Path(path)
    try:
        data = read_limited(p, "Drawing", give="a drawing JSON file")
    except FileNotFoundError:
        raise UsageError(f"Drawing file {str(p)!r} does not exist.") from None
    except OSError as exc:
        raise UsageError(f"Cannot read drawing file {str(p)!r} ({exc.strerror}).") from None
    drawing = parse_drawing(data, f"Drawing file {str(p)!r}")
    if bodymap is None:
        bodymap = load_bodymap()
    check_regions(drawing, bodymap)
    return drawing


@dataclass(frozen=True)
class DrawingMetrics:
    extent_percent: float
    regions: dict[str, RegionPain]
    areas: int

    def to_json(self) -> dict[str, Any]:
        return {
            "extent_percent": round(self.extent_percent, 3),
            "regions": {
                rid: {
                    "coverage": round(p.coverage, 4),
                    "intensity": p.intensity,
                    "quality": p.quality,
                }
                for rid, p in sorted(self.regions.items())
            },
            "areas": self.areas,
        }


def drawing_metrics(drawing: PainDrawing) -> DrawingMetrics:
    """Per-region coverage and pain extent (percent of body area) of one drawing."""
    tpl = template()
    coverage = coverage_by_region(drawing, tpl)
    return DrawingMetrics(extent_percent(coverage, tpl), coverage, len(drawing.areas))


def drawing_jaccard(a: PainDrawing, b: PainDrawing) -> float:
    return jaccard(a, b, template())


def drawing_frequency(drawings: Iterable[PainDrawing]) -> FrequencyMap:
    return frequency_map(list(drawings), template())


@dataclass(frozen=True)
class Place:
    """One painted region of a drawing in words, for people reading it rather than measuring."""

    region: str
    label: str
    intensity: int
    quality: str | None


def painted_places(drawing: PainDrawing, bodymap: BodyMap) -> list[Place]:
    """The regions a drawing paints (strokes read through the template), worst pain first."""
    coverage = coverage_by_region(drawing, template())
    places = [
        Place(rid, bodymap.get(rid).label if rid in bodymap else rid, p.intensity, p.quality)
        for rid, p in coverage.items()
    ]
    return sorted(places, key=lambda p: (-p.intensity, p.label))


def drawing_heat(drawing: PainDrawing) -> dict[View, Any]:
    """The drawing as a heat layer for :func:`myomap.chart.chart_svg` (``heat=``)."""
    return dict(intensity_grid(drawing, template()))
