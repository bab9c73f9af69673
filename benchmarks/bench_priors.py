"""Ranking with and without the muscle priors from patient studies.

Two measures, each printed for the model with the priors (data/differential/muscle_priors.json),
the model without them, and a zone lookup (muscles ranked by how many drawn regions their
trigger points refer to, essential zone first):

* simulated patients drawn from today's atlas priors (without the study priors), exactly as
  bench_differential.py draws them: does the prior move the ranking away from the atlas?
* condition vignettes from data/differential/prevalence.json: each condition's pain regions
  drawn on the right side, and the share of the muscles the studies found active that appear
  among the ten best-ranked muscles (scored by ``myomap.services.validation``, as ``myomap
  validate`` scores them), then the same counting also the muscles of studies that did not
  separate active from latent trigger points.

Prints numbers and never asserts them. Run: ``python benchmarks/bench_priors.py``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_differential import accuracy, simulate  # noqa: E402

from myomap.knowledge.differential import load_model_params  # noqa: E402
from myomap.knowledge.loader import load_atlas, load_bodymap  # noqa: E402
from myomap.services.differential import build_differential, locate_many  # noqa: E402
from myomap.services.validation import TOP_MUSCLES, condition_vignettes  # noqa: E402


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
        index = {(i.trigger_point, i.side): j for j, i in enumerate(diff.model.instances)}
        ranked = [
            [index[(c.trigger_point, c.side)] for c in res.candidates]
            for res in locate_many(drawings, top=5, differential=diff)
        ]
        cells = [accuracy(ranked, truths, k)[0] for k in (1, 3, 5)]
        print(f"  {name:16}" + "".join(f"{c:7.3f}" for c in cells))
    table = json.loads((ROOT / "src/myomap/data/differential/prevalence.json").read_text())
    for active_only in (True, False):
        kind = (
            "found active" if active_only else "found active, or with TrPs not split active/latent"
        )
        print(f"condition vignettes: share of the muscles studies {kind} in the top {TOP_MUSCLES}")
        rows, totals = condition_vignettes(models, table, active_only)
        names = (*models, "zone lookup")
        for row in rows:
            cells = [f"{name} {row[name]}/{row['muscles']}" for name in names]
            print(f"  {row['condition'][:40]:40} " + ", ".join(cells))
        n = int(totals["muscles"])
        hits = {name: sum(row[name] for row in rows) for name in names}
        print(
            "  overall: "
            + ", ".join(f"{name} {hits[name]}/{n} = {totals[name]:.3f}" for name in names)
        )


if __name__ == "__main__":
    main()
