"""Generate ``src/myomap/data/differential/muscle_priors.json`` from the prevalence table.

The pooling itself lives in :mod:`myomap.domain.prevalence_priors` (``myomap validate`` pools
again without each vignette's condition): each atlas muscle that a clinical study examined gets
a pooled share of patients with an active trigger point in it, weighted by study size, and the
differential multiplies the prior odds of that muscle's trigger points by
``1 + STRENGTH * pooled``: a muscle found active in every patient studied starts twice as likely
as the atlas alone says; a muscle no study examined keeps its atlas prior. The table covers a
few conditions only, so the boost is kept modest. Measured with
``myomap validate`` on prevalence table 1.1.0: at strength 1 top-3 on simulated patients is 0.709
(0.707 before the table grew); at 2 it falls to 0.697, at 4 to 0.674, and the condition vignettes
stay at 28 of 36 published muscles at every strength up to 9, because the muscles they miss have
no zone in the drawn regions: a stronger prior only costs accuracy there. Table 1.2.0 (twelve
conditions) at strength 1: top-3 0.707, vignettes 31 of 40 with and without the priors. Table
1.3.0 (fourteen conditions): top-3 0.702, 29 of the 36 muscles found active (36 of 50 counting
rows that did not separate active from latent), with and without the priors.

Run from the repository root: ``python tools/build_priors.py`` (a content test checks the file is
current).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from myomap.domain.prevalence_priors import LATENT_WEIGHT, REVIEW_N, STRENGTH, pool

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "src/myomap/data/differential"


def build(table: dict[str, Any]) -> dict[str, Any]:
    muscles = {
        muscle: {
            "pooled_prevalence": prior.share,
            "odds_multiplier": prior.odds_multiplier,
            "conditions": list(prior.conditions),
        }
        for muscle, prior in pool(table).items()
    }
    return {
        "generated_by": "tools/build_priors.py",
        "from": "prevalence.json " + table["prevalence_version"],
        "method": (
            f"odds multiplier = 1 + {STRENGTH} x pooled share of patients with an active "
            f"trigger point (rows weighted by n, a review as n={REVIEW_N}, rows that did "
            f"not separate active from latent at weight {LATENT_WEIGHT})"
        ),
        "muscles": muscles,
    }


def main() -> None:
    table = json.loads((DATA / "prevalence.json").read_text(encoding="utf-8"))
    out = DATA / "muscle_priors.json"
    out.write_text(json.dumps(build(table), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
