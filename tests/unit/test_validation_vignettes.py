"""How the condition vignettes of ``myomap validate`` count the muscles studies published.

Scored are the muscles found *active*: the ranking explains the pain drawn, and a latent
trigger point is not its source. Rows that did not separate active from latent count only in the
second total, and a muscle two studies name for one condition counts once.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from myomap.domain.atlas import Atlas
from myomap.domain.bodymap import BodyMap
from myomap.knowledge.differential import load_model_params
from myomap.services.differential import Differential, build_differential
from myomap.services.validation import condition_vignettes


@pytest.fixture(scope="module")
def models(atlas: Atlas, bodymap: BodyMap) -> dict[str, Differential]:
    params = load_model_params()
    return {
        "with priors": build_differential(atlas, bodymap, params),
        "without priors": build_differential(
            atlas, bodymap, dataclasses.replace(params, muscle_odds={})
        ),
    }


def _row(condition: str, muscle: str, active: bool, source: str = "a") -> dict[str, Any]:
    return {
        "condition": condition,
        "muscle": muscle,
        "muscles": [muscle],
        "prevalence": 0.5,
        "active": active,
        "source": source,
    }


TABLE: dict[str, Any] = {
    "conditions": {
        "neck": {"label": "Neck pain", "regions": ["neck_back", "neck_side"]},
        "heel": {"label": "Heel pain", "regions": ["heel", "arch"]},
    },
    "entries": [
        _row("neck", "trapezius", True, "a"),
        _row("neck", "trapezius", True, "b"),
        _row("neck", "subscapularis", False, "b"),
        _row("heel", "quadratus_plantae", False, "c"),
    ],
}


def test_only_muscles_found_active_are_scored_and_each_counts_once(
    models: dict[str, Differential],
) -> None:
    rows, totals = condition_vignettes(models, TABLE)
    assert [r["condition"] for r in rows] == ["Neck pain"]
    neck = rows[0]
    assert neck["muscles"] == 1
    assert neck["with priors"] == neck["zone lookup"] == 1
    assert totals == {"with priors": 1.0, "without priors": 1.0, "zone lookup": 1.0, "muscles": 1}


def test_the_second_total_counts_rows_that_did_not_split_active_from_latent(
    models: dict[str, Differential],
) -> None:
    rows, totals = condition_vignettes(models, TABLE, active_only=False)
    by_label = {r["condition"]: r for r in rows}
    assert by_label["Neck pain"]["muscles"] == 2
    assert by_label["Heel pain"]["muscles"] == 1
    # subscapularis refers to the back of the shoulder, not the neck: a miss with its cause
    assert by_label["Neck pain"]["with priors"] == 1
    assert by_label["Neck pain"]["missed"] == [
        "subscapularis: its zones in the atlas do not reach the drawn regions"
    ]
    assert by_label["Heel pain"]["with priors"] == 1
    assert totals["muscles"] == 3
    assert totals["with priors"] == pytest.approx(2 / 3, abs=1e-3)


def test_the_report_ranks_the_candidates_and_muscles_locate_lists(
    models: dict[str, Differential],
) -> None:
    from myomap.domain.differential import Evidence
    from myomap.domain.ranking import candidate_order
    from myomap.services.differential import locate
    from myomap.services.validation import _muscles

    diff = models["with priors"]
    ids = ["heel_r", "arch_r"]
    result = locate(ids, top=200, differential=diff)
    listed = [(c.trigger_point, c.side) for c in result.candidates]
    ev = Evidence(dict.fromkeys(ids, 1.0))
    marginal = diff.model.infer(diff.model.encode([ev])).marginal_row(0)
    order = candidate_order(diff.model, marginal, ev.marked())
    assert [
        (diff.model.instances[i].trigger_point, diff.model.instances[i].side) for i in order
    ] == listed
    # nothing that refers elsewhere (a neck muscle for heel pain) is ranked on its prior alone
    assert "trapezius" not in _muscles(diff.model, ev)
    assert _muscles(diff.model, ev) == [m.muscle for m in result.muscles]


def _shoulder(*muscles: str) -> dict[str, Any]:
    """Shoulder pain drawn as the shoulder impingement vignette draws it, each muscle active."""
    return {
        "conditions": {
            "shoulder": {
                "label": "Shoulder pain",
                "regions": ["shoulder_front", "shoulder_side", "arm_outer"],
            }
        },
        "entries": [_row("shoulder", m, True) for m in muscles],
    }


def test_the_report_names_the_muscles_only_one_ranking_finds(
    models: dict[str, Differential],
) -> None:
    table = _shoulder("trapezius", "infraspinatus", "subscapularis")
    (row,), _ = condition_vignettes(models, table)
    # many muscles refer to the front and side of the shoulder; the lookup, counting zones,
    # leaves the upper trapezius (one trigger point, referring to the outer arm alone) out of
    # its first ten
    assert row["ranking_only"] == ["trapezius"]
    assert row["lookup_only"] == []
    assert row["with priors"] - row["zone lookup"] == 1
    assert "infraspinatus" not in row["ranking_only"] + row["lookup_only"]


def test_the_held_out_column_ranks_with_the_model_given_for_each_condition(
    models: dict[str, Differential], atlas: Atlas, bodymap: BodyMap
) -> None:
    from myomap.services.validation import HELD_OUT

    table = _shoulder("subclavius")
    asked: list[str] = []
    # subclavius refers to the front of the shoulder but ranks past ten among the many muscles
    # that do; a held-out model whose priors favour it must lift it, and only that column moves
    favour = dataclasses.replace(load_model_params(), muscle_odds={"subclavius": 50.0})
    special = build_differential(atlas, bodymap, favour)

    def held_out(cid: str) -> Differential:
        asked.append(cid)
        return special

    (row,), totals = condition_vignettes(models, table, held_out=held_out)
    assert asked == ["shoulder"]
    assert row["with priors"] == row["without priors"] == 0
    assert row[HELD_OUT] == 1
    assert totals[HELD_OUT] == 1.0
    assert HELD_OUT not in condition_vignettes(models, table)[1]
