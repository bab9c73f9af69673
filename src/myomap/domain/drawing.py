"""Pain drawings: where it hurts, how much, and what it feels like.

A drawing holds several pain areas. Each area is given as region ids, as freehand strokes in
chart coordinates (rasterised onto the equal-area template by :mod:`myomap.domain.raster`), or
both. The file format (``myomap.drawing/1``) is documented in ``docs/drawing-format.md``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from myomap.domain.bodymap import View

RegionId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Quality = Literal["aching", "burning", "tingling", "numb", "sharp", "throbbing"]
QUALITIES: tuple[str, ...] = ("aching", "burning", "tingling", "numb", "sharp", "throbbing")
FORMAT = "myomap.drawing/1"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Stroke(_Model):
    """A freehand stroke: a polyline in chart coordinates of one view, with a brush width."""

    view: View
    points: tuple[tuple[float, float], ...] = Field(min_length=1, max_length=20000)
    width: float = Field(default=12.0, gt=0, le=200)


class PainArea(_Model):
    regions: tuple[RegionId, ...] = ()
    strokes: tuple[Stroke, ...] = ()
    intensity: int = Field(ge=0, le=10, description="Pain intensity on the 0-10 NRS")
    quality: Quality | None = None
    label: str | None = Field(default=None, max_length=200)


class PainDrawing(_Model):
    format: Literal["myomap.drawing/1"] = "myomap.drawing/1"
    areas: tuple[PainArea, ...] = Field(default=(), max_length=200)
    not_painful: tuple[RegionId, ...] = ()
    recorded_at: datetime | None = None
    note: str | None = Field(default=None, max_length=5000)

    def region_ids(self) -> list[str]:
        """Regions named explicitly in areas (strokes need the raster to become regions)."""
        seen: dict[str, None] = {}
        for area in self.areas:
            for rid in area.regions:
                seen.setdefault(rid, None)
        return list(seen)
