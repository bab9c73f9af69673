"""Parameters of the differential, read from ``data/differential/model.json``.

Kept apart from :mod:`myomap.domain.differential` so the engine module holds the inference only;
every value here comes from a data file with its source, and the checks below refuse a file whose
probabilities or likelihood ratios could not describe a noisy-OR network.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from myomap.domain.errors import DataError


@dataclass(frozen=True)
class ModelParams:
    """Parameters of the model; they live in ``data/differential/model.json`` with sources."""

    q_essential: float
    q_spillover: float
    leak: float
    not_painful_weight: float
    unmarked_weight: float
    coverage_exponent: float
    intensity_floor: float
    priors: Mapping[str, float]
    sensitivity: float
    specificity: float
    pool: int
    max_set_size: int
    explanations: int
    next_palpation: int
    version: str = ""
    movement_lr: Mapping[str, float] = field(default_factory=dict)  # result -> likelihood ratio
    # muscle -> prior odds multiplier from patient studies (data/differential/muscle_priors.json)
    muscle_odds: Mapping[str, float] = field(default_factory=dict)

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any]) -> ModelParams:
        try:
            ref, ev, pal, search = (
                raw["referral"],
                raw["evidence"],
                raw["palpation"],
                raw["search"],
            )
            params = cls(
                q_essential=float(ref["essential"]),
                q_spillover=float(ref["spillover"]),
                leak=float(ref["leak"]),
                not_painful_weight=float(ev["not_painful_weight"]),
                unmarked_weight=float(ev["unmarked_weight"]),
                coverage_exponent=float(ev["coverage_exponent"]),
                intensity_floor=float(ev["intensity_floor"]),
                priors={
                    k: float(v) for k, v in raw["priors"].items() if k not in ("source", "note")
                },
                sensitivity=float(pal["sensitivity"]),
                specificity=float(pal["specificity"]),
                pool=int(search["pool"]),
                max_set_size=int(search["max_set_size"]),
                explanations=int(search["explanations"]),
                next_palpation=int(search["next_palpation"]),
                version=str(raw.get("model_version", "")),
                movement_lr={
                    k: float(v)
                    for k, v in raw.get("movement", {}).items()
                    if k in ("restricted", "painful", "normal")
                },
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise DataError(f"differential model parameters: missing or invalid {exc}") from exc
        probs = [
            params.q_essential,
            params.q_spillover,
            params.leak,
            params.sensitivity,
            params.specificity,
            *params.priors.values(),
        ]
        if (
            not all(0.0 < p < 1.0 for p in probs)
            or not 1 <= params.max_set_size <= 3
            or not all(0.0 < lr < np.inf for lr in params.movement_lr.values())
        ):
            raise DataError(
                "differential model parameters: probabilities must lie in (0, 1), "
                "likelihood ratios be positive and max_set_size in 1..3"
            )
        return params

    def region_weight(self, coverage: float, intensity: float) -> float:
        """Evidence weight of a painful region: wider and stronger pain counts more."""
        if intensity <= 0 or coverage <= 0:
            return 0.0
        cov = min(1.0, coverage) ** self.coverage_exponent
        return float(
            cov * (self.intensity_floor + (1 - self.intensity_floor) * min(intensity, 10.0) / 10.0)
        )

    @property
    def lr_confirmed(self) -> float:
        return self.sensitivity / (1 - self.specificity)

    @property
    def lr_absent(self) -> float:
        return (1 - self.sensitivity) / self.specificity
