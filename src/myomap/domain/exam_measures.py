"""Examination measures: pressure pain thresholds and ranges of motion, as numbers to compare.

Kept apart from the scored instruments of :mod:`myomap.domain.outcomes`: these are readings
taken at a visit (kPa, degrees), compared side to side and against a norm, not questionnaires.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pydantic import BaseModel, ConfigDict, Field

from myomap.domain.errors import UsageError


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class Norm(_Model):
    degrees: float = Field(gt=0)
    source: tuple[str, ...]


class Reliability(_Model):
    icc_intra: tuple[float, float] | None = None
    icc_inter: tuple[float, float] | None = None
    source: tuple[str, ...] = ()


class Measure(_Model):
    """An examination measure in ``outcomes/instruments.json`` (``measures``): its unit and,
    for a range of motion, the norm of each movement."""

    name: str = Field(min_length=1)
    unit: str = Field(min_length=1)
    direction: str
    note: str | None = None
    kpa_per_kg_cm2: float | None = None  # pressure pain threshold: kg/cm2 to kPa
    trials: int | None = Field(default=None, ge=1)
    reliability: Reliability | None = None
    norms: Mapping[str, Norm] = {}


def ppt_mean(trials_kpa: Sequence[float]) -> float:
    """Mean of the trials at one site (three trials are the usual protocol)."""
    if not trials_kpa:
        raise UsageError("a pressure pain threshold needs at least one trial")
    return sum(trials_kpa) / len(trials_kpa)


def to_kpa(value: float, unit: str, kpa_per_kg_cm2: float) -> float:
    unit = unit.strip().lower().replace(" ", "")
    if unit == "kpa":
        return value
    if unit in ("kg/cm2", "kg/cm²", "kgcm2"):
        return value * kpa_per_kg_cm2
    raise UsageError("pressure unit must be kPa or kg/cm2")


def side_difference(left: float | None, right: float | None) -> float | None:
    """Left minus right at the same site; None unless both sides were measured."""
    if left is None or right is None:
        return None
    return left - right


def percent_of_norm(degrees: float, norm: float | None) -> float | None:
    return None if not norm else degrees / norm * 100
