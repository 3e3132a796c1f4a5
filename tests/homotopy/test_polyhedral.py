"""Polyhedral homotopy: binomial systems in closed form, start systems, agreement with the
total-degree homotopy."""

import numpy as np
import pytest

from neuroalg.homotopy import cyclic, katsura, krawczyk_certify, solve
from neuroalg.homotopy.polyhedral import binomial_solutions, has_no_zero_coordinates, polyhedral_start, supports
from neuroalg.homotopy.result import unique_points
from neuroalg.homotopy.solve import _decaying


def test_supports_and_the_torus_criterion():
    sup = supports(katsura(2), origin=False)
    # u0 + 2 u1 + 2 u2 - 1;  u0^2 + 2 u1^2 + 2 u2^2 - u0;  2 u0 u1 + 2 u1 u2 - u1
    assert [len(s) for s in sup] == [4, 4, 3]
    with_origin = supports(cyclic(3), origin=True)
    assert all((s == 0).all(axis=1).any() for s in with_origin)
    assert has_no_zero_coordinates(cyclic(5))  # z1...z5 = 1 forbids a zero coordinate
    assert not has_no_zero_coordinates(katsura(3))  # (1, 0, 0, 0) is a solution


def test_binomial_solutions():
    v = np.array([[2, 1, 0], [0, 3, -1], [1, 0, 2]])
    r = np.array([1 + 1j, 2.0, -0.5j])
    y = binomial_solutions(v, r)
    assert len(y) == abs(round(np.linalg.det(v))) == 11
    assert len(unique_points(y)[0]) == 11
    assert np.abs(np.prod(y[:, None, :] ** v[None], axis=2) - r).max() < 1e-12


def test_polyhedral_start_solves_random_coefficient_cyclic5():
    start = polyhedral_start(cyclic(5), np.random.default_rng(3))
    assert start.torus and start.mixed_volume == 70 and start.n_failed == 0
    assert len(unique_points(start.solutions)[0]) == 70
    assert np.abs(start.system(start.solutions)).max() < 1e-10


def _same_points(a, b):
    assert len(a) == len(b)
    both, labels = unique_points(np.vstack([a, b]), rtol=1e-7)
    assert len(both) == len(a)


@pytest.mark.parametrize("name", ["cyclic5", "sparse2", "sparse5"])
def test_polyhedral_and_total_degree_find_the_same_solutions(name, system_named):
    system = system_named(name)
    poly = solve(system, seed=5, method="polyhedral")
    total = solve(system, seed=6, method="total-degree")
    assert poly.method == "polyhedral homotopy" and total.method == "total-degree homotopy"
    assert poly.n_paths == poly.details["mixed_volume"] <= total.n_paths == system.bezout_number
    assert poly.n_failed == total.n_failed == 0
    _same_points(poly.solutions, total.solutions)
    assert poly.n_certified == poly.n_solutions  # Krawczyk, interval arithmetic
    assert np.abs(system(poly.solutions)).max() < 1e-9


@pytest.mark.slow
def test_an_ill_conditioned_large_solution(system_named):
    # sparse1 has 29 isolated roots (its BKK bound, all reached by the polyhedral paths); one
    # has |x| ~ 240 and condition number ~6e7: Krawczyk's test proves it. The total-degree path
    # to it passes a near-collision within 1e-6 of t = 1, where its x0 still shrinks ~2.3x per
    # stage: it reaches the solution or stops, depending on rounding; it is at infinity only by
    # the sample evidence then (no endpoint computed), never by a threshold on x0 (which
    # labelled it at infinity when it did reach t = 1)
    system = system_named("sparse1")
    poly = solve(system, seed=5, method="polyhedral")
    assert poly.n_solutions == poly.n_certified == poly.n_paths == 29
    assert poly.details["promoted_by_krawczyk"] == 1
    total = solve(system, seed=6, method="total-degree")
    assert total.n_failed == 0 and total.n_certified == total.n_solutions in (28, 29)
    both, _ = unique_points(np.vstack([poly.solutions, total.solutions]), rtol=1e-7)
    assert len(both) == 29


def test_at_infinity_evidence_of_the_x0_samples():
    """x0 at the stage ends (NaN after a path stopped), the evidence for paths whose endpoint
    was not computed: geometric decay over the last two samples is a diverging path; a sequence
    that settles or decays only once is not. The second column is the |x| ~ 240 solution of
    sparse1 reached at t = 1: decaying samples, so only its computed endpoint (x0 = 4.1e-3,
    not 0) can say that it is finite."""
    samples = np.array([[2e-3, 0.36, 0.3, 0.4, 0.26],
                        [4e-6, 0.16, 0.29, 0.1, 0.15],
                        [7e-9, 0.062, 0.29, 0.1, 0.092],
                        [np.nan, 4.1e-3, 0.29, np.nan, 2e-3]])
    np.testing.assert_array_equal(_decaying(samples), [True, True, False, False, True])


def test_solution_counts_are_certified():
    res = solve(cyclic(5), seed=4)
    assert res.n_solutions == 70 and res.n_certified == 70
    assert certified_distinct(res)


def certified_distinct(res):
    return krawczyk_certify(cyclic(5), res.solutions).n_certified == res.n_solutions
