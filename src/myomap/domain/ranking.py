"""Turning the engine's arrays into an explained ranking for one drawing.

Kept apart from :mod:`myomap.domain.differential` so the vectorised engine stays small; this part
runs once per drawing shown to a person and favours plain words over speed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from myomap.domain.bodymap import Side
from myomap.domain.differential import Evidence, Inference, Model
from myomap.domain.findings import AnyFinding, MovementFinding
from myomap.domain.visceral import VisceralWarning


@dataclass(frozen=True)
class Candidate:
    rank: int
    trigger_point: str
    muscle: str
    side: Side
    probability: float
    essential: tuple[str, ...]  # marked regions inside its essential zone
    spillover: tuple[str, ...]  # marked regions inside its spillover zone
    unexplained: tuple[str, ...]  # marked regions it does not refer to
    probability_without_findings: float | None
    findings: tuple[AnyFinding, ...]
    why: str


@dataclass(frozen=True)
class Explanation:
    """A small set of instances that together explain the drawing, and what it leaves out."""

    trigger_points: tuple[tuple[str, Side], ...]
    probability: float
    unexplained: tuple[str, ...]


@dataclass(frozen=True)
class Palpation:
    trigger_point: str
    side: Side
    expected_gain: float  # bits of information about which TrPs are active


@dataclass(frozen=True)
class MuscleProbability:
    muscle: str
    probability: float


@dataclass(frozen=True)
class Ranking:
    atlas_version: str
    regions: tuple[str, ...]
    not_painful: tuple[str, ...]
    candidates: tuple[Candidate, ...]
    explanations: tuple[Explanation, ...]
    next_palpation: tuple[Palpation, ...]
    muscles: tuple[MuscleProbability, ...]
    warnings: tuple[VisceralWarning, ...]


def ordered(values: np.ndarray, top: int) -> list[int]:
    """Indices of the ``top`` largest values, ties broken by index (stable, reproducible).

    Values are compared after rounding to 10 decimals: a matrix product may differ in the last
    bits with the batch size, and a tie must break the same way alone and in a batch.
    """
    values = np.round(values, 10)
    n = values.shape[0]
    if top <= 0 or n == 0:
        return []
    if top < n:
        cut = np.partition(values, n - top)[n - top]
        idx = np.flatnonzero(values >= cut)
    else:
        idx = np.arange(n)
    idx = idx[np.lexsort((idx, -values[idx]))]
    return [int(i) for i in idx[:top]]


def explaining(model: Model, marked: Sequence[str]) -> np.ndarray:
    """Which instances refer pain to at least one marked region: only these are candidates, so a
    trigger point is never offered on its prior alone."""
    cols = [model.region_index[r] for r in marked]
    if not cols:
        return np.zeros(model.n_instances, bool)
    return np.asarray((model.kind[:, cols] > 0).any(axis=1))


def candidate_order(model: Model, marginal: np.ndarray, marked: Sequence[str]) -> list[int]:
    """Every candidate instance of one drawing, most probable first, in the order a ranking
    lists them."""
    explains = explaining(model, marked)
    return ordered(np.where(explains, marginal, -1.0), int(explains.sum()))


def _binary_entropy(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-12, 1 - 1e-12)
    return np.asarray(-(p * np.log2(p) + (1 - p) * np.log2(1 - p)))


def palpation_gain(model: Model, marginal: np.ndarray) -> np.ndarray:
    """Expected information (bits) a palpation of each instance gives about the active set.

    With the palpation modelled as a test of known sensitivity and specificity, the mutual
    information between its result and the hypothesis only depends on the instance's marginal.
    """
    sens, spec = model.params.sensitivity, model.params.specificity
    p_pos = marginal * sens + (1 - marginal) * (1 - spec)
    noise = marginal * _binary_entropy(np.array(sens)) + (1 - marginal) * _binary_entropy(
        np.array(1 - spec)
    )
    return np.asarray(_binary_entropy(p_pos) - noise)


def _pct(p: float) -> str:
    return f"{p * 100:.0f}%" if p >= 0.01 else "<1%"


def finding_effect(model: Model, f: AnyFinding) -> str:
    """How one finding moved a candidate, in words: what was found and its likelihood ratio."""
    lr = model.finding_lr(f)
    if isinstance(f, MovementFinding):
        what = f"{model.movements.describe(f)}, a movement it restricts"
    else:
        what = f"{f.trigger_point} {'confirmed' if f.confirmed else 'palpated and not found'}"
    verb = "raises" if lr > 1 else "lowers"
    return f"{what} ({verb} its odds {lr:.3g}-fold)"


def why_text(
    essential: Sequence[str],
    spillover: Sequence[str],
    unexplained: Sequence[str],
    n_marked: int,
    labels: Mapping[str, str],
    effects: Sequence[str],
    before: float | None,
    after: float,
) -> str:
    def names(ids: Sequence[str]) -> str:
        return ", ".join(labels.get(r, r).lower() for r in ids)

    parts = [f"Refers pain to {len(essential) + len(spillover)} of {n_marked} marked regions"]
    detail = []
    if essential:
        detail.append(f"essential zone: {names(essential)}")
    if spillover:
        detail.append(f"spillover zone: {names(spillover)}")
    text = parts[0] + (f" ({'; '.join(detail)})" if detail else "") + "."
    if unexplained:
        text += f" Does not explain {names(unexplained)}."
    if effects:
        text += " Findings: " + "; ".join(effects)
        text += f". {_pct(before)} before them, {_pct(after)} after." if before is not None else "."
    return text


def build_ranking(
    model: Model,
    inf: Inference,
    row: int,
    evidence: Evidence,
    *,
    top: int,
    findings: Sequence[AnyFinding] = (),
    before: Inference | None = None,
    labels: Mapping[str, str] | None = None,
    warnings: Sequence[VisceralWarning] = (),
) -> Ranking:
    """The explained ranking of drawing ``row`` of a batch inference."""
    labels = labels or {}
    p = model.params
    marked = evidence.marked()
    cols = np.array([model.region_index[r] for r in marked], dtype=np.int64)
    marginal = inf.marginal_row(row)
    explains = explaining(model, marked)
    masked = np.where(explains, marginal, -1.0)
    by_instance: dict[int, list[AnyFinding]] = {}
    for f in findings:
        for idx in model.finding_targets(f):
            by_instance.setdefault(idx, []).append(f)
    palpated = {
        idx
        for idx, fs in by_instance.items()
        if any(not isinstance(f, MovementFinding) for f in fs)
    }
    candidates: list[Candidate] = []
    for idx in ordered(masked, min(top, int(explains.sum()))):
        inst = model.instances[idx]
        kinds = model.kind[idx, cols] if len(cols) else np.zeros(0, np.int8)
        ess = tuple(r for r, k in zip(marked, kinds, strict=True) if k == 1)
        spill = tuple(r for r, k in zip(marked, kinds, strict=True) if k == 2)
        unexpl = tuple(r for r, k in zip(marked, kinds, strict=True) if k == 0)
        fs = tuple(by_instance.get(idx, ()))
        prob_before = float(before.marginal_row(row)[idx]) if before is not None and fs else None
        prob = float(marginal[idx])
        candidates.append(
            Candidate(
                rank=len(candidates) + 1,
                trigger_point=inst.trigger_point,
                muscle=inst.muscle,
                side=inst.side,
                probability=prob,
                essential=ess,
                spillover=spill,
                unexplained=unexpl,
                probability_without_findings=prob_before,
                findings=fs,
                why=why_text(
                    ess,
                    spill,
                    unexpl,
                    len(marked),
                    labels,
                    [finding_effect(model, f) for f in fs],
                    prob_before,
                    prob,
                ),
            )
        )
    return Ranking(
        atlas_version=model.atlas_version,
        regions=tuple(marked),
        not_painful=tuple(sorted(evidence.not_painful)),
        candidates=tuple(candidates),
        explanations=tuple(_explanations(model, inf, row, cols, marked, p.explanations)),
        next_palpation=tuple(_next_palpation(model, marginal, explains, palpated)),
        muscles=tuple(muscle_probabilities(model, inf, row, explains, top)),
        warnings=tuple(warnings),
    )


def _explanations(
    model: Model, inf: Inference, row: int, cols: np.ndarray, marked: Sequence[str], n: int
) -> list[Explanation]:
    if not len(cols):
        return []
    singles = inf.single[row]
    scores = np.concatenate([singles, inf.sets[row]])
    out = []
    for h in ordered(scores, n):
        members = (
            [h]
            if h < len(singles)
            else [int(m) for m in inf.set_members(row)[h - len(singles)] if m >= 0]
        )
        covered = (model.kind[np.array(members)][:, cols] > 0).any(axis=0)
        out.append(
            Explanation(
                trigger_points=tuple(
                    sorted(
                        (model.instances[m].trigger_point, model.instances[m].side) for m in members
                    )
                ),
                probability=float(np.exp(scores[h] - inf.log_z[row])),
                unexplained=tuple(r for r, c in zip(marked, covered, strict=True) if not c),
            )
        )
    return out


def _next_palpation(
    model: Model, marginal: np.ndarray, explains: np.ndarray, done: set[int]
) -> list[Palpation]:
    gain = np.where(explains, palpation_gain(model, marginal), -1.0)
    for idx in done:
        gain[idx] = -1.0
    out = []
    for idx in ordered(gain, min(model.params.next_palpation, int((gain > 0).sum()))):
        inst = model.instances[idx]
        out.append(Palpation(inst.trigger_point, inst.side, round(float(gain[idx]), 6)))
    return out


def muscle_probabilities(
    model: Model, inf: Inference, row: int, explains: np.ndarray, top: int
) -> list[MuscleProbability]:
    """P(at least one TrP of the muscle is active), over the same hypotheses as the marginals."""
    shift = inf.log_z[row]
    n_m = len(model.muscles)
    mass = np.bincount(model.muscle_of, weights=np.exp(inf.single[row] - shift), minlength=n_m)
    members = inf.set_members(row)
    if len(members):
        owners = np.where(members >= 0, model.muscle_of[np.maximum(members, 0)], -1)
        # a set with two TrPs of one muscle counts once for that muscle
        owners[:, 1] = np.where(owners[:, 1] == owners[:, 0], -1, owners[:, 1])
        owners[:, 2] = np.where(
            (owners[:, 2] == owners[:, 0]) | (owners[:, 2] == owners[:, 1]), -1, owners[:, 2]
        )
        weights = np.repeat(np.exp(inf.sets[row] - shift), 3)
        flat = owners.ravel()
        keep = flat >= 0
        mass += np.bincount(flat[keep], weights=weights[keep], minlength=n_m)
    relevant = np.zeros(len(model.muscles), bool)
    relevant[model.muscle_of[explains]] = True
    mass = np.where(relevant, np.clip(mass, 0, 1), -1.0)
    return [
        MuscleProbability(model.muscles[j], float(mass[j]))
        for j in ordered(mass, min(top, int(relevant.sum())))
    ]
