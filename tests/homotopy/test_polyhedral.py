"""Root counts and polyhedral homotopy, against published values and independent routes."""

import itertools

import numpy as np
import pytest
from scipy.optimize import linprog
from scipy.spatial import ConvexHull

from neuroalg.homotopy import PolySystem, cyclic, katsura, krawczyk_certify, solve
from neuroalg.homotopy.feasibility import FIXED, NONNEG, Tableau
from neuroalg.homotopy.homotopies import ParameterHomotopy, StraightLine
from neuroalg.homotopy.memory import configure_allocator
from neuroalg.homotopy.mixed_volume import mixed_cells, mixed_volume
from neuroalg.homotopy.polyhedral import binomial_solutions, polyhedral_start, supports
from neuroalg.homotopy.polynomial import start_system
from neuroalg.homotopy.result import unique_points
from neuroalg.homotopy.root_count import best_partition, generic_zero_at_infinity, multihomogeneous_bezout, root_count
from neuroalg.homotopy.solve import _decaying


@pytest.mark.parametrize("n, known", [(4, 16), (5, 70), (6, 156)])
def test_mixed_volume_of_cyclic_systems(n, known):
    # Björck–Fröberg: cyclic-5 has 70 roots, cyclic-6 156, both = mixed volume; cyclic-4 has
    # mixed volume 16 (its roots are not isolated)
    assert mixed_volume(supports(cyclic(n), origin=False), seed=n) == known


@pytest.mark.slow
def test_mixed_volume_of_cyclic7():
    assert mixed_volume(supports(cyclic(7), origin=False), seed=7) == 924


@pytest.mark.parametrize("n", [2, 3, 4])
def test_mixed_volume_of_katsura_is_bezout(n):
    # katsura-n has 2^n isolated roots and Bezout number 2^n, so MV(A_i + origin) = 2^n
    assert mixed_volume(supports(katsura(n), origin=True), seed=n) == 2**n


def test_mixed_volume_of_dense_supports_is_bezout():
    rng = np.random.default_rng(0)
    for degrees in [(2, 3), (1, 2, 2), (2, 2, 2)]:
        n = len(degrees)
        sup = [np.array([a for a in itertools.product(range(d + 1), repeat=n) if sum(a) <= d])
               for d in degrees]
        assert mixed_volume(sup, seed=rng) == int(np.prod(degrees))


def _euclidean_mixed_volume(sup):
    """MV = sum over nonempty S of (-1)^(n - |S|) vol(sum_{i in S} P_i) (Euclidean volume),
    the polarization formula; normalized so that MV(simplex, ..., simplex) = 1."""
    n = len(sup)
    total = 0.0
    for size in range(1, n + 1):
        for subset in itertools.combinations(range(n), size):
            pts = np.zeros((1, n))
            for i in subset:
                pts = (pts[:, None, :] + sup[i][None, :, :]).reshape(-1, n)
            pts = np.unique(pts, axis=0)
            try:
                vol = ConvexHull(pts).volume
            except Exception:  # lower-dimensional Minkowski sum: volume 0
                vol = 0.0
            total += (-1) ** (n - size) * vol
    return total


@pytest.mark.parametrize("seed", range(6))
def test_mixed_volume_matches_polarization_formula(seed):
    rng = np.random.default_rng(seed)
    n = 2 + seed % 2
    sup = [rng.integers(0, 4, (int(rng.integers(3, 6)), n)) for _ in range(n)]
    want = _euclidean_mixed_volume(sup)
    got = mixed_volume(sup, seed=seed)
    assert got == round(want) and abs(want - round(want)) < 1e-8


def test_mixed_cells_are_verified_and_independent_of_lifting():
    sup = supports(cyclic(5), origin=False)
    a, b = mixed_cells(sup, seed=1), mixed_cells(sup, seed=2)
    assert a.mixed_volume == b.mixed_volume == 70
    assert a.stats["false_leaves"] == 0
    for cell in a.cells:  # the normal is the exact solution of the edge equations
        for i, (p, q) in enumerate(cell.edges):
            lifted = [sum(int(x) * c for x, c in zip(pt, cell.normal)) + int(w)
                      for pt, w in zip(sup[i], a.lifting[i])]
            assert lifted[p] == lifted[q] == min(lifted)
            assert len(lifted) == 2 or sorted(lifted)[2] > lifted[p]


