"""Muscle priors pooled from the prevalence table (``data/differential/prevalence.json``).

One computation serves two callers: ``tools/build_priors.py`` writes the shipped
``muscle_priors.json`` from every row, and ``myomap validate`` pools again without the
condition a vignette stands for, so the vignettes can be scored with priors that never saw
the studies they are built from.

Each muscle a study examined gets a pooled share of patients with an active trigger point in
it: the mean over the rows that name it, weighted by study size (a review without one counts as
``REVIEW_N`` patients), where a row that did not separate active from latent trigger points
counts ``LATENT_WEIGHT``. The differential multiplies the prior odds of the muscle's trigger
points by ``1 + STRENGTH * pooled``; the table covers few conditions, so the boost stays modest.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

STRENGTH = 1.0
REVIEW_N = 20
LATENT_WEIGHT = 0.5


@dataclass(frozen=True)
class PooledPrior:
    share: float
    conditions: tuple[str, ...]

    @property
    def odds_multiplier(self) -> float:
        return round(1.0 + STRENGTH * self.share, 4)


def pool(table: dict[str, Any], exclude: str | None = None) -> dict[str, PooledPrior]:
    """The pooled share per atlas muscle, leaving out the rows of condition ``exclude``."""
    sources = table["sources"]
    rows: dict[str, list[tuple[float, float]]] = {}
    conditions: dict[str, set[str]] = {}
    for row in table["entries"]:
        if row["condition"] == exclude:
            continue
        n = sources[row["source"]]["n"] or REVIEW_N
        weight = n * (1.0 if row["active"] else LATENT_WEIGHT)
        for muscle in row["muscles"]:
            rows.setdefault(muscle, []).append((weight, float(row["prevalence"])))
            conditions.setdefault(muscle, set()).add(row["condition"])
    return {
        muscle: PooledPrior(
            round(sum(w * p for w, p in rows[muscle]) / sum(w for w, _ in rows[muscle]), 4),
            tuple(sorted(conditions[muscle])),
        )
        for muscle in sorted(rows)
    }


def muscle_odds(table: dict[str, Any], exclude: str | None = None) -> dict[str, float]:
    """The odds multipliers the differential applies, as ``ModelParams.muscle_odds`` holds them."""
    return {muscle: p.odds_multiplier for muscle, p in pool(table, exclude).items()}
