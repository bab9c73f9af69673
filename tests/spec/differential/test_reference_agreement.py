"""The optimised engine agrees with the brute-force noisy-OR posterior (reference.py).

On the fixture atlas, with the pool widened to every instance, the engine's set search covers
the same hypotheses as the brute force (every set of at most three instances), so their
marginals must agree to rounding, for any drawing and any prior. With the shipped pool of five
the engine drops sets outside the pool; the test bounds what that costs.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from myomap.domain.bodymap import BodyMap
from myomap.domain.differential import Evidence, Model, compile_model
from myomap.knowledge.differential import load_model_params
from tests.lib.atlas_fixture import fixture_atlas
from tests.spec.differential.reference import posterior

SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _model(bodymap: BodyMap, **changes: Any) -> Model:
    base = compile_model(fixture_atlas(), bodymap, load_model_params())
    params = dataclasses.replace(base.params, **changes)
    return compile_model(fixture_atlas(), bodymap, params)


@pytest.fixture(scope="module")
def exhaustive(bodymap: BodyMap) -> Model:
    model = compile_model(fixture_atlas(), bodymap, load_model_params())
    return _model(bodymap, pool=model.n_instances)


@pytest.fixture(scope="module")
def shipped(bodymap: BodyMap) -> Model:
    return compile_model(fixture_atlas(), bodymap, load_model_params())


def evidences(model: Model) -> st.SearchStrategy[Evidence]:
    """Drawings near real ones: regions of one to three instances' zones, plus noise."""
    regions = sorted(model.regions)

    @st.composite
    def build(draw: st.DrawFn) -> Evidence:
        causes = draw(st.lists(st.sampled_from(model.instances), min_size=1, max_size=3))
        zone = sorted({r for c in causes for r in (*c.essential, *c.spillover)})
        painful = draw(st.lists(st.sampled_from(zone), min_size=1, unique=True))
        painful += draw(st.lists(st.sampled_from(regions), max_size=2, unique=True))
        weights = {r: draw(st.sampled_from([0.3, 0.6, 1.0])) for r in painful}
        clear = draw(st.lists(st.sampled_from(regions), max_size=4, unique=True))
        return Evidence(weights, frozenset(clear) - set(weights))

    return build()


@SETTINGS
@given(data=st.data())
def test_marginals_equal_the_brute_force_posterior(exhaustive: Model, data: st.DataObject) -> None:
    ev = data.draw(evidences(exhaustive))
    x = exhaustive.encode([ev])
    got = exhaustive.infer(x).marginal_row(0)
    _, expected = posterior(exhaustive, x[0])
    np.testing.assert_allclose(got, expected, rtol=1e-7, atol=1e-10)


@SETTINGS
@given(data=st.data())
def test_agreement_holds_after_findings_change_the_priors(
    exhaustive: Model, data: st.DataObject
) -> None:
    ev = data.draw(evidences(exhaustive))
    lr = data.draw(
        st.lists(
            st.sampled_from([0.375, 1.0, 2.0, 3.5]),
            min_size=exhaustive.n_instances,
            max_size=exhaustive.n_instances,
        )
    )
    log_odds = exhaustive.log_odds + np.log(np.array(lr))
    x = exhaustive.encode([ev])
    got = exhaustive.infer(x, log_odds).marginal_row(0)
    _, expected = posterior(exhaustive, x[0], log_odds)
    np.testing.assert_allclose(got, expected, rtol=1e-7, atol=1e-10)


def test_a_batch_cut_into_blocks_agrees_row_by_row(bodymap: BodyMap) -> None:
    """Over 256 drawings the engine works block by block; each row still matches."""
    model = _model(bodymap, pool=31, max_set_size=2)
    rng = np.random.default_rng(7)
    regions = sorted(model.regions)
    batch = []
    for _ in range(600):
        cause = model.instances[int(rng.integers(model.n_instances))]
        zone = sorted({*cause.essential, *cause.spillover})
        painful = rng.choice(zone, size=int(rng.integers(1, len(zone) + 1)), replace=False)
        extra = rng.choice(regions, size=int(rng.integers(0, 3)), replace=False)
        batch.append(Evidence({str(r): float(rng.choice([0.4, 1.0])) for r in (*painful, *extra)}))
    x = model.encode(batch)
    marginal = model.infer(x).marginal
    for row in rng.choice(len(batch), size=12, replace=False):
        _, expected = posterior(model, x[row], max_size=2)
        np.testing.assert_allclose(marginal[row], expected, rtol=1e-7, atol=1e-10)


@SETTINGS
@given(data=st.data())
def test_the_shipped_pool_of_five_stays_close_to_the_brute_force(
    shipped: Model, data: st.DataObject
) -> None:
    ev = data.draw(evidences(shipped))
    x = shipped.encode([ev])
    got = shipped.infer(x).marginal_row(0)
    _, expected = posterior(shipped, x[0])
    assert np.abs(got - np.array(expected)).max() < 0.25
    best = int(np.argmax(got))
    assert expected[best] >= max(expected) - 0.25
