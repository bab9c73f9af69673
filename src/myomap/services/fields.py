"""Checks on user-entered values, with messages that name the field but never echo its value.

Values can be health data, so a message says which field is wrong and what is allowed, not what
was typed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from myomap.domain.errors import UsageError


def text(field: str, value: str | None, *, max_length: int, required: bool = True) -> str | None:
    """Trimmed text, or None when optional and empty."""
    cleaned = (value or "").strip()
    if not cleaned:
        if required:
            raise UsageError(f"{field} is required and must not be empty")
        return None
    if len(cleaned) > max_length:
        raise UsageError(f"{field} is too long: at most {max_length} characters")
    return cleaned


def required_text(field: str, value: str | None, *, max_length: int) -> str:
    result = text(field, value, max_length=max_length, required=True)
    assert result is not None
    return result


def choice(
    field: str, value: str | None, allowed: Sequence[str], *, required: bool = True
) -> str | None:
    if value is None or value == "":
        if required:
            raise UsageError(f"{field} is required; use one of: {', '.join(allowed)}")
        return None
    lowered = value.strip().lower()
    if lowered not in allowed:
        raise UsageError(f"{field} must be one of: {', '.join(allowed)}")
    return lowered


def number(
    field: str, value: float | None, *, low: float, high: float, required: bool = False
) -> float | None:
    if value is None:
        if required:
            raise UsageError(f"{field} is required (a number from {low:g} to {high:g})")
        return None
    if not math.isfinite(value) or not low <= value <= high:
        raise UsageError(f"{field} must be a number from {low:g} to {high:g}")
    return float(value)


def integer(
    field: str, value: int | None, *, low: int, high: int, required: bool = False
) -> int | None:
    if value is None:
        if required:
            raise UsageError(f"{field} is required (a whole number from {low} to {high})")
        return None
    if not low <= value <= high:
        raise UsageError(f"{field} must be a whole number from {low} to {high}")
    return int(value)
