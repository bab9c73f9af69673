"""A brute-force noisy-OR posterior: every set of at most three active trigger points.

The optimised engine (:mod:`myomap.domain.differential`) scores singles with one matrix product
and searches sets only among a pool of the best singles, with a table-driven correction for the
regions members share. This reference does none of that: it enumerates every set H of
instances with |H| <= max_set_size, writes the noisy-OR likelihood out region by region,

    P(r painful | H) = 1 - (1 - leak) * prod_{i in H} (1 - q_ir),

weighs painful regions by their evidence weight and unpainful (or unmarked) regions by theirs,
multiplies the prior odds of the members, and normalises. It reads the zones and parameters,
never the engine's compiled matrices, so an error in those shows up as a disagreement. Slow on
purpose; only for the small fixture atlas.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import combinations

import numpy as np
from numpy.typing import NDArray

from myomap.domain.differential import Model


def _zones(model: Model) -> list[dict[int, float]]:
    """Each instance's referral probability per region it refers to (the others are zero)."""
    q = {1: model.params.q_essential, 2: model.params.q_spillover}
    return [
        {int(r): q[int(k)] for r, k in enumerate(model.kind[i]) if k}
        for i in range(model.n_instances)
    ]


def log_joint(
    model: Model,
    x: Sequence[float],
    members: Sequence[int],
    log_odds: NDArray[np.float64],
    zones: list[dict[int, float]] | None = None,
) -> float:
    """log P(H, drawing) - log P(empty set, drawing) for the set ``members``.

    A region no member refers to has the same probability under H as under the empty set, so
    only the members' zone regions are visited.
    """
    zones = _zones(model) if zones is None else zones
    n_regions = len(model.regions)
    leak = model.params.leak
    total = sum(float(log_odds[i]) for i in members)
    touched = sorted({r for i in members for r in zones[i]})
    for r in touched:
        w_pos, w_neg = float(x[r]), float(x[n_regions + r])
        keep = 1.0
        for i in members:
            keep *= 1.0 - zones[i].get(r, 0.0)
        if w_pos > 0:
            total += w_pos * (math.log(1.0 - (1.0 - leak) * keep) - math.log(leak))
        if w_neg > 0:
            total += w_neg * math.log(keep)
    return total


def posterior(
    model: Model,
    x: Sequence[float],
    log_odds: NDArray[np.float64] | None = None,
    max_size: int | None = None,
) -> tuple[dict[tuple[int, ...], float], list[float]]:
    """Posterior of every set of at most ``max_size`` instances, and each instance's marginal."""
    odds = model.log_odds if log_odds is None else log_odds
    size = model.params.max_set_size if max_size is None else max_size
    n = model.n_instances
    zones = _zones(model)
    scores: dict[tuple[int, ...], float] = {(): 0.0}
    for k in range(1, size + 1):
        for members in combinations(range(n), k):
            scores[members] = log_joint(model, x, members, odds, zones)
    top = max(scores.values())
    z = sum(math.exp(s - top) for s in scores.values())
    post = {h: math.exp(s - top) / z for h, s in scores.items()}
    marginal = [0.0] * n
    for h, p in post.items():
        for i in h:
            marginal[i] += p
    return post, marginal
