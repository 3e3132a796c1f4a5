"""Hoffman constants and the sampling radius of a tropical expression.

Hoffman's error bound: for ``P = {x : A x <= b}`` non-empty, ``dist(x, P) <= H(A) ||(A x - b)_+||``
for every x. We use the infinity norm on both sides, ``dist_inf`` and ``||.||_inf``. Peña, Vera
and Zuluaga [PVZ21] characterise the constant as
``H(A) = max_{J in S(A)} H_J(A)``, ``H_J(A) = 1 / min{ ||A_J^T v||_1 : v >= 0, sum v = 1 }``,
over the row sets ``S(A) = {J : A_J x < 0 has a solution}`` (by Gordan's theorem exactly the J
with ``min > 0``). ``S(A)`` is closed under subsets and ``H_J`` grows with ``J``; moreover the
maximum is attained on a set of at most n rows (Carathéodory, see :func:`hoffman_constant`),
which gives an exact algorithm with ``sum_{k<=n} C(m, k)`` LPs; beyond a budget the lower bound
``max H_J`` over greedily grown random maximal sets is returned. Examples: ``H(I_3) = 1``,
``H([I_3; -1 -1 -1]) = 3``, ``H([I_3; -I_3]) = 1``.

Sampling radius [after LWCBM24]: a monomial ``i`` of ``p = max_k (c_k + a_k.x)`` is the
maximum on ``P_i = {x : (a_k - a_i).x <= c_i - c_k for all k}``; at ``x = 0`` the residual is
``max_k (c_k - c_i)_+``, so Hoffman gives ``dist_inf(0, P_i) <= H(A^(i)) max_k (c_k - c_i)_+``.
For ``F ⊘ G`` the pieces are ``P_i(F) ∩ P_j(G)`` with the stacked systems. Every linear region
therefore meets the cube ``[-R, R]^n`` with R the largest such product: sampling in that cube
can see every region. Computed on pruned expressions (:mod:`.maxplus`).

References
----------
[PVZ21] J. Peña, J. C. Vera, L. F. Zuluaga, New characterizations of Hoffman constants for
        systems of linear constraints, Math. Program. 187 (2021); arXiv:1905.02894.
[LWCBM24] P. Lezeau, T. Walker, Y. Cao, S. Bhatia, A. Monod, Tropical expressivity of neural
        networks, arXiv:2405.20174.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import SpecError


@dataclass(frozen=True)
class HoffmanResult:
    """Hoffman constant (infinity norms). ``is_exact``: all maximal sets were enumerated, so
    ``lower == upper == value``; otherwise ``value = lower`` and ``upper`` is None (unknown)."""

    value: float
    lower: float
    upper: float | None
    is_exact: bool
    maximizer: tuple
    n_lp: int

    def __str__(self) -> str:
        if self.is_exact:
            return f"H = {self.value:.6g} (exact, attained on rows {list(self.maximizer)}, {self.n_lp} LPs)"
        return f"H >= {self.lower:.6g} (lower bound from sampled maximal sets, {self.n_lp} LPs)"

    def to_dict(self) -> dict:
        return {"value": self.value, "lower": self.lower, "upper": self.upper,
                "exact": self.is_exact, "maximizer": list(self.maximizer), "n_lp": self.n_lp}


def _min_dual(AJ: np.ndarray) -> float:
    """``min{ ||A_J^T v||_1 : v >= 0, sum v = 1 }`` by one LP (variables v and s >= |A_J^T v|)."""
    from ._lp import solve_lp

    k, n = AJ.shape
    c = np.concatenate([np.zeros(k), np.ones(n)])
    A = np.vstack([np.hstack([AJ.T, -np.eye(n)]), np.hstack([-AJ.T, -np.eye(n)]),
                   np.concatenate([np.ones(k), np.zeros(n)])[None, :]])
    lower = np.concatenate([np.full(2 * n, -np.inf), [1.0]])
    upper = np.concatenate([np.zeros(2 * n), [1.0]])
    val, _ = solve_lp(c, A, lower, upper, np.zeros(k + n), np.full(k + n, np.inf))
    return 0.0 if val is None else max(val, 0.0)


def _small_sets(A: np.ndarray, rows: list, tol: float):
    """``max H_J`` over row sets of size 1 and 2 in closed form (no LP): ``mu_{a} = ||a||_1`` and
    ``mu_{a,b} = min_{0<=l<=1} ||l a + (1-l) b||_1``, a convex piecewise-linear function of l
    whose minimum is at l = 0, 1 or where a coordinate vanishes."""
    R = A[rows]
    mu1 = np.abs(R).sum(axis=1)
    best, arg = float(1 / mu1.min()), (rows[int(np.argmin(mu1))],)
    if len(rows) < 2:
        return best, arg
    i, j = np.triu_indices(len(rows), 1)
    a, b = R[i], R[j]
    d = a - b
    with np.errstate(divide="ignore", invalid="ignore"):
        roots = np.where(d != 0, -b / np.where(d != 0, d, 1.0), 0.0)
    lam = np.clip(np.concatenate([np.zeros((len(i), 1)), np.ones((len(i), 1)), roots], axis=1), 0, 1)
    vals = np.abs(b[:, None, :] + lam[:, :, None] * d[:, None, :]).sum(axis=2).min(axis=1)
    ok = vals > tol
    if ok.any():
        k = int(np.argmax(np.where(ok, 1 / np.where(ok, vals, 1.0), 0.0)))
        if 1 / vals[k] > best:
            best, arg = float(1 / vals[k]), (rows[i[k]], rows[j[k]])
    return best, arg


def _is_surjective(AJ: np.ndarray, counter) -> bool:
    """Whether ``A_J x < 0`` has a solution: max t with ``A_J x + t <= 0`` (unit rows) is > 0."""
    from ._lp import chebyshev

    t, _ = chebyshev(AJ / np.linalg.norm(AJ, axis=1)[:, None], np.zeros(AJ.shape[0]), counter=counter)
    return t > 1e-9


def hoffman_constant(A, *, method: str = "auto", max_lp: int = 20000, atol: float = 1e-12,
                     seed=0) -> HoffmanResult:
    """Hoffman constant of ``A`` in the infinity norms (see module docstring).

    Exact method: by [PVZ21] ``H(A) = max H_J(A)`` over ``J in S(A)``, and the maximum is attained
    on some J with at most n rows: if ``v`` minimises ``||A_J^T v||_1`` over the simplex, the point
    ``A_J^T v`` lies on a face of dimension <= n - 1 of ``conv(rows of A_J)``, so by
    Carathéodory it is a convex combination of at most n rows K ⊆ J, and ``H_K = H_J`` (K is in
    ``S(A)`` because ``S(A)`` is closed under subsets). So the exact value needs one LP for each
    of the ``sum_{k<=n} C(m, k)`` row sets (by Gordan's theorem the same LP decides membership in
    ``S(A)``: J is in it iff the minimum is > 0) — polynomial for a fixed number of variables;
    sets of one or two rows are done in closed form, so n <= 2 needs no LP at all.

    ``method``: ``"exact"`` (error if more than ``max_lp`` LPs would be needed), ``"bounds"``
    (greedily grown random maximal sets: a lower bound; no upper bound is computed), ``"auto"``
    (exact when it fits in ``max_lp`` LPs). Zero rows are ignored (they never matter).

    Examples
    --------
    >>> round(hoffman_constant([[1, 0, 0], [0, 1, 0], [0, 0, 1], [-1, -1, -1]]).value, 9)
    3.0
    """
    import itertools
    import math

    from ._lp import LPCounter
    from ..random import check_seed

    A = np.asarray(A, dtype=float)
    if A.ndim != 2 or A.shape[0] == 0 or not np.all(np.isfinite(A)):
        raise SpecError(f"A must be a non-empty finite matrix; got shape {np.shape(A)}")
    if method not in ("auto", "exact", "bounds"):
        raise SpecError(f"method must be 'auto', 'exact' or 'bounds'; got {method!r}")
    rows = [i for i in range(A.shape[0]) if np.abs(A[i]).sum() > atol]
    n = A.shape[1]
    tol = 1e-12 * max(1.0, float(np.abs(A).max()))
    counter = LPCounter()
    needed = sum(math.comb(len(rows), k) for k in range(3, min(n, len(rows)) + 1))
    if method == "exact" and needed > max_lp:
        raise SpecError(f"exact Hoffman constant needs {needed} LPs for a {A.shape[0]}x{n} matrix, "
                        f"more than max_lp={max_lp}; use method='bounds'")
    if method in ("auto", "exact") and needed <= max_lp:
        best, arg = _small_sets(A, rows, tol)
        for k in range(3, min(n, len(rows)) + 1):
            for J in itertools.combinations(rows, k):
                counter.n += 1
                m = _min_dual(A[list(J)])
                if m > tol and 1.0 / m > best:
                    best, arg = 1.0 / m, J
        return HoffmanResult(best, best, best, True, arg, counter.n)
    surj = lambda J: _is_surjective(A[list(J)], counter)
    _, rng = check_seed(seed)
    best, arg = 0.0, ()
    for _ in range(32):
        J = []
        for r in rng.permutation(rows):
            if surj(sorted(J + [int(r)])):
                J.append(int(r))
        if J:
            counter.n += 1
            h = 1.0 / _min_dual(A[sorted(J)])
            if h > best:
                best, arg = h, tuple(sorted(J))
    return HoffmanResult(best, best, None, False, arg, counter.n)


@dataclass(frozen=True)
class SamplingRadius:
    """Every linear region meets ``[-radius, radius]^n`` (see module docstring)."""

    radius: float
    hoffman: float
    is_exact: bool
    n_systems: int

    def __str__(self) -> str:
        how = "exact Hoffman constants" if self.is_exact else "Hoffman lower bounds: not a guarantee"
        return (f"sampling radius R = {self.radius:.6g} (infinity norm; max H = {self.hoffman:.6g}, "
                f"{self.n_systems} systems, {how})")

    def to_dict(self) -> dict:
        return {"radius": self.radius, "hoffman": self.hoffman, "exact": self.is_exact,
                "n_systems": self.n_systems}


def _system(P, i):
    E, c = P.exponents.astype(float), P.coefficients.astype(float)
    keep = np.arange(P.n_monomials) != i
    return E[keep] - E[i], np.maximum(c[keep] - c[i], 0.0)


def sampling_radius(expr, *, max_lp: int = 20000) -> SamplingRadius:
    """Radius R such that every region of ``expr`` meets ``[-R, R]^n``.

    ``expr`` is a :class:`~.maxplus.MaxPlusPolynomial` (regions of one polynomial) or a
    one-output :class:`~.maxplus.TropicalRationalMap` (pieces ``P_i(F) ∩ P_j(G)``, only the
    non-empty ones). Pass pruned expressions.
    """
    from ._lp import chebyshev
    from .maxplus import MaxPlusPolynomial

    systems = []
    if isinstance(expr, MaxPlusPolynomial):
        systems = [_system(expr, i) for i in range(expr.n_monomials) if expr.n_monomials > 1]
    else:
        if expr.n_outputs != 1:
            raise SpecError(f"sampling_radius needs one output; got {expr.n_outputs}")
        F, G = expr.numerators[0], expr.denominators[0]
        for i in range(F.n_monomials):
            for j in range(G.n_monomials):
                parts = ([_system(F, i)] if F.n_monomials > 1 else []) + \
                        ([_system(G, j)] if G.n_monomials > 1 else [])
                if not parts:
                    continue
                A = np.vstack([p[0] for p in parts])
                r = np.concatenate([p[1] for p in parts])
                # non-empty piece? (Chebyshev LP on normalised rows)
                b = np.concatenate([(_rhs(F, i) if F.n_monomials > 1 else np.zeros(0)),
                                    (_rhs(G, j) if G.n_monomials > 1 else np.zeros(0))])
                nrm = np.linalg.norm(A, axis=1)
                ok = nrm > 0
                t, _ = chebyshev(A[ok] / nrm[ok, None], b[ok] / nrm[ok])
                if t > 0:
                    systems.append((A, r))
    R, Hmax, exact = 0.0, 0.0, True
    for A, resid in systems:
        gap = float(resid.max()) if len(resid) else 0.0
        h = hoffman_constant(A, max_lp=max_lp)
        exact &= h.is_exact
        Hmax = max(Hmax, h.value)
        R = max(R, h.value * gap)
    return SamplingRadius(R, Hmax, exact, len(systems))


def _rhs(P, i):
    c = P.coefficients.astype(float)
    keep = np.arange(P.n_monomials) != i
    return c[i] - c[keep]
