"""The engine on plain polynomial systems: evaluation, tracking, endgame, certification."""

import numpy as np
import pytest
import sympy

from neuroalg.errors import SpecError
from neuroalg.homotopy import PolySystem, cyclic, katsura, krawczyk_certify, solve
from neuroalg.homotopy.certify import krawczyk
from neuroalg.homotopy.examples import KNOWN_ROOT_COUNTS
from neuroalg.homotopy.result import PathStatus


def test_evaluation_matches_sympy_and_finite_differences():
    x, y, p = sympy.symbols("x y p")
    exprs = [x**3 * y - 2 * p * x + 1, (3 + p) * y**2 - x * y + p]
    system = PolySystem.from_sympy(exprs, [x, y], [p])
    rng = np.random.default_rng(0)
    pts = rng.standard_normal((4, 2)) + 1j * rng.standard_normal((4, 2))
    par = rng.standard_normal((4, 1)) + 0j
    values, jac, dp = system.evaluate(pts, par, np.array([1.0]))
    for b in range(4):
        subs = {x: pts[b, 0], y: pts[b, 1], p: par[b, 0]}
        want = [complex(e.subs(subs)) for e in exprs]
        np.testing.assert_allclose(values[b], want, rtol=1e-12)
        want_j = [[complex(sympy.diff(e, v).subs(subs)) for v in (x, y)] for e in exprs]
        np.testing.assert_allclose(jac[b], want_j, rtol=1e-12)
        np.testing.assert_allclose(dp[b], [complex(sympy.diff(e, p).subs(subs)) for e in exprs],
                                   rtol=1e-12)


def test_affine_parameters_are_enforced():
    x, p = sympy.symbols("x p")
    with pytest.raises(SpecError, match="affine"):
        PolySystem.from_sympy([p**2 * x - 1], [x], [p])


@pytest.mark.parametrize("n", [3, 4, 5, 6])
def test_katsura_root_count(n):
    res = solve(katsura(n), seed=n)
    assert res.n_solutions == KNOWN_ROOT_COUNTS["katsura", n] == 2**n
    assert res.n_failed == 0 and res.n_certified == 2**n
    values = katsura(n)(res.solutions)
    assert np.max(np.abs(values)) < 1e-10


def test_cyclic5_paths_at_infinity_are_accounted():
    res = solve(cyclic(5), seed=2, method="total-degree")
    assert res.n_solutions == 70  # Björck–Fröberg
    assert res.n_paths == 120 == res.n_solutions + res.n_at_infinity + res.n_failed + len(res.singular)
    assert res.n_failed == 0


def test_endgame_finds_multiple_root():
    # (x - 1)^2 = 0, y^2 = y: one double root at (1, 0) and one at (1, 1)
    system = PolySystem.from_terms([{(2, 0): 1, (1, 0): -2, (0, 0): 1}, {(0, 2): 1, (0, 1): -1}], 2)
    res = solve(system, seed=3)
    assert res.n_solutions == 0
    assert sorted(map(tuple, np.round(res.singular.real, 6))) == [(1.0, 0.0), (1.0, 1.0)]
    assert all(s is PathStatus.SINGULAR for s in res.path_status)


def test_krawczyk_rejects_non_solutions():
    system = katsura(3)
    res = solve(system, seed=4)
    good = krawczyk_certify(system, res.solutions)
    assert good.n_certified == 8
    for point in res.solutions:
        assert krawczyk(system, point, radius=1e-9)
        assert not krawczyk(system, point + 1e-3, radius=1e-9)  # no zero in that box
    doubled = np.vstack([res.solutions[:1], res.solutions[:1]])
    assert krawczyk_certify(system, doubled).n_certified == 0  # not distinct


def test_solve_is_reproducible_with_seed():
    a, b = solve(katsura(4), seed=11), solve(katsura(4), seed=11)
    np.testing.assert_array_equal(a.solutions, b.solutions)
    assert a.to_dict()["n_solutions"] == 16
