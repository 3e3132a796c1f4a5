"""Upper bounds on the number of linear regions of a ReLU network, and a sampling estimate.

Widths ``(n_0, ..., n_L)``, hidden layers ``1..L-1`` (the last layer is affine and adds no
regions), ``N = n_1 + ... + n_{L-1}``. All bounds count activation regions, hence also linear
regions.

* ``2^N``: one region per activation pattern at most.
* Zaslavsky (one hidden layer): ``sum_{j<=n_0} C(n_1, j)``, the number of regions of
  ``n_1`` hyperplanes in general position in ``R^{n_0}`` [Zas75]; an upper bound for any one
  hidden layer, attained for generic weights. Reported only for one hidden layer.
* Zhang–Naitzat–Lim [ZNL18]: ``prod_{l=1}^{L-1} sum_{j=0}^{n_0} C(n_l, j)``.
* Montúfar [Mon17]: ``prod_{l=1}^{L-1} sum_{j=0}^{d_l} C(n_l, j)``,
  ``d_l = min(n_0, n_1, ..., n_l)``.
* Serra–Tjandraatmadja–Ramalingam [STR18, Thm 1]: ``sum_{(j_1..j_{L-1}) in J} prod_l C(n_l, j_l)``
  with ``J = {0 <= j_l <= min(n_0, n_1 - j_1, ..., n_{l-1} - j_{l-1}, n_l)}``; the rank
  refinement [STR18] also caps ``j_l`` by ``min(rank W_1, ..., rank W_l)``
  (the image of the first ``l`` layers has dimension at most that). The ranks are exact
  (:func:`exact_rank`: every float is a rational, ranked over Q with FLINT): a floating-point
  rank can be too small (``[[1e20, 1e20], [1, -1]]`` has rank 2, numerically 1), and a rank
  below the true one would give a "bound" below the true count.

References
----------
[Zas75] T. Zaslavsky, Facing up to arrangements, Mem. AMS 154 (1975).
[ZNL18] L. Zhang, G. Naitzat, L.-H. Lim, Tropical geometry of deep neural networks, ICML 2018,
        arXiv:1805.07091.
[Mon17] G. Montúfar, Notes on the number of linear regions of deep neural networks, SampTA 2017.
[STR18] T. Serra, C. Tjandraatmadja, S. Ramalingam, Bounding and counting linear regions of deep
        neural networks, ICML 2018, arXiv:1711.02114.
[Cha84] A. Chao, Nonparametric estimation of the number of classes in a population,
        Scand. J. Stat. 11 (1984); log-normal interval from Chao, Biometrics 43 (1987).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np


def _sum_binom(n: int, d: int) -> int:
    return sum(math.comb(n, j) for j in range(0, min(n, d) + 1))


def bound_trivial(widths) -> int:
    """``2^N``."""
    return 2 ** sum(widths[1:-1])


def bound_zaslavsky(widths) -> int | None:
    """``sum_{j<=n_0} C(n_1, j)`` for one hidden layer (None otherwise)."""
    if len(widths) != 3:
        return None
    return _sum_binom(widths[1], widths[0])


def bound_zhang_naitzat_lim(widths) -> int:
    """``prod_l sum_{j<=n_0} C(n_l, j)`` over hidden layers [ZNL18]."""
    return math.prod(_sum_binom(n, widths[0]) for n in widths[1:-1])


def bound_montufar(widths) -> int:
    """``prod_l sum_{j<=d_l} C(n_l, j)``, ``d_l = min(n_0..n_l)`` [Mon17]."""
    out, d = 1, widths[0]
    for n in widths[1:-1]:
        d = min(d, n)
        out *= _sum_binom(n, d)
    return out


def bound_serra(widths, ranks=None) -> int:
    """Serra–Tjandraatmadja–Ramalingam [STR18, Thm 1]; with ``ranks`` (rank W_l of the hidden
    layers) the rank-refined bound."""
    hidden = tuple(widths[1:-1])
    caps = [widths[0]] * len(hidden)
    if ranks is not None:
        m = widths[0]
        for l, r in enumerate(ranks[:len(hidden)]):
            m = min(m, int(r))
            caps[l] = m

    @lru_cache(maxsize=None)
    def rec(l: int, cap: int) -> int:  # cap = min(n_0, n_k - j_k for k < l)
        if l == len(hidden):
            return 1
        n = hidden[l]
        top = min(cap, n, caps[l])
        return sum(math.comb(n, j) * rec(l + 1, min(cap, n - j)) for j in range(0, top + 1))

    return rec(0, widths[0])


#: matrices with more entries are not ranked exactly; ``min(shape)`` (>= the rank) is used
MAX_RANK_ENTRIES = 250_000


def exact_rank(W) -> int:
    """Rank over Q of ``W`` (Fractions, integers or floats, each float read as the rational it
    is), by FLINT's ``fmpq_mat``; ``min(W.shape)``, an upper bound, beyond
    ``MAX_RANK_ENTRIES`` entries (so a bound using it stays valid)."""
    from fractions import Fraction

    import flint

    W = np.asarray(W, dtype=object)
    rows, cols = W.shape
    if rows * cols > MAX_RANK_ENTRIES:
        return min(rows, cols)
    entries = []
    for v in W.ravel().tolist():
        q = Fraction(v)
        entries.append(flint.fmpq(q.numerator, q.denominator))
    return int(flint.fmpq_mat(rows, cols, entries).rank())


def bounds_panel(net) -> dict:
    """All bounds for ``net`` (name -> int or None); the rank refinement uses exact ranks."""
    w = net.widths
    ranks = [exact_rank(W) for W in net.weights[:-1]]
    return {
        "2^N": bound_trivial(w),
        "zaslavsky": bound_zaslavsky(w),
        "zhang_naitzat_lim": bound_zhang_naitzat_lim(w),
        "montufar": bound_montufar(w),
        "serra": bound_serra(w),
        "serra_rank": bound_serra(w, ranks),
    }


@dataclass(frozen=True)
class SamplingEstimate:
    """Chao1 estimate of the number of activation regions met by ``n_samples`` uniform points.

    ``observed`` distinct patterns is a rigorous lower bound on the regions meeting the sampled
    box; ``estimate`` and the 95% log-normal interval ``[low, high]`` [Cha84] extrapolate from the
    numbers of patterns seen once (f1) and twice (f2). Regions too small to be hit are invisible
    to sampling, so the interval is a heuristic, not a bound.
    """

    n_samples: int
    observed: int
    f1: int
    f2: int
    estimate: float
    low: float
    high: float
    box: tuple

    def to_dict(self) -> dict:
        return {"n_samples": self.n_samples, "observed": self.observed, "f1": self.f1, "f2": self.f2,
                "estimate": self.estimate, "ci95": [self.low, self.high],
                "box": [list(b) for b in self.box]}


def chao1(counts) -> tuple[float, float, float]:
    """Bias-corrected Chao1 estimate and its 95% log-normal interval from class frequencies."""
    counts = np.asarray(counts)
    s = len(counts)
    f1, f2 = int(np.sum(counts == 1)), int(np.sum(counts == 2))
    t = f1 * (f1 - 1) / (2 * (f2 + 1))
    est = s + t
    if t <= 0:
        return float(est), float(s), float(est)
    if f2 > 0:
        q = f1 / f2
        var = f2 * (q ** 2 / 2 + q ** 3 + q ** 4 / 4)
    else:
        var = f1 * (f1 - 1) / 2 + f1 * (2 * f1 - 1) ** 2 / 4 - f1 ** 4 / (4 * est)
    var = max(var, 1e-12)
    k = math.exp(1.96 * math.sqrt(math.log(1 + var / t ** 2)))
    return float(est), float(s + t / k), float(s + t * k)


#: points evaluated at once by :func:`sampling_estimate`
SAMPLE_CHUNK = 100_000


def sampling_estimate(net, box, *, n_samples: int = 20000, seed=None) -> SamplingEstimate:
    """Sample ``n_samples`` uniform points of ``box`` and estimate the number of regions."""
    from ..random import check_seed

    _, rng = check_seed(seed)
    arr = np.asarray(box, dtype=float)
    packed = []
    for start in range(0, n_samples, SAMPLE_CHUNK):      # bounded memory: N floats per point
        k = min(SAMPLE_CHUNK, n_samples - start)
        X = arr[:, 0] + (arr[:, 1] - arr[:, 0]) * rng.random((k, arr.shape[0]))
        pats = net.patterns(X)
        packed.append(np.packbits(pats, axis=1) if pats.shape[1] else np.zeros((k, 1), np.uint8))
    _, counts = np.unique(np.concatenate(packed), axis=0, return_counts=True)
    est, lo, hi = chao1(counts)
    return SamplingEstimate(n_samples, len(counts), int(np.sum(counts == 1)), int(np.sum(counts == 2)),
                            est, lo, hi, tuple(tuple(b) for b in arr.tolist()))
