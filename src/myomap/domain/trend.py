"""Whether a measure is improving: a least-squares trend over a client's series, from three
points on ("not enough data yet" before that), judged against the instrument's MCID."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from myomap.domain.outcomes import (
    MIN_TREND_POINTS,
    NOT_ENOUGH_DATA,
    Direction,
    Instrument,
    improvement,
)


@dataclass(frozen=True)
class Trend:
    status: str  # "not enough data yet", "improving", "worsening" or "stable"
    points: int
    slope_per_week: float | None = None

    def to_json(self) -> dict[str, Any]:
        slope = None if self.slope_per_week is None else round(self.slope_per_week, 3)
        return {"status": self.status, "points": self.points, "slope_per_week": slope}


def trend(direction: Direction, series: Sequence[tuple[float, float]], threshold: float) -> Trend:
    """Least-squares slope of ``(days, value)`` points; fewer than three points give no trend.

    ``stable`` means the fitted change over the whole span is smaller than ``threshold`` (the
    MCID, or a tenth of the scale when none is established).
    """
    n = len(series)
    if n < MIN_TREND_POINTS or direction == "global_change":
        return Trend(NOT_ENOUGH_DATA if n < MIN_TREND_POINTS else "not applicable", n)
    xs = [x for x, _ in series]
    ys = [y for _, y in series]
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    if sxx == 0:
        return Trend(NOT_ENOUGH_DATA, n)
    slope = sum((x - mx) * (y - my) for x, y in series) / sxx
    fitted = improvement(direction, 0.0, slope * (max(xs) - min(xs)))
    status = "stable" if abs(fitted) < threshold else ("improving" if fitted > 0 else "worsening")
    return Trend(status, n, slope * 7)


def trend_threshold(inst: Instrument) -> float:
    if inst.mcid is not None and inst.mcid.points is not None:
        return inst.mcid.points
    low, high = inst.total_range
    return (high - low) / 10
