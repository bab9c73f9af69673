"""Examination measures: pressure pain thresholds and ranges of motion, as numbers to compare.

Kept apart from the scored instruments of :mod:`myomap.domain.outcomes`: these are readings
taken at a visit (kPa, degrees), compared side to side and against a norm, not questionnaires.
"""

from __future__ import annotations

from collections.abc import Sequence

from myomap.domain.errors import UsageError


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
