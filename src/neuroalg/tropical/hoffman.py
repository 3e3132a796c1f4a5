"""Hoffman constants of systems of linear inequalities.

Hoffman's error bound: for ``P = {x : A x <= b}`` non-empty, ``dist(x, P) <= H(A) ||(A x - b)_+||``
for every x. We use the infinity norm on both sides, ``dist_inf`` and ``||.||_inf``. Peña, Vera
and Zuluaga [PVZ21, Thm 1] characterise the constant as
``H(A) = max_{J in S(A)} H_J(A)``, ``H_J(A) = 1 / mu_J``, ``mu_J = min{ ||A_J^T v||_1 : v >= 0,
sum v = 1 }`` (the 1-norm distance from 0 to the convex hull of the rows J), over the row sets
``S(A) = {J : A_J x < 0 has a solution}`` (by Gordan's theorem exactly the J with ``mu_J > 0``).
``S(A)`` is closed under subsets and ``H_J`` grows with ``J`` [PVZ18]. Examples: ``H(I_3) = 1``,
``H([I_3; -1 -1 -1]) = 3``, ``H([I_3; -I_3]) = 1``.

Reduction to bases (proved in :func:`hoffman_constant`): ``H(A) = max H_B`` over the *bases* B
(row sets of size r = rank A with linearly independent rows), and ``H_B <= kappa_B =
||L^T 1||_inf`` for any left inverse L of ``A_B^T`` (``||A_B^{-1} 1||_inf`` when square: the
largest ``|x_j|`` with ``A_B x = 1``), a closed form. In the spirit of
[PVZ18] (H as the largest of a finite canonical collection of easily computed constants), the
search is an anytime branch and bound that keeps a lower and an upper bound: bases in
decreasing order of ``kappa_B``, one LP each, stopping when the next ``kappa_B`` cannot beat the
best ``H_B`` (then exact). When the LP budget runs out the result is the interval
``[lower, upper]`` with ``lower`` the best lower bound on an ``H_B`` and ``upper`` the
largest ``kappa_B`` not evaluated: both proven.

The sampling radius of a tropical expression is computed directly, not from these constants
(:mod:`.radius`: a Hoffman bound on the distance to a region reaches only its closure).

References
----------
[PVZ18] J. Peña, J. C. Vera, L. F. Zuluaga, An algorithm to compute the Hoffman constant of a
        system of linear constraints, arXiv:1804.08418.
[PVZ21] J. Peña, J. C. Vera, L. F. Zuluaga, New characterizations of Hoffman constants for
        systems of linear constraints, Math. Program. 187 (2021); arXiv:1905.02894.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from ..errors import SpecError

#: H_B is computed without LP (:func:`_mu_vertices`) when it needs at most this many r x r solves
MAX_VERTEX_SYSTEMS = 120
#: relative tolerance of the LP optima: a basis with kappa_B <= best * (1 + STOP_RTOL) cannot win
STOP_RTOL = 1e-9
#: ``is_exact``: the proven bounds agree to this relative precision
EXACT_RTOL = 1e-9
#: rows whose volume is below this times the product of their lengths count as dependent
RANK_RTOL = 1e-12


@dataclass(frozen=True)
class HoffmanResult:
    """Hoffman constant H(A) in the infinity norms, or proven bounds on it.

    ``lower <= H(A) <= upper`` always, both proven: ``lower`` is a ratio
    ``||v||_1 / ||A_J^T v||_1`` evaluated exactly (:func:`_verified_lower`), ``upper`` the
    largest of the rigorous ``kappa_B`` of the bases not evaluated and of exactly verified dual
    bounds of the evaluated ones (:func:`_verified_upper`); ``inf`` when there are more than
    ``max_bases`` bases (then no upper bound was computed). ``value = lower``. ``is_exact``:
    the bounds agree to ``EXACT_RTOL`` relative (the floating-point values of the evaluated
    ``H_B`` are never used as bounds). ``maximizer``: the rows of the best set found;
    ``n_lp``: LPs solved; ``n_bases``: bases of A (None if not enumerated); ``n_evaluated``:
    bases whose ``H_B`` was computed (by LP or LP-free, :func:`_mu_vertices`).
    """

    value: float
    lower: float
    upper: float
    is_exact: bool
    maximizer: tuple
    n_lp: int
    n_bases: int | None = None
    n_evaluated: int = 0
    #: LPs that proved the bounds (:func:`_verified_lower`, :func:`_verified_upper`), not in n_lp
    n_check_lp: int = 0

    def __str__(self) -> str:
        J = list(self.maximizer)
        rows = f"rows {J}" if len(J) <= 8 else f"{len(J)} rows {J[:6]}..."
        if self.is_exact:
            return (f"H = {self.value:.6g} (proven to relative {EXACT_RTOL:g}, attained on {rows}; "
                    f"{self.n_evaluated} of {self.n_bases} bases evaluated, {self.n_lp} LPs)")
        if math.isinf(self.upper):
            return (f"H >= {self.lower:.6g} (lower bound from {rows}; no upper bound: more bases "
                    f"than max_bases, or more nearly dependent row sets than MAX_EXACT_CHECKS; "
                    f"{self.n_lp} LPs)")
        return (f"H in [{self.lower:.6g}, {self.upper:.6g}] (proven bounds: lower attained on {rows}, "
                f"upper from kappa_B and verified dual bounds; {self.n_evaluated} of {self.n_bases} bases "
                f"evaluated, {self.n_lp} LPs)")

    def to_dict(self) -> dict:
        return {"value": self.value, "lower": self.lower,
                "upper": None if math.isinf(self.upper) else self.upper, "exact": self.is_exact,
                "maximizer": list(self.maximizer), "n_lp": self.n_lp, "n_bases": self.n_bases,
                "n_evaluated": self.n_evaluated, "n_check_lp": self.n_check_lp}


def _min_dual(AJ: np.ndarray) -> float:
    """``mu_J = min{ ||A_J^T v||_1 : v >= 0, sum v = 1 }`` by one LP (v and s >= |A_J^T v|)."""
    from ._lp import solve_lp

    k, n = AJ.shape
    c = np.concatenate([np.zeros(k), np.ones(n)])
    A = np.vstack([np.hstack([AJ.T, -np.eye(n)]), np.hstack([-AJ.T, -np.eye(n)]),
                   np.concatenate([np.ones(k), np.zeros(n)])[None, :]])
    lower = np.concatenate([np.full(2 * n, -np.inf), [1.0]])
    upper = np.concatenate([np.zeros(2 * n), [1.0]])
    val, _ = solve_lp(c, A, lower, upper, np.zeros(k + n), np.full(k + n, np.inf))
    return 0.0 if val is None else max(val, 0.0)


def _float_down(q) -> float:
    f = float(q)
    return f if Fraction(f) <= q else math.nextafter(f, -math.inf)


def _float_up(q) -> float:
    f = float(q)
    return f if Fraction(f) >= q else math.nextafter(f, math.inf)


#: active-set tolerance when an LP vertex is re-solved exactly (:func:`_polish`)
ACTIVE_TOL = 1e-9


def _polish(rows, rhs):
    """An exact solution (Fractions) of the linear system ``rows x = rhs`` of an LP's active
    constraints, or None (Gauss-Jordan, :func:`.maxplus._exact_solve`)."""
    from .maxplus import _exact_solve

    if not rows:
        return None
    return _exact_solve(np.array(rows, dtype=object), rhs)


def _verified_lower(AJ: np.ndarray, counter) -> float:
    """A proven lower bound on ``H_J = 1 / mu_J``: ``||v||_1 / ||A_J^T v||_1`` for any ``v >= 0``
    (``mu_J`` is a minimum over the simplex), evaluated exactly (Fractions) at the LP's
    minimiser v and at that vertex re-solved exactly on its active set (the better one),
    rounded down; 0 if the ratio is undefined."""
    from ._lp import solve_lp

    k, n = AJ.shape
    counter.n += 1
    c = np.concatenate([np.zeros(k), np.ones(n)])
    A = np.vstack([np.hstack([AJ.T, -np.eye(n)]), np.hstack([-AJ.T, -np.eye(n)]),
                   np.concatenate([np.ones(k), np.zeros(n)])[None, :]])
    _, x = solve_lp(c, A, np.concatenate([np.full(2 * n, -np.inf), [1.0]]),
                    np.concatenate([np.zeros(2 * n), [1.0]]), np.zeros(k + n),
                    np.full(k + n, np.inf))
    if x is None:
        return 0.0
    M = [[Fraction(float(a)) for a in row] for row in AJ.tolist()]
    v = np.maximum(x[:k], 0.0)
    w = AJ.T @ v
    scale = ACTIVE_TOL * (1 + float(np.abs(w).max()))
    zero = [j for j in range(n) if abs(w[j]) <= scale]
    # the vertex: v_i = 0 off the support, (A_J^T v)_j = 0 where it vanishes, sum v = 1
    eqs = [[M[i][j] for i in range(k)] for j in zero] + [[Fraction(1)] * k]
    eqs += [[Fraction(int(i == m)) for i in range(k)] for m in range(k) if v[m] <= scale]
    exact = _polish(eqs, [Fraction(0)] * len(zero) + [Fraction(1)] + [Fraction(0)] * (len(eqs) - len(zero) - 1))
    best = Fraction(0)
    for cand in ([Fraction(float(t)) for t in v], exact):
        if cand is None or any(t < 0 for t in cand) or sum(cand) <= 0:
            continue
        den = sum(abs(sum(cand[i] * M[i][j] for i in range(k))) for j in range(n))
        if den > 0:
            best = max(best, sum(cand) / den)
    return _float_down(best)


def _verified_upper(M: np.ndarray, counter) -> float:
    """A proven upper bound on ``H_B = 1 / mu_B``. By LP duality ``mu_B = max{ t : M u >= t 1,
    ||u||_inf <= 1 }``, and for any such u, ``||M^T v||_1 >= u.(M^T v) = (M u).v >= min_i (M u)_i``
    on the simplex: so ``1 / min_i (M u)_i``, evaluated exactly at the LP's u (clipped to
    ``[-1, 1]``) and at that vertex re-solved exactly on its active set (the better one), and
    rounded up, bounds ``H_B`` (inf if that minimum is not positive)."""
    from ._lp import solve_lp

    r, n = M.shape
    counter.n += 1
    cost = np.zeros(n + 1)
    cost[n] = -1.0
    A = np.hstack([-M, np.ones((r, 1))])            # t - (M u)_i <= 0
    _, x = solve_lp(cost, A, np.full(r, -np.inf), np.zeros(r),
                    np.concatenate([-np.ones(n), [-np.inf]]), np.concatenate([np.ones(n), [np.inf]]))
    if x is None:
        return math.inf
    u, t = np.clip(x[:n], -1.0, 1.0), float(x[n])
    Mq = [[Fraction(float(a)) for a in row] for row in M.tolist()]
    tol = ACTIVE_TOL * (1 + abs(t))
    # the vertex: (M u)_i = t on the active rows, u_j = +-1 on the active bounds
    eqs, rhs = [], []
    for i in range(r):
        if (M[i] @ u) - t <= tol:
            eqs.append(Mq[i] + [Fraction(-1)])
            rhs.append(Fraction(0))
    for j in range(n):
        if abs(u[j]) >= 1 - ACTIVE_TOL:
            eqs.append([Fraction(int(m == j)) for m in range(n + 1)])
            rhs.append(Fraction(int(np.sign(u[j]))))
    exact = _polish(eqs, rhs)
    best = Fraction(0)
    for cand in ([Fraction(float(a)) for a in u], None if exact is None else exact[:n]):
        if cand is None or any(abs(a) > 1 for a in cand):
            continue
        best = max(best, min(sum(a * b for a, b in zip(row, cand)) for row in Mq))
    return _float_up(1 / best) if best > 0 else math.inf


def _mu_vertices(M: np.ndarray) -> np.ndarray:
    """``mu_B = min{ ||M^T v||_1 : v >= 0, sum v = 1 }`` for a stack ``M`` of r x n row sets,
    without LP. ``f(v) = ||M^T v||_1`` is linear on each cell cut from the simplex by the planes
    ``(M^T v)_j = 0``, so its minimum is at a vertex of a cell: a point of the simplex where
    ``r - 1`` independent constraints among ``v_i = 0`` and ``(M^T v)_j = 0`` hold. All
    ``C(r + n, r - 1)`` choices are solved at once over the stack (r = 1: ``||a||_1``; r = 2: the
    minimum of ``||l a + (1-l) b||_1`` at l = 0, 1 or a root of a coordinate)."""
    k, r, n = M.shape
    C = np.concatenate([np.broadcast_to(np.eye(r), (k, r, r)), np.swapaxes(M, 1, 2)], axis=1)
    rhs = np.zeros((r, 1))
    rhs[-1] = 1.0
    mu = np.full(k, np.inf)
    for S in itertools.combinations(range(r + n), r - 1):
        system = np.concatenate([C[:, list(S), :], np.ones((k, 1, r))], axis=1)
        scale = np.prod(np.linalg.norm(system, axis=2), axis=1)
        ok = np.abs(np.linalg.det(system)) > RANK_RTOL * scale
        if not ok.any():
            continue
        v = np.linalg.solve(system[ok], np.broadcast_to(rhs, (int(ok.sum()), r, 1)))[..., 0]
        feasible = v.min(axis=1) >= -1e-12
        val = np.abs(_bmm(np.swapaxes(M[ok], 1, 2), np.maximum(v, 0)[:, :, None])[..., 0]).sum(axis=1)
        val = np.where(feasible, val / np.maximum(v, 0).sum(axis=1), np.inf)
        where = np.flatnonzero(ok)
        mu[where] = np.minimum(mu[where], val)
    return mu


def _bmm(X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """``X @ Y`` for stacks of small matrices (elementwise over the stack: no per-matrix calls)."""
    return sum(X[:, :, j, None] * Y[:, None, j, :] for j in range(X.shape[2]))


def _inv(X: np.ndarray) -> np.ndarray:
    """Inverses of a stack; a matrix that LAPACK finds singular gets inf entries (kappa = inf)."""
    try:
        return np.linalg.inv(X)
    except np.linalg.LinAlgError:
        out = np.full_like(X, np.inf)
        for i, x in enumerate(X):
            try:
                out[i] = np.linalg.inv(x)
            except np.linalg.LinAlgError:
                pass
        return out


def _kappa(M: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For a stack ``M`` of r x n row sets: ``(is_basis, kappa)`` with ``kappa >= H_B =
    max_{v >= 0, v != 0} ||v||_1 / ||M^T v||_1``, proven despite rounding.

    Rows count as independent when their volume ``|det M|`` (square) exceeds ``RANK_RTOL`` times
    the product of their lengths, or (r < n) when ``sigma_min > RANK_RTOL sigma_max``.
    ``L = (M M^T)^{-1} M`` (``M^{-T}`` when square; for 3 x 3 the
    rows of M^{-T} are the cross products of the rows of M over ``det M``) is a left inverse of
    ``M^T`` up to ``E = I - L M^T``, so for ``v >= 0``: ``||v||_1 = 1^T v = (L^T 1)^T M^T v +
    1^T E v <= ||L^T 1||_inf ||M^T v||_1 + ||E||_1 ||v||_1`` and ``H_B <= kappa =
    ||L^T 1||_inf / (1 - ||E||_1)`` (``||E||_1``: largest column sum; the sign condition is what
    makes this the signed sum ``L^T 1`` rather than the larger ``||L||_1``); ``||E||_1`` is
    enlarged by a bound on the rounding of its own evaluation, ``2 (n + r) eps ||L||_1
    ||M^T||_1``, ``||L^T 1||_inf`` by ``2 r eps ||L||_1`` and the quotient by
    ``1 + 4 (n + r) eps`` for the rounding of the sums;
    ``inf`` if ``||E||_1`` is >= 1/2."""
    k, r, n = M.shape
    Mt = np.swapaxes(M, 1, 2)
    lengths = np.sqrt((M * M).sum(axis=2)).prod(axis=1)
    if r == n == 3:
        a, b, c = M[:, 0], M[:, 1], M[:, 2]
        cof = np.stack([np.cross(b, c), np.cross(c, a), np.cross(a, b)], axis=1)
        det = (a * cof[:, 0]).sum(axis=1)
        basis = np.abs(det) > RANK_RTOL * lengths
    elif r == n:
        basis = np.abs(np.linalg.det(M)) > RANK_RTOL * lengths
    else:
        s = np.linalg.svd(M, compute_uv=False)
        basis = s[:, -1] > RANK_RTOL * s[:, 0]
    kappa = np.full(k, np.inf)
    if basis.any():
        Mb, Mt = M[basis], Mt[basis]
        if r == n == 3:
            L = cof[basis] / det[basis, None, None]
        elif r == n:
            L = np.swapaxes(_inv(Mb), 1, 2)
        else:
            L = _bmm(_inv(_bmm(Mb, Mt)), Mb)
        with np.errstate(invalid="ignore", over="ignore"):  # inf rows of _inv give kappa = inf
            E = np.eye(r) - _bmm(L, Mt)
            eps = np.finfo(float).eps
            nL1 = np.abs(L).sum(axis=1).max(axis=1)                 # ||L||_1, for rounding terms
            nL = np.abs(L.sum(axis=1)).max(axis=1) + 2 * r * eps * nL1   # ||L^T 1||_inf, rounded up
            gamma = (np.abs(E).sum(axis=1).max(axis=1)
                     + 2 * (n + r) * eps * nL1 * np.abs(Mt).sum(axis=1).max(axis=1))
            safe = 1 + 4 * (n + r) * eps                    # rounding of the sums and the division
            kappa[basis] = np.where(gamma < 0.5, safe * nL / (1 - np.minimum(gamma, 0.5)), np.inf)
    return basis, kappa


