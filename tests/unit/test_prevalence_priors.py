"""Pooling the prevalence table into muscle priors, with and without one condition's studies.

The shipped priors and the held-out priors of ``myomap validate`` come from this one function,
so a rule changed here changes both.
"""

from __future__ import annotations

from typing import Any

import pytest

from myomap.domain.prevalence_priors import LATENT_WEIGHT, REVIEW_N, STRENGTH, muscle_odds, pool


def _row(condition: str, muscle: str, share: float, active: bool, source: str) -> dict[str, Any]:
    return {
        "condition": condition,
        "muscle": muscle,
        "muscles": [muscle],
        "prevalence": share,
        "active": active,
        "source": source,
    }


TABLE: dict[str, Any] = {
    "sources": {"big": {"n": 30}, "small": {"n": 10}, "review": {"n": None}},
    "entries": [
        _row("neck", "trapezius", 0.8, True, "big"),
        _row("headache", "trapezius", 0.4, True, "small"),
        _row("headache", "temporalis", 0.6, False, "review"),
    ],
}


def test_rows_are_weighted_by_study_size() -> None:
    trapezius = pool(TABLE)["trapezius"]
    assert trapezius.share == pytest.approx((30 * 0.8 + 10 * 0.4) / 40)
    assert trapezius.conditions == ("headache", "neck")
    assert trapezius.odds_multiplier == pytest.approx(1 + STRENGTH * trapezius.share, abs=1e-4)


def test_a_review_and_an_unsplit_row_weigh_as_said() -> None:
    mixed = {
        "sources": TABLE["sources"],
        "entries": [
            _row("a", "soleus", 0.2, True, "small"),
            _row("b", "soleus", 1.0, False, "review"),
        ],
    }
    latent = REVIEW_N * LATENT_WEIGHT
    assert pool(mixed)["soleus"].share == pytest.approx(
        round((10 * 0.2 + latent * 1.0) / (10 + latent), 4)
    )


def test_leaving_a_condition_out_drops_its_rows_and_the_muscles_only_it_named() -> None:
    held = pool(TABLE, exclude="headache")
    assert set(held) == {"trapezius"}
    assert held["trapezius"].share == pytest.approx(0.8)
    assert held["trapezius"].conditions == ("neck",)
    assert muscle_odds(TABLE, exclude="headache") == {"trapezius": pytest.approx(1.8)}
    assert pool(TABLE, exclude="nothing") == pool(TABLE)
