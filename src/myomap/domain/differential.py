"""The differential engine: which trigger points most likely produce a pain drawing.

Each trigger point (TrP), expanded to one instance per side, is a possible cause in a noisy-OR
network: an active instance makes each region of its essential zone painful with probability
``q_e``, each region of its spillover zone with ``q_s``, and no other region; a leak ``l`` covers
pain nothing explains. For a set H of active instances::

    P(region r painful | H) = 1 - (1 - l) * prod_{i in H} (1 - q_ir)

Evidence is soft: a painful region enters the log-likelihood with a weight from its coverage and
intensity, a region marked not painful with full weight against, an unmarked region with a small
weight against. Because the log-likelihood of a single cause is linear in those weights, scoring
every instance for many drawings is one matrix product; sets of two and three instances are then
searched among the best single candidates with the full (non-linear) noisy-OR likelihood.
Posteriors are normalised over the empty set, every single instance and those sets.

The engine is pure (NumPy only); :mod:`myomap.domain.ranking` turns its arrays into explained
candidates. Ties are broken by instance order, which is sorted by (TrP id, side): stable across
runs and platforms.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from myomap.domain.bodymap import BodyMap, Side
from myomap.domain.candidate_pool import _combos, _membership, _Painful, _top_k
from myomap.domain.differential_params import ModelParams as ModelParams  # re-exported
from myomap.domain.errors import DataError, UnknownRegionError, UsageError
from myomap.domain.findings import AnyFinding, MovementFinding
from myomap.domain.instances import Instance as Instance  # re-exported
from myomap.domain.instances import expand_instances as expand_instances  # re-exported
from myomap.domain.movements import MovementIndex, build_movement_index

if TYPE_CHECKING:  # the atlas models (Pydantic) load only when an atlas is compiled
    from myomap.domain.atlas import Atlas

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]


@dataclass(frozen=True)
class Evidence:
    """What one drawing says: weights of painful regions, and regions marked not painful."""

    painful: Mapping[str, float]
    not_painful: frozenset[str] = frozenset()

    def marked(self) -> list[str]:
        return sorted(r for r, w in self.painful.items() if w > 0)


@dataclass(frozen=True)
class Inference:
    """Arrays for a batch of D drawings over N instances and S searched sets (see module doc).

    ``single``/``sets`` are log joint probabilities relative to the empty set; set s of a row
    holds the pool members in slots ``combos[s]`` (``-1`` pads sets of two). An instance's
    posterior mass is its single hypothesis, ``exp(single - shift)``, plus for the K pool
    members the mass of the sets that contain them (``pool_mass``, also scaled by
    ``exp(-shift)``). Marginals and set members are computed for the rows that are shown,
    because a batch rarely needs them for every drawing, and a (D, N) array that is never read
    is pure cost.
    """

    single: F64  # (D, N)
    combos: I64  # (S, 3) pool slots of each searched set, the same for every row
    sets: F64  # (D, S)
    log_z: F64  # (D,)
    shift: F64  # (D,)
    pool: I64  # (D, K) instances whose sets were searched
    pool_mass: F64  # (D, K) mass of the sets containing each pool member, scaled by exp(-shift)

    def set_members(self, row: int) -> I64:
        """(S, 3) instance indices of each searched set of one drawing, ``-1`` padded."""
        return np.where(self.combos >= 0, self.pool[row][np.maximum(self.combos, 0)], -1)

    @property
    def sets_members(self) -> I64:
        """(D, S, 3) instance indices of every searched set."""
        return np.where(self.combos[None] >= 0, self.pool[:, np.maximum(self.combos, 0)], -1)

    def marginal_row(self, row: int) -> F64:
        """P(instance active) for every instance of one drawing."""
        mass = np.exp(self.single[row] - self.shift[row])
        mass[self.pool[row]] += self.pool_mass[row]
        scale = np.exp(self.shift[row] - self.log_z[row])
        return np.asarray(np.minimum(mass * scale, 1.0), np.float64)

    @property
    def marginal(self) -> F64:
        """P(instance active), (D, N)."""
        mass = np.exp(self.single - self.shift[:, None])
        mass[np.arange(len(mass))[:, None], self.pool] += self.pool_mass
        scale = np.exp(self.shift - self.log_z)[:, None]
        return np.asarray(np.minimum(mass * scale, 1.0), np.float64)


@dataclass(frozen=True)
class Model:
    """The atlas compiled to matrices for one body map and one set of parameters."""

    params: ModelParams
    atlas_version: str
    regions: tuple[str, ...]
    instances: tuple[Instance, ...]
    muscles: tuple[str, ...]
    muscle_of: I64  # (N,) index into muscles
    kind: NDArray[np.int8]  # (N, R): 0 none, 1 essential, 2 spillover
    model_t: F64  # (2R + 1, N): log P(r | i) - log leak, then log(1 - q_ir), then prior log odds
    log_odds: F64  # (N,) prior log odds
    set_table: F64  # (27,) overlap correction of a painful region by kinds, code 9a + 3b + c
    movements: MovementIndex = field(repr=False)
    region_index: Mapping[str, int] = field(repr=False)
    instance_index: Mapping[tuple[str, Side], int] = field(repr=False)

    @property
    def n_instances(self) -> int:
        return len(self.instances)

    # -- evidence -------------------------------------------------------------------------------

    def encode(self, evidences: Sequence[Evidence]) -> F64:
        """Evidence matrix (D, 2R + 1): positive weights of painful regions, then negative
        weights (not painful: full, unmarked: small, painful: none), then a 1 that picks up the
        prior log odds in the product. Unknown regions are an error."""
        d, r = len(evidences), len(self.regions)
        x = np.zeros((d, 2 * r + 1))
        x[:, r : 2 * r] = self.params.unmarked_weight
        x[:, 2 * r] = 1.0
        for row, ev in enumerate(evidences):
            for rid in ev.not_painful:
                x[row, r + self._col(rid)] = self.params.not_painful_weight
            for rid, w in ev.painful.items():
                col = self._col(rid)
                if not np.isfinite(w) or w < 0:
                    raise UsageError("Evidence weights must be finite and not negative.")
                if w > 0:
                    x[row, col] = min(float(w), 1.0)
                    x[row, r + col] = 0.0
        return x

    def _col(self, rid: str) -> int:
        try:
            return self.region_index[rid]
        except KeyError:
            raise UnknownRegionError(rid, []) from None

    def finding_log_odds(self, findings: Sequence[AnyFinding]) -> F64:
        """Prior log odds after findings (Bayes: odds times each finding's likelihood ratio)."""
        out = self.log_odds.copy()
        for f in findings:
            out[self.finding_targets(f)] += np.log(self.finding_lr(f))
        return out

    def finding_lr(self, f: AnyFinding) -> float:
        """The likelihood ratio a finding multiplies its targets' odds by."""
        if isinstance(f, MovementFinding):
            try:
                return self.params.movement_lr[f.result]
            except KeyError:
                raise DataError(
                    "differential model parameters: no likelihood ratio for a "
                    f"{f.result!r} movement"
                ) from None
        return self.params.lr_confirmed if f.confirmed else self.params.lr_absent

    def finding_targets(self, f: AnyFinding) -> list[int]:
        """Instances a finding applies to; a side suffix on a midline TrP is ignored. A movement
        finding applies to the instances whose TrP restricts that movement on that side."""
        if isinstance(f, MovementFinding):
            return self.movements.instances_for(f)
        sides = [f.side, Side.MIDLINE] if f.side else [Side.LEFT, Side.RIGHT, Side.MIDLINE]
        targets = [
            self.instance_index[(f.trigger_point, s)]
            for s in sides
            if (f.trigger_point, s) in self.instance_index
        ]
        if not targets:
            raise UsageError(
                f"Unknown trigger point {f.trigger_point!r} in a finding. Use an atlas id such as "
                "'muscle.tag' (see 'myomap show MUSCLE')."
            )
        return targets

    # -- inference ------------------------------------------------------------------------------

    def infer(self, x: F64, log_odds: F64 | None = None) -> Inference:
        """Posterior over instances for a batch of encoded drawings; vectorised over drawings.

        One matrix product scores every single instance (prior included); sets are scored from
        the singles plus a correction on the painful regions their members share (see
        ``set_table``). ``log_odds`` replaces the prior, e.g. after palpation findings.
        """
        d, n = x.shape[0], self.n_instances
        single = x @ self.model_t  # (D, N) log joint of each single cause, relative to none
        if log_odds is not None:
            single += log_odds - self.log_odds
        k = min(self.params.pool, n)
        combos = _combos(k, self.params.max_set_size)
        no_pool = np.zeros((d, 0), np.int64)
        if d == 0 or n == 0 or not len(combos):
            top = np.maximum(single.max(axis=1, initial=0.0), 0.0)
            z = np.exp(-top) + np.exp(single - top[:, None]).sum(axis=1)
            return Inference(
                single,
                np.zeros((0, 3), np.int64),
                np.zeros((d, 0)),
                np.log(z) + top,
                top,
                no_pool,
                np.zeros((d, 0)),
            )
        # After the product, work goes block by block: a block of rows is copied out of the
        # product once and then stays in the core's cache through the selection, the set scores
        # and the exponentials, instead of the whole (D, N) array streaming from memory for each
        # step. Blocks group drawings that mark about as many regions (see _Painful).
        r = len(self.regions)
        flat = np.flatnonzero(x[:, :r] > 0)  # a flat index of a contiguous mask: cheapest scan
        painful = _Painful(flat // r, flat % r, x[:, :r], d)
        slots = np.where(combos >= 0, combos, k)
        membership = _membership(k, self.params.max_set_size)
        pool = np.empty((d, k), np.int64)
        sets = np.empty((d, len(combos)))
        top = np.empty(d)
        z = np.empty(d)
        pool_mass = np.empty((d, k))
        # a score that only a TrP referring to a painful region can beat: it leaves a few
        # candidates per drawing for the pool search (any value gives the same pool)
        floor = float(self.log_odds.max() if log_odds is None else log_odds.max())
        for b, block in enumerate(painful.blocks):
            s = single[block]  # a private copy: the exponentials overwrite it
            p, usable = _top_k(s, k, floor)
            pooled = np.take_along_axis(s, p, axis=1)
            base = np.concatenate(
                [np.where(usable, pooled, -np.inf), np.zeros((len(block), 1))], axis=1
            )
            sc = base[:, slots].sum(axis=2)
            sc += self._set_correction(painful, b, p, slots)
            # the best single is in the pool, so the pool holds the largest score
            t = np.maximum(np.maximum(pooled.max(axis=1), sc.max(axis=1)), 0.0)
            np.subtract(s, t[:, None], out=s)
            np.exp(s, out=s)
            e_sets = np.exp(sc - t[:, None])
            z[block] = np.exp(-t) + s.sum(axis=1) + e_sets.sum(axis=1)
            pool[block], sets[block], top[block] = p, sc, t
            pool_mass[block] = e_sets @ membership
        return Inference(single, combos, sets, np.log(z) + top, top, pool, pool_mass)

    def _set_correction(self, painful: _Painful, b: int, pool: I64, slots: I64) -> F64:
        """Full noisy-OR log joint of each set of pool members, minus its members' singles.

        On each painful region the correction for members that overlap there depends only on
        the members' zone kinds (none/essential/spillover), so it comes from a 27-entry table.
        """
        block = painful.blocks[b]
        pm = int(painful.counts[block].max(initial=0))
        if pm == 0:
            return np.zeros((len(block), len(slots)))
        cols, w = painful.block_regions(b, pm)
        kinds = self.kind[pool[:, :, None], cols[:, None, :]]  # (G, K, Pm)
        kinds = np.concatenate([kinds, np.zeros((len(block), 1, pm), np.int8)], axis=1)
        code = (kinds * 9)[:, slots[:, 0]] + (kinds * 3)[:, slots[:, 1]] + kinds[:, slots[:, 2]]
        return np.asarray(np.einsum("gsp,gp->gs", self.set_table[code], w), np.float64)


def _set_table(params: ModelParams) -> F64:
    """Positive term of a region for three members minus the sum of their single terms."""
    q = np.array([0.0, params.q_essential, params.q_spillover])

    def term(*qs: NDArray[np.float64]) -> NDArray[np.float64]:
        keep: NDArray[np.float64] = np.full(qs[0].shape, 1 - params.leak)
        for qi in qs:
            keep = keep * (1 - qi)
        return np.asarray(np.log1p(-keep) - np.log(params.leak))

    a, b, c = np.meshgrid(q, q, q, indexing="ij")
    return np.asarray((term(a, b, c) - term(a) - term(b) - term(c)).ravel(), np.float64)


def compile_model(atlas: Atlas, bodymap: BodyMap, params: ModelParams) -> Model:
    """Build the matrices once; the service caches the result per atlas and parameters."""
    regions = tuple(sorted(bodymap.regions))
    region_index = {r: i for i, r in enumerate(regions)}
    instances = expand_instances(atlas, bodymap)
    n, r = len(instances), len(regions)
    kind = np.zeros((n, r), dtype=np.int8)
    for i, inst in enumerate(instances):
        kind[i, [region_index[x] for x in inst.spillover]] = 2
        kind[i, [region_index[x] for x in inst.essential]] = 1
    q = np.select([kind == 1, kind == 2], [params.q_essential, params.q_spillover], 0.0)
    lneg = np.log1p(-q)
    lpos = np.log1p(-(1 - params.leak) * (1 - q)) - np.log(params.leak)
    prevalence = {tp.id: tp.prevalence for _, tp in atlas.trigger_points()}
    prior = np.array([params.priors[prevalence[i.trigger_point]] for i in instances])
    boost = np.array([params.muscle_odds.get(i.muscle, 1.0) for i in instances])
    prior = prior * boost / (1 - prior + prior * boost)  # odds times the muscle's multiplier
    muscles = tuple(sorted({i.muscle for i in instances}))
    m_index = {m: j for j, m in enumerate(muscles)}
    return Model(
        params=params,
        atlas_version=atlas.version,
        regions=regions,
        instances=tuple(instances),
        muscles=muscles,
        muscle_of=np.array([m_index[i.muscle] for i in instances], dtype=np.int64),
        kind=kind,
        model_t=np.ascontiguousarray(np.vstack([lpos.T, lneg.T, np.log(prior / (1 - prior))])),
        log_odds=np.log(prior / (1 - prior)),
        set_table=_set_table(params),
        movements=build_movement_index(atlas, instances),
        region_index=region_index,
        instance_index={(i.trigger_point, i.side): j for j, i in enumerate(instances)},
    )