def _sign_lower(M: np.ndarray) -> np.ndarray:
    """Lower bounds on ``H_B`` for a stack of bases without LP: ``H_B >= ||v||_1 / ||A_B^T v||_1``
    for any ``v >= 0``; tried on the positive and negative parts of the columns of ``(A_B^T)^+``
    (``v = L e_j`` attains ``kappa_B`` up to sign: when it is sign-definite, ``H_B = kappa_B``)."""
    if not len(M):
        return np.zeros(0)
    L = np.linalg.pinv(np.swapaxes(M, 1, 2))                  # (k, r, n): columns v_j
    V = np.concatenate([np.maximum(L, 0), np.maximum(-L, 0)], axis=2)   # (k, r, 2n), v >= 0
    num = V.sum(axis=1)
    den = np.abs(_bmm(np.swapaxes(M, 1, 2), V)).sum(axis=1)  # ||A_B^T v||_1 per column
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where((num > 0) & (den > 0), num / np.where(den > 0, den, 1.0), 0.0)
    return ratio.max(axis=1)


#: row sets that floating point calls dependent are re-checked exactly up to this many
MAX_EXACT_CHECKS = 200_000


def _bases(A: np.ndarray, r: int, chunk: int = 200_000):
    """All bases of ``A`` (row index sets of size r = rank A, independent rows) with ``kappa_B``,
    and whether every row set called dependent in floating point was confirmed exactly.

    A set that :func:`_kappa` calls dependent but that has rank r over Q (nearly dependent
    rows) is a basis too, with ``kappa_B = inf`` (no floating-point bound): it is evaluated
    first and bounded by :func:`_verified_upper`, so the upper bound stays proven. Past
    ``MAX_EXACT_CHECKS`` such checks the second return value is False (no proven upper bound)."""
    from .bounds import exact_rank

    m = A.shape[0]
    combos = itertools.combinations(range(m), r)
    idx, kap, checks, complete = [], [], 0, True
    while True:
        block = np.fromiter(itertools.chain.from_iterable(itertools.islice(combos, chunk)),
                            dtype=np.intp).reshape(-1, r)
        if not len(block):
            break
        is_basis, kappa = _kappa(A[block])
        idx.append(block[is_basis])
        kap.append(kappa[is_basis])
        dependent = block[~is_basis]
        if checks + len(dependent) > MAX_EXACT_CHECKS:
            complete = False
            continue
        checks += len(dependent)
        near = [B for B in dependent if exact_rank(A[B]) == r]
        if near:
            idx.append(np.array(near, dtype=np.intp).reshape(-1, r))
            kap.append(np.full(len(near), np.inf))
    return np.concatenate(idx), np.concatenate(kap), complete


