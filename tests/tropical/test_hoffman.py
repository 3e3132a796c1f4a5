"""Hoffman constants: the issue's values, brute force over all row subsets, and the error bound
itself (dist_inf(x, P) <= H ||(Ax - b)_+||_inf) checked by LP."""

import itertools

import numpy as np
import pytest
from scipy.optimize import linprog

from neuroalg.errors import SpecError
from neuroalg.tropical import ReLUNetwork, tropicalize
from neuroalg.tropical.hoffman import _min_dual, hoffman_constant, sampling_radius
from neuroalg.tropical.regions import count_rational_regions

I3 = np.eye(3)


@pytest.mark.parametrize("A, H", [(I3, 1.0), (np.vstack([I3, -np.ones((1, 3))]), 3.0),
                                  (np.vstack([I3, -I3]), 1.0)])
def test_issue_values(A, H):
    r = hoffman_constant(A)
    assert r.is_exact and r.value == pytest.approx(H, abs=1e-9)
    assert hoffman_constant(A, method="bounds").lower <= H + 1e-9


def brute_force(A):
    best = 0.0
    for k in range(1, A.shape[0] + 1):
        for J in itertools.combinations(range(A.shape[0]), k):
            m = _min_dual(A[list(J)])
            if m > 1e-9:
                best = max(best, 1 / m)
    return best


@pytest.mark.parametrize("shape", [(6, 3), (7, 2), (6, 4), (5, 1)])
@pytest.mark.parametrize("seed", range(3))
def test_matches_brute_force_over_all_subsets(shape, seed):
    # the exact method only looks at row sets of size <= n (Caratheodory); brute force at all
    rng = np.random.default_rng(seed)
    for A in (rng.integers(-2, 3, size=shape).astype(float), rng.standard_normal(shape)):
        assert hoffman_constant(A).value == pytest.approx(brute_force(A), rel=1e-7)


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
    with pytest.raises(SpecError, match="max_lp"):
        hoffman_constant(np.vstack([np.eye(8), -np.eye(8)]), method="exact", max_lp=50)


def test_sampling_radius_meets_every_region():
    net = ReLUNetwork.random((2, 3, 1), seed=3)
    m = tropicalize(net)
    R = sampling_radius(m)
    assert R.is_exact and R.radius > 0
    whole = count_rational_regions(m)
    inside = count_rational_regions(m, box=(-R.radius * 1.0001, R.radius * 1.0001))
    assert inside.cells == whole.cells
