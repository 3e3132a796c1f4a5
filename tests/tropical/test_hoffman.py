"""Hoffman constants: the issue's values, brute force over all row subsets, the proven bounds of
the large-case mode against the exact value, and the error bound itself
(dist_inf(x, P) <= H ||(Ax - b)_+||_inf) checked by LP."""

import itertools
import math

import numpy as np
import pytest
from scipy.optimize import linprog

from neuroalg.errors import SpecError
from neuroalg.tropical.hoffman import _kappa, _min_dual, _mu_vertices, hoffman_constant

I3 = np.eye(3)


@pytest.mark.parametrize("A, H", [(I3, 1.0), (np.vstack([I3, -np.ones((1, 3))]), 3.0),
                                  (np.vstack([I3, -I3]), 1.0)])
def test_issue_values(A, H):
    r = hoffman_constant(A)
    assert r.is_exact and r.value == pytest.approx(H, abs=1e-9)
    assert r.lower == r.value <= H <= r.upper <= r.lower * (1 + 1e-9)    # proven, and tight
    # forced into the large-case mode (no branch-and-bound LP): proven bounds, tight here
    # (on main the upper bound came out as 2.9999999999999987 < 3 and was called proven)
    b = hoffman_constant(A, max_lp=0)
    assert b.lower <= H <= b.upper < math.inf
    assert b.upper == pytest.approx(H, rel=1e-9)


def brute_force(A):
    best = 0.0
    for k in range(1, A.shape[0] + 1):
        for J in itertools.combinations(range(A.shape[0]), k):
            m = _min_dual(A[list(J)])
            if m > 1e-9:
                best = max(best, 1 / m)
    return best


@pytest.mark.parametrize("shape", [(6, 3), (7, 2), (6, 4), (5, 1), (8, 6)])  # (8, 6): LP path
@pytest.mark.parametrize("seed", range(3))
def test_matches_brute_force_over_all_subsets(shape, seed):
    # the exact method only looks at row sets of size <= n (Caratheodory); brute force at all
    rng = np.random.default_rng(seed)
    for A in (rng.integers(-2, 3, size=shape).astype(float), rng.standard_normal(shape)):
        assert hoffman_constant(A).value == pytest.approx(brute_force(A), rel=1e-7)


@pytest.mark.parametrize("shape", [(7, 3), (8, 4), (6, 2)])
@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("max_lp", [0, 1, 3])
def test_large_case_bounds_contain_the_exact_value(shape, seed, max_lp):
    rng = np.random.default_rng(seed)
    A = rng.standard_normal(shape)
    H = brute_force(A)
    r = hoffman_constant(A, max_lp=max_lp)
    assert r.lower <= H * (1 + 1e-7) and H <= r.upper * (1 + 1e-7)
    assert math.isfinite(r.upper) and r.is_exact == (r.upper <= r.lower * (1 + 1e-9))
    assert r.n_evaluated <= max_lp and r.n_lp <= max_lp
    if r.is_exact:
        assert r.value == pytest.approx(H, rel=1e-7)


def test_rank_deficient_matrix():
    # rank 2 in R^4: bases have 2 rows (no LP); brute force over all row subsets agrees
    rng = np.random.default_rng(5)
    A = rng.integers(-2, 3, size=(7, 2)) @ rng.integers(-2, 3, size=(2, 4)).astype(float)
    r = hoffman_constant(A)
    assert r.is_exact and r.n_lp == 0 and r.value == pytest.approx(brute_force(A), rel=1e-7)
    A3 = rng.standard_normal((6, 3)) @ rng.standard_normal((3, 5))   # rank 3 in R^5: LP path
    assert hoffman_constant(A3).value == pytest.approx(brute_force(A3), rel=1e-7)


@pytest.mark.parametrize("r, n", [(1, 3), (2, 2), (3, 3), (3, 5), (4, 4)])
def test_lp_free_mu_equals_the_lp(r, n):
    rng = np.random.default_rng(r * 10 + n)
    M = np.concatenate([rng.standard_normal((30, r, n)),
                        rng.integers(-2, 3, size=(30, r, n)).astype(float)])
    mu = _mu_vertices(M)
    assert np.allclose(mu, [_min_dual(B) for B in M], rtol=1e-7, atol=1e-9)