def _greedy_lower(A, rows, rng, counter, tries: int = 8):
    """``max H_J`` over maximal sets of S(A) grown greedily in random row orders (lower bound)."""
    from ._lp import chebyshev

    def in_S(J):
        AJ = A[J] / np.linalg.norm(A[J], axis=1)[:, None]
        t, _ = chebyshev(AJ, np.zeros(len(J)), counter=counter)
        return t > 1e-9

    best, arg = 0.0, ()
    for _ in range(tries):
        J: list = []
        for i in rng.permutation(rows):
            if in_S(sorted(J + [int(i)])):
                J.append(int(i))
        counter.n += 1
        mu = _min_dual(A[sorted(J)])
        if mu > 0 and 1.0 / mu > best:
            best, arg = 1.0 / mu, tuple(sorted(J))
    return best, arg


def hoffman_constant(A, *, method: str = "auto", max_lp: int = 20000, max_bases: int = 2_000_000,
                     atol: float = 1e-12, seed=0) -> HoffmanResult:
    """Hoffman constant of ``A`` in the infinity norms, or proven bounds ``lower <= H <= upper``.

    Theorem (reduction to bases). ``H(A) = max_B H_B`` over the bases B of the row space (r =
    rank A rows, linearly independent). Proof: let ``J in S(A)`` and let ``v`` minimise
    ``||A_J^T v||_1`` over the simplex with the smallest support K. If the rows K were dependent,
    ``A_K^T l = 0`` for some ``l != 0`` on K. If ``sum l != 0``, ``(v + t l)/(1 + t sum l)`` stays
    in the simplex for small ``|t|`` and has objective ``mu_J / (1 + t sum l)``, smaller for the
    right sign of t (``mu_J > 0``): impossible. If ``sum l = 0``, ``v + t l`` has the same
    objective and, moving t until a coordinate vanishes, a smaller support: impossible. So K is
    independent, ``mu_K = mu_J``, and K extends to a basis ``B ⊇ K`` with ``H_B >= H_K = H_J``
    (independent rows always form a set of S(A)). Bases have r <= n rows: this is the
    Carathéodory reduction of [PVZ21] sharpened to independent sets. Moreover
    ``H_B <= kappa_B = ||L^T 1||_inf`` for a left inverse L of ``A_B^T``: with ``w = A_B^T v``,
    ``||v||_1 = 1^T v = (L^T 1)^T w <= ||L^T 1||_inf ||w||_1`` for ``v >= 0``; for r = n,
    ``kappa_B = ||A_B^{-1} 1||_inf``. :func:`_kappa` bounds it rigorously in floating point.

    Algorithm (anytime branch and bound keeping both bounds; the bound ``kappa_B`` and the
    reduction to bases are derived here, not taken from [PVZ18]): enumerate the bases
    (vectorised, no LP; at most ``max_bases``), sort them by ``kappa_B``, and evaluate ``H_B``
    in that order (without LP by :func:`_mu_vertices` when it needs at most
    ``MAX_VERTEX_SYSTEMS`` small solves, e.g. r = n <= 4; else one LP each; the best LP-free
    lower bound of :func:`_sign_lower` on the first 2000 bases starts the search) until the next
    ``kappa_B`` is <= the best lower bound found, up to the LP tolerance ``STOP_RTOL`` (exact),
    or ``max_lp`` bases have been evaluated. The reported bounds are then proven in exact
    arithmetic (see :class:`HoffmanResult`; a few more LPs, ``n_check_lp``). With more
    than ``max_bases`` bases only a lower bound is computed, from a few random maximal sets of
    S(A) (``upper = inf``). LP optima are HiGHS floats (tolerance 1e-9); rows of norm <= ``atol``
    are dropped;
    rows whose volume is <= 1e-12 times the product of their lengths count as dependent
    (:func:`_kappa`).

    ``method``: ``"auto"`` (as above), ``"exact"`` (SpecError unless exact within the budgets),
    ``"bounds"`` (a quick interval: at most 8 bases evaluated).

    Examples
    --------
    >>> round(hoffman_constant([[1, 0, 0], [0, 1, 0], [0, 0, 1], [-1, -1, -1]]).value, 9)
    3.0
    >>> r = hoffman_constant([[1, 0, 0], [0, 1, 0], [0, 0, 1], [-1, -1, -1]], method="bounds")
    >>> r.lower <= 3 <= r.upper, round(r.upper, 9)
    (True, 3.0)
    """
    from ..random import check_seed
    from ._lp import LPCounter

    A = np.asarray(A, dtype=float)
    if A.ndim != 2 or A.shape[0] == 0 or not np.all(np.isfinite(A)):
        raise SpecError(f"A must be a non-empty finite matrix; got shape {np.shape(A)}")
    if method not in ("auto", "exact", "bounds"):
        raise SpecError(f"method must be 'auto', 'exact' or 'bounds'; got {method!r}")
    for name, v in (("max_lp", max_lp), ("max_bases", max_bases)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 0:
            raise SpecError(f"{name} must be a non-negative integer; got {v!r}")
    rows = [i for i in range(A.shape[0]) if np.abs(A[i]).sum() > atol]
    if not rows:
        return HoffmanResult(0.0, 0.0, 0.0, True, (), 0, 0)  # S(A) = {∅}
    R = A[rows]
    from .bounds import exact_rank

    r = exact_rank(R)           # a float rank can be too small (then bases would be too small)
    counter, checks = LPCounter(), LPCounter()
    n_bases = math.comb(len(rows), r)
    best, arg, upper, exact, n_eval = 0.0, (), math.inf, False, 0
    if n_bases <= max_bases:
        idx, kappa, complete = _bases(R, r)
        n_bases = len(idx)
        order = np.argsort(-kappa, kind="stable")
        idx, kappa = idx[order], kappa[order]
        top = idx[:2000]
        lb = _sign_lower(R[top])
        if len(lb) and lb.max() > 0:
            j = int(np.argmax(lb))
            best, arg = float(lb[j]), tuple(rows[i] for i in top[j])
        budget = min(max_lp, 8) if method == "bounds" else max_lp
        lp_free = math.comb(r + A.shape[1], r - 1) <= MAX_VERTEX_SYSTEMS
        k, chunk = 0, 4
        while k < len(idx) and kappa[k] > best * (1 + STOP_RTOL) and n_eval < budget:
            chunk = min(2 * chunk, 256)          # vectorised blocks, small first (often enough)
            stop = min(len(idx), k + (min(chunk, budget - n_eval) if lp_free else 1))
            if lp_free:
                mu = _mu_vertices(R[idx[k:stop]])
            else:
                counter.n += 1
                mu = np.array([_min_dual(R[idx[k]])])
            with np.errstate(divide="ignore"):
                H = np.where(mu > 0, 1.0 / mu, 0.0)
            j = int(np.argmax(H))
            if H[j] > best:
                best, arg = float(H[j]), tuple(rows[i] for i in idx[k + j])
            n_eval += stop - k
            k = stop
        # proven upper bound: kappa_B for the bases not evaluated (H_B <= kappa_B, rigorous),
        # a verified dual bound for the evaluated ones whose kappa_B is larger (their H_B are
        # floating-point values, not bounds); kappa is sorted, so stop at the first below
        upper = float(kappa[k]) if k < len(idx) else 0.0
        for B, kB in zip(idx[:k], kappa[:k]):
            if kB <= upper:
                break
            upper = max(upper, min(float(kB), _verified_upper(R[B], checks)))
        if not complete:
            upper = math.inf     # some row sets were never confirmed dependent: no proven bound
    elif method == "exact":
        raise SpecError(f"exact Hoffman constant of a {A.shape[0]}x{A.shape[1]} matrix not "
                        f"reached: {n_bases} bases exceed max_bases={max_bases}; raise the budget "
                        f"or use method='auto'")
    else:  # no bases enumerated: a lower bound from sampled maximal sets of S(A)
        _, rng = check_seed(seed)
        best, J = _greedy_lower(R, list(range(len(rows))), rng, counter)
        arg = tuple(rows[i] for i in J)
    # proven lower bound: the ratio at the minimiser of the best set, in exact arithmetic
    lower = _verified_lower(A[list(arg)], checks) if arg else 0.0
    upper = max(upper, lower)
    exact = bool(upper <= lower * (1 + EXACT_RTOL))   # the proven bounds meet
    if not exact and method == "exact":
        raise SpecError(f"exact Hoffman constant of a {A.shape[0]}x{A.shape[1]} matrix not "
                        f"reached: H in [{lower:.6g}, {upper:.6g}] after max_lp={max_lp} bases "
                        f"evaluated; raise the budget or use method='auto'")
    return HoffmanResult(lower, lower, upper, exact, arg, counter.n,
                         n_bases if n_bases <= max_bases else None, n_eval, checks.n)
