"""A public validation of the differential on the bundled atlas: ``myomap validate``.

Each measure is computed from data shipped with myomap, with fixed seeds, so the report is the
same on every machine and ``docs/validation.md`` can be regenerated and checked in CI:

* **simulated patients**: one to three active trigger points drawn by the atlas priors, their
  zones drawn with loss and noise (the scheme of ``benchmarks/bench_differential.py``); top-k
  against a zone-counting lookup;
* **condition vignettes**: each condition of ``data/differential/prevalence.json`` drawn as its
  pain regions; the share of the muscles the studies found active among the ten best muscles,
  with and without the priors from patients, against a zone lookup (and, apart, the same share
  counting also the muscles of studies that did not separate active from latent trigger points);
* **zone agreement**: zone recall and precision per muscle against a referral reference written
  by others (``data/differential/referral_reference.json``, see
  :mod:`myomap.services.validation_zones`);
* **calibration**: predicted probabilities of the ranked candidates against how often they
  were truly active, in ten bins (a reliability diagram);
* **worst failures**: the simulated patients whose active trigger points ranked lowest (or were
  not listed at all, because none of their zones was drawn), with
  what the drawing held of their zones.

Simulated patients measure consistency with the atlas, not truth; the vignettes are the only
part built on patients, and they are few. The report says so.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from myomap.domain.atlas import Atlas
from myomap.domain.bodymap import BodyMap, Side
from myomap.domain.differential import Evidence, Model, ModelParams
from myomap.domain.prevalence_priors import muscle_odds
from myomap.domain.ranking import candidate_order, explaining, muscle_probabilities
from myomap.knowledge.differential import data_root, load_model_params
from myomap.knowledge.loader import load_atlas, load_bodymap
from myomap.services.differential import Differential, build_differential
from myomap.services.validation_zones import zone_agreement

SEED = 20261125
# 5000 draws put the standard error of a top-3 share near 0.006; with 1000 it was 0.015, larger
# than the changes an atlas edit makes, so the headline moved with the random draws alone
PATIENTS = 5000
TOP_MUSCLES = 10
BINS = 10
NOT_LISTED = 10**9


@dataclass
class ValidationReport:
    atlas_version: str
    patients: int
    simulated: dict[str, dict[str, float]] = field(default_factory=dict)
    vignettes: list[dict[str, Any]] = field(default_factory=list)
    vignette_totals: dict[str, float] = field(default_factory=dict)
    vignette_totals_any: dict[str, float] = field(default_factory=dict)
    zones: list[dict[str, Any]] = field(default_factory=list)
    zone_totals: dict[str, float] = field(default_factory=dict)
    calibration: list[dict[str, float]] = field(default_factory=list)
    failures: list[dict[str, Any]] = field(default_factory=list)
    unlisted: int = 0

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def _simulate(model: Model, n: int, seed: int) -> tuple[list[Evidence], list[set[int]]]:
    rng = np.random.default_rng(seed)
    prior = 1 / (1 + np.exp(-model.log_odds))
    weights = prior / prior.sum()
    drawings, truths = [], []
    for _ in range(n):
        k = int(rng.choice([1, 2, 3], p=[0.5, 0.35, 0.15]))
        active = {int(i) for i in rng.choice(len(weights), size=k, replace=False, p=weights)}
        drawn: set[str] = set()
        for i in sorted(active):
            inst = model.instances[i]
            drawn |= {r for r in inst.essential if rng.random() < 0.8}
            drawn |= {r for r in inst.spillover if rng.random() < 0.3}
        drawn = {r for r in sorted(drawn) if rng.random() >= 0.15}
        for _ in range(int(rng.integers(0, 3))):
            drawn.add(model.regions[int(rng.integers(len(model.regions)))])
        painful = {
            r: model.params.region_weight(
                float(rng.uniform(0.3, 1.0)), float(np.clip(round(rng.normal(6, 2)), 1, 10))
            )
            for r in sorted(drawn)
        }
        drawings.append(Evidence(painful))
        truths.append(active)
    return drawings, truths


def _lookup(model: Model, ev: Evidence) -> list[int]:
    cols = [model.region_index[r] for r in ev.marked()]
    kind = model.kind[:, cols]
    ess, spill = (kind == 1).sum(axis=1), (kind == 2).sum(axis=1)
    order = np.lexsort((np.arange(len(ess)), -model.log_odds, -spill, -ess))
    return [int(i) for i in order if ess[i] + spill[i] > 0]


def _hits(ranked: list[list[int]], truths: list[set[int]], k: int) -> float:
    return sum(bool(set(r[:k]) & t) for r, t in zip(ranked, truths, strict=True)) / len(truths)


def _muscles(model: Model, ev: Evidence) -> list[str]:
    """The muscles a ranking lists for the drawing (those with a trigger point referring to a
    drawn region), most likely first: the list ``myomap locate`` prints."""
    inf = model.infer(model.encode([ev]))
    explains = explaining(model, ev.marked())
    return [m.muscle for m in muscle_probabilities(model, inf, 0, explains, len(model.muscles))]


def _lookup_muscles(model: Model, ev: Evidence) -> list[str]:
    return list(dict.fromkeys(model.instances[i].muscle for i in _lookup(model, ev)))


def _groups(table: dict[str, Any], cid: str, active_only: bool) -> list[tuple[str, set[str]]]:
    """The condition's published muscles, each once: two studies naming the same atlas muscles
    count as one muscle, and rows that did not separate active from latent trigger points are
    left out when only muscles found active are scored (a latent trigger point is not the source
    of the pain drawn)."""
    groups: dict[frozenset[str], str] = {}
    for r in table["entries"]:
        if r["condition"] == cid and (r["active"] or not active_only):
            groups.setdefault(frozenset(r["muscles"]), r["muscle"])
    return [(label, set(muscles)) for muscles, label in groups.items()]


HELD_OUT = "priors, condition held out"


def condition_vignettes(
    models: dict[str, Differential],
    table: dict[str, Any],
    active_only: bool = True,
    held_out: Callable[[str], Differential] | None = None,
) -> tuple[list[dict[str, Any]], dict[str, float]]:
    """Per condition, how many of its published muscles each ranking puts in the ten best;
    ``models`` must hold "without priors" (the zone lookup ranks on its model). The priors are
    pooled from the same table the vignettes come from; ``held_out`` gives, per condition, a
    differential whose priors were pooled without that condition's rows, so the report can show
    the ranking does not just recall its own input."""
    names = (*models, *((HELD_OUT,) if held_out else ()), "zone lookup")
    rows, hit, total = [], dict.fromkeys(names, 0), 0
    plain = models["without priors"]
    for cid, cond in table["conditions"].items():
        groups = _groups(table, cid, active_only)
        if not groups:
            continue
        ids = [plain.bodymap.on_side(b, Side.RIGHT) for b in cond["regions"]]
        ev = Evidence(dict.fromkeys(ids, 1.0))
        ranks = {name: _muscles(d.model, ev) for name, d in models.items()}
        if held_out:
            ranks[HELD_OUT] = _muscles(held_out(cid).model, ev)
        ranks["zone lookup"] = _lookup_muscles(plain.model, ev)
        row: dict[str, Any] = {"condition": cond["label"], "muscles": len(groups)}
        for name, rank in ranks.items():
            top = set(rank[:TOP_MUSCLES])
            found = sum(bool(g & top) for _, g in groups)
            row[name] = found
            hit[name] += found
        best = set(ranks["with priors"][:TOP_MUSCLES])
        looked = set(ranks["zone lookup"][:TOP_MUSCLES])
        row["missed"] = [
            f"{label}: {_miss_cause(plain.model, ids, g)}" for label, g in groups if not g & best
        ]
        row["ranking_only"] = [label for label, g in groups if g & best and not g & looked]
        row["lookup_only"] = [label for label, g in groups if g & looked and not g & best]
        total += len(groups)
        rows.append(row)
    return rows, {name: round(h / total, 3) for name, h in hit.items()} | {"muscles": total}


def _miss_cause(model: Model, ids: list[str], muscles: set[str]) -> str:
    cols = [model.region_index[r] for r in ids]
    reach = {
        model.regions[c]
        for i, inst in enumerate(model.instances)
        if inst.muscle in muscles
        for c in cols
        if model.kind[i, c]
    }
    if not reach:
        return "its zones in the atlas do not reach the drawn regions"
    return f"refers to {len(reach)} of the {len(ids)} drawn regions, and other muscles explain more"


def _calibration(
    marginal: np.ndarray, truths: list[set[int]], ranked: list[list[int]]
) -> list[dict[str, float]]:
    pred, seen = [], []
    for row, truth in enumerate(truths):
        top = ranked[row][:10]
        pred += [float(marginal[row, i]) for i in top]
        seen += [1.0 if int(i) in truth else 0.0 for i in top]
    p, o = np.array(pred), np.array(seen)
    out = []
    for b in range(BINS):
        lo, hi = b / BINS, (b + 1) / BINS
        mask = (p >= lo) & ((p < hi) if b < BINS - 1 else (p <= hi))
        if mask.any():
            out.append(
                {
                    "bin": round(lo, 1),
                    "predicted": round(float(p[mask].mean()), 3),
                    "observed": round(float(o[mask].mean()), 3),
                    "count": int(mask.sum()),
                }
            )
    return out


def _failures(
    model: Model,
    drawings: list[Evidence],
    truths: list[set[int]],
    ranked: list[list[int]],
    limit: int = 5,
) -> list[dict[str, Any]]:
    scored = []
    for row, truth in enumerate(truths):
        order = ranked[row]
        # a true trigger point that refers to no drawn region is not listed at all: worst
        rank = min((order.index(i) + 1 if i in order else NOT_LISTED) for i in truth)
        # among equal ranks, a patient who drew more is the more telling failure
        scored.append((-rank, -len(drawings[row].marked()), row))
    out = []
    for neg_rank, _, row in sorted(scored)[:limit]:
        ev, truth = drawings[row], truths[row]
        marked = set(ev.marked())
        causes = []
        for i in sorted(truth):
            inst = model.instances[i]
            ess, spill = marked & set(inst.essential), marked & set(inst.spillover)
            causes.append(
                f"{inst.trigger_point} ({inst.side.value}): {len(ess)} of "
                f"{len(inst.essential)} essential and {len(spill)} of {len(inst.spillover)} "
                "spillover regions drawn"
            )
        first = model.instances[ranked[row][0]] if ranked[row] else None
        out.append(
            {
                "patient": row,
                "best_true_rank": None if -neg_rank == NOT_LISTED else -neg_rank,
                "regions": len(marked),
                "ranked_first": f"{first.trigger_point} ({first.side.value})" if first else "none",
                "causes": causes,
            }
        )
    return out


def validate(
    atlas: Atlas,
    bodymap: BodyMap,
    params: ModelParams,
    table: dict[str, Any],
    patients: int = PATIENTS,
    seed: int = SEED,
    reference: dict[str, Any] | None = None,
) -> ValidationReport:
    """Every measure of the report for one atlas, body map and set of model parameters."""
    differential = build_differential(atlas, bodymap, params)
    model = differential.model
    plain = build_differential(atlas, bodymap, dataclasses.replace(params, muscle_odds={}))
    drawings, truths = _simulate(plain.model, patients, seed)
    report = ValidationReport(model.atlas_version, patients)
    marginal = model.infer(model.encode(drawings)).marginal
    ranked = [
        candidate_order(model, m, ev.marked()) for m, ev in zip(marginal, drawings, strict=True)
    ]
    looked = [_lookup(model, ev) for ev in drawings]
    for name, rows in (("myomap", ranked), ("zone lookup", looked)):
        report.simulated[name] = {f"top{k}": round(_hits(rows, truths, k), 3) for k in (1, 3, 5)}
    both = {"with priors": differential, "without priors": plain}

    @functools.cache
    def held_out(cid: str) -> Differential:
        odds = muscle_odds(table, exclude=cid)
        return build_differential(atlas, bodymap, dataclasses.replace(params, muscle_odds=odds))

    report.vignettes, report.vignette_totals = condition_vignettes(both, table, held_out=held_out)
    report.vignette_totals_any = condition_vignettes(
        both, table, active_only=False, held_out=held_out
    )[1]
    if reference is not None:
        report.zones, report.zone_totals = zone_agreement(atlas, reference)
    report.calibration = _calibration(marginal, truths, ranked)
    report.failures = _failures(model, drawings, truths, ranked)
    report.unlisted = sum(not set(r) & t for r, t in zip(ranked, truths, strict=True))
    return report


def default_report(patients: int = PATIENTS) -> ValidationReport:
    """The report for the bundled atlas, body map, parameters and prevalence table."""
    root = data_root() / "differential"
    table = json.loads((root / "prevalence.json").read_text("utf-8"))
    reference = json.loads((root / "referral_reference.json").read_text("utf-8"))
    return validate(
        load_atlas(), load_bodymap(), load_model_params(), table, patients, reference=reference
    )
