"""solve: root counts against numpy.roots, Bezout's theorem and published counts."""

import numpy as np
import pytest

from neuroalg.errors import SpecError
from neuroalg.homotopy import PolySystem, cyclic, katsura, solve
from neuroalg.homotopy.examples import KNOWN_ROOT_COUNTS
from neuroalg.homotopy.result import PathStatus, unique_points


def test_univariate_roots_match_numpy():
    rng = np.random.default_rng(0)
    coeffs = rng.standard_normal(6) + 1j * rng.standard_normal(6)
    system = PolySystem.from_terms([{(5 - k,): c for k, c in enumerate(coeffs)}], 1)
    res = solve(system, seed=1)
    assert res.n_solutions == res.n_certified == 5 and res.n_paths == 5
    both, _ = unique_points(np.vstack([res.solutions, np.roots(coeffs)[:, None]]), rtol=1e-9)
    assert len(both) == 5


def test_two_generic_conics_meet_in_four_points():
    # Bezout: two generic conics meet in exactly 2 x 2 points; checked by residual and distinctness
    rng = np.random.default_rng(2)
    monos = [(2, 0), (1, 1), (0, 2), (1, 0), (0, 1), (0, 0)]
    eqs = [{m: complex(*rng.standard_normal(2)) for m in monos} for _ in range(2)]
    system = PolySystem.from_terms(eqs, 2)
    res = solve(system, seed=3)
    assert res.n_solutions == 4 == system.bezout_number and res.n_failed == 0
    assert np.abs(system(res.solutions)).max() < 1e-10
    assert len(unique_points(res.solutions, rtol=1e-4)[0]) == 4


@pytest.mark.parametrize("n", [3, 4, 5, 6])
def test_katsura_root_count(n):
    res = solve(katsura(n), seed=n)
    assert res.n_solutions == KNOWN_ROOT_COUNTS["katsura", n] == 2**n
    assert res.n_failed == 0 and res.n_certified == 2**n
    assert np.max(np.abs(katsura(n)(res.solutions))) < 1e-10


def test_cyclic5_paths_at_infinity_are_accounted():
    res = solve(cyclic(5), seed=2, method="total-degree")
    assert res.n_solutions == 70  # Björck–Fröberg
    assert res.n_paths == 120 == res.n_solutions + res.n_at_infinity + res.n_failed + len(res.singular)
    assert res.n_failed == 0 and res.n_at_infinity > 0


def test_endgame_finds_multiple_roots():
    # (x - 1)^2 = 0, y^2 = y: one double root at (1, 0) and one at (1, 1)
    system = PolySystem.from_terms([{(2, 0): 1, (1, 0): -2, (0, 0): 1}, {(0, 2): 1, (0, 1): -1}], 2)
    res = solve(system, seed=3)
    assert res.n_solutions == 0
    assert sorted(map(tuple, np.round(res.singular.real, 6))) == [(1.0, 0.0), (1.0, 1.0)]
    assert all(s is PathStatus.SINGULAR for s in res.path_status)


def test_solutions_at_infinity_of_a_degenerate_system():
    # x y = 1, x y = 2 + x: Bezout 4, one finite solution x = -1, y = -1; the rest diverge
    system = PolySystem.from_terms([{(1, 1): 1.0, (0, 0): -1.0},
                                    {(1, 1): 1.0, (0, 0): -2.0, (1, 0): -1.0}], 2)
    res = solve(system, seed=5, method="total-degree")
    np.testing.assert_allclose(res.solutions, [[-1.0, -1.0]], atol=1e-10)
    assert res.n_paths == 4 and res.n_at_infinity + res.n_failed == 3


def test_solve_is_reproducible_with_seed():
    a, b = solve(katsura(3), seed=11), solve(katsura(3), seed=11)
    np.testing.assert_array_equal(a.solutions, b.solutions)
    assert a.seed == b.seed == 11 and a.to_dict()["n_solutions"] == 8


def test_progress_messages_and_skipping_certification():
    messages = []
    res = solve(katsura(2), seed=0, certify=False, show_progress=messages.append)
    assert res.n_certified is None and res.certified is None and res.n_solutions == 4
    assert any("root bounds: Bezout 4" in m for m in messages)
    assert any(m.startswith("tracking 4 paths") for m in messages)


@pytest.mark.parametrize("system, kwargs, match", [
    (PolySystem.from_terms([{(1, 1): 1.0}], 2), {}, "must be square; it has 1 equations in 2"),
    (PolySystem.from_terms([{(1,): [1.0, 1.0]}], 1, n_params=1), {}, "fix the parameters"),
    (katsura(2), {"method": "newton"}, "method"),
])
def test_bad_input(system, kwargs, match):
    with pytest.raises(SpecError, match=match):
        solve(system, seed=0, **kwargs)
