"""Ranking with and without the muscle priors from patient studies.

Two measures, each printed for the model with the priors (data/differential/muscle_priors.json),
the model without them, and a zone lookup (muscles ranked by how many drawn regions their
trigger points refer to, essential zone first):

* simulated patients drawn from today's atlas priors (without the study priors), exactly as
  bench_differential.py draws them: does the prior move the ranking away from the atlas?
* condition vignettes from data/differential/prevalence.json: each condition's pain regions
  drawn on the right side, and the share of the muscles the studies found active that appear
  among the ten best-ranked muscles.

Prints numbers and never asserts them. Run: ``python benchmarks/bench_priors.py``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_differential import accuracy, simulate  # noqa: E402

from myomap.domain.bodymap import Side  # noqa: E402
from myomap.domain.differential import Evidence, Model  # noqa: E402
from myomap.knowledge.differential import load_model_params  # noqa: E402
from myomap.knowledge.loader import load_atlas, load_bodymap  # noqa: E402
from myomap.services.differential import Differential, build_differential  # noqa: E402

TOP_MUSCLES = 10


def muscle_ranking(model: Model, ev: Evidence) -> list[str]:
    marginal = model.infer(model.encode([ev])).marginal_row(0)
    best: dict[str, float] = {}
    for i, inst in enumerate(model.instances):
        best[inst.muscle] = max(best.get(inst.muscle, 0.0), float(marginal[i]))
    return sorted(best, key=lambda m: (-best[m], m))


def lookup_ranking(model: Model, ev: Evidence) -> list[str]:
    cols = [model.region_index[r] for r in ev.marked()]
    kind = model.kind[:, cols]
    score: dict[str, tuple[int, int]] = {}
    for i, inst in enumerate(model.instances):
        s = (int((kind[i] == 1).sum()), int((kind[i] == 2).sum()))
        if s > score.get(inst.muscle, (0, 0)):
            score[inst.muscle] = s
    return sorted(
        (m for m, s in score.items() if s != (0, 0)), key=lambda m: (-score[m][0], -score[m][1], m)
    )


def vignettes(diff: Differential) -> list[tuple[str, Evidence, list[set[str]]]]:
    table = json.loads((ROOT / "src/myomap/data/differential/prevalence.json").read_text())
    bodymap = diff.bodymap
    out = []
    for cid, cond in table["conditions"].items():
        ids = [bodymap.on_side(b, Side.RIGHT) for b in cond["regions"]]
        expected = [set(r["muscles"]) for r in table["entries"] if r["condition"] == cid]
        out.append((cid, Evidence(dict.fromkeys(ids, 1.0)), expected))
    return out


def vignette_recall(rank: list[str], expected: list[set[str]]) -> tuple[int, int]:
    top = set(rank[:TOP_MUSCLES])
    return sum(bool(group & top) for group in expected), len(expected)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=3000)
    args = parser.parse_args()
    atlas, bodymap = load_atlas(), load_bodymap()
    with_priors = load_model_params()
    without = dataclasses.replace(with_priors, muscle_odds={})
    models = {
        "with priors": build_differential(atlas, bodymap, with_priors),
        "without priors": build_differential(atlas, bodymap, without),
    }
    drawings, truths = simulate(models["without priors"], args.patients, seed=20261125)
    print(
        f"simulated patients ({args.patients}, drawn from the atlas priors alone): "
        "hit@1 hit@3 hit@5"
    )
    for name, diff in models.items():
        model = diff.model
        ranked = []
        for ev in drawings:
            marginal = model.infer(model.encode([ev])).marginal_row(0)
            ranked.append([int(i) for i in np.argsort(-marginal, kind="stable")[:5]])
        cells = [accuracy(ranked, truths, k)[0] for k in (1, 3, 5)]
        print(f"  {name:16}" + "".join(f"{c:7.3f}" for c in cells))
    print(
        f"condition vignettes: share of the muscles studies found active that rank in the "
        f"top {TOP_MUSCLES} muscles"
    )
    rows = vignettes(models["with priors"])
    totals: dict[str, list[int]] = {}
    for cid, ev, expected in rows:
        cells = []
        for name, diff in (*models.items(), ("zone lookup", models["without priors"])):
            rank = (
                lookup_ranking(diff.model, ev)
                if name == "zone lookup"
                else muscle_ranking(diff.model, ev)
            )
            hit, n = vignette_recall(rank, expected)
            totals.setdefault(name, [0, 0])
            totals[name][0] += hit
            totals[name][1] += n
            cells.append(f"{name} {hit}/{n}")
        print(f"  {cid:26} " + ", ".join(cells))
    print(
        "  overall: "
        + ", ".join(f"{name} {h}/{n} = {h / n:.2f}" for name, (h, n) in totals.items())
    )


if __name__ == "__main__":
    main()