def test_kappa_bounds_the_signed_constant_of_every_basis():
    # kappa_B = ||A_B^{-1} 1||_inf (closed form, rounding-proof) against numpy's solve, and
    # against H_B by LP
    rng = np.random.default_rng(1)
    M = rng.standard_normal((50, 3, 3))
    basis, kappa = _kappa(M)
    assert basis.all()
    ref = np.abs(np.linalg.solve(M, np.ones((50, 3, 1)))[..., 0]).max(axis=1)
    assert np.allclose(kappa, ref, rtol=1e-9) and np.all(kappa >= ref)
    M4 = rng.standard_normal((20, 4, 4))
    ref4 = np.abs(np.linalg.solve(M4, np.ones((20, 4, 1)))[..., 0]).max(axis=1)
    assert np.allclose(_kappa(M4)[1], ref4, rtol=1e-9)
    assert all(1 / _min_dual(B) <= k * (1 + 1e-9) for B, k in zip(M, kappa))
    basis, _ = _kappa(np.array([[[1.0, 2, 3], [2, 4, 6], [0, 0, 1]]]))
    assert not basis[0]


def dist_inf_to_polyhedron(A, b, x):
    n = A.shape[1]
    # min s  s.t.  A z <= b, -s <= z - x <= s
    c = np.r_[np.zeros(n), 1.0]
    A_ub = np.block([[A, np.zeros((A.shape[0], 1))], [np.eye(n), -np.ones((n, 1))],
                     [-np.eye(n), -np.ones((n, 1))]])
    b_ub = np.r_[b, x, -x]
    res = linprog(c, A_ub=A_ub, b_ub=b_ub, bounds=[(None, None)] * (n + 1), method="highs")
    return res.fun


@pytest.mark.parametrize("seed", range(3))
def test_the_error_bound_holds(seed):
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((5, 2))
    H = hoffman_constant(A).value
    n_checked = 0
    for _ in range(40):
        z = rng.standard_normal(2)
        b = A @ z + rng.random(5)  # z in P: non-empty
        x = rng.standard_normal(2) * 5
        resid = np.max(np.maximum(A @ x - b, 0))
        if resid > 0:
            d = dist_inf_to_polyhedron(A, b, x)
            assert d <= H * resid * (1 + 1e-7) + 1e-9
            n_checked += 1
    assert n_checked > 10


def test_bad_input():
    with pytest.raises(SpecError, match="non-empty finite matrix"):
        hoffman_constant(np.zeros((0, 2)))
    A = np.random.default_rng(0).standard_normal((20, 5))   # needs 24 LPs
    with pytest.raises(SpecError, match="max_lp=1"):
        hoffman_constant(A, method="exact", max_lp=1)
    with pytest.raises(SpecError, match="max_bases"):
        hoffman_constant(A, method="exact", max_bases=10)
    with pytest.raises(SpecError, match="max_lp must be a non-negative integer"):
        hoffman_constant(A, max_lp=-1)
    r = hoffman_constant(A, max_bases=10)    # no bases enumerated: lower bound only
    assert not r.is_exact and math.isinf(r.upper) and "no upper bound" in str(r)
    assert r.to_dict()["upper"] is None


def test_nearly_dependent_rows_are_bases():
    # rows (1, 0), (-1, eps), (0, 1) with eps = 2^-45: the first two have float64 volume below
    # RANK_RTOL but are independent over Q. mu_{12} = min_t |1 - 2t| + t eps = eps / 2 (at
    # t = 1/2; adding row 3 only increases the norm), so H = 2 / eps = 2^46; skipping that
    # basis as dependent (as before) gave H = 1, called exact
    eps = 2.0 ** -45
    A = np.array([[1.0, 0.0], [-1.0, eps], [0.0, 1.0]])
    r = hoffman_constant(A)
    H = 2 / eps
    assert r.lower <= H * (1 + 1e-9) and H <= r.upper * (1 + 1e-9)
    assert not (r.is_exact and r.value < H / 2)


def test_rank_over_q_decides_the_basis_size():
    # the float rank of [[1e20, 1e20], [1, -1]] is 1, its rank is 2: bases are pairs.
    # H = 1 / mu, mu = min_t ||t (1e20, 1e20) + (1 - t)(1, -1)||_1 = 1e20 t + ... at t = 0: 2
    # and t where (1e20 + 1) t = 1 ... computed by brute force over the exact pairs below
    B = np.array([[1e20, 1e20], [1.0, -1.0]])
    assert np.linalg.matrix_rank(B) == 1
    rb = hoffman_constant(B)
    t = 1 / (1e20 + 1)          # second coordinate vanishes: ||.||_1 = 2e20 t
    mu = min(2.0, 2e20 * t)     # the minimum of a piecewise linear function: at a kink or end
    assert rb.lower <= 1 / mu * (1 + 1e-9) and 1 / mu <= rb.upper * (1 + 1e-9)
