"""The fast half of the differential: the best single candidates of many drawings at once.

Scoring every instance for a block of drawings is one matrix product; these helpers find each
row's best candidates without sorting every column, and enumerate the sets of two and three
candidates the full noisy-OR likelihood is then computed for. Pure NumPy; tested against a
plain reference in ``tests/unit/test_differential_topk.py`` and, through the engine, against the
exact posterior in ``tests/spec/differential``.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import combinations

import numpy as np
from numpy.typing import NDArray

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]

_BLOCK = 256  # drawings per block: a (256, N) block of scores fits in a core's L2 cache
_FEW_ROWS = 32  # up to this many rows, a plain argpartition finds the pool fastest


class _Painful:
    """The painful regions of a batch as flat entries, and the batch cut into blocks of
    drawings that mark about as many regions, so that padding them to a rectangle is cheap."""

    def __init__(self, rows: I64, cols: I64, wpos: F64, d: int) -> None:
        self.rows, self.cols, self.wpos = rows, cols, wpos
        self.counts = np.bincount(rows, minlength=d)
        self.at = np.arange(len(rows)) - (np.cumsum(self.counts) - self.counts)[rows]
        order = np.argsort(self.counts, kind="stable")
        self.blocks = np.array_split(order, max(1, min(d // _BLOCK, 1 << 15)))
        self.place = np.empty(d, np.int64)
        if len(self.blocks) == 1:  # one query, or a small batch: no sorting by block
            self.place[order] = np.arange(d)
            self.by_block = np.arange(len(rows))
            self.bounds = np.array([0, len(rows)])
            return
        # block ids as 16-bit integers, so that the stable sort below is a radix sort
        block_of = np.repeat(
            np.arange(len(self.blocks), dtype=np.uint16), [len(block) for block in self.blocks]
        )[np.argsort(order)]
        for block in self.blocks:
            self.place[block] = np.arange(len(block))
        entry_block = block_of[rows]
        self.by_block = np.argsort(entry_block, kind="stable")
        self.bounds = np.searchsorted(entry_block[self.by_block], np.arange(len(self.blocks) + 1))

    def block_regions(self, b: int, pm: int) -> tuple[I64, F64]:
        """(G, pm) painful region columns and weights of block b's drawings, zero padded."""
        e = self.by_block[self.bounds[b] : self.bounds[b + 1]]
        g_rows, g_at, g_cols = self.place[self.rows[e]], self.at[e], self.cols[e]
        size = len(self.blocks[b])
        cols = np.zeros((size, pm), np.int64)
        cols[g_rows, g_at] = g_cols
        w = np.zeros((size, pm))
        w[g_rows, g_at] = self.wpos[self.rows[e], g_cols]
        return cols, w


def _top_k(scores: F64, k: int, floor: float = np.inf) -> tuple[I64, NDArray[np.bool_]]:
    """Column indices of the k largest scores per row (ascending), and which may form sets.

    When the k-th and (k+1)-th scores tie (compared rounded; typically a TrP's left and right
    instances on a symmetric drawing), the tied pool members are kept out of the set search, so
    that which of the tied instances made the cut never matters: mirrored drawings get mirrored
    results, and a drawing gets the same numbers alone and in a batch. Pool members are sorted
    by instance, so sets are listed, and their ties broken, in instance order.

    ``floor`` only affects speed: rows with more than k scores above it look for the pool among
    those scores alone, which is exact for any floor; the other rows, and batches of a few rows
    (one query), take a plain argpartition. Which members tied at the cut fill the pool may
    differ between routes; they are unusable either way.
    """
    d, n = scores.shape
    if n <= k:
        pool: I64 = np.broadcast_to(np.arange(n), (d, n)).copy()
        return pool, np.ones(pool.shape, dtype=bool)
    pool = np.empty((d, k), np.int64)
    cut = np.empty(d)
    many = np.zeros(d, bool)
    if d > _FEW_ROWS and np.isfinite(floor):
        flat = np.flatnonzero(scores > floor)
        rows = flat // n
        count = np.bincount(rows, minlength=d)
        many = count > k
    if many.any():
        # the scores above the floor of those rows, left-aligned and padded with -inf (never
        # in a pool)
        keep = many[rows]
        rows, flat = rows[keep], flat[keep]
        compact = np.cumsum(many) - 1  # row -> index among the rows with many
        width = count * many
        at = np.arange(len(flat)) - (np.cumsum(width) - width)[rows]
        vals = np.full((int(many.sum()), int(count.max())), -np.inf)
        cols = np.zeros(vals.shape, np.int64)
        vals[compact[rows], at] = scores.ravel()[flat]
        cols[compact[rows], at] = flat - rows * n
        idx = np.flatnonzero(many)
        pool[idx], cut[idx] = _select(vals, cols, k)
    if not many.all():
        idx = np.flatnonzero(~many)
        sub = scores[idx] if len(idx) < d else scores
        part = np.argpartition(sub, n - k - 1, axis=1)
        pool[idx] = part[:, n - k :]
        cut[idx] = np.take_along_axis(sub, part[:, n - k - 1 : n - k], axis=1)[:, 0]
    pool.sort(axis=1)
    chosen = np.round(np.take_along_axis(scores, pool, axis=1), 9)
    return pool, chosen != np.round(cut, 9)[:, None]


def _select(vals: F64, cols: I64, k: int) -> tuple[I64, F64]:
    """The pool (k columns) and the (k+1)-th largest value of rows of candidate scores.

    The candidates above the cut (at most k per row) come from one flat scan of a small mask;
    rows where the cut is tied fill the remaining slots with candidates equal to it, which are
    unusable, so which of them is taken never matters.
    """
    d, c = vals.shape
    cut = np.partition(vals, c - k - 1, axis=1)[:, c - k - 1]
    flat = np.flatnonzero(vals > cut[:, None])
    rows = flat // c
    count = np.bincount(rows, minlength=d)
    pool = np.empty((d, k), np.int64)
    pool[rows, np.arange(len(flat)) - (np.cumsum(count) - count)[rows]] = cols.ravel()[flat]
    short = np.flatnonzero(count < k)
    if len(short):
        eq = np.flatnonzero(vals[short] == cut[short, None])
        e_rows = eq // c
        e_count = np.bincount(e_rows, minlength=len(short))
        rank = np.arange(len(eq)) - (np.cumsum(e_count) - e_count)[e_rows]
        keep = rank < (k - count[short])[e_rows]
        pool[short[e_rows[keep]], count[short][e_rows[keep]] + rank[keep]] = cols[
            short[e_rows[keep]], eq[keep] - e_rows[keep] * c
        ]
    return pool, cut


@lru_cache(maxsize=8)
def _combos(k: int, max_size: int) -> I64:
    """Slot indices of every set of 2..max_size pool members (``-1`` pads), fixed per k."""
    rows = [
        (*c, *([-1] * (3 - size)))
        for size in range(2, max_size + 1)
        for c in combinations(range(k), size)
    ]
    out = np.array(rows, dtype=np.int64).reshape(-1, 3)
    out.setflags(write=False)
    return out


@lru_cache(maxsize=8)
def _membership(k: int, max_size: int) -> F64:
    """(S, K) one-hot: which pool slots each searched set contains."""
    combos = _combos(k, max_size)
    out = np.zeros((len(combos), k))
    for s, slots in enumerate(combos):
        out[s, slots[slots >= 0]] = 1.0
    out.setflags(write=False)
    return out
