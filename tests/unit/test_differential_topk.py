"""The pool selection of the batch engine against a plain reference, ties included."""

from __future__ import annotations

import numpy as np
import pytest

from myomap.domain.candidate_pool import _top_k


def reference(scores: np.ndarray, k: int) -> tuple[list[set[int]], list[float]]:
    """Per row: the columns strictly above the (k+1)-th largest score, and that score."""
    cuts = np.sort(scores, axis=1)[:, scores.shape[1] - k - 1]
    return [
        set(np.flatnonzero(row > c).tolist()) for row, c in zip(scores, cuts, strict=True)
    ], cuts.tolist()


@pytest.mark.parametrize("n", [6, 40, 406, 1000])
@pytest.mark.parametrize("floor", [np.inf, 2.5, 1.5, -0.5])
def test_pool_holds_the_k_largest_scores_and_marks_ties_unusable(n: int, floor: float) -> None:
    rng = np.random.default_rng(n)
    k = 5
    scores = rng.normal(size=(300, n)).round(1)  # one decimal: many ties, also at the cut
    scores[:50] = scores[:50, :1]  # rows where every score ties
    pool, usable = _top_k(scores, k, floor)  # the floor changes the route, never the result
    above, cuts = reference(scores, k)
    assert pool.shape == (300, k)
    for row in range(300):
        members = pool[row].tolist()
        assert members == sorted(set(members)), "pool members are distinct, in instance order"
        values = scores[row, members]
        assert above[row] <= set(members)
        assert (values >= cuts[row]).all()
        assert usable[row].tolist() == [round(v, 9) != round(cuts[row], 9) for v in values]


def test_a_row_gets_the_same_usable_pool_alone_and_in_a_batch() -> None:
    rng = np.random.default_rng(1)
    scores = rng.normal(size=(64, 406)).round(2)  # ties at the cut in some rows
    pool, usable = _top_k(scores, 5, 1.0)
    ties = 0
    for row in range(64):
        alone_pool, alone_usable = _top_k(scores[row : row + 1], 5, 1.0)
        assert alone_pool[0][alone_usable[0]].tolist() == pool[row][usable[row]].tolist()
        ties += int(not usable[row].all())
    assert ties, "the sample should include rows tied at the cut"