def test_tableau_feasibility_matches_linprog():
    rng = np.random.default_rng(0)
    for _ in range(150):
        n, m, k = int(rng.integers(2, 6)), int(rng.integers(1, 20)), int(rng.integers(0, 3))
        a = rng.integers(-3, 4, (m + k, n)).astype(float)
        b = rng.integers(-5, 6, m + k).astype(float)
        kinds = np.array([NONNEG] * m + [FIXED] * k, dtype=np.int8)
        tab = Tableau(n)
        tab.add(a[: m // 2], b[: m // 2], kinds[: m // 2])  # two blocks: a warm start
        tab.feasible()
        tab.add(a[m // 2:], b[m // 2:], kinds[m // 2:])
        ok = tab.feasible()
        ref = linprog(np.zeros(n), A_ub=a[:m], b_ub=b[:m], A_eq=a[m:] if k else None,
                      b_eq=b[m:] if k else None, bounds=(None, None), method="highs")
        assert ok == (ref.status == 0)
        if ok:
            x = tab.point()
            assert np.all(a[:m] @ x <= b[:m] + 1e-7) and np.allclose(a[m:] @ x, b[m:])


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


def _random_sparse_system(seed):
    rng = np.random.default_rng(seed)
    eqs = []
    for _ in range(3):
        terms = {tuple(int(v) for v in rng.integers(0, 3, 3)): complex(*rng.standard_normal(2))
                 for _ in range(4)}
        terms[(0, 0, 0)] = complex(*rng.standard_normal(2))
        eqs.append(terms)
    return PolySystem.from_terms(eqs, 3)


def _same_points(a, b):
    assert len(a) == len(b)
    both, labels = unique_points(np.vstack([a, b]), rtol=1e-7)
    assert len(both) == len(a)


@pytest.mark.parametrize("system", [cyclic(5), _random_sparse_system(2), _random_sparse_system(5)],
                         ids=["cyclic5", "sparse2", "sparse5"])
def test_polyhedral_and_total_degree_find_the_same_solutions(system):
    poly = solve(system, seed=5, method="polyhedral")
    total = solve(system, seed=6, method="total-degree")
    assert poly.method == "polyhedral homotopy" and total.method == "total-degree homotopy"
    assert poly.n_paths == poly.details["mixed_volume"] <= total.n_paths == system.bezout_number
    assert poly.n_failed == total.n_failed == 0
    _same_points(poly.solutions, total.solutions)
    assert poly.n_certified == poly.n_solutions  # Krawczyk, interval arithmetic
    assert np.abs(system(poly.solutions)).max() < 1e-9


@pytest.mark.slow
def test_an_ill_conditioned_large_solution():
    # sparse1 has 29 isolated roots (its BKK bound, all reached by the polyhedral paths); one
    # has |x| ~ 240 and condition number ~6e7: Krawczyk's test proves it. The total-degree path
    # to it passes a near-collision within 1e-6 of t = 1, where its x0 still shrinks ~2.3x per
    # stage: it reaches the solution or stops, depending on rounding; it is at infinity only by
    # the sample evidence then (no endpoint computed), never by a threshold on x0 (which
    # labelled it at infinity when it did reach t = 1)
    system = _random_sparse_system(1)
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


def test_eigenvalue_system_uses_the_multihomogeneous_count():
    # (A - lambda I) x = 0, c . x = 1: n eigenpairs; Bezout 2^n, 2-homogeneous {x}, {lambda}: n
    rng = np.random.default_rng(0)
    a = rng.standard_normal((3, 3))
    c = rng.standard_normal(3)
    eqs = []
    for i in range(3):
        terms = {tuple(int(j == k) for k in range(3)) + (0,): a[i, j] for j in range(3)}
        unit = tuple(int(i == k) for k in range(3))
        terms[unit + (0,)] = terms.get(unit + (0,), 0) + 0
        terms[unit + (1,)] = -1.0
        eqs.append(terms)
    eqs.append({**{tuple(int(j == k) for k in range(3)) + (0,): c[j] for j in range(3)},
                (0, 0, 0, 0): -1.0})
    system = PolySystem.from_terms(eqs, 4)
    assert multihomogeneous_bezout(system, [(0, 1, 2), (3,)]) == 3
    groups, number = best_partition(system)
    assert number == 3 and sorted(map(sorted, groups)) == [[0, 1, 2], [3]]
    res = solve(system, seed=2)
    assert res.method == "multihomogeneous homotopy" and res.n_paths == 3
    assert res.details["bezout_number"] == 8
    np.testing.assert_allclose(np.sort_complex(res.solutions[:, 3]),
                               np.sort_complex(np.linalg.eigvals(a)), atol=1e-9)


def test_root_count_choices_and_the_infinity_shortcut():
    rng = np.random.default_rng(0)
    kat = root_count(katsura(4), rng)
    assert kat.method == "total-degree" and kat.mixed_volume == kat.bezout == 16
    assert "Monte Carlo" in kat.mixed_volume_note and kat.subdivision is None
    cyc = root_count(cyclic(5), rng)
    assert cyc.method == "polyhedral" and cyc.mixed_volume == 70 and cyc.torus
    assert cyc.to_dict()["root_bound"] == 70
    forced = root_count(katsura(3), rng, method="polyhedral")
    assert forced.method == "polyhedral" and forced.mixed_volume == 8  # by enumeration


@pytest.mark.parametrize("system", [katsura(3), katsura(4), cyclic(4), cyclic(5),
                                    _random_sparse_system(3)],
                         ids=["katsura3", "katsura4", "cyclic4", "cyclic5", "sparse3"])
def test_zero_at_infinity_test_agrees_with_enumeration(system):
    # no generic zero at infinity <=> MV(supports + origin) equals the Bezout number
    at_infinity = generic_zero_at_infinity(system, np.random.default_rng(1))
    mv = mixed_volume(supports(system, origin=True), seed=2)
    assert at_infinity == (mv < system.bezout_number)


def test_homotopies_match_direct_evaluation():
    rng = np.random.default_rng(0)
    target = cyclic(5)
    start, _ = start_system(target.degrees)
    hom = StraightLine(start, target, 0.3 + 0.4j)
    x = rng.standard_normal((6, 5)) + 1j * rng.standard_normal((6, 5))
    t = rng.random(6) + 0j
    v, j, dt = hom.evaluate(x, t)
    g, gx = start.evaluate(x)
    f, fx = target.evaluate(x)
    a = ((1 - t) * hom.gamma)[:, None]
    np.testing.assert_allclose(v, a * g + t[:, None] * f, atol=1e-12)
    np.testing.assert_allclose(j, a[:, :, None] * gx + t[:, None, None] * fx, atol=1e-12)
    np.testing.assert_allclose(dt, f - hom.gamma * g, atol=1e-12)
    system = PolySystem.from_terms([{(2, 0): [1, 2], (0, 1): [0, 0, 1]}, {(1, 1): [1, 1, 1]}], 2,
                                   n_params=2)
    p0, p1 = np.array([0.5, 1j]), np.array([-1.0, 2.0])
    ph = ParameterHomotopy(system, p0, p1)
    v, j, dt = ph.evaluate(x[:, :2], t)
    p = (1 - t)[:, None] * p0 + t[:, None] * p1
    want_v, want_j, want_dt = system.evaluate(x[:, :2], p, p1 - p0)
    np.testing.assert_allclose(v, want_v, atol=1e-12)
    np.testing.assert_allclose(j, want_j, atol=1e-12)
    np.testing.assert_allclose(dt, want_dt, atol=1e-12)


def test_allocator_configuration_is_idempotent():
    first = configure_allocator()
    assert configure_allocator() is first
    assert isinstance(first, bool)


def test_solution_counts_are_certified():
    res = solve(cyclic(5), seed=4)
    assert res.n_solutions == 70 and res.n_certified == 70
    assert certified_distinct(res)


def certified_distinct(res):
    return krawczyk_certify(cyclic(5), res.solutions).n_certified == res.n_solutions


def test_mixed_volume_budget_falls_back_and_says_so():
    counts = root_count(cyclic(5), np.random.default_rng(0), max_lps=10)
    assert counts.mixed_volume is None and "not computed" in counts.mixed_volume_note
    assert counts.method == "total-degree"
